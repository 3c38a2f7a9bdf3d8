"""Page furniture: the first-page header, and the footer on every page (geometry.py has the
paper and the column).

The footer (code, version, review dates, "Page N of M") is drawn by the canvas once the
page count is known; both header and footer are artifacts, never tagged content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, PageTemplate

from .geometry import LARGE_PRINT_PT, RULE_GAP, PageGeometry

from ..variants import grey_image

if TYPE_CHECKING:  # only named in annotations
    from ..brand import Brand
    from ..labels import Labels
    from ..model import Leaflet

OVERDUE_COLOUR = "#b00020"  # white text on it: 7.6:1


def page_templates(geo: PageGeometry, draw_header) -> list[PageTemplate]:
    def frame(first: bool) -> Frame:
        return Frame(geo.left, geo.bottom, geo.frame_width, geo.frame_height(first),
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                     id="first" if first else "body")
    return [PageTemplate("first", [frame(True)], onPage=draw_header, autoNextPageTemplate="later",
                         pagesize=geo.size),
            PageTemplate("later", [frame(False)], pagesize=geo.size)]


def _say(canvas, x: float, y: float, text: str, typeset, anchor: str = "left") -> None:
    """One line of furniture text at x (its left or right end): shaped and put in visual
    order by the leaflet's typeset, so Arabic labels join and run right to left."""
    if typeset is not None:
        text = typeset.visual(text, canvas._fontname, canvas._fontsize)
    (canvas.drawRightString if anchor == "right" else canvas.drawString)(x, y, text)


HEADER_LINE = 1.2  # header line spacing, as a multiple of each line's size


@dataclass(frozen=True)
class HeaderLine:
    text: str
    font: str
    size: float
    colour: str  # a brand colour key


def _logo_width(brand, reader) -> float:
    if reader is None:
        return 0.0
    iw, ih = reader.getSize()
    return brand["logo.height_mm"] * mm * iw / ih


def _wrapped(text: str, font: str, size: float, room: float, typeset) -> list[str]:
    """`text` in as few lines as fit `room` (a word longer than that keeps its own line),
    as even as they come: the narrowest room that needs no more lines ('Riverside
    University Hospitals NHS' over 'Trust' alone was seen on the A5 booklet's cover)."""
    def width(line: str) -> float:
        shown = typeset.visual(line, font, size) if typeset is not None else line
        return stringWidth(shown, font, size)

    def greedy(limit: float) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            if lines and width(f"{lines[-1]} {word}") <= limit:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines
    lines = greedy(room)
    if len(lines) < 2:
        return lines
    low, high = 0.0, room
    while high - low > 0.5:  # points
        middle = (low + high) / 2
        low, high = (low, middle) if len(greedy(middle)) <= len(lines) else (middle, high)
    return greedy(high)


def header_lines(brand, geo: PageGeometry, fonts: dict, scale: float, reader,
                 typeset=None) -> list[HeaderLine]:
    """The organisation, then the department, each wrapped to the room beside the logo
    (at large print on A5 the name did not fit one line, and ran over the logo)."""
    size = 13 * scale
    small = size * 0.85 if size < LARGE_PRINT_PT else max(size * 0.85, LARGE_PRINT_PT)
    room = geo.frame_width - _logo_width(brand, reader) - 4 * mm
    lines: list[HeaderLine] = []
    for text, font, line_size, colour in (
            (brand["organisation"], fonts["bold"], size, "heading"),
            (brand["department"], fonts["regular"], small, "muted")):
        lines.extend(HeaderLine(line, font, line_size, colour)
                     for line in _wrapped(text or "", font, line_size, room, typeset))
    return lines


def header_height(brand, lines: list[HeaderLine]) -> float:
    """The first page's header: the logo or the lines beside it, whichever is taller,
    then the rule and a gap."""
    # as header_painter sets them: the first baseline one size down, the next ones
    # HEADER_LINE apart, and the last line's descenders below it
    text = (lines[0].size + sum(line.size * HEADER_LINE for line in lines[1:])
            + lines[-1].size * 0.3) if lines else 0.0
    return max(brand["logo.height_mm"] * mm, text) + 8 * mm


def logo_reader(brand, grayscale: bool = False):
    """The logo, read once: a greyscale logo is an in-memory stream that can be read only
    once."""
    logo = brand["logo.file"]
    return ImageReader(grey_image(logo) if grayscale else logo) if logo else None


def header_painter(brand, geo: PageGeometry, lines: list[HeaderLine], reader, typeset=None):
    """The first page's header: logo, organisation and department, and a rule. A
    right-to-left leaflet mirrors it: logo on the right, names on the left."""
    rtl = bool(typeset and typeset.rtl)

    def draw(canvas, doc):
        canvas.saveState()
        width, height = geo.size
        top = height - geo.top
        logo_height = brand["logo.height_mm"] * mm
        right = width - geo.right
        if reader:
            logo_width = _logo_width(brand, reader)
            x = right - logo_width if rtl else geo.left
            canvas.drawImage(reader, x, top - logo_height, logo_width, logo_height, mask="auto")
        x, anchor = (geo.left, "left") if rtl else (right, "right")
        y = top
        for n, line in enumerate(lines):
            y -= line.size if n == 0 else line.size * HEADER_LINE
            canvas.setFont(line.font, line.size)
            canvas.setFillColor(HexColor(brand.colour(line.colour)))
            _say(canvas, x, y, line.text, typeset, anchor)
        canvas.setStrokeColor(HexColor(brand.colour("accent")))
        canvas.setLineWidth(1.5)
        rule_y = top - geo.header_height + 5 * mm
        canvas.line(geo.left, rule_y, right, rule_y)
        canvas.restoreState()
    return draw


def footer_painter(geo: PageGeometry, lines_left: list[str], fonts: dict, colours: dict,
                   size: float, labels, mark: str | None = None, typeset=None):
    """The footer: governance lines on the left, "Page N of M" on the right (the other
    way round for a right-to-left leaflet)."""
    rtl = bool(typeset and typeset.rtl)

    def draw(canvas, page: int, pages: int):
        canvas.saveState()
        width = geo.size[0]
        right = width - geo.right
        rule = geo.bottom - RULE_GAP
        canvas.setStrokeColor(HexColor(colours["rule"]))
        canvas.setLineWidth(0.6)
        canvas.line(geo.left, rule, right, rule)
        canvas.setFillColor(HexColor(colours["text"]))
        canvas.setFont(fonts["regular"], size)
        y = first = rule - size * 1.2
        for line in lines_left:
            _say(canvas, right if rtl else geo.left, y, line, typeset,
                 "right" if rtl else "left")
            y -= size * 1.3
        canvas.setFont(fonts["bold"], size)
        _say(canvas, geo.left if rtl else right, first,
             labels.format("page_of", page=page, pages=pages), typeset,
             "left" if rtl else "right")
        if mark:
            _overdue_mark(canvas, geo, fonts, mark, size, colours.get("mark", OVERDUE_COLOUR),
                          typeset)
        canvas.restoreState()
    return draw


def _overdue_mark(canvas, geo, fonts, text: str, size: float, colour: str,
                  typeset=None) -> None:
    """A boxed mark at the top right of every page: this leaflet is not current."""
    width, height = geo.size
    big = size * 1.6
    if typeset is not None:
        text = typeset.visual(text, fonts["bold"], big)
    text_width = stringWidth(text, fonts["bold"], big)
    x, y = width - geo.right - text_width - big, height - geo.top * 0.5 - big
    canvas.setFillColor(HexColor(colour))
    canvas.rect(x, y - big * 0.35, text_width + big, big * 1.5, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.setFont(fonts["bold"], big)
    canvas.drawString(x + big * 0.5, y + big * 0.05, text)


def fit_lines(parts: list[str], font: str, size: float, width: float,
              whole: tuple[str, ...] = (), column: float = 0.0) -> list[str]:
    """Join footer parts with ' | ' on as few lines as fit the width. A part wider than
    the whole `column` goes on two lines or more, broken at its spaces but never inside
    the texts in `whole` (its dates): Somali's 'Dib-u-eegiddii ugu dambeysay Janaayo 10,
    2026' ran past the column in A5 large print."""
    column = max(column, width)
    lines, current = [], ""
    for part in [piece for part in parts for piece in _broken_to_fit(part, font, size, column, whole)]:
        candidate = f"{current} | {part}" if current else part
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    return lines + ([current] if current else [])


def _broken_to_fit(text: str, font: str, size: float, width: float,
                   whole: tuple[str, ...]) -> list[str]:
    """`text` in pieces no wider than `width`, each as long as fits, broken only at
    spaces outside the `whole` texts (a piece that cannot be broken stays as it is)."""
    if stringWidth(text, font, size) <= width:
        return [text]
    kept = [match.span() for w in whole if w for match in re.finditer(re.escape(w), text)]
    breaks = [i for i, char in enumerate(text) if char == " "
              and not any(start <= i < end for start, end in kept)]
    fitting = [i for i in breaks if stringWidth(text[:i], font, size) <= width]
    at = fitting[-1] if fitting else (breaks[0] if breaks else None)
    if at is None:
        return [text]
    return [text[:at], *_broken_to_fit(text[at + 1:], font, size, width, whole)]

