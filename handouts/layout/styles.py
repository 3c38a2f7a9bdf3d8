"""Brand -> ReportLab paragraph styles and registered fonts.

The only place ReportLab style names and font registration appear. Sizes, leading and
spacing all derive from the brand's body size, so large print scales everything at once.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from io import BytesIO
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..brand import Brand
from ..fonts import FontFamily
from ..rlhooks import SYNTHETIC_BOLD, registered_face
from ..write import OutputError, write_atomic
from .geometry import footer_size


@lru_cache(maxsize=None)
def _register(path: Path) -> str:
    """Register a TrueType file once per process; returns its ReportLab font name.

    The name carries a hash of the file's bytes: two brands may each ship a different
    'Brand-Regular.ttf', and a name from the file name alone would make the second brand
    print in the first one's font (ReportLab keeps one font per name per process).
    """
    name = f"{path.stem}-{_digest(path)}"
    _register_as(name, path)
    return name


@lru_cache(maxsize=None)
def _synthetic_bold(path: Path) -> str:
    """The same file under a second name, which rlhooks draws in synthetic bold: a font
    with one weight printed inline **bold** as regular text, losing the editor's emphasis
    (the Chinese example's 纹身标记, seen in a page review)."""
    name = f"{_register(path)}-SyntheticBold"
    _register_as(name, path)  # the regular's face: one embedded subset for both
    SYNTHETIC_BOLD[name] = SYNTHETIC_BOLD_SHARE
    return name


def _register_as(name: str, path: Path) -> None:
    """ReportLab gives a new name the font first registered under the same PostScript
    name, whatever its file: a second brand's 'AtkinsonHyperlegible-Regular' printed in
    the first brand's (a damaged copy met earlier in the process did, in the tests). A
    face whose PostScript name another file has is named with its file's hash too."""
    font = TTFont(name, str(_unhinted(path)))
    other = registered_face(font.face.name)
    if other is not None and other.face.filename != font.face.filename:
        font.face.name += f"-{_digest(path)}".encode("ascii")
    pdfmetrics.registerFont(font)


@lru_cache(maxsize=None)
def _digest(path: Path) -> str:
    return sha256(path.read_bytes()).hexdigest()[:16]


HINTING = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX")  # tables only hinting reads
UNHINTED = "1"  # the version of _unhinted's rule: a change makes every copy again


def _unhinted(path: Path) -> Path:
    """A copy of a TrueType file without its hinting, which ReportLab then subsets and
    embeds: the instructions that snap outlines to a screen's pixel grid are ignored
    when printing, and half of an embedded subset (Atkinson Hyperlegible's, 8.8 KB
    compressed, is 4.8 KB without them). Outlines, metrics and the shaping tables are
    untouched. Made once per font into the file cache's folder; a collection (.ttc), or
    a font whose copy cannot be written, is embedded as it is."""
    if path.suffix.lower() != ".ttf":
        return path
    from fontTools import version as fonttools_version

    from ..filecache import folder
    where = (folder() or Path(tempfile.gettempdir()) / f"handouts-{os.getuid()}") / "unhinted"
    target = where / f"{_digest(path)}-{UNHINTED}-{fonttools_version}.ttf"
    if not target.is_file():
        try:  # whole or not at all: another process may be reading it
            write_atomic(_without_hinting(path), target, durable=False)
        except OutputError:
            return path
    return target


def _without_hinting(path: Path) -> bytes:
    from fontTools.ttLib import TTFont as FontFile
    font = FontFile(str(path), recalcTimestamp=False)  # the same bytes every time
    for tag in HINTING:
        if tag in font:
            del font[tag]
    glyphs = font["glyf"]
    for name in font.getGlyphOrder():
        glyphs[name].removeHinting()
    data = BytesIO()
    font.save(data)
    return data.getvalue()


def register_family(family: FontFamily) -> dict[str, str]:
    names = {style: _register(path) for style, path in family.files().items()}
    for style in ("bold", "bold_italic"):  # one file for every weight: draw bold in strokes
        if names[style] == names["regular"]:
            names[style] = _synthetic_bold(family.regular)
    pdfmetrics.registerFontFamily(names["regular"], normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    return names


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    list_body: ParagraphStyle
    label: ParagraphStyle
    card: ParagraphStyle
    callout_title: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle
    caption: ParagraphStyle
    small: ParagraphStyle
    reference: ParagraphStyle
    fonts: dict
    heading_fonts: dict
    scale: float
    footer_size: float

    def space(self, lines: float) -> float:
        """Vertical space as a fraction of the body line height."""
        return lines * self.body.leading


# Synthetic bold: the glyph outline stroked this share of the font size wide (half of it
# outside the glyph), about the extra weight of a bold face over a regular one.
SYNTHETIC_BOLD_SHARE = 0.04
# Arabic-script letters that start a line (an initial keheh, a kaf) draw up to about this
# share of the size past their advance, i.e. past the column's right edge (1.4 pt at
# 15.5 pt, seen in Urdu headings): right-aligned text is set in by it.
RTL_INK_OVERHANG = 0.1


def make_styles(brand: Brand, body_size: float | None = None, typeset=None) -> Styles:
    """`typeset` (layout.typeset.Typeset) gives the fonts and direction of the leaflet's
    script; without it, the brand's fonts set left-to-right text."""
    fonts = typeset.body.names if typeset else register_family(brand.body_font)
    heading_fonts = typeset.heading.names if typeset else register_family(brand.heading_font)
    alignment = TA_RIGHT if typeset and typeset.rtl else TA_LEFT
    word_wrap = "CJK" if typeset and typeset.cjk else None
    size = body_size or brand.size("body")
    scale = size / brand.size("body")
    leading = round(size * brand.size("leading"), 2)
    text, heading = HexColor(brand.colour("text")), HexColor(brand.colour("heading"))

    def style(name, **kw) -> ParagraphStyle:
        base = dict(fontName=fonts["regular"], fontSize=size, leading=leading, textColor=text,
                    alignment=alignment, wordWrap=word_wrap, bulletFontName=fonts["regular"],
                    uriWasteReduce=0.3,  # long URLs break after '/', '.', '-', not mid-word
                    allowWidows=0,
                    allowOrphans=0, spaceAfter=round(size * 0.55, 2))
        base.update(kw)
        if alignment == TA_RIGHT:  # the line's first letter's ink stays inside the column
            base["rightIndent"] = round(base["fontSize"] * RTL_INK_OVERHANG, 2)
        return ParagraphStyle(name, **base)

    def heading_style(name, pt):
        pt = pt * scale
        return style(name, fontName=heading_fonts["bold"], fontSize=pt, leading=pt * 1.22,
                     textColor=heading, spaceBefore=pt * 0.75, spaceAfter=pt * 0.4,
                     keepWithNext=1)

    footer = footer_size(brand, size)
    return Styles(
        body=style("Body"),
        title=heading_style("Title", brand.size("title")),
        subtitle=style("Subtitle", fontSize=size * 1.15, leading=size * 1.5, textColor=heading),
        h2=heading_style("Heading2", brand.size("h2")),
        h3=heading_style("Heading3", brand.size("h3")),
        list_body=style("ListBody", spaceAfter=round(size * 0.3, 2)),
        label=style("ListLabel", spaceAfter=0),
        card=style("Card", spaceAfter=round(size * 0.15, 2)),
        callout_title=style("CalloutTitle", fontName=heading_fonts["bold"],
                            spaceAfter=size * 0.3),
        cell=style("Cell", spaceAfter=0, leading=round(size * 1.3, 2)),
        header_cell=style("HeaderCell", fontName=fonts["bold"], spaceAfter=0,
                          leading=round(size * 1.3, 2), textColor=HexColor(brand.colour("accent_text"))),
        caption=style("Caption", fontSize=max(12, size * 0.9), leading=max(12, size * 0.9) * 1.35,
                      textColor=HexColor(brand.colour("muted"))),
        small=style("Small", fontSize=footer, leading=footer * 1.3,
                    textColor=HexColor(brand.colour("muted")), spaceAfter=0),
        reference=style("Reference", spaceAfter=round(size * 0.35, 2)),
        fonts=fonts, heading_fonts=heading_fonts, scale=scale, footer_size=footer,
    )
