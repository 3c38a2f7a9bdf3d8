"""The nurses' catalogue page: Catalogue + out/manifest.json -> out/index.html.

Takes the validated leaflets, the review date and the files the manifest lists as made
from each leaflet's current source (standard, translations, large print, booklet; see
outputs.py: a file in out/ that the manifest does not vouch for is never offered) and
gives a self-contained page: out/index.html, catalogue.css,
catalogue.js and thumbs/<id>.png. It needs no server and no network, so it opens straight
from a shared drive over file://. `page_data` reads out/ into plain frozen data,
`render_page` turns that into HTML (Jinja2, autoescaped), and `write_catalogue_page`, the
one call build.py makes, writes the files atomically. Leaflets whose files have errors are
listed too, marked as not available, so a nurse never finds a leaflet silently gone.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .content import Catalogue
from .errors import Problem
from .model import Leaflet
from .companion import companion_variant
from .outputs import (ERROR, KINDS, PDF, Current, Failure, Manifest, Record, current_files,
                      leaflet_key, tool_version)
from . import templating
from .review import review_status
from .write import OutputError, write_atomic, write_if_changed

SITE = Path(__file__).parent / "site"
ASSETS = {"site.css": "catalogue.css", "site.js": "catalogue.js"}  # site/ name -> out/ name
THUMB_WIDTH = 240  # pixels; shown at half that, so it stays sharp on dense screens
Written = tuple[Path | None, list[Problem]]  # the page written (None: not), problems met


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, as in the file name or the leaflet
    name: str  # in English, for staff: "Spanish"
    native: str  # in the language itself, for the patient: "español"
    direction: str  # "ltr" or "rtl"
    key: str  # what the language filter matches: the tag without its region


@dataclass(frozen=True)
class Review:
    state: str  # "current", "due-soon", "overdue" (review.py), or "error": not built
    label: str
    detail: str
    next_review: dt.date | None


@dataclass(frozen=True)
class FileLink:
    name: str
    kind: str
    label: str  # "Standard", "Large print", "Booklet", each maybe ", greyscale"
    language: Language
    translation: bool
    grey: bool
    pages: int
    size: int
    title: str | None = None  # a translation's own title, in its language
    stale_from: str | None = None  # a translation made from an older version of the leaflet
    web: str | None = None  # its HTML companion (companion/), when current

    @property
    def href(self) -> str:
        return quote(self.name)

    @property
    def web_href(self) -> str | None:
        return quote(self.web) if self.web else None


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    subtitle: str | None
    summary: str | None
    code: str
    version: str
    owner: str
    specialty: str | None
    keywords: tuple[str, ...]
    languages: tuple[Language, ...]  # the leaflet's own first, then its translations
    review: Review
    files: tuple[FileLink, ...]  # empty when nothing may be printed
    unavailable: str | None  # why nothing is offered, for the nurse
    thumbnail: str | None  # href of thumbs/<id>.png
    translated: tuple[str, ...] = ()  # offered translations' titles, summaries, keywords

    @property
    def language_keys(self) -> str:
        """The filter's keys, space-separated (Jinja's map filter took 0.5 ms an entry)."""
        return " ".join(language.key for language in self.languages)

    @property
    def pages(self) -> int | None:
        return self.files[0].pages if self.files else None

    @property
    def search_text(self) -> str:
        return " ".join(filter(None, [self.title, self.subtitle, self.code, self.id,
                                      self.specialty, *self.keywords, self.summary,
                                      *self.translated]))


@dataclass(frozen=True)
class Page:
    entries: tuple[Entry, ...]
    languages: tuple[tuple[str, str], ...]  # filter options: (key, name)
    specialties: tuple[str, ...]
    built_on: str
    due_soon_days: int | None  # checks.review-due-soon (None: off)


def review(next_review: dt.date, on: dt.date, lead_days: int | None) -> Review:
    state, when = review_status(next_review, on, lead_days), long_date(next_review)
    label, detail = {"overdue": ("Overdue", f"review was due {when}"),
                     "due-soon": ("Review due soon", f"review by {when}"),
                     "current": ("Current", f"next review {when}")}[state]
    return Review(state, label, detail, next_review)


def long_date(day: dt.date) -> str:
    return format_date(day, format="long", locale="en_GB")


def language(tag: str) -> Language:
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return Language(tag, tag, tag, "ltr", tag)
    key = "-".join(filter(None, [locale.language, locale.script]))
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return Language(tag, locale.get_display_name("en") or tag,
                    locale.get_display_name(locale) or tag, direction, key)


WebPages = dict[tuple[str, str], str]  # (leaflet key, companion variant) -> its .html


def web_pages(records: Iterable[Record]) -> WebPages:
    """The current HTML companions among `records`, by what they accompany."""
    return {(r.key, r.variant): r.file for r in records if r.suffix == "html"}


def file_link(record: Record, own: Language, translation: Leaflet | None,
              web: WebPages | None = None) -> FileLink:
    label = {"standard": "Standard", "large-print": "Large print", "booklet": "Booklet"}
    about = translation.translation if translation else None
    return FileLink(record.file, record.variant,
                    label[record.variant] + (", greyscale" if record.grayscale else ""),
                    language(record.language) if record.translation else own,
                    record.translation, record.grayscale, record.pages, record.size,
                    translation.title if translation else None,
                    about.source_version if about and about.stale else None,
                    (web or {}).get((record.key, companion_variant(record.variant))))


def _file_order(link: FileLink) -> tuple:
    return (link.translation, link.language.name.casefold(), KINDS.index(link.kind), link.grey)


def _unavailable(leaflet: Leaflet, status: Review, failed: bool, built: bool,
                 files: list) -> str | None:
    """Why nothing of this leaflet may be printed, or None when its files are offered.
    An overdue leaflet is offered only when this very build issued it (--allow-overdue):
    a copy left in out/ by an earlier build lacks the "Review overdue" mark."""
    if status.state == "overdue" and not built:
        return ("Not available for printing: this leaflet is past its review date. "
                f"Ask the owner ({leaflet.governance.owner}) for the reviewed version.")
    if failed:
        return ("Not available for printing: the last build of this leaflet failed. "
                "Ask the patient information team.")
    if not files:
        return "Not available for printing: this leaflet has not been built yet."
    return None


def entry(leaflet: Leaflet, records: list[Record], status: Review, failed: set[str],
          built: set[str], translations: list[Leaflet], web: WebPages | None = None
          ) -> Entry:
    """One leaflet's line in the catalogue, offering `records`: its current files and its
    translations'. Nothing of a failed or refused leaflet is offered."""
    own = language(leaflet.language)
    by_lang = {t.language.lower(): t for t in translations}
    files = sorted((file_link(r, own, by_lang.get(r.language.lower()) if r.translation
                              else None, web) for r in records), key=_file_order)
    unavailable = _unavailable(leaflet, status, leaflet.id in failed, leaflet.id in built,
                               files)
    shown_files = tuple(files) if unavailable is None else ()
    languages = {own.tag: own, **{f.language.tag: f.language for f in shown_files}}
    shown = [by_lang[f.language.tag.lower()] for f in shown_files
             if f.translation and f.language.tag.lower() in by_lang]
    translated = tuple(dict.fromkeys(text for t in shown for text in (
        t.title, t.subtitle, t.summary, *t.keywords) if text))
    gov = leaflet.governance
    return Entry(leaflet.id, leaflet.title, leaflet.subtitle, leaflet.summary, gov.code,
                 gov.version, gov.owner, leaflet.specialty, leaflet.keywords,
                 tuple(languages.values()), status, shown_files, unavailable,
                 f"thumbs/{quote(leaflet.id)}.png" if shown_files else None, translated)


def broken_entry(name: str, last: Failure | None, own: Language) -> Entry:
    """A leaflet whose file has errors: still listed, so the nurse sees it is missing
    rather than finding it gone. Title and code are from its last good build."""
    title = last.title if last and last.title else name
    review = Review("error", "Not available", "build error", None)
    return Entry(name, title, None, None, (last and last.code) or "unknown",
                 (last and last.version) or "unknown", "", None, (), (own,), review, (),
                 "Not available for printing: build error. The leaflet file has mistakes "
                 "and was not built; ask the patient information team.", None)


def page_data(catalogue: Catalogue, out_dir: Path, on: dt.date, manifest: Manifest,
              current: Current, built: Iterable[str] = (),
              due_soon_days: int | None = None) -> Page:
    """What the page shows: one Entry per leaflet, sorted by title, offering only the
    files the manifest lists as current. `built` are the ids this very build issued."""
    translations: dict[str, list[Leaflet]] = {}
    failed = {f.key for f in manifest.failed if f.reason == ERROR}
    for translated in catalogue.translations:
        if leaflet_key(translated) not in failed:
            translations.setdefault(translated.id, []).append(translated)
    built = set(built)
    entries = []
    for l in catalogue.leaflets:
        files = [r for x in (l, *translations.get(l.id, []))
                 for r in current_files(manifest, x, current, out_dir)]
        entries.append(entry(l, [r for r in files if r.suffix == PDF],
                             review(l.governance.next_review, on, due_soon_days), failed,
                             built, translations.get(l.id, []), web_pages(files)))
    default = language(catalogue.defaults.language if catalogue.defaults else "en-GB")
    entries += [broken_entry(name, manifest.failure(name), default)
                for name in catalogue.rejected]
    entries.sort(key=lambda e: (e.title.casefold(), e.id))
    languages = {l.key: language(l.key).name for e in entries for l in e.languages}
    specialties = sorted({e.specialty for e in entries if e.specialty}, key=str.casefold)
    return Page(tuple(entries), tuple(sorted(languages.items(), key=lambda kv: kv[1])),
                tuple(specialties), long_date(on), due_soon_days)


@functools.cache
def environment() -> jinja2.Environment:
    """The environment of the site's templates: the catalogue page and the desk's pages
    (serve.py), made once a process."""
    return templating.environment(SITE)


def render_page(page: Page) -> str:
    template = environment().get_template("index.html.j2")
    return template.render(page=page)


def thumbnail(pdf_path: Path) -> bytes:
    """Page 1 as PNG bytes; the same PDF gives the same bytes. pdfium loads only when a
    thumbnail is drawn: a build with nothing changed draws none."""
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        page = pdf[0]
        image = page.render(scale=THUMB_WIDTH / page.get_width()).to_pil()
    finally:
        pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # optimize=True took 19 ms and made it larger
    return buffer.getvalue()


def write_thumbnail(pdf: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_mtime_ns >= pdf.stat().st_mtime_ns:
        return  # made from this very file already: rendering again gives the same bytes
    write_atomic(thumbnail(pdf), target)


def write_files(page: Page, out_dir: Path) -> Path:
    """Thumbnails, CSS and JS first, the page last, so it never links to a missing file.
    A file already as it would be written is not written again."""
    for item in page.entries:
        if item.thumbnail:
            write_thumbnail(out_dir / item.files[0].name, out_dir / "thumbs" / f"{item.id}.png")
    for source, name in ASSETS.items():
        write_if_changed((SITE / source).read_bytes(), out_dir / name)
    target, key = out_dir / "index.html", _page_key(page)
    if _key_of(target) == key:
        return target  # made from this very page data by this very code, and intact
    html = render_page(page)
    doctype, rest = html.split("\n", 1)
    mark = f"{KEY_MARK}{key} {_sha256(rest)} -->"
    return write_atomic(f"{doctype}\n{mark}\n{rest}".encode("utf-8"), target)


KEY_MARK = "<!-- page key: "  # the page's second line: its key and the hash of the rest


def _page_key(page: Page) -> str:
    """A hash of all the template is given (every field of the page, in its repr) and of
    the code and templates (tool_version): rendering a thousand entries took 0.3 to 0.6 s
    of a no-change rebuild, for the same bytes."""
    return _sha256(f"{tool_version()}\n{page!r}")


def _key_of(page_file: Path) -> str | None:
    """The key the page file was written with, if the file is still as written."""
    try:
        doctype, mark, rest = page_file.read_text(encoding="utf-8").split("\n", 2)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    found = mark[len(KEY_MARK):].split(" ") if mark.startswith(KEY_MARK) else []
    return found[0] if len(found) == 3 and found[1] == _sha256(rest) else None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()



def _pdfium_error() -> type[Exception]:
    import pypdfium2  # asked for only once something was raised: a no-change build loads no pdfium
    return pypdfium2.PdfiumError


def write_catalogue_page(catalogue: Catalogue, out_dir: Path, on: dt.date,
                         manifest: Manifest, current: Current, built: Iterable[str] = (),
                         due_soon_days: int | None = None) -> Written:
    """Write the page into out/: its path (None if not written) and the problems met.
    A disk or PDF failure is returned as a problem, never raised, so the build reports it."""
    if catalogue.defaults is None:
        return None, []  # the catalogue itself is broken: keep the last good page
    out_dir = Path(out_dir)
    try:
        page = page_data(catalogue, out_dir, on, manifest, current, built, due_soon_days)
        return write_files(page, out_dir), []
    except (OSError, OutputError, jinja2.TemplateError, _pdfium_error()) as exc:
        return None, [Problem(out_dir / "index.html", 1, 1,
                              f"could not write the catalogue page: {exc}",
                              "check that the output folder is writable and has space, "
                              "then build again")]
