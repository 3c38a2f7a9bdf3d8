"""Companions of every PDF: an accessible web page (`.html`) and a plain-text version
(`.txt`) of the same leaflet, for patients reading on a phone or in an email.

`companion_files` is the one call build.py makes. The companions are made from the same
validated model and the same labels and brand texts as the PDF (document.py), never
from the PDF itself. A booklet and a greyscale PDF share the standard companion (a web
page has no paper and keeps the brand's colours); large print has its own, at the large
print body size.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: importing this package loads no layout library
    from ..brand import Brand
    from ..model import Leaflet

SUFFIXES = ("html", "txt")
LARGE_PRINT = "large-print"


def companion_variant(variant: str) -> str:
    """The companion a PDF of `variant` gets: large print its own, the others standard."""
    return LARGE_PRINT if variant == LARGE_PRINT else "standard"


def companion_files(leaflet: Leaflet, brand: Brand, variant: str, overdue: bool
                    ) -> dict[str, bytes]:
    """suffix ('html', 'txt') -> the bytes of that companion; the same input, the same
    bytes."""
    from .document import document
    from .html import render_html
    from .text import render_text
    doc = document(leaflet, brand, companion_variant(variant), overdue)
    return {"html": render_html(doc).encode("utf-8"), "txt": render_text(doc).encode("utf-8")}
