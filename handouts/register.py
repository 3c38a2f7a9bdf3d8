"""The leaflet register: (catalogue, out folder, today) -> one Row per leaflet, as text/CSV/JSON.

What a governance committee reviews: each leaflet's code, version, owner, review dates and
status, reading level and built PDF, sorted by next review date. Page counts are read from
the PDFs already in the out folder; nothing is built here.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pikepdf

from .build import output_name, today
from .check import read_settings, reading_options
from .content import Catalogue, load_catalogue
from .errors import Problems
from .model import Leaflet
from .readability import leaflet_readability

COLUMNS = ("code", "id", "title", "language", "version", "owner", "last_reviewed",
           "next_review", "status", "pages", "reading_level", "reading_formula", "output")
_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would run such a cell as a formula


@dataclass(frozen=True)
class Row:
    code: str
    id: str
    title: str
    language: str
    version: str
    owner: str
    last_reviewed: dt.date
    next_review: dt.date
    status: str  # "current", "due soon" or "overdue"
    pages: int | None  # None: no PDF in the out folder
    reading_level: float | None  # None: no formula for the language
    reading_formula: str | None
    output: str  # "" when the PDF has not been built


@dataclass
class Register:
    catalogue: Catalogue
    today: dt.date
    due_within: int | None
    rows: list[Row] = field(default_factory=list)


def status(next_review: dt.date, on: dt.date, lead_days: int | None) -> str:
    if next_review < on:
        return "overdue"
    if lead_days is not None and (next_review - on).days <= lead_days:
        return "due soon"
    return "current"


def page_count(pdf: Path) -> int | None:
    try:
        with pikepdf.open(pdf) as document:
            return len(document.pages)
    except (OSError, pikepdf.PdfError):
        return None


def build_register(content: Path, out_dir: Path, on: dt.date | None = None,
                   due_within: int | None = None) -> Register:
    """One row per valid leaflet; the lead time for 'due soon' is checks.review-due-soon."""
    catalogue = load_catalogue(Path(content))
    settings = read_settings(catalogue.checks, Problems())  # `handouts check` reports errors
    lead = (settings["review-due-soon"] or {}).get("days")
    spanish = reading_options(settings)["spanish_formula"]
    register = Register(catalogue, today(on), due_within)
    for leaflet in catalogue.leaflets:
        row = _row(leaflet, Path(out_dir), register.today, lead, spanish)
        if due_within is None or (row.next_review - register.today).days <= due_within:
            register.rows.append(row)
    register.rows.sort(key=lambda r: (r.next_review, r.code, r.id))
    return register


def _row(leaflet: Leaflet, out_dir: Path, on: dt.date, lead: int | None, spanish: str) -> Row:
    gov = leaflet.governance
    score = leaflet_readability(leaflet, spanish).overall
    pdf = out_dir / output_name(leaflet.id)
    pages = page_count(pdf) if pdf.is_file() else None
    return Row(gov.code, leaflet.id, leaflet.title, leaflet.language, gov.version, gov.owner,
               gov.last_reviewed, gov.next_review, status(gov.next_review, on, lead), pages,
               None if score.value is None else round(score.value, 1),
               score.formula if score.value is not None else None,
               str(pdf) if pages is not None else "")


def _cells(row: Row) -> dict[str, str]:
    """Every column as text: dates ISO, absent values empty, no-formula reading level n/a."""
    values = asdict(row)
    cells = {k: "" if v is None else str(v) for k, v in values.items()}
    cells["reading_level"] = "n/a" if row.reading_level is None else f"{row.reading_level:.1f}"
    return cells


def as_csv(register: Register) -> str:
    """UTF-8 CSV with a byte-order mark, so spreadsheets read accented titles correctly."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for row in register.rows:
        cells = _cells(row)
        writer.writerow(["'" + cells[c] if cells[c].startswith(_FORMULA_START) and c in
                         ("title", "owner", "code", "version") else cells[c] for c in COLUMNS])
    return "\ufeff" + stream.getvalue()


def as_json(register: Register) -> dict:
    rows = [{**asdict(r), "last_reviewed": r.last_reviewed.isoformat(),
             "next_review": r.next_review.isoformat()} for r in register.rows]
    return {"schema": "handouts-register/1", "today": register.today.isoformat(),
            "due_within": register.due_within, "leaflets": rows}


def as_text(register: Register) -> str:
    heads = ("code", "title", "lang", "ver", "owner", "reviewed", "next review", "status",
             "pages", "reading", "output")
    table = [heads] + [_text_row(_cells(r), r) for r in register.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(heads))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
             for line in table]
    scope = f" due within {register.due_within} days" if register.due_within is not None else ""
    lines.append(f"{len(register.rows)} leaflets{scope} (today is {register.today})")
    return "\n".join(lines)


def _text_row(cells: dict, row: Row) -> tuple:
    title = cells["title"] if len(cells["title"]) <= 40 else cells["title"][:39] + "…"
    reading = "n/a" if row.reading_level is None else \
        f"{'SMOG' if row.reading_formula == 'smog' else row.reading_formula} {row.reading_level}"
    return (cells["code"], title, cells["language"], cells["version"], cells["owner"],
            cells["last_reviewed"], cells["next_review"], cells["status"], cells["pages"],
            reading, cells["output"])
