"""A leaflet personalised at print time: (catalogue, id, language, variant, details) -> PDF bytes.

The one place patient details touch handouts, so it keeps none of them: the details are
validated here (`read_details`), laid out through the very path a build takes
(build.formats_wanted refuses an overdue leaflet, build.make_format lays out, renders,
tags and imposes), and the bytes are returned, never written. The file name is
`<id>-personalised.pdf` and the metadata is the leaflet's own (render.document_info), so
nothing of the patient is in the name, the title or the XMP; only on page 1.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from .brand import Brands, templates_dir_for
from .build import Options, Run, formats_wanted, make_format
from .content import Catalogue, load_catalogue
from .errors import HandoutsError, Problem
from .layout import PreparedFor
from .model import Leaflet
from .outputs import STANDARD, VARIANTS, Manifest, build_key
from .review import today
from .scripts import ZERO_WIDTH_JOINERS

# Field -> most characters; the notes are the nurse's "Your next steps" (about 600).
LIMITS = {"name": 80, "date": 10, "time": 5, "place": 120, "clinician": 80, "phone": 30,
          "notes": 600}
FIELDS = tuple(LIMITS)
LABELS = {"name": "Patient's name", "date": "Appointment date", "time": "Appointment time",
          "place": "Appointment place", "clinician": "Clinician's name",
          "phone": "Direct phone number", "notes": "Your next steps (notes)"}
NAME_PUNCTUATION = set(" -'’.")  # Mary-Jane O'Neil Jr.
PHONE = re.compile(r"[0-9+()\-. ]+")
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DetailsError(ValueError):
    """The form's details are not usable: field -> what is wrong and how to fix it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{LABELS.get(k, k)}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotOffered(HandoutsError):
    """No such leaflet, language or variant to personalise (the caller's 404)."""


@dataclass(frozen=True)
class Copy:
    """A personalised PDF, in memory only."""

    data: bytes
    pages: int
    leaflet: Leaflet
    variant: str

    @property
    def filename(self) -> str:
        return personalised_name(self.leaflet.id)


def personalised_name(leaflet_id: str) -> str:
    return f"{leaflet_id}-personalised.pdf"


def read_details(form: Mapping[str, str], on: dt.date | None = None) -> PreparedFor:
    """The form's fields as PreparedFor, or DetailsError naming every field to fix."""
    values = {key: _clean(str(form.get(key) or "")) for key in FIELDS}
    errors = {key: message for key, value in values.items()
              if (message := _problem(key, value, today(on)))}
    if errors:
        raise DetailsError(errors)
    return PreparedFor(values["name"], _day(values["date"]),
                       dt.time.fromisoformat(values["time"]) if values["time"] else None,
                       values["place"], values["clinician"], values["phone"], values["notes"])


def _clean(text: str) -> str:
    """NFC (one code point for 'é' however it was typed), line ends as \\n, trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def _problem(key: str, value: str, on: dt.date) -> str | None:
    if key == "name" and not value:
        return "write the patient's name as they would like it written"
    if len(value) > LIMITS[key]:
        return f"is {len(value)} characters long; write at most {LIMITS[key]}"
    bad = _unprintable(value, key == "notes")
    if bad:
        return f"holds a character that cannot be printed ({bad}); delete it and type again"
    return {"name": _name_problem, "date": _date_problem, "time": _time_problem,
            "phone": _phone_problem}.get(key, lambda v, d: None)(value, on)


def _unprintable(value: str, multiline: bool) -> str | None:
    """The first control or formatting character (bidi overrides too), named."""
    for char in value:
        if char == "\n" and multiline or char in ZERO_WIDTH_JOINERS:
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"
    return None


def _name_problem(value: str, on: dt.date) -> str | None:
    odd = next((c for c in value if not (unicodedata.category(c)[0] in "LM" or
                                         c in NAME_PUNCTUATION or c in ZERO_WIDTH_JOINERS)),
               None)
    if odd is not None:
        return (f"'{odd}' is not a letter; a name holds letters, spaces, hyphens, "
                "apostrophes and full stops only")
    return None


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _date_problem(value: str, on: dt.date) -> str | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value) if DATE.fullmatch(value) else None
    except ValueError:
        return f"'{value}' is not a real date; check the day and the month"
    if day is None:
        return f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31"
    if day < on:
        return f"{day.isoformat()} is in the past (today is {on.isoformat()})"
    if (day - on).days > 3 * 366:
        return f"{day.isoformat()} is more than three years ahead; check the year"
    return None


def _time_problem(value: str, on: dt.date) -> str | None:
    if value and not TIME.fullmatch(value):
        return f"'{value}' is not a time; write it as HH:MM on the 24-hour clock, e.g. 14:30"
    return None


def _phone_problem(value: str, on: dt.date) -> str | None:
    if value and not PHONE.fullmatch(value):
        return "write only the number: digits, spaces, +, - and brackets"
    return None


def offered(catalogue: Catalogue, leaflet_id: str) -> list[Leaflet]:
    """The leaflet and its translations, the leaflet first: what may be personalised."""
    own = [l for l in catalogue.leaflets if l.id == leaflet_id]
    return own + [t for t in catalogue.translations if t.id == leaflet_id] if own else []


def find(catalogue: Catalogue, leaflet_id: str, language: str | None) -> Leaflet:
    """The leaflet in that language (None: its own); NotOffered says what exists."""
    choices = offered(catalogue, leaflet_id)
    if not choices:
        hint = ("its file has errors; fix them and build again" if leaflet_id in
                catalogue.failed else "check the id; `handouts register` lists every leaflet")
        raise NotOffered(Problem(catalogue.path, 1, 1, f"no leaflet '{leaflet_id}' to "
                                 "personalise", hint))
    if language is None:
        return choices[0]
    found = next((l for l in choices if l.language.casefold() == language.casefold()), None)
    if found is None:
        raise NotOffered(Problem(catalogue.path, 1, 1, f"leaflet '{leaflet_id}' has no "
                                 f"'{language}' version", "choose one of: " +
                                 ", ".join(l.language for l in choices)))
    return found


def personalise(content: Path, leaflet_id: str, details: PreparedFor,
                language: str | None = None, variant: str = STANDARD,
                on: dt.date | None = None, catalogue: Catalogue | None = None) -> Copy:
    """The personalised PDF, in memory. Raises NotOffered (unknown id, language or
    variant), or the build's own errors: refused when overdue, ContentError for a detail
    that cannot be printed (a problem whose path is the field's name) or a bad leaflet."""
    if variant not in VARIANTS:
        raise NotOffered(Problem(Path(content), 1, 1, f"unknown variant '{variant}'",
                                 "choose one of: " + ", ".join(VARIANTS)))
    catalogue = catalogue or load_catalogue(Path(content))
    leaflet = find(catalogue, leaflet_id, language)
    run = Run(catalogue, Brands(templates_dir_for(Path(content))), None, today(on),
              Path("."), [leaflet_id], Manifest(), Options(False, [variant], None, False))
    _, forms = formats_wanted(run, leaflet)  # refuses an overdue leaflet, as build does
    form = replace(forms[0], key=build_key(forms[0].key, {"personalised": True}))
    data, pages = make_format(leaflet, run.brand_of(leaflet), form, None, False, details)
    return Copy(data, pages, leaflet, variant)


def field_errors(exc: HandoutsError) -> dict[str, str]:
    """A layout problem with a detail (a glyph no font has, a number that dials nothing),
    by the field it came from; the leaflet's own problems are not the form's."""
    return {p.path.name: f"{p.message} - {p.hint}" if p.hint else p.message
            for p in exc.problems if str(p.path) in FIELDS}
