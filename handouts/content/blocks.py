"""A block mapping (paragraph, bullets, steps, callout, table, figure, contact) -> model block."""
from __future__ import annotations

from pathlib import Path

from ..assets import image_problem
from ..svgfigure import SvgError, is_svg, read_svg
from ..fields import Reader, describe, did_you_mean
from ..inline import Rich, parse_inline
from ..links import contact_link_problem
from ..load import Map, Seq, inside
from ..model import (CALLOUT_KINDS, CONTACT_FIELDS, Bullets, Callout, Contact, Figure,
                     Paragraph, Steps, Table)

BLOCK_KEYS = {
    "paragraph": set(), "bullets": set(), "steps": set(),
    "callout": {"title", "text", "bullets"},
    "table": set(), "figure": {"alt", "caption", "decorative"}, "contact": set(),
}
TABLE_KEYS = {"header", "rows", "caption"}
CONTACT_KEYS = set(CONTACT_FIELDS)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def read_block(reader: Reader, items: Seq, index: int, node):
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
        cells = _cells(reader, row) if isinstance(row, Seq) else None
        if cells is None or len(cells) != len(header):
            if cells is not None or not isinstance(row, Seq):
                reader.error(table["rows"], i, f"row {i + 1} has "
                             f"{len(cells) if cells is not None else 'no list of'} cells but "
                             f"the header has {len(header)}", "give every row one cell per column")
            continue
        rows.append(tuple(parse_inline(c) for c in cells))
    if not header or not rows:
        return None
    return Table(header, tuple(rows), reader.text(table, "caption"), where)


MAX_NAME_BYTES = 255


def _figure_file(reader: Reader, node: Map, name: str) -> Path | None:
    """The image file a figure names, if it is a regular file inside the content folder.

    An absolute path, a climb out with '..' or a symlink to elsewhere would put any image
    the build machine can read into a PDF that is emailed to patients.
    """
    if not name:
        reader.error(node, "figure", "figure has no file name",
                     "write the image's file name after 'figure:', or remove the block")
        return None
    if "\0" in name or any(len(part.encode()) > MAX_NAME_BYTES for part in name.split("/")):
        reader.error(node, "figure", "the figure's file name is not a usable file name",
                     f"use a short name (at most {MAX_NAME_BYTES} bytes) with no null character")
        return None
    candidate = node.path.parent / name
    image = inside(candidate, node.root)
    if Path(name).is_absolute() or image is None:
        reader.error(node, "figure", f"image '{name}' is outside the content folder "
                     f"{node.root}", "copy the image into the content folder and name it "
                     "relative to the leaflet file")
        return None
    if image.exists() and not image.is_file():  # a folder, pipe or device: never read
        reader.error(node, "figure", f"image '{name}' is not a regular file",
                     "name a PNG or JPEG file")
        return None
    if not image.is_file():
        reader.error(node, "figure", f"image '{name}' not found (looked in {image.parent})",
                     "check the file name; it is relative to the leaflet file")
        return None
    return image


def _cells(reader: Reader, row: Seq) -> list[str] | None:
    """A row's cells as text; a list or mapping inside a cell is an error at that cell."""
    cells = []
    for index, cell in enumerate(row):
        if cell is not None and not isinstance(cell, str):
            reader.error(row, index, f"table cell {index + 1} holds {describe(cell)}, "
                         "not text", "write the cell as text; a cell cannot hold a list "
                         "(write 'Fatigue; hair loss' or use a separate bullets block)")
            return None
        cells.append(cell or "")
    return cells


def _figure(reader, node, where):
    name = reader.text(node, "figure")
    decorative = reader.typed(node, "decorative", bool, "true or false") or False
    alt = reader.text(node, "alt")
    if not alt and not decorative:
        reader.error(node, "figure", "figure has no alt text",
                     "add 'alt: ...' describing what the image shows, or "
                     "'decorative: true' if it carries no information", rule="alt-missing")
    if name is None:
        return None
    image = _figure_file(reader, node, name)
    if image is None:
        return None
    with open(image, "rb") as stream:
        head = stream.read(64)
    if is_svg(image, head):
        return _svg_figure(reader, node, image, alt, decorative, where)
    if not head.startswith(IMAGE_MAGIC):
        reader.error(node, "figure", f"'{name}' is not a PNG, JPEG or SVG image",
                     "save the image as SVG (drawings with labels), PNG or JPEG")
        return None
    problem = image_problem(image)
    if problem:
        reader.error(node, "figure", f"'{name}' {problem}",
                     "save the image again as a PNG or JPEG of a sensible size")
        return None
    if not alt and not decorative:
        return None
    return Figure(image, alt, reader.text(node, "caption"), decorative, where)


def _svg_figure(reader, node, image: Path, alt, decorative, where):
    """An SVG figure, read now so that a bad file is an error at its own line."""
    try:
        svg = read_svg(image)
    except SvgError as exc:
        for line, column, message, hint in exc.problems:
            reader.problems.add(exc.path, (line, column), message, hint)
        return None
    if not alt and not decorative:
        return None
    return Figure(image, alt, reader.text(node, "caption"), decorative, where, svg)


def _contact(reader, node, where):
    contact = reader.mapping(node, "contact", "'name:' and 'phone:' indented below 'contact:'")
    if contact is None:
        return None
    return read_contact(reader, contact, where)


def read_contact(reader: Reader, node: Map, where=None) -> Contact | None:
    """A contact card; its url and email become links, so they are checked here, at their
    own lines, by the same rule as the brand's (the phone needs the brand's region: layout)."""
    reader.check_keys(node, CONTACT_KEYS, ("name",), "contact")
    values = {k: reader.text(node, k) for k in CONTACT_KEYS}
    unsafe = False
    for key in ("url", "email"):
        found = contact_link_problem(key, values[key]) if values[key] else None
        if found:
            reader.error(node, key, f"contact {key}: {found[0]}", found[1])
            unsafe = True
    if not values["name"] or unsafe:
        return None
    marks = {k: (node.path, *node.mark_of(k)) for k in CONTACT_KEYS if k in node}
    return Contact(**values, where=where or (node.path, *node.mark), marks=marks)


_BLOCK_READERS = {
    "paragraph": _paragraph, "bullets": _list_block(Bullets, "bullets"),
    "steps": _list_block(Steps, "steps"), "callout": _callout, "table": _table,
    "figure": _figure, "contact": _contact,
}

