"""Page geometry: paper, margins and the text column, for a brand at a body size.

Kept apart from page.py (the header and footer, drawn with ReportLab) so that `check`,
which sizes every figure for every format's column, loads no ReportLab: the measure's
width is the one fact that needs a font's metrics, and it is kept in the file cache.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import filecache

if TYPE_CHECKING:  # only named in annotations
    from ..brand import Brand
    from ..labels import Labels
    from ..model import Leaflet

# Points, computed as reportlab.lib.units and .pagesizes compute them (the same floats, to
# the last bit: a test compares them), without loading ReportLab for `validate`.
INCH = 72.0
mm = INCH / 2.54 * 0.1
PAGE_SIZES = {"A4": (210 * mm, 297 * mm), "Letter": (8.5 * INCH, 11 * INCH),
              "A5": (148 * mm, 210 * mm)}
LARGE_PRINT_PT = 16  # RNIB / UKAAF: large print is 16 pt or more
RULE_GAP = 8.0  # pt between the body column and the footer rule (it was 3 pt: crowded)
FOOTER_EDGE = 10 * mm  # the last footer line's descenders stay this far above the edge
# Ordinary leaflet English, our own words: its width per character (spaces included) is
# what "a line of N characters" means for the brand's measure.
MEASURE_SAMPLE = ("Your nurse will talk with you about the treatment, what it is for and how "
                  "you may feel afterwards. Please ask us if anything is not clear to you.")


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


def running_text_width(characters: float, font: str, size: float) -> float:
    """How wide `characters` characters of running text are in `font` (a registered
    ReportLab font name), spaces included."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return characters * stringWidth(MEASURE_SAMPLE, font, size) / len(MEASURE_SAMPLE)


def measure_width(brand: Brand, body_size: float) -> float:
    """The widest a line of body text may be: `page.measure` characters of running text
    in the brand's body font. Every script of the brand shares this column, so a
    translation lays out on the same page as its source. Kept in the file cache by the
    font file (the same number ReportLab gives, read back exactly)."""
    key = filecache.file_key(brand.body_font.regular,
                             f"measure {brand['page.measure']!r} {body_size!r}")
    known = filecache.get(key)
    if known is not None:
        return float(known)
    from .styles import register_family
    font = register_family(brand.body_font)["regular"]
    width = running_text_width(brand["page.measure"], font, body_size)
    filecache.put(key, width)
    return width


def footer_size(brand: Brand, body_size: float) -> float:
    """The footer scales with the body; in large print it is large print too, since
    everything on a large-print page, page numbers included, should be (UKAAF)."""
    size = brand.size("footer") * body_size / brand.size("body")
    return max(size, LARGE_PRINT_PT) if body_size >= LARGE_PRINT_PT else size


def geometry(brand: Brand, page_size: str | None, body_size: float | None = None,
             footer_lines: int = 2, footer_font: str | None = None) -> PageGeometry:
    """Page size and margins. The side margins grow, equally, until a body line is no
    longer than the brand's measure (clear-print guidance: 60-75 characters; A4 at 13 pt
    gave 85-90). The bottom margin grows to hold the gap above the footer rule and every
    footer line at least FOOTER_EDGE above the paper's edge (printers cannot reach the
    last 5 mm, and a line 6 mm from it looked cut off): the last line's descent is the
    footer font's own (Arabic-script faces reach further down than Latin ones)."""
    body_size = body_size or brand.size("body")
    size = PAGE_SIZES[page_size or brand["page.size"]]
    left, right = brand["page.margin_left_mm"] * mm, brand["page.margin_right_mm"] * mm
    spare = size[0] - left - right - measure_width(brand, body_size)
    if spare > 0:
        left, right = left + spare / 2, right + spare / 2
    footer = footer_size(brand, body_size)
    descent = max(0.3, -_descent(footer_font) / 1000 if footer_font else 0)
    return PageGeometry(
        size=size, left=left, right=right,
        top=brand["page.margin_top_mm"] * mm,
        bottom=max(brand["page.margin_bottom_mm"] * mm,
                   RULE_GAP + footer * (1.2 + 1.3 * (footer_lines - 1) + descent)
                   + FOOTER_EDGE),
        header_height=brand["logo.height_mm"] * mm + 8 * mm)


def _descent(font: str) -> float:
    from reportlab.pdfbase.pdfmetrics import getDescent  # a laid-out footer's own font
    return getDescent(font)


def footer_parts(leaflet: Leaflet, brand: Brand, labels: Labels,
                 variant_label: str = "") -> list[str]:
    """What every page's footer says: code and version (and format), the review dates and
    the brand's footer text; the HTML and text companions print the same facts."""
    gov = leaflet.governance
    code = f"{gov.code} v{gov.version}" + (f" {variant_label}" if variant_label else "")
    parts = [code, f"{labels['last_reviewed']} {labels.date(gov.last_reviewed)}",
             f"{labels['next_review']} {labels.date(gov.next_review)}"]
    if brand["footer_text"]:
        parts.append(brand["footer_text"])
    return parts
