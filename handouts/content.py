"""Stage 2, validate: content.yaml and leaflet files -> Catalogue of frozen Leaflets.

Every problem in every file is collected (never just the first). A leaflet with errors is
left out of `Catalogue.leaflets` and its problems are kept in `Catalogue.problems`, so one
bad leaflet never stops the others.
"""
from __future__ import annotations

import datetime as dt
import glob
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, HandoutsError, Problem, Problems
from .fields import Reader, did_you_mean
from .inline import ALLOWED_SCHEMES, Rich, link_scheme, parse_inline
from .load import Map, Seq, read_yaml
from .model import (CALLOUT_KINDS, Bullets, Callout, Contact, Figure, Governance, Leaflet,
                    Paragraph, Reference, Section, Steps, Table)

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8})*$")
VAGUE_LINK_TEXT = {"click here", "here", "this link", "link", "more", "read more", "this page",
                   "click", "this", "website"}

CATALOGUE_KEYS = {"defaults", "leaflets", "translations", "checks"}
DEFAULT_KEYS = {"template", "language", "review_interval_months"}
LEAFLET_KEYS = {"id", "title", "subtitle", "summary", "language", "template", "specialty",
                "keywords", "governance", "sections", "references", "variants"}
EXTRA_VARIANTS = ("large-print", "booklet")  # formats a leaflet can ask for besides its PDF
GOVERNANCE_KEYS = {"code", "version", "author", "owner", "approved_by", "approval_date",
                   "published", "last_reviewed", "next_review"}
GOVERNANCE_REQUIRED = ("code", "version", "author", "owner", "published", "last_reviewed")
SECTION_KEYS = {"heading", "blocks", "sections"}
REFERENCE_KEYS = {"id", "citation", "url", "accessed"}
BLOCK_KEYS = {
    "paragraph": set(), "bullets": set(), "steps": set(),
    "callout": {"title", "text", "bullets"},
    "table": set(), "figure": {"alt", "caption", "decorative"}, "contact": set(),
}
TABLE_KEYS = {"header", "rows", "caption"}
CONTACT_KEYS = {"name", "phone", "email", "hours", "address", "url", "note"}
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class Defaults:
    template: str
    language: str = "en-GB"
    review_interval_months: int = 36


@dataclass
class Catalogue:
    """The result of reading content: the good leaflets and every problem found."""

    path: Path
    defaults: Defaults | None
    leaflets: list[Leaflet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # ids (or files) left out for errors
    checks: Map | None = None  # the raw `checks:` settings, read by check.py
    translations: list[Leaflet] = field(default_factory=list)  # each with .translation set
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> `variants:`

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# ---- the catalogue -----------------------------------------------------------------------

def load_catalogue(path: Path) -> Catalogue:
    """Read content.yaml and every leaflet it names; never raises for bad content."""
    path = Path(path)
    try:
        root = read_yaml(path)
    except HandoutsError as exc:
        return Catalogue(path, None, problems=exc.problems, failed=[str(path)])
    problems = Problems()
    reader = Reader(problems)
    if not isinstance(root, Map):
        problems.add(path, None, "content.yaml should be a mapping with 'defaults' and "
                     "'leaflets'", "see README.md, 'Content format'")
        return Catalogue(path, None, problems=problems.items, failed=[str(path)])
    reader.check_keys(root, CATALOGUE_KEYS, ("defaults", "leaflets"), "content.yaml")
    defaults = _read_defaults(reader, root)
    catalogue = Catalogue(path, defaults, checks=reader.mapping(root, "checks"))
    entries = reader.seq(root, "leaflets") or []
    if defaults is None:
        catalogue.problems = problems.items
        catalogue.failed.append(str(path))
        return catalogue
    for index, entry in enumerate(entries):
        _load_entry(reader, entries, index, entry, catalogue)
    _reject_duplicates(catalogue, problems)
    from .translations import load_translations  # it reuses this module's readers
    load_translations(reader, reader.seq(root, "translations") or [], catalogue)
    catalogue.problems = problems.items + catalogue.problems
    return catalogue


def _read_defaults(reader: Reader, root: Map) -> Defaults | None:
    node = reader.mapping(root, "defaults")
    if node is None:
        return None
    reader.check_keys(node, DEFAULT_KEYS, ("template",), "defaults")
    language = _language(reader, node, "language") or "en-GB"
    interval = reader.number(node, "review_interval_months", 1, 60, int) or 36
    template = reader.text(node, "template")
    return Defaults(template, language, interval) if template else None


def _load_entry(reader: Reader, entries: Seq, index: int, entry, catalogue: Catalogue):
    base = catalogue.path.parent
    if isinstance(entry, Map):
        _add_leaflet(entry, catalogue)
    elif isinstance(entry, str):
        matches = sorted(glob.glob(str(base / entry), recursive=True))
        if not matches:
            reader.error(entries, index, f"no leaflet file matches '{entry}'",
                         "check the path; it is relative to content.yaml")
        for match in matches:
            try:
                node = read_yaml(Path(match))
            except HandoutsError as exc:
                catalogue.problems.extend(exc.problems)
                catalogue.failed.append(match)
                continue
            _add_leaflet(node, catalogue)
    else:
        reader.error(entries, index, "each item of 'leaflets' should be a file path, a glob "
                     "or a leaflet mapping", "write '- leaflets/*.yaml'")


def _add_leaflet(node, catalogue: Catalogue) -> None:
    problems = Problems()
    leaflet = read_leaflet(node, catalogue.defaults, problems)
    variants = read_variants(node, problems) if isinstance(node, Map) else ()
    catalogue.problems.extend(problems.items)
    if leaflet is None or problems.errors:
        catalogue.failed.append(node.get("id", str(node.path)) if isinstance(node, Map)
                                else str(catalogue.path))
    else:
        catalogue.leaflets.append(leaflet)
        if variants:
            catalogue.variants.setdefault(leaflet.id, variants)


def read_variants(node: Map, problems: Problems) -> tuple[str, ...]:
    """A leaflet's `variants:` list: the extra formats built with every plain build."""
    reader = Reader(problems)
    names = reader.text_list(node, "variants") or []
    wanted: list[str] = []
    for index, name in enumerate(names):
        if name == "standard":
            reader.error(node["variants"], index, "'standard' is always built",
                         "list only the extra formats: " + ", ".join(EXTRA_VARIANTS))
        elif name not in EXTRA_VARIANTS:
            hint = did_you_mean(name, EXTRA_VARIANTS)
            if not hint.startswith("did you mean"):
                hint = "the variants are " + " and ".join(EXTRA_VARIANTS)
            reader.error(node["variants"], index, f"unknown variant '{name}'", hint)
        elif name not in wanted:
            wanted.append(name)
    return tuple(wanted)


def _reject_duplicates(catalogue: Catalogue, problems: Problems) -> None:
    """Two leaflets that would write the same file: both are refused."""
    seen: dict[str, Leaflet] = {}
    keep = []
    for leaflet in catalogue.leaflets:
        key = leaflet.id.lower()  # out/Igrt.pdf and out/igrt.pdf collide on some disks
        if key in seen:
            first = seen[key]
            path, line, col = leaflet.where
            problems.add(path, (line, col), f"duplicate leaflet id '{leaflet.id}': "
                         f"{first.where[0]}:{first.where[1]} also writes out/{key}.pdf",
                         "give each leaflet its own id")
            catalogue.failed.append(leaflet.id)
        else:
            seen[key] = leaflet
            keep.append(leaflet)
    catalogue.leaflets = keep


# ---- one leaflet -------------------------------------------------------------------------

def read_leaflet(node, defaults: Defaults, problems: Problems) -> Leaflet | None:
    """Validate one leaflet mapping. Returns None when it is too broken to build."""
    reader = Reader(problems)
    if not isinstance(node, Map):
        problems.add(getattr(node, "path", Path("?")), getattr(node, "mark", None),
                     "a leaflet should be a mapping of keys", "start with 'id: my-leaflet'")
        return None
    reader.check_keys(node, LEAFLET_KEYS, ("id", "title", "governance", "sections"), "leaflet")
    leaflet_id = reader.text(node, "id")
    if leaflet_id and not SLUG.match(leaflet_id):
        reader.error(node, "id", f"id '{leaflet_id}' is not a slug",
                     "use lower-case letters, digits and '-', e.g. 'igrt' or 'knee-surgery'")
    references = _references(reader, node)
    governance = _governance(reader, node, defaults)
    sections = _sections(reader, node, "sections", 2)
    ref_ids = {r.id for r in references}
    leaflet = Leaflet(
        id=leaflet_id or "", title=reader.text(node, "title") or "",
        language=_language(reader, node, "language") or defaults.language,
        template=reader.text(node, "template") or defaults.template,
        governance=governance, sections=tuple(sections), references=tuple(references),
        subtitle=reader.text(node, "subtitle"), summary=reader.text(node, "summary"),
        specialty=reader.text(node, "specialty"),
        keywords=tuple(reader.text_list(node, "keywords") or ()),
        where=(node.path, *node.mark))
    for text, where in leaflet.rich_texts():
        _check_rich(problems, text, where, ref_ids)
    if problems.errors or governance is None or not leaflet_id:
        return None
    return leaflet


def _language(reader: Reader, node: Map, key: str) -> str | None:
    value = reader.text(node, key)
    if value and not BCP47.match(value):
        reader.error(node, key, f"'{value}' is not a BCP 47 language tag",
                     "write e.g. en-GB, en-US, es, ar or zh-Hans")
        return None
    return value


def _governance(reader: Reader, node: Map, defaults: Defaults) -> Governance | None:
    gov = reader.mapping(node, "governance")
    if gov is None:
        return None
    reader.check_keys(gov, GOVERNANCE_KEYS, GOVERNANCE_REQUIRED, "governance")
    texts = {k: reader.text(gov, k) for k in ("code", "version", "author", "owner", "approved_by")}
    dates = {k: reader.date(gov, k) for k in
             ("published", "last_reviewed", "next_review", "approval_date")}
    if not all(texts[k] for k in ("code", "version", "author", "owner")) or \
            not (dates["published"] and dates["last_reviewed"]):
        return None
    next_review = dates["next_review"] or add_months(dates["last_reviewed"],
                                                      defaults.review_interval_months)
    if next_review <= dates["last_reviewed"]:
        reader.error(gov, "next_review", "next_review is not after last_reviewed",
                     "set a next review date after the last review")
    marks = {k: gov.mark_of(k) for k in gov}
    marks["governance"] = gov.mark
    return Governance(code=texts["code"], version=texts["version"], author=texts["author"],
                      owner=texts["owner"], published=dates["published"],
                      last_reviewed=dates["last_reviewed"], next_review=next_review,
                      next_review_given=dates["next_review"] is not None,
                      approved_by=texts["approved_by"], approval_date=dates["approval_date"],
                      marks=marks)


def _sections(reader: Reader, node: Map, key: str, level: int) -> list[Section]:
    items = reader.seq(node, key) or []
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, Map):
            reader.error(items, index, "a section should be a mapping",
                         "write '- heading: ...' with 'blocks:' below it")
            continue
        allowed = SECTION_KEYS if level < 3 else SECTION_KEYS - {"sections"}
        reader.check_keys(item, allowed, ("heading",), "section")
        blocks = [b for b in (_block(reader, item["blocks"], i, b)
                              for i, b in enumerate(reader.seq(item, "blocks") or []))
                  if b is not None]
        subsections = _sections(reader, item, "sections", level + 1) if level < 3 else []
        result.append(Section(reader.text(item, "heading") or "", level, tuple(blocks),
                              tuple(subsections), (item.path, *item.mark)))
    return result


def _references(reader: Reader, node: Map) -> list[Reference]:
    result, seen = [], set()
    items = reader.seq(node, "references") or []
    for index, item in enumerate(items):
        if not isinstance(item, Map):
            reader.error(items, index, "a reference should be a mapping",
                         "write '- id: ...' with 'citation: ...' below it")
            continue
        reader.check_keys(item, REFERENCE_KEYS, ("id", "citation"), "reference")
        ref_id, url = reader.text(item, "id"), reader.text(item, "url")
        if ref_id in seen:
            reader.error(item, "id", f"reference id '{ref_id}' is used twice",
                         "give each reference its own id")
        seen.add(ref_id)
        if url and link_scheme(url) not in ("http", "https"):
            reader.error(item, "url", f"reference url '{url}' is not an http(s) address",
                         "write the full address, starting https://")
        citation = reader.text(item, "citation")
        if ref_id and citation:
            result.append(Reference(ref_id, parse_inline(citation), url,
                                    reader.date(item, "accessed"), (item.path, *item.mark)))
    return result


def _check_rich(problems: Problems, text: Rich, where, ref_ids: set[str]) -> None:
    path, line, col = where
    for span in text.links():
        scheme = link_scheme(span.href)
        if scheme not in ALLOWED_SCHEMES:
            problems.add(path, (line, col), f"link '{span.href}' uses "
                         f"{'no scheme' if not scheme else repr(scheme + ':')}, which is not allowed",
                         "links must start with https://, http://, mailto: or tel:")
        if span.text.strip().lower().rstrip(".") in VAGUE_LINK_TEXT:
            problems.add(path, (line, col), f"link text '{span.text}' does not make sense "
                         "on its own", "say where the link goes, e.g. 'RadiologyInfo IGRT page'",
                         severity="warning")
    for lang in text.languages():
        if not BCP47.match(lang):
            problems.add(path, (line, col), f"'{lang}' in {{lang={lang}}} is not a BCP 47 "
                         "language tag", "write e.g. {lang=es}, {lang=en-GB} or {lang=ar}")
    for ref in text.citations():
        if ref not in ref_ids:
            problems.add(path, (line, col), f"citation [@{ref}] names no reference",
                         did_you_mean(ref, ref_ids) if ref_ids else
                         "add it under 'references:' with this id")


# ---- blocks ------------------------------------------------------------------------------

def _block(reader: Reader, items: Seq, index: int, node):
    if not isinstance(node, Map) or not node:
        reader.error(items, index, "a block should be a mapping such as '- paragraph: ...'",
                     "start the block with its type: " + ", ".join(BLOCK_KEYS))
        return None
    kind = next(iter(node))
    if kind not in BLOCK_KEYS:
        reader.error(node, kind, f"unknown block type '{kind}'",
                     did_you_mean(kind, BLOCK_KEYS), key=True)
        return None
    reader.check_keys(node, {kind} | BLOCK_KEYS[kind], (), f"{kind} block")
    return _BLOCK_READERS[kind](reader, node, (node.path, *node.mark))


def _rich(reader: Reader, node: Map, key: str) -> Rich | None:
    text = reader.text(node, key)
    return parse_inline(text) if text else None


def _rich_list(reader: Reader, node: Map, key: str) -> tuple[Rich, ...]:
    return tuple(parse_inline(t) for t in (reader.text_list(node, key) or []))


def _paragraph(reader, node, where):
    text = _rich(reader, node, "paragraph")
    if text is None:
        reader.error(node, "paragraph", "empty paragraph", "write the text after 'paragraph:'")
        return None
    return Paragraph(text, where)


def _list_block(cls, key):
    def read(reader, node, where):
        items = _rich_list(reader, node, key)
        if not items:
            reader.error(node, key, f"'{key}' has no items", "write one '- item' per line")
            return None
        return cls(items, where)
    return read


def _callout(reader, node, where):
    kind = reader.choice(node, "callout", CALLOUT_KINDS)
    text, items = _rich(reader, node, "text"), _rich_list(reader, node, "bullets")
    if not text and not items:
        reader.error(node, "callout", "callout has neither 'text' nor 'bullets'",
                     "add 'text: ...' or 'bullets: [...]' below 'callout:'")
    if kind is None or (not text and not items):
        return None
    keys = list(node)
    text_after = bool(text and items) and keys.index("bullets") < keys.index("text")
    return Callout(kind, reader.text(node, "title"), text, items, where, text_after)


def _table(reader, node, where):
    table = reader.mapping(node, "table", "'header:' and 'rows:' indented below 'table:'")
    if table is None:
        return None
    reader.check_keys(table, TABLE_KEYS, ("header", "rows"), "table")
    header = _rich_list(reader, table, "header")
    rows = []
    for i, row in enumerate(reader.seq(table, "rows") or []):
        cells = [str(c) if c is not None else "" for c in row] if isinstance(row, Seq) else None
        if cells is None or len(cells) != len(header):
            reader.error(table["rows"], i, f"row {i + 1} has "
                         f"{len(cells) if cells is not None else 'no list of'} cells but the "
                         f"header has {len(header)}", "give every row one cell per column")
            continue
        rows.append(tuple(parse_inline(c) for c in cells))
    if not header or not rows:
        return None
    return Table(header, tuple(rows), reader.text(table, "caption"), where)


def _figure(reader, node, where):
    name = reader.text(node, "figure")
    decorative = reader.typed(node, "decorative", bool, "true or false") or False
    alt = reader.text(node, "alt")
    if not alt and not decorative:
        reader.error(node, "figure", "figure has no alt text",
                     "add 'alt: ...' describing what the image shows, or "
                     "'decorative: true' if it carries no information")
    if not name:
        return None
    image = (node.path.parent / name).resolve()
    if not image.is_file():
        reader.error(node, "figure", f"image '{name}' not found (looked in {image.parent})",
                     "check the file name; it is relative to the leaflet file")
        return None
    with open(image, "rb") as stream:
        head = stream.read(8)
    if not head.startswith(IMAGE_MAGIC):
        reader.error(node, "figure", f"'{name}' is not a PNG or JPEG image",
                     "save the image as PNG or JPEG")
        return None
    if not alt and not decorative:
        return None
    return Figure(image, alt, reader.text(node, "caption"), decorative, where)


def _contact(reader, node, where):
    contact = reader.mapping(node, "contact", "'name:' and 'phone:' indented below 'contact:'")
    if contact is None:
        return None
    return read_contact(reader, contact, where)


def read_contact(reader: Reader, node: Map, where=None) -> Contact | None:
    reader.check_keys(node, CONTACT_KEYS, ("name",), "contact")
    values = {k: reader.text(node, k) for k in CONTACT_KEYS}
    if not values["name"]:
        return None
    return Contact(**values, where=where or (node.path, *node.mark))


_BLOCK_READERS = {
    "paragraph": _paragraph, "bullets": _list_block(Bullets, "bullets"),
    "steps": _list_block(Steps, "steps"), "callout": _callout, "table": _table,
    "figure": _figure, "contact": _contact,
}


def load_leaflet_file(path: Path, defaults: Defaults) -> Leaflet:
    """Read one leaflet file on its own; raises ContentError listing every problem."""
    problems = Problems()
    leaflet = read_leaflet(read_yaml(path), defaults, problems)
    problems.raise_if_errors(ContentError)
    return leaflet
