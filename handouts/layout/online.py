"""The online copy of a leaflet: a QR code on the last page, with the address beside it.

Only when the brand sets `online_url`. The QR code is a Figure with alt text and the
address a Link, so a screen reader announces both.
"""
from __future__ import annotations

import re

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Spacer, Table as RLTable, TableStyle

from ..brand import online_url, qr_length_problem
from ..errors import Problem, RenderError
from ..inline import parse_inline
from ..model import Leaflet
from ..pdf.tags import Element, Tagged
from .blocks import plain, rich
from .flowables import QrCode
from .markup import escape_markdown


def online_copy(leaflet: Leaflet, parent: Element, ctx) -> list:
    """The brand's online address for this leaflet as a QR code, the address beside it.

    Last in the story, so it lands on the last page; the QR code is a Figure with alt
    text and the address a Link, so both are read out.
    """
    pattern = ctx.brand["online_url"]
    if not pattern:
        return []
    url = online_url(pattern, leaflet.governance.code, leaflet.id)
    too_long = qr_length_problem(url)
    if too_long:  # the pattern alone fitted (checked at load); this leaflet's code does not
        path, line, column = ctx.brand.where("online_url") or (ctx.brand.folder / "brand.yaml",
                                                                1, 1)
        raise RenderError(Problem(
            path, line, column, f"online_url: the address of leaflet '{leaflet.id}' {too_long}",
            "shorten the leaflet's governance code or the online_url pattern"))
    size = 26 * mm  # the gap and the spacer above give the quiet zone of 4 modules
    figure = Tagged(parent.add("Figure", alt=ctx.labels.format("qr_alt", url=url)),
                    QrCode(url, size), around=True)
    gap = ctx.styles.body.fontSize
    width = ctx.frame_width - size - gap
    style = ctx.styles.list_body
    short = _break_url(url.split("://", 1)[1], style.fontName, style.fontSize, width)
    words = [plain(ctx, ctx.labels["read_online"], parent, ctx.styles.callout_title),
             rich(ctx, parse_inline(f"[{escape_markdown(short)}]({escape_markdown(url)})"), parent,
                  style)]
    rtl = ctx.typeset is not None and ctx.typeset.rtl  # the code goes on the leading side
    cells, widths = ([words, figure], [width, size + gap]) if rtl else \
        ([figure, words], [size + gap, width])
    table = RLTable([cells], colWidths=widths, hAlign="LEFT", style=TableStyle([
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("ALIGN", (0, 0), (-1, -1), "RIGHT" if rtl else "LEFT"),
                        ("FONT", (0, 0), (-1, -1), style.fontName),  # else Helvetica, unembedded
                        *[(side, (0, 0), (-1, -1), 0) for side in (
                            "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]]))
    return [Spacer(1, ctx.styles.space(0.6)), KeepTogether([table])]


def _break_url(text: str, font: str, size: float, width: float) -> str:
    """Spaces after '/' or '.' where the address must wrap to fit `width`: ReportLab will
    not break a linked word by itself, so a long address would run off the page."""
    pieces = re.findall(r"[^/.]*[/.]|[^/.]+$", text)
    lines = [""]
    for piece in pieces:
        if lines[-1] and stringWidth(lines[-1] + piece, font, size) > width:
            lines.append("")
        lines[-1] += piece
    return " ".join(lines)
