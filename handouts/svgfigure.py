"""Vector figures (SVG): read one safely, say what text it prints and how big, draw it.

- `read_svg(path) -> SvgFigure`, when the leaflet loads (validate and check too): the file
  must be a well-formed SVG that reaches nothing outside itself (no scripts, no external
  references, no embedded pictures, no entities). A problem is an `SvgError` holding
  file:line:col problems in the SVG file itself.
- `fit(figure, width, height, least_label)`: the one rule for the size a figure prints at,
  used by layout and by the `figure-text-size` check, so they agree.
- `drawing(figure, fonts, colours, grayscale)`: a ReportLab Drawing (through svglib) whose
  text is live text in the leaflet's own embedded fonts, in the brand's colours.

Brand colours: a colour written `var(--accent)` (any `colours.*` key of a brand) is the
brand's colour of that name, so one drawing prints in each brand's colours.
Text: every label is drawn in the leaflet's body font (bold for font-weight bold or 600+),
whatever font-family the file names: PDF/A and PDF/UA need embedded fonts, and the
leaflet's font is the one whose glyphs were checked. Labels in scripts whose letters must be
shaped or that run right to left (Arabic, Hebrew, Devanagari...) are refused: svglib draws
strings unshaped, which would print wrong words; such a figure keeps its labels in the
caption.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from . import filecache

# lxml is imported by the functions that parse a figure: a figure measured before is read
# from the file cache, and a cold `validate` then never loads it (4 ms).

MAX_BYTES = 2_000_000  # as for YAML files: a figure is a drawing, not a data dump
SVG_NS = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HREFS = ("{http://www.w3.org/1999/xlink}href", "href")
# Elements that run code, embed another document or a picture we cannot check, or (switch)
# that svglib resolves by the build machine's locale, which would make builds differ.
REFUSED = {
    "script": "an SVG figure may not hold scripts",
    "foreignObject": "an SVG figure may not embed HTML (foreignObject)",
    "image": "an SVG figure may not embed or link pictures: their text size and safety "
             "cannot be checked",
    "switch": "<switch> is chosen by the build machine's language, not the leaflet's",
    "iframe": "an SVG figure may not embed other documents",
    "video": "an SVG figure may not embed media",
    "audio": "an SVG figure may not embed media",
}
REFUSED_HINT = ("draw it with shapes and text only; name one SVG file per language "
                "(the translation's figure: names its own)")
PLACEHOLDER = re.compile(r"var\(\s*--([A-Za-z0-9_-]+)\s*\)")
URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)")
IMPORT = re.compile(r"@import", re.IGNORECASE)
LEAST_LABEL_PT = 12.0  # the body text floor (brand.MIN_BODY_PT): labels are read like text
LEAST_LARGE_LABEL_PT = 16.0  # large print's floor (layout/geometry.py LARGE_PRINT_PT)
LEAST_SCALE = 0.7  # a figure may shrink this much to fit the space left on a page
HEIGHT_SHARE = 0.6  # and takes at most this share of a page's text height


class SvgError(Exception):
    """Problems of one SVG file: (line, column, message, hint) each."""

    def __init__(self, path: Path, problems: list[tuple[int, int, str, str]]):
        super().__init__(problems[0][2])
        self.path, self.problems = path, problems


@dataclass(frozen=True)
class Label:
    text: str
    size: float  # pt, at the figure's own size (its width and height attributes)
    bold: bool
    line: int  # where its <text> element starts in the SVG file
    column: int


@dataclass(frozen=True)
class SvgFigure:
    path: Path
    width: float  # pt: the print size the file gives itself
    height: float
    labels: tuple[Label, ...]
    language: str | None  # the root's xml:lang or lang

    @property
    def smallest_label(self) -> Label | None:
        return min(self.labels, key=lambda label: label.size, default=None)


# ---- reading -----------------------------------------------------------------------

def is_svg(path: Path, head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return path.suffix.lower() == ".svg" or start.startswith((b"<?xml", b"<svg"))


def read_svg(path: Path) -> SvgFigure:
    """The figure's size and labels; SvgError when it is not a safe, well-formed SVG.
    A figure measured before is not measured again (filecache.py): measuring loads
    svglib and ReportLab, which `validate` otherwise never needs."""
    key = filecache.file_key(path, "svg")
    known = filecache.get(key)
    if known is not None:
        return _from_facts(path, known)
    figure = _measured(path)
    filecache.put(key, _facts(figure))
    return figure


def _facts(figure: SvgFigure) -> dict:
    return {"width": figure.width, "height": figure.height, "language": figure.language,
            "labels": [[label.text, label.size, label.bold, label.line, label.column]
                       for label in figure.labels]}


def _from_facts(path: Path, facts: dict) -> SvgFigure:
    labels = tuple(Label(text, size, bold, line, column)
                   for text, size, bold, line, column in facts["labels"])
    return SvgFigure(path, facts["width"], facts["height"], labels, facts["language"])


def _measured(path: Path) -> SvgFigure:
    root, source = _parse(path)
    problems = [*_refusals(root, source), *_colour_problems(root, source)]
    if problems:
        raise SvgError(path, problems)
    measured, lines = _render(root, path, _MeasureFonts(), None)
    if not (measured.width > 0 and measured.height > 0):
        raise SvgError(path, [(root.sourceline or 1, _column(source, root), "the SVG has no "
                               "size", "give its <svg> a width and height in pt or mm, or a "
                               "viewBox")])
    labels = tuple(_labels(measured, lines, source))
    problems = [p for label in labels for p in _unshapable(label)]
    if problems:
        raise SvgError(path, problems)
    language = root.get(XML_LANG) or root.get("lang")
    return SvgFigure(path, float(measured.width), float(measured.height), labels, language)


def _parse(path: Path):
    from lxml import etree
    if path.stat().st_size > MAX_BYTES:
        raise SvgError(path, [(1, 1, f"the SVG file is over {MAX_BYTES // 1_000_000} MB",
                               "simplify the drawing or save it as plain SVG")])
    data = path.read_bytes()
    # no network, no DTD loading, no entity expansion: the file can reach nothing else
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        message = re.sub(r",? ?\(?line \d+,? column \d+\)?", "", str(exc.msg or exc)).strip()
        raise SvgError(path, [(line, max(column, 1), f"the SVG file is not well-formed "
                               f"XML: {message}", "fix the file, or export it again "
                               "from the drawing program as plain SVG")]) from None
    source = data.decode("utf-8", "replace").splitlines()
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgError(path, [(root.sourceline or 1, 1, f"the file's root element is "
                               f"<{etree.QName(root).localname}>, not an SVG <svg>",
                               "name an SVG file (root <svg xmlns=\"http://www.w3.org/2000/"
                               "svg\">), or a PNG or JPEG image")])
    subset = root.getroottree().docinfo.internalDTD  # a DOCTYPE line: its [...] part
    if subset is not None and (list(subset.entities()) or list(subset.elements())):
        raise SvgError(path, [(1, 1, "the SVG file declares its own DTD or entities",
                               "remove the <!DOCTYPE ...> and any <!ENTITY> lines")])
    return root, source


def _refusals(root, source: list[str]):
    from lxml import etree
    for element in root.iter():
        if not isinstance(element.tag, str):  # an entity reference left unexpanded
            yield (element.sourceline or 1, 1, "the SVG file uses an XML entity",
                   "write the characters themselves instead of &name; entities")
            continue
        name = etree.QName(element).localname
        where = (element.sourceline or 1, _column(source, element))
        if name in REFUSED:
            yield (*where, REFUSED[name], REFUSED_HINT)
            continue
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                yield (*where, f"<{name}> has an event handler ({local}): an SVG figure may "
                       "not run scripts", "remove the attribute")
            elif attribute in HREFS and not value.strip().startswith("#"):
                yield (*where, f"<{name}> refers to '{_short(value)}' outside the file",
                       "keep everything the drawing uses inside the file (href=\"#id\")")
            else:
                yield from _style_problems(value, name, where)
        if name == "style" and element.text:
            yield from _style_problems(element.text, name, where)


def _style_problems(value: str, name: str, where):
    if IMPORT.search(value):
        yield (*where, f"<{name}> imports a style sheet from outside the file",
               "write the styles inside the SVG file")
    for target in URL.findall(value):
        if not target.startswith("#"):
            yield (*where, f"<{name}> refers to '{_short(target)}' outside the file",
                   "use only url(#id) references to things inside the file")


def _column(source: list[str], element) -> int:
    """The column of the element's start tag on its line (lxml gives the line only)."""
    from lxml import etree
    line = element.sourceline or 1
    text = source[line - 1] if 0 < line <= len(source) else ""
    found = text.find(f"<{etree.QName(element).localname}")
    if found < 0 and element.prefix:
        found = text.find(f"<{element.prefix}:")
    return found + 1 if found >= 0 else 1


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[:most - 3] + "..."


def _unshapable(label: Label):
    from .scripts import has_rtl, table  # scripts.yaml says which scripts need shaping
    scripts = table()
    names = {name for name in map(scripts.script_of, label.text) if name}
    hard = sorted(n for n in names if scripts.scripts[n].shaping or scripts.scripts[n].rtl)
    if hard or has_rtl(label.text):
        yield (label.line, label.column, f"the label '{_short(label.text)}' is in "
               f"{', '.join(hard) or 'a right-to-left script'} script, which the SVG renderer "
               "cannot shape or set right to left, so it would print wrong letters",
               "leave the text out of the drawing (numbers or letters as markers work) and "
               "name each part in the figure's caption")


# ---- measuring and drawing ---------------------------------------------------------

def _is_bold(weight) -> bool:
    weight = str(weight).strip().lower()
    return weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)


class _MeasureFonts:
    """svglib's font map, duck-typed: every family is one of two fonts. Measuring uses
    Helvetica for widths only; nothing measured is drawn."""

    regular, bold = "Helvetica", "Helvetica-Bold"

    def find_font(self, font_name, weight="normal", style="normal"):
        return (self.bold if _is_bold(weight) else self.regular), True


class _LeafletFonts(_MeasureFonts):
    def __init__(self, regular: str, bold: str):
        self.regular, self.bold = regular, bold


def _render(root, path: Path, fonts, colour_converter):
    """(Drawing, {id(String): source line}) through svglib, quiet and deterministic."""
    from svglib.svglib import Svg2RlgShapeConverter, SvgRenderer

    lines: dict[int, int] = {}

    class LineKeeper(Svg2RlgShapeConverter):
        def convertText(self, node):
            group = super().convertText(node)
            for string in group.contents:
                lines[id(string)] = node.sourceline or 1
            return group

    renderer = SvgRenderer(str(path), color_converter=colour_converter, font_map=fonts,
                           external_reference_root=str(path.parent))
    renderer.shape_converter = LineKeeper(str(path), renderer.attrConverter)
    logger = logging.getLogger("svglib.svglib")
    level, logger.level = logger.level, logging.ERROR  # unsupported attributes are ignored
    try:
        drawing = renderer.render(root)
    except Exception as exc:  # svglib raises what it meets; one bad figure is an error
        raise SvgError(path, [(1, 1, f"the SVG renderer cannot draw this file: {exc}",
                               "export it again as plain SVG")]) from None
    finally:
        logger.level = level
    return drawing, lines


def _strings(node, matrix=(1, 0, 0, 1, 0, 0)):
    """Every String in a Drawing with the transform that places it."""
    from reportlab.graphics.shapes import Group, String, mmult
    if isinstance(node, String):
        yield node, matrix
    elif isinstance(node, Group):
        inner = mmult(matrix, node.transform)
        for child in node.contents:
            yield from _strings(child, inner)


def _labels(drawing, lines: dict[int, int], source: list[str]):
    for string, (a, b, c, d, _, _) in _strings(drawing):
        if not string.text.strip():
            continue
        line = lines.get(id(string), 1)
        text = source[line - 1] if 0 < line <= len(source) else ""
        column = text.find("<text") + 1 or 1
        size = string.fontSize * math.sqrt(abs(a * d - b * c))
        yield Label(string.text.strip(), round(size, 3), string.fontName.endswith("Bold"),
                    line, column)


def _colour_problems(root, source: list[str]):
    """A `var(--name)` that is no brand colour, at its element."""
    from lxml import etree
    from .brand import SCHEMA  # the brand's colour roles: colours.<role>
    from .fields import did_you_mean
    known = sorted(key.split(".", 1)[1] for key in SCHEMA if key.startswith("colours."))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        values = list(element.attrib.values())
        if etree.QName(element).localname == "style":
            values.append(element.text or "")
        for name in sorted({n for v in values for n in PLACEHOLDER.findall(v)} - set(known)):
            yield (element.sourceline or 1, _column(source, element),
                   f"var(--{name}) is not a brand colour", did_you_mean(name, known)
                   .replace("allowed keys", "brand colours"))


def _with_colours(root, colours: dict[str, str]):
    """A copy of the tree with every var(--name) replaced by the brand's colour."""
    from lxml import etree
    copy = etree.fromstring(etree.tostring(root))

    def replace(value: str) -> str:
        return PLACEHOLDER.sub(lambda m: colours.get(m.group(1), m.group(0)), value)
    for element in copy.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if "var(" in value:
                element.set(attribute, replace(value))
        if etree.QName(element).localname == "style" and element.text:
            element.text = replace(element.text)
    return copy


def _grey_converter(colour):
    from reportlab.lib.colors import Color
    from .variants import grey
    red, green, blue = (max(0, min(255, round(v * 255))) for v in colour.rgb())
    level = int(grey(f"#{red:02x}{green:02x}{blue:02x}")[1:3], 16) / 255
    return Color(level, level, level, alpha=getattr(colour, "alpha", 1))


def drawing(figure: SvgFigure, fonts: dict, colours: dict[str, str], grayscale: bool):
    """The figure as a ReportLab Drawing at its own size, its text in `fonts` ('regular',
    'bold': registered ReportLab names) and var(--name) colours from `colours`. Drawn
    once per process for each file and look: svglib took 7 ms a figure, and every
    variant and translation of a leaflet draws the same one. A Drawing is only read when
    it is placed on a page, so one can serve them all."""
    # keyed by the file's identity too: a file edited while `serve` runs is drawn again
    return _drawing(figure, filecache.identity(figure.path), tuple(sorted(fonts.items())),
                    tuple(sorted(colours.items())), grayscale)


@lru_cache(maxsize=64)
def _drawing(figure: SvgFigure, _file: tuple | None, font_items: tuple, colour_items: tuple,
             grayscale: bool):
    """Kept between runs as a pickle (5 KB for igrt's; it loads in 0.3 ms): drawing it
    first loads svglib, about 50 ms of a cold build. Named by what it is drawn from."""
    look = repr((font_items, colour_items, grayscale)).encode()
    digest = sha256(figure.path.read_bytes() + b"\0" + look).hexdigest()[:24]
    return filecache.kept(f"svg-drawing-{filecache.stamp()}-{digest}.pickle",
                          lambda: _drawn(figure, font_items, colour_items, grayscale))


def _drawn(figure: SvgFigure, font_items: tuple, colour_items: tuple, grayscale: bool):
    fonts = dict(font_items)
    root, _ = _parse(figure.path)
    result, _ = _render(_with_colours(root, dict(colour_items)), figure.path,
                        _LeafletFonts(fonts["regular"], fonts["bold"]),
                        _grey_converter if grayscale else None)
    # ReportLab's renderer starts from a default font (Helvetica, never embedded): PDF/A
    # needs every font in the file embedded, so it starts from the leaflet's instead
    result.initialFontName = fonts["regular"]
    return result


# ---- size --------------------------------------------------------------------------

def least_label(body_size: float) -> float:
    """The smallest a label may print in a format whose body text is `body_size` pt: in
    large print the body size itself (a reader who needs 18 pt text needs 18 pt labels),
    never under its floor; else the body text floor."""
    if body_size >= LEAST_LARGE_LABEL_PT:
        return max(LEAST_LARGE_LABEL_PT, body_size)
    return LEAST_LABEL_PT


def fit(figure: SvgFigure, width: float, height: float, least_label: float
        ) -> tuple[float, float]:
    """(scale, least scale) for a figure in a column `width` x `height` pt.

    A figure prints at its own size, made larger when its smallest label would be under
    `least_label` there (large print) and smaller when it is wider than the column or
    taller than HEIGHT_SHARE of it. To fit the space left on a page it may shrink to the
    least scale, never so far that a label goes under `least_label` (it moves to the next
    page instead)."""
    room = min(width / figure.width, height * HEIGHT_SHARE / figure.height)
    smallest = figure.smallest_label
    needed = least_label / smallest.size if smallest else 0.0
    scale = min(room, max(1.0, needed))
    return scale, min(scale, max(needed, scale * LEAST_SCALE))
