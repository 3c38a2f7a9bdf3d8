"""The online copy of a leaflet: a QR code on the last page, with the address beside it.

Only when the brand sets `online_url`. The QR code is a Figure with alt text and the
address a Link, so a screen reader announces both.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..brand import online_url, qr_length_problem
from ..errors import Problem, RenderError
from ..inline import parse_inline
from ..model import Leaflet
from ..outputs import leaflet_key
from ..pdf.tags import Element, Tagged
from .blocks import plain, rich
from .flowables import QrCode, side_by_side
from .markup import escape_markdown


def online_copy(leaflet: Leaflet, parent: Element, ctx) -> list:
    """The brand's online address for this leaflet as a QR code, the address beside it.

    Last in the story, so it lands on the last page; the QR code is a Figure with alt
    text and the address a Link, so both are read out.
    """
    parts = _parts(leaflet, parent, ctx, ctx.frame_width - QR_SIZE - ctx.styles.body.fontSize)
    if not parts:
        return []
    figure, words = parts
    gap = ctx.styles.body.fontSize
    rtl = ctx.typeset is not None and ctx.typeset.rtl  # the code goes on the leading side
    table = side_by_side([figure, words], [QR_SIZE + gap, ctx.frame_width - QR_SIZE - gap],
                         ctx.styles.list_body.fontName, rtl, "MIDDLE")
    return [Spacer(1, ctx.styles.space(0.6)), table]  # kept with the details (layout)


def online_column(leaflet: Leaflet, parent: Element, ctx, width: float) -> list:
    """The same, stacked in a column `width` wide: the QR code, then the address below
    it (beside the contact card, where the end matter has room for two columns)."""
    parts = _parts(leaflet, parent, ctx, width)
    if not parts:
        return []
    figure, words = parts
    return [figure, Spacer(1, ctx.styles.space(0.3)), *words]


QR_SIZE = 26 * mm  # with the gap beside it and the space around: a quiet zone of 4 modules


def _parts(leaflet: Leaflet, parent: Element, ctx, width: float):
    """The QR code (a Figure) and the words for it, or None when the brand has no
    online_url."""
    pattern = ctx.brand["online_url"]
    if not pattern:
        return None
    url = online_url(pattern, leaflet.governance.code, leaflet.id, leaflet_key(leaflet))
    too_long = qr_length_problem(url)
    if too_long:  # the pattern alone fitted (checked at load); this leaflet's code does not
        path, line, column = ctx.brand.where("online_url") or (ctx.brand.folder / "brand.yaml",
                                                                1, 1)
        raise RenderError(Problem(
            path, line, column, f"online_url: the address of leaflet '{leaflet.id}' {too_long}",
            "shorten the leaflet's governance code or the online_url pattern"))
    figure = Tagged(parent.add("Figure", alt=ctx.labels.format("qr_alt", url=url)),
                    QrCode(url, QR_SIZE), around=True)
    shown = url.split("://", 1)[1]  # printed as people type it; long ones break at its '/'
    words = [plain(ctx, ctx.labels["read_online"], parent, ctx.styles.callout_title),
             rich(ctx, parse_inline(f"[{escape_markdown(shown)}]({escape_markdown(url)})"),
                  parent, ctx.styles.list_body)]
    return figure, words
