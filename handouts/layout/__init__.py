"""Stage 3, lay out: (Leaflet, Brand, options) -> Story (flowables, pages, structure tree).

preflight.py holds every check that would stop a layout, and loads no ReportLab, so
`validate` and `check` import only it and options.py; story.py lays the leaflet out with
ReportLab. The names below come from those modules, story.py's when first asked for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .geometry import footer_parts
from .options import LayoutOptions, variant_options
from .preflight import checked_typeset, preflight

if TYPE_CHECKING:
    from .prepared import PreparedFor
    from .story import (Story, brand_card, contact_heading, governance_lines, lay_out,
                        reference_text)

__all__ = ["LayoutOptions", "PreparedFor", "Story", "brand_card", "checked_typeset",
           "contact_heading", "footer_parts", "governance_lines", "lay_out", "preflight",
           "reference_text", "variant_options"]


def __getattr__(name: str) -> Any:
    if name == "PreparedFor":
        from .prepared import PreparedFor
        return PreparedFor
    if name in __all__:
        from . import story
        return getattr(story, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
