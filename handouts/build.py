"""The pipeline, per leaflet: load -> validate -> lay out -> render -> write.

A leaflet that fails is reported and skipped; the others still build. Nothing here
prints or exits: cli.py does that from the returned BuildReport.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .brand import Brand, load_brand
from .content import Catalogue, load_catalogue
from .errors import HandoutsError, Problem
from .layout import LayoutOptions, lay_out
from .model import Leaflet
from .render import document_info, render
from .write import write_atomic


@dataclass(frozen=True)
class Built:
    leaflet_id: str
    path: Path
    pages: int
    size: int


@dataclass
class BuildReport:
    catalogue: Catalogue
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not any(p.severity == "error" for p in self.problems)


def today(explicit: dt.date | None = None) -> dt.date:
    """'Today', fixed by --today or HANDOUTS_TODAY for reproducible runs and tests."""
    if explicit:
        return explicit
    value = os.environ.get("HANDOUTS_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def render_leaflet(leaflet: Leaflet, brand: Brand,
                   options: LayoutOptions = LayoutOptions()) -> tuple[bytes, int]:
    """Lay out and render one leaflet; returns the PDF bytes and the page count."""
    story = lay_out(leaflet, brand, options)
    data = render(story, document_info(leaflet, brand["organisation"]))
    return data, story.log.page_count


def build_leaflet(leaflet: Leaflet, brand: Brand, out_dir: Path,
                  options: LayoutOptions = LayoutOptions(), suffix: str = "") -> Built:
    data, pages = render_leaflet(leaflet, brand, options)
    path = write_atomic(data, Path(out_dir) / f"{leaflet.id}{suffix}.pdf")
    return Built(leaflet.id, path, pages, len(data))


class Brands:
    """Loads each brand template once per run and remembers failures."""

    def __init__(self, templates_dir: Path):
        self.templates_dir = templates_dir
        self._cache: dict[str, Brand | HandoutsError] = {}

    def get(self, name: str) -> Brand:
        if name not in self._cache:
            try:
                self._cache[name] = load_brand(self.templates_dir, name)
            except HandoutsError as exc:
                self._cache[name] = exc
        result = self._cache[name]
        if isinstance(result, HandoutsError):
            raise result
        return result


def templates_dir_for(content: Path) -> Path:
    return Path(content).resolve().parent / "templates"


def overdue_problem(leaflet: Leaflet, on: dt.date) -> Problem:
    path, line, col = leaflet.where
    line, col = leaflet.governance.marks.get("next_review",
                                             leaflet.governance.marks.get("governance", (line, col)))
    return Problem(path, line, col,
                   f"leaflet '{leaflet.id}' is overdue for review since "
                   f"{leaflet.governance.next_review.isoformat()} (today is {on.isoformat()}); "
                   "it was not built", "review it and update last_reviewed/next_review, or "
                   "build anyway with --allow-overdue (every page is then marked 'Review overdue')")


def build(content: Path, out_dir: Path, template: str | None = None,
          only: list[str] | None = None, allow_overdue: bool = False,
          on: dt.date | None = None) -> BuildReport:
    catalogue = load_catalogue(Path(content))
    report = BuildReport(catalogue, problems=list(catalogue.problems), failed=list(catalogue.failed))
    brands = Brands(templates_dir_for(content))
    day = today(on)
    for leaflet in catalogue.leaflets:
        if only and leaflet.id not in only:
            continue
        overdue = leaflet.governance.next_review < day
        if overdue and not allow_overdue:
            report.problems.append(overdue_problem(leaflet, day))
            report.failed.append(leaflet.id)
            continue
        try:
            brand = brands.get(template or leaflet.template)
            options = LayoutOptions(overdue=overdue)
            report.built.append(build_leaflet(leaflet, brand, out_dir, options))
        except HandoutsError as exc:
            report.problems.extend(exc.problems)
            report.failed.append(leaflet.id)
    return report
