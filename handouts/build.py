"""The pipeline, per leaflet: load -> validate -> lay out -> render -> write.

A leaflet that fails is reported and skipped; the others still build. Nothing here
prints or exits: cli.py does that from the returned BuildReport.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from . import scripts
from .brand import TEMPLATE_NAME, Brand, load_brand
from .catalogue_page import write_catalogue_page
from .content import EXTRA_VARIANTS, Catalogue, load_catalogue
from .errors import HandoutsError, Problem, RenderError, TemplateError
from .fields import did_you_mean
from .layout import LayoutOptions, lay_out
from .model import Leaflet
from .render import document_info, render
from .variants import impose_booklet
from .write import write_atomic

STANDARD = "standard"  # the leaflet's own PDF, at the brand's size and paper
VARIANTS = (STANDARD, *EXTRA_VARIANTS)


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
    page: Path | None = None  # out/index.html, the catalogue page, once written

    @property
    def ok(self) -> bool:
        return not self.failed and not any(p.severity == "error" for p in self.problems)


def today(explicit: dt.date | None = None) -> dt.date:
    """'Today', fixed by --today or HANDOUTS_TODAY for reproducible runs and tests."""
    if explicit:
        return explicit
    value = os.environ.get("HANDOUTS_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def output_name(leaflet_id: str, lang: str | None = None, variant: str | None = None, *,
                grayscale: bool = False) -> str:
    """The file name of one output, the single place output names are decided.

    `<id>.pdf`, `<id>.<lang>.pdf` (a translation), `<id>.<variant>.pdf` (e.g.
    `igrt.large-print.pdf`, `igrt.booklet.pdf`) and `<id>.<lang>.<variant>.pdf`.
    `lang` is given only for translations, never for the leaflet's own language; `variant`
    "standard" (or None) adds nothing. Greyscale output ends `.grayscale.pdf`, so it never
    replaces the colour file.
    """
    parts = [leaflet_id, lang, None if variant == STANDARD else variant,
             "grayscale" if grayscale else None]
    return ".".join(part for part in parts if part) + ".pdf"


def variant_options(variant: str, brand: Brand, page_size: str | None = None,
                    grayscale: bool = False, overdue: bool = False) -> LayoutOptions:
    """How a variant is laid out. Large print reflows the content at the brand's
    `sizes.large_print`; a booklet is laid out on A5 pages, imposed after rendering."""
    if variant == "large-print":
        return LayoutOptions(brand.size("large_print"), page_size, "LP", overdue, grayscale)
    if variant == "booklet":
        return LayoutOptions(None, "A5", "A5 booklet", overdue, grayscale)
    return LayoutOptions(None, page_size, "", overdue, grayscale)


def build_variant(leaflet: Leaflet, brand: Brand, out_dir: Path, variant: str = STANDARD, *,
                  lang: str | None = None, page_size: str | None = None,
                  grayscale: bool = False, overdue: bool = False) -> Built:
    """Build one format of a leaflet into out_dir/output_name(...). A booklet's page
    count is its sheet sides (two A5 pages each)."""
    options = variant_options(variant, brand, page_size, grayscale, overdue)
    data, pages = render_leaflet(leaflet, brand, options)
    if variant == "booklet":  # bound on the right for right-to-left scripts
        data, pages = impose_booklet(data, scripts.table().for_language(leaflet.language).rtl)
    name = output_name(leaflet.id, lang, variant, grayscale=grayscale)
    return Built(leaflet.id, write_atomic(data, Path(out_dir) / name), pages, len(data))


def render_leaflet(leaflet: Leaflet, brand: Brand,
                   options: LayoutOptions = LayoutOptions()) -> tuple[bytes, int]:
    """Lay out and render one leaflet; returns the PDF bytes and the page count."""
    story = lay_out(leaflet, brand, options)
    try:
        data = render(story, document_info(leaflet, brand["organisation"]))
    except LayoutError as exc:  # e.g. a table row taller than a page at large print on A5
        size = options.body_size or brand.size("body")
        raise RenderError(Problem(
            *leaflet.where, f"leaflet '{leaflet.id}' does not fit its pages at "
            f"{options.page_size or brand['page.size']}, {size:g} pt: {str(exc)[:160]}",
            "shorten the table row or picture named, or split it in two")) from None
    return data, story.log.page_count


def build_leaflet(leaflet: Leaflet, brand: Brand, out_dir: Path,
                  options: LayoutOptions = LayoutOptions()) -> Built:
    """The standard PDF of one leaflet, written to out_dir/<id>.pdf."""
    data, pages = render_leaflet(leaflet, brand, options)
    path = write_atomic(data, Path(out_dir) / output_name(leaflet.id))
    return Built(leaflet.id, path, pages, len(data))


class Brands:
    """Loads each brand template once per run and remembers failures."""

    def __init__(self, templates_dir: Path):
        self.templates_dir = templates_dir
        self._cache: dict[str, Brand | HandoutsError] = {}

    def get(self, name: str, where: tuple | None = None) -> Brand:
        """The brand; raises its problems the first time, later an empty TemplateError,
        so a broken template is reported once however many leaflets use it."""
        if name not in self._cache:
            try:
                self._cache[name] = self._load(name, where)
            except HandoutsError as exc:
                self._cache[name] = exc
                raise
        result = self._cache[name]
        if isinstance(result, HandoutsError):
            raise TemplateError([])
        return result

    def _load(self, name: str, where: tuple | None) -> Brand:
        folder = self.templates_dir / name
        if where and TEMPLATE_NAME.match(name) and not (folder / "brand.yaml").is_file():
            known = sorted(p.parent.name for p in self.templates_dir.glob("*/brand.yaml"))
            guess = did_you_mean(name, known) if known else ""
            guess = f"{guess} " if guess.startswith("did") else ""
            raise TemplateError(Problem(
                *where, f"brand template '{name}' not found in {self.templates_dir}",
                f"{guess}templates: {', '.join(known) or 'none'}"))
        return load_brand(self.templates_dir, name)


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
          on: dt.date | None = None, variants: list[str] | None = None,
          page_size: str | None = None, grayscale: bool = False) -> BuildReport:
    """Build every leaflet (or `only` these). `variants` replaces each leaflet's own
    choice (its PDF plus its `variants:` list); `page_size` overrides the brand's paper
    except for booklets, which are always A5 pages on A4 sheets."""
    catalogue = load_catalogue(Path(content))
    report = BuildReport(catalogue, problems=list(catalogue.problems), failed=list(catalogue.failed))
    brands = Brands(templates_dir_for(content))
    day = today(on)
    for leaflet in [*catalogue.leaflets, *catalogue.translations]:
        if only and leaflet.id not in only:
            continue
        lang = leaflet.language if leaflet.translation else None  # out/<id>.<lang>.pdf
        name = f"{leaflet.id}.{lang}" if lang else leaflet.id
        overdue = leaflet.governance.next_review < day
        if overdue and not allow_overdue:
            report.problems.append(overdue_problem(leaflet, day))
            report.failed.append(name)
            continue
        try:
            brand = brands.get(template or leaflet.template,
                               None if template else leaflet.template_where)
            wanted = variants or (STANDARD, *catalogue.variants.get(leaflet.id, ()))
            for variant in dict.fromkeys(wanted):  # each once, in the order asked
                report.built.append(build_variant(leaflet, brand, out_dir, variant,
                                                  lang=lang, page_size=page_size,
                                                  grayscale=grayscale, overdue=overdue))
        except HandoutsError as exc:
            report.problems.extend(exc.problems)
            report.failed.append(name)
    report.page, page_problems = write_catalogue_page(
        catalogue, out_dir, day, report.failed, [b.leaflet_id for b in report.built])
    report.problems.extend(page_problems)
    return report
