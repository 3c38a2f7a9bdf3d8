"""The pipeline, per leaflet: load -> validate -> lay out -> render -> write.

A leaflet that fails is reported and skipped; the others still build. Nothing here
prints or exits: cli.py does that from the returned BuildReport.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import scripts
from .brand import Brand, Brands, templates_dir_for
from .catalogue_page import write_catalogue_page
from .cluster import Cluster
from .companion import SUFFIXES as COMPANION_SUFFIXES, companion_files, companion_variant
from .cluster import outcomes as cluster_outcomes
from .content import Catalogue, load_catalogue
from .errors import HandoutsError, Problem, RenderError
from .layout import LayoutOptions, variant_options
from .model import Leaflet
from .outputs import (CATALOGUE_PAGE, ERROR, MANIFEST, OVERDUE, STANDARD, Failure,
                      Fingerprints, Manifest, Record, build_key, build_stamp, fingerprint,
                      forget_hashes, leaflet_key, next_manifest, output_name, read_manifest,
                      unlisted_outputs, write_manifest)
from .review import OVERDUE as REVIEW_OVERDUE
from .review import review_status, today
from .variants import booklet_padding, impose_booklet
from .write import OutputError, write_atomic

if TYPE_CHECKING:  # layout and rendering (ReportLab, pikepdf) load only to make a file:
    from .layout import PreparedFor  # a build with nothing changed imports neither

@dataclass(frozen=True)
class Built:
    leaflet_id: str
    path: Path
    pages: int
    size: int
    sha256: str = ""


@dataclass
class BuildReport:
    catalogue: Catalogue
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    page: Path | None = None  # out/index.html, the catalogue page, once written
    removed: list[Path] = field(default_factory=list)  # stale files taken out of out/
    unchanged: list[str] = field(default_factory=list)  # files kept: same build key

    @property
    def ok(self) -> bool:
        return not self.failed and not any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class Format:
    """One format of one leaflet that a build wants: the unit of work (one Dask task)."""

    leaflet_key: str
    leaflet_id: str
    variant: str
    name: str  # its file in the output folder
    key: str  # its build key: what it is made from
    overdue: bool


def make_format(leaflet: Leaflet, brand: Brand, form: Format, page_size: str | None,
                grayscale: bool, prepared: PreparedFor | None = None) -> tuple[bytes, int]:
    """The PDF bytes of one format, and its page count. A booklet's page count is its
    sheet sides (two A5 pages each). `prepared`: a personalised copy (personalise.py)."""
    options = replace(variant_options(form.variant, brand, page_size, grayscale,
                                      form.overdue), prepared=prepared)
    if form.variant == "booklet":  # the sheets' spare pages: lined Notes pages, not blanks
        from .layout import lay_out
        from .render import place
        pages = max(item.page for item in place(lay_out(leaflet, brand, options)))
        options = replace(options, notes_pages=booklet_padding(pages))
    data, pages = render_leaflet(leaflet, brand, options, build_stamp(form.key, leaflet))
    if form.variant == "booklet":  # bound on the right for right-to-left scripts
        data, pages = impose_booklet(data, scripts.table().for_language(leaflet.language).rtl)
    return data, pages


def write_format(form: Format, data: bytes, pages: int, out_dir: Path) -> Built:
    path = write_atomic(data, Path(out_dir) / form.name)
    return Built(form.leaflet_id, path, pages, len(data),
                 hashlib.sha256(data).hexdigest())


def render_leaflet(leaflet: Leaflet, brand: Brand, options: LayoutOptions = LayoutOptions(),
                   stamp: tuple[tuple[str, str], ...] = ()) -> tuple[bytes, int]:
    """Lay out and render one leaflet; returns the PDF bytes and the page count."""
    from reportlab.platypus.doctemplate import LayoutError

    from .layout import lay_out
    from .render import document_info, render
    story = lay_out(leaflet, brand, options)
    try:
        data = render(story, document_info(leaflet, brand["organisation"], stamp))
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


def overdue_problem(leaflet: Leaflet, on: dt.date) -> Problem:
    path, line, col = leaflet.review_where()
    return Problem(path, line, col,
                   f"leaflet '{leaflet.id}' is overdue for review since "
                   f"{leaflet.governance.next_review.isoformat()} (today is {on.isoformat()}); "
                   "it was not built", "review it and update last_reviewed/next_review, or "
                   "build anyway with --allow-overdue (every page is then marked 'Review overdue')")


def build(content: Path, out_dir: Path, template: str | None = None,
          only: list[str] | None = None, allow_overdue: bool = False,
          on: dt.date | None = None, variants: list[str] | None = None,
          page_size: str | None = None, grayscale: bool = False,
          clean: bool = False, jobs: int = 1,
          progress: Progress | None = None, cluster: Cluster | None = None) -> BuildReport:
    """Build every leaflet (or `only` these). `variants` replaces each leaflet's own
    choice (its PDF plus its `variants:` list); `page_size` overrides the brand's paper
    except for booklets, which are always A5 pages on A4 sheets. Then the manifest is
    updated, stale files removed (`clean`: every output no manifest lists) and the
    catalogue page written. `jobs` > 1 builds the leaflets on that many processes; the
    files are the same bytes as with one. `progress(done, total, outcome)` is called as
    each leaflet finishes, in catalogue order. With `cluster`, each format is a task on
    a Dask cluster (see cluster.py); the files are again the same bytes."""
    content, out_dir = Path(content), Path(out_dir)
    forget_hashes()
    catalogue = load_catalogue(content)
    report = BuildReport(catalogue, problems=list(catalogue.problems),
                         failed=list(catalogue.failed))
    if catalogue.defaults is None:
        return report  # the catalogue itself is broken: keep the last manifest and page
    if clean:
        _refuse_to_clean_content(content, out_dir)
    old, unreadable = read_manifest(out_dir)
    report.problems.extend(unreadable)
    run = Run(catalogue, Brands(templates_dir_for(content)), template, today(on), out_dir,
               only, old, Options(allow_overdue, variants, page_size, grayscale))
    failures = [_rejected(catalogue, name, old) for name in catalogue.failed]
    records: list[Record] = []
    for outcome in _build_each(run, jobs, progress, cluster):
        report.problems.extend(outcome.problems)
        report.built.extend(outcome.built)
        report.unchanged.extend(outcome.unchanged)
        records.extend(outcome.records)
        if outcome.failure is not None:
            report.failed.append(outcome.failure.key)
            failures.append(outcome.failure)
    manifest, stale = next_manifest(old, records, failures, run.leaflets, run.covers,
                                    run.current, out_dir)
    report.removed = _remove(stale, out_dir)
    if unreadable or not (manifest.same_as(old) and (out_dir / MANIFEST).is_file()):
        write_manifest(manifest, out_dir)  # an unchanged one is not rewritten
    if clean:
        report.removed += _remove([p.relative_to(out_dir).as_posix()
                                   for p in unlisted_outputs(manifest, out_dir, {
                                       l.id for l in run.leaflets.values()})], out_dir)
    from .check.settings import review_lead_days  # the check package: 13 ms of a cold build
    report.page, page_problems = write_catalogue_page(
        catalogue, out_dir, run.day, manifest, run.current,
        [b.leaflet_id for b in report.built], review_lead_days(catalogue.checks))
    report.problems.extend(page_problems)
    return report


class _Overdue(HandoutsError):
    """Refused: past its review date, and --allow-overdue was not given."""


@dataclass(frozen=True)
class Options:
    allow_overdue: bool
    variants: list[str] | None
    page_size: str | None
    grayscale: bool


@dataclass
class Outcome:
    """What building one leaflet (every format of it) gave."""

    key: str = ""  # leaflet_key: <id> or <id>.<lang>
    problems: list[Problem] = field(default_factory=list)
    built: list[Built] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    failure: Failure | None = None
    source: str | None = None  # the leaflet's fingerprint, when it was worked out


Progress = Callable[[int, int, Outcome], None]  # (done, total, the leaflet just finished)


def _build_each(run: Run, jobs: int, progress: Progress | None,
                cluster: Cluster | None) -> Iterator[Outcome]:
    """Build every leaflet the run covers, in catalogue order, on `jobs` processes, and
    yield each outcome as it is ready. Brands are loaded first, here, so a broken one is
    reported once, at its first use."""
    todo = [l for l in [*run.catalogue.leaflets, *run.catalogue.translations]
            if run.covers(l.id)]
    first_problems = [run.load_brand(leaflet) for leaflet in todo]
    made = (cluster_outcomes(run, todo, jobs, cluster) if cluster and todo
            else _outcomes(run, todo, jobs))
    for done, outcome in enumerate(made, 1):
        outcome.problems[:0] = first_problems[done - 1]
        if outcome.source:  # worked out in a worker process: not again here
            run.current.learn(outcome.key, outcome.source)
        if progress:
            progress(done, len(todo), outcome)
        yield outcome


def _outcomes(run: Run, todo: list[Leaflet], jobs: int) -> Iterator[Outcome]:
    """Each leaflet's outcome, in catalogue order. Only the leaflets with a PDF to make
    go to the worker processes: handing a thousand unchanged ones to a pool, to be
    told so, took half a second; with none to make no pool starts."""
    work = [index for index, leaflet in enumerate(todo) if _has_pdf_to_make(run, leaflet)]
    if jobs <= 1 or len(work) <= 1:
        yield from (build_one(run, leaflet) for leaflet in todo)
        return
    import multiprocessing  # 10 ms of a cold build, which has one leaflet to make
    global _POOL_WORK  # the forked workers inherit it: nothing big is pickled
    _POOL_WORK = (run, todo)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(work))) as pool:
            made = pool.imap(_build_index, work, chunksize=1)
            wanted = set(work)
            for index, leaflet in enumerate(todo):
                yield next(made) if index in wanted else build_one(run, leaflet)
    finally:
        _POOL_WORK = None


def _has_pdf_to_make(run: Run, leaflet: Leaflet) -> bool:
    """Whether a format of the leaflet is not kept from the last build. One that cannot
    be planned (overdue, a broken brand) has none: build_one reports why, at once."""
    try:
        _, forms = formats_wanted(run, leaflet)
    except HandoutsError:
        return False
    return any(run.unchanged(form.name, form.key) is None for form in forms)


_POOL_WORK: tuple[Run, list[Leaflet]] | None = None


def _build_index(index: int) -> Outcome:
    assert _POOL_WORK is not None
    run, todo = _POOL_WORK
    return build_one(run, todo[index])


def build_one(run: Run, leaflet: Leaflet, make: Maker | None = None) -> Outcome:
    outcome = Outcome(leaflet_key(leaflet))
    try:
        outcome.records = _build_all(run, leaflet, outcome, make or make_here(run))
    except HandoutsError as exc:
        outcome.problems.extend(exc.problems)
        outcome.failure = _failure(run, leaflet, OVERDUE if isinstance(exc, _Overdue)
                                   else ERROR)
    except (OutputError, KeyboardInterrupt, MemoryError):
        raise  # the whole run stops: the output folder, or the user, said so
    except Exception as exc:  # a fault in handouts itself: this leaflet fails, not the run
        outcome.problems.append(Problem(
            *leaflet.where, f"leaflet '{leaflet_key(leaflet)}' could not be built: an "
            f"internal error in handouts ({type(exc).__name__}: {str(exc)[:200]})",
            "this is a bug, not a mistake in the leaflet: please report it with the "
            "leaflet file; the other leaflets were built"))
        outcome.failure = _failure(run, leaflet, ERROR)
    outcome.source = run.current.found(outcome.key)
    return outcome


class Run:
    """What every leaflet of one build shares: brands, 'today', what it covers."""

    def __init__(self, catalogue: Catalogue, brands: Brands, template: str | None,
                 day: dt.date, out_dir: Path, only: list[str] | None, previous: Manifest,
                 options: Options):
        self.catalogue, self.brands, self.template = catalogue, brands, template
        self.day, self.out_dir, self.only, self.options = day, out_dir, only, options
        self.previous = {r.file: r for r in previous.files}
        self.plans: dict[str, tuple[str, list[Format]] | HandoutsError] = {}  # formats_wanted
        self.current = Fingerprints(brands, template)
        self.leaflets = {leaflet_key(l): l for l in [*catalogue.leaflets,
                                                     *catalogue.translations]}

    def covers(self, leaflet_id: str) -> bool:
        return not self.only or leaflet_id in self.only

    def brand_of(self, leaflet: Leaflet) -> Brand:
        return self.brands.get(self.template or leaflet.template,
                               None if self.template else leaflet.template_where)

    def source(self, leaflet: Leaflet) -> str:
        """The fingerprint of everything the leaflet's PDFs are made from."""
        return self.current(leaflet) or fingerprint(leaflet, self.brand_of(leaflet))

    def load_brand(self, leaflet: Leaflet) -> list[Problem]:
        """Load the leaflet's brand now; its problems the first time it fails, else []."""
        try:
            self.brand_of(leaflet)
        except HandoutsError as exc:
            return exc.problems
        return []

    def source_file(self, leaflet: Leaflet) -> str:
        return _relative(leaflet.where[0], self.catalogue.path.parent)

    def unchanged(self, name: str, key: str) -> Record | None:
        """The last build's record of this file, if it was built with this very key and
        the file is still as written: then it is neither rebuilt nor rewritten."""
        record = self.previous.get(name)
        if record is None or record.build_key != key or not record.intact(self.out_dir):
            return None
        return record


def formats_wanted(run: Run, leaflet: Leaflet) -> tuple[str, list[Format]]:
    """The leaflet's source fingerprint, and every format of it this build wants, each
    once, in the order asked; raises if it may not be built (overdue, broken brand).
    Worked out once a run: planning (_has_pdf_to_make) and building both ask."""
    key = leaflet_key(leaflet)
    if key not in run.plans:
        try:
            run.plans[key] = _formats_wanted(run, leaflet)
        except HandoutsError as exc:
            run.plans[key] = exc
    plan = run.plans[key]
    if isinstance(plan, HandoutsError):
        raise plan
    return plan


def _formats_wanted(run: Run, leaflet: Leaflet) -> tuple[str, list[Format]]:
    overdue = review_status(leaflet.governance.next_review, run.day, None) == REVIEW_OVERDUE
    if overdue and not run.options.allow_overdue:
        raise _Overdue(overdue_problem(leaflet, run.day))
    source = run.source(leaflet)
    lang = leaflet.language if leaflet.translation else None  # out/<id>.<lang>.pdf
    page_size, grayscale = run.options.page_size, run.options.grayscale
    wanted = run.options.variants or (STANDARD, *run.catalogue.variants.get(leaflet.id, ()))
    return source, [Format(leaflet_key(leaflet), leaflet.id, variant,
                           output_name(leaflet.id, lang, variant, grayscale=grayscale),
                           build_key(source, {"variant": variant, "page_size": page_size,
                                              "grayscale": grayscale, "overdue": overdue}),
                           overdue)
                    for variant in dict.fromkeys(wanted)]


Maker = Callable[[Leaflet, Format], Built]  # makes and writes one format, or raises


def make_here(run: Run) -> Maker:
    """Make each format in this process."""
    def make(leaflet: Leaflet, form: Format) -> Built:
        data, pages = make_format(leaflet, run.brand_of(leaflet), form,
                                  run.options.page_size, run.options.grayscale)
        return write_format(form, data, pages, run.out_dir)
    return make


def _build_all(run: Run, leaflet: Leaflet, outcome: Outcome, make: Maker) -> list[Record]:
    """Every format of one leaflet wanted by this build; raises on the first failure.
    A format whose build key matches an intact file of the last build is kept as it is."""
    source, forms = formats_wanted(run, leaflet)
    if output_name(leaflet.id, suffix="html") == CATALOGUE_PAGE:  # before any file is made
        raise RenderError(Problem(
            *leaflet.where, f"leaflet id '{leaflet.id}' would write its web page over the "
            f"catalogue page ({CATALOGUE_PAGE})", "choose another id"))
    records = []
    for form in forms:
        kept = run.unchanged(form.name, form.key)
        if kept is not None:
            outcome.unchanged.append(kept.file)
            records.append(kept)
            continue
        built = make(leaflet, form)
        outcome.built.append(built)
        records.append(Record(built.path.name, leaflet.id, leaflet.language,
                              leaflet.translation is not None, form.variant,
                              run.options.grayscale, leaflet.governance.code,
                              leaflet.governance.version, leaflet.title,
                              run.source_file(leaflet), source, form.key, built.sha256,
                              built.pages, built.size))
    return records + _companions(run, leaflet, source, forms)


def _companions(run: Run, leaflet: Leaflet, source: str, forms: list[Format]) -> list[Record]:
    """The HTML and text companions of the formats built (companion/): written after
    their PDFs, atomically, and recorded in the manifest like them, so they are kept,
    replaced and removed by the same rules. One per language and size: a booklet and a
    greyscale PDF share the standard one."""
    records = []
    lang = leaflet.language if leaflet.translation else None
    for variant, overdue in dict.fromkeys((companion_variant(f.variant), f.overdue)
                                          for f in forms):
        made: dict[str, bytes] = {}
        for suffix in COMPANION_SUFFIXES:
            name = output_name(leaflet.id, lang, variant, suffix=suffix)
            key = build_key(source, {"companion": suffix, "variant": variant,
                                     "overdue": overdue})
            record = run.unchanged(name, key)
            if record is None:
                made = made or companion_files(leaflet, run.brand_of(leaflet), variant,
                                               overdue)
                data = made[suffix]
                write_atomic(data, run.out_dir / name)
                record = Record(name, leaflet.id, leaflet.language,
                                leaflet.translation is not None, variant, False,
                                leaflet.governance.code, leaflet.governance.version,
                                leaflet.title, run.source_file(leaflet), source, key,
                                hashlib.sha256(data).hexdigest(), 0, len(data))
            records.append(record)
    return records


def _failure(run: Run, leaflet: Leaflet, reason: str) -> Failure:
    gov = leaflet.governance
    return Failure(leaflet_key(leaflet), run.source_file(leaflet), reason, leaflet.title,
                   gov.code, gov.version)


def _rejected(catalogue: Catalogue, name: str, old: Manifest) -> Failure:
    """A leaflet whose file has errors: named by its id, or by its file if it has none.
    Its title and code come from its last good build, so the page can still list it."""
    source = catalogue.rejected.get(name)
    source_file = _relative(source, catalogue.path.parent) if source else name
    last = next((r for r in old.files if r.key == name or r.source_file == source_file), None)
    if last is not None:
        return Failure(name, source_file, ERROR, last.title, last.code, last.version)
    earlier = old.failure(name)
    if earlier is not None:
        return Failure(name, source_file, ERROR, earlier.title, earlier.code, earlier.version)
    return Failure(name, source_file, ERROR)


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


def _remove(names: list[str], out_dir: Path) -> list[Path]:
    """Remove these files of the output folder (never anything outside it)."""
    removed = []
    for name in names:
        path = out_dir / name
        if inside_folder(path, out_dir):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def inside_folder(path: Path, folder: Path) -> bool:
    """The entry itself (a link is not followed) sits in folder."""
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True


def _refuse_to_clean_content(content: Path, out_dir: Path) -> None:
    """--clean in a folder that holds the content would remove editors' files."""
    folder, out = content.resolve().parent, out_dir.resolve()
    if folder == out or out in folder.parents:
        raise OutputError(out_dir, "it holds the content being built, so --clean "
                          "could remove editors' files; build into a folder of its own")
