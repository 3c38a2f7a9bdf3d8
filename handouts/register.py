"""The leaflet register: (catalogue, out folder, today) -> one Row per leaflet, as text/CSV/JSON.

What a governance committee reviews: each leaflet's code, version, owner, review dates and
status, reading level and built PDF, sorted by next review date. The PDF and its page count
come from the out folder's manifest, and only when it was made from the current source
(outputs.py); nothing is built here. A leaflet whose file has errors, or whose last build
failed, has status `error`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .brand import Brands, templates_dir_for
from .check import read_settings, reading_options
from .content import Catalogue, load_catalogue
from .errors import Problems
from .model import Leaflet
from .outputs import ERROR, STANDARD, Fingerprints, Manifest, offered, read_manifest
from .readability import leaflet_readability
from .review import DUE_SOON, review_status, today
from .tally import given_out

COLUMNS = ("code", "id", "title", "language", "version", "owner", "last_reviewed",
           "next_review", "status", "pages", "reading_level", "reading_formula", "output",
           "given_out_90_days")
_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would run such a cell as a formula


@dataclass(frozen=True)
class Row:
    code: str
    id: str
    title: str
    language: str
    version: str
    owner: str
    last_reviewed: dt.date | None  # None: the leaflet's file has errors
    next_review: dt.date | None
    status: str  # "current", "due soon", "overdue" or "error"
    pages: int | None  # None: no current PDF in the out folder
    reading_level: float | None  # None: no formula for the language
    reading_formula: str | None
    output: str  # "" when the PDF has not been built
    given_out_90_days: int = 0  # copies given out in the last 90 days (tally.py)


@dataclass
class Register:
    catalogue: Catalogue
    today: dt.date
    due_within: int | None
    rows: list[Row] = field(default_factory=list)


def build_register(content: Path, out_dir: Path, on: dt.date | None = None,
                   due_within: int | None = None) -> Register:
    """One row per leaflet; the lead time for 'due soon' is checks.review-due-soon."""
    catalogue = load_catalogue(Path(content))
    settings = read_settings(catalogue.checks, Problems())  # `handouts check` reports errors
    lead = (settings["review-due-soon"] or {}).get("days")
    spanish = reading_options(settings)["spanish_formula"]
    register = Register(catalogue, today(on), due_within)
    manifest, _ = read_manifest(Path(out_dir))
    outputs = _Outputs(Path(out_dir), manifest, Fingerprints(Brands(templates_dir_for(content))))
    copies = given_out(Path(out_dir), register.today)
    for leaflet in catalogue.leaflets:
        row = _row(leaflet, outputs, register.today, lead, spanish, copies.get(leaflet.id, 0))
        if due_within is None or (leaflet.governance.next_review - register.today).days \
                <= due_within:
            register.rows.append(row)
    register.rows += [_broken_row(name, manifest) for name in catalogue.rejected]
    register.rows.sort(key=lambda r: (r.next_review or dt.date.min, r.code, r.id))
    return register


def _broken_row(name: str, manifest: Manifest) -> Row:
    """A leaflet whose file has errors: listed first, status error, with what its last
    good build said of it."""
    last = manifest.failure(name)
    return Row((last and last.code) or "", name, (last and last.title) or "", "",
               (last and last.version) or "", "", None, None, "error", None, None, None, "")


class _Outputs:
    """The current standard PDF of a leaflet, by the out folder's manifest."""

    def __init__(self, out_dir: Path, manifest: Manifest, current: Fingerprints):
        self.out_dir, self.manifest, self.current = out_dir, manifest, current

    def failed(self, leaflet: Leaflet) -> bool:
        failure = self.manifest.failure(leaflet.id)
        return failure is not None and failure.reason == ERROR

    def standard(self, leaflet: Leaflet) -> tuple[Path, int] | None:
        for record in offered(self.manifest, leaflet, self.current, self.out_dir):
            if record.variant == STANDARD and not record.grayscale:
                return self.out_dir / record.file, record.pages
        return None


def _row(leaflet: Leaflet, outputs: _Outputs, on: dt.date, lead: int | None,
         spanish: str, copies: int = 0) -> Row:
    gov = leaflet.governance
    score = leaflet_readability(leaflet, spanish).overall
    pdf = outputs.standard(leaflet)
    status = "error" if outputs.failed(leaflet) else review_status(gov.next_review, on, lead)
    return Row(gov.code, leaflet.id, leaflet.title, leaflet.language, gov.version, gov.owner,
               gov.last_reviewed, gov.next_review,
               "due soon" if status == DUE_SOON else status, pdf[1] if pdf else None,
               None if score.value is None else round(score.value, 1),
               score.formula if score.value is not None else None,
               str(pdf[0]) if pdf else "", copies)


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
    rows = [{**asdict(r), "last_reviewed": r.last_reviewed and r.last_reviewed.isoformat(),
             "next_review": r.next_review and r.next_review.isoformat()} for r in register.rows]
    return {"schema": "handouts-register/1", "today": register.today.isoformat(),
            "due_within": register.due_within, "leaflets": rows}


def as_text(register: Register) -> str:
    heads = ("code", "title", "lang", "ver", "owner", "reviewed", "next review", "status",
             "pages", "reading", "given out, last 90 days", "output")
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
            reading, cells["given_out_90_days"], cells["output"])
