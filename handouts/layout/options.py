"""How one format of a leaflet is laid out: LayoutOptions, and the options of each variant."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..brand import Brand
    from .prepared import PreparedFor


@dataclass(frozen=True)
class LayoutOptions:
    body_size: float | None = None  # None: the brand's size; large print sets 18
    page_size: str | None = None  # None: the brand's; "A4", "Letter" or "A5"
    variant_label: str = ""  # printed after the version in the footer, e.g. "LP"
    overdue: bool = False  # print a "Review overdue" mark on every page
    grayscale: bool = False  # greys of the same luminance for colours, greyscale images
    prepared: PreparedFor | None = None  # a personalised copy: page 1's "Prepared for" block
    notes_pages: int = 0  # lined Notes pages at the end (a booklet's sheets filled)


def variant_options(variant: str, brand: Brand, page_size: str | None = None,
                    grayscale: bool = False, overdue: bool = False) -> LayoutOptions:
    """How a variant is laid out. Large print reflows the content at the brand's
    `sizes.large_print`; a booklet is laid out on A5 pages, imposed after rendering."""
    if variant == "large-print":
        return LayoutOptions(brand.size("large_print"), page_size, "LP", overdue, grayscale)
    if variant == "booklet":
        return LayoutOptions(None, "A5", "A5 booklet", overdue, grayscale)
    return LayoutOptions(None, page_size, "", overdue, grayscale)
