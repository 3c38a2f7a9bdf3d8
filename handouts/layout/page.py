"""Page geometry and furniture: the first-page header, and the footer on every page.

The footer (code, version, review dates, "Page N of M") is drawn by the canvas once the
page count is known; both header and footer are artifacts, never tagged content.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, PageTemplate

PAGE_SIZES = {"A4": A4, "Letter": LETTER, "A5": A5}


@dataclass(frozen=True)
class PageGeometry:
    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    header_height: float

    @property
    def frame_width(self) -> float:
        return self.size[0] - self.left - self.right

    def frame_height(self, first: bool) -> float:
        return self.size[1] - self.top - self.bottom - (self.header_height if first else 0)


def geometry(brand, page_size: str | None, scale: float) -> PageGeometry:
    logo_height = brand["logo.height_mm"] * mm
    return PageGeometry(
        size=PAGE_SIZES[page_size or brand["page.size"]],
        left=brand["page.margin_left_mm"] * mm, right=brand["page.margin_right_mm"] * mm,
        top=brand["page.margin_top_mm"] * mm,
        bottom=max(brand["page.margin_bottom_mm"] * mm, brand.size("footer") * scale * 4.2),
        header_height=logo_height + 8 * mm)


def page_templates(geo: PageGeometry, draw_header) -> list[PageTemplate]:
    def frame(first: bool) -> Frame:
        return Frame(geo.left, geo.bottom, geo.frame_width, geo.frame_height(first),
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                     id="first" if first else "body")
    return [PageTemplate("first", [frame(True)], onPage=draw_header, autoNextPageTemplate="later",
                         pagesize=geo.size),
            PageTemplate("later", [frame(False)], pagesize=geo.size)]


def header_painter(brand, geo: PageGeometry, fonts: dict, scale: float):
    """The first page's header: logo, organisation and department, and a rule."""
    def draw(canvas, doc):
        canvas.saveState()
        width, height = geo.size
        top = height - geo.top
        logo_height = brand["logo.height_mm"] * mm
        x = geo.left
        if brand["logo.file"]:
            reader = ImageReader(brand["logo.file"])
            iw, ih = reader.getSize()
            logo_width = logo_height * iw / ih
            canvas.drawImage(reader, x, top - logo_height, logo_width, logo_height, mask="auto")
            x += logo_width + 4 * mm
        canvas.setFillColor(HexColor(brand.colour("heading")))
        size = 13 * scale
        canvas.setFont(fonts["bold"], size)
        right = width - geo.right
        canvas.drawRightString(right, top - size, brand["organisation"])
        if brand["department"]:
            canvas.setFont(fonts["regular"], size * 0.85)
            canvas.setFillColor(HexColor(brand.colour("muted")))
            canvas.drawRightString(right, top - size * 2.2, brand["department"])
        canvas.setStrokeColor(HexColor(brand.colour("accent")))
        canvas.setLineWidth(1.5)
        rule_y = top - logo_height - 3 * mm
        canvas.line(geo.left, rule_y, right, rule_y)
        canvas.restoreState()
    return draw


def footer_painter(geo: PageGeometry, lines_left: list[str], fonts: dict, colours: dict,
                   size: float, labels, mark: str | None = None):
    """The footer: governance lines on the left, "Page N of M" on the right."""
    def draw(canvas, page: int, pages: int):
        canvas.saveState()
        width = geo.size[0]
        right = width - geo.right
        top = geo.bottom - size * 1.2
        canvas.setStrokeColor(HexColor(colours["rule"]))
        canvas.setLineWidth(0.6)
        canvas.line(geo.left, top + size * 0.6, right, top + size * 0.6)
        canvas.setFillColor(HexColor(colours["text"]))
        canvas.setFont(fonts["regular"], size)
        y = top - size * 0.6
        for line in lines_left:
            canvas.drawString(geo.left, y, line)
            y -= size * 1.3
        canvas.setFont(fonts["bold"], size)
        canvas.drawRightString(right, top - size * 0.6, labels.format("page_of", page=page,
                                                                     pages=pages))
        if mark:
            _overdue_mark(canvas, geo, fonts, mark, size)
        canvas.restoreState()
    return draw


def _overdue_mark(canvas, geo, fonts, text: str, size: float) -> None:
    """A boxed mark at the top right of every page: this leaflet is not current."""
    width, height = geo.size
    big = size * 1.6
    text_width = stringWidth(text, fonts["bold"], big)
    x, y = width - geo.right - text_width - big, height - geo.top * 0.5 - big
    canvas.setFillColor(HexColor("#b00020"))
    canvas.rect(x, y - big * 0.35, text_width + big, big * 1.5, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.setFont(fonts["bold"], big)
    canvas.drawString(x + big * 0.5, y + big * 0.05, text)


def fit_lines(parts: list[str], font: str, size: float, width: float) -> list[str]:
    """Join footer parts with ' | ' on as few lines as fit the width."""
    lines, current = [], ""
    for part in parts:
        candidate = f"{current} | {part}" if current else part
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    return lines + ([current] if current else [])
