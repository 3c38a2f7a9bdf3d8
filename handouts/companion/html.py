"""The HTML companion: a Document -> one self-contained, semantic, responsive page.

One file, nothing beside it: the stylesheet is inlined (allowed by its hash in the page's
Content-Security-Policy, which forbids every script and every remote load) and images
are data: URIs, so the page can be emailed, saved on a phone or opened from a shared
drive and still shows everything, and the manifest's sha256 of that one file vouches for
all of it. Every value from content goes through Jinja2's autoescaping; links are
written only when links.py allows them, as the PDF's are.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import re
from pathlib import Path

import jinja2
import markupsafe
from lxml import etree
from PIL import Image

from ..brand import MIN_CONTRAST, Brand, contrast_ratio, luminance
from .. import templating
from ..inline import parse_inline
from ..links import link_problem
from ..model import Block, Bullets, Callout, Contact, Figure, Paragraph, Steps, Table
from ..svgfigure import _parse as parse_svg, _with_colours as svg_with_colours
from . import LARGE_PRINT
from .document import Document

HERE = Path(__file__).parent
PX_PER_PT = 4 / 3  # CSS: 1pt = 1/72 in, 1px = 1/96 in
LEAST_BODY_PX = 16.0  # body text is never smaller on screen
CALLOUT_KINDS = ("info", "warning", "urgent")


# ---- colours ------------------------------------------------------------------------

def readable(foreground: str, background: str, least: float = MIN_CONTRAST) -> str:
    """`foreground`, or the nearest colour towards black (on a light background) or white
    (on a dark one) that reaches `least` contrast on `background` (WCAG 2.x AA). The
    brand checks its own pairs when it loads; the page sets some colours on others."""
    if contrast_ratio(foreground, background) >= least:
        return foreground
    target = (0, 0, 0) if luminance(background) > 0.18 else (255, 255, 255)
    start = [int(foreground[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 21):
        mixed = [round(c + (t - c) * step / 20) for c, t in zip(start, target)]
        colour = "#" + "".join(f"{c:02x}" for c in mixed)
        if contrast_ratio(colour, background) >= least:
            return colour
    return "#000000" if target == (0, 0, 0) else "#ffffff"


def palette(brand: Brand) -> dict[str, str]:
    """Every colour the stylesheet uses, each text colour readable on what it sits on."""
    colour = brand.colour
    page = colour("background")
    colours = {"bg": page, "text": readable(colour("text"), page),
               "heading": readable(colour("heading"), page),
               "link": readable(colour("link"), page), "muted": readable(colour("muted"), page),
               "accent": colour("accent"),
               "accent-text": readable(colour("accent_text"), colour("accent")),
               "stripe": colour("table_stripe"),
               "stripe-text": readable(colour("text"), colour("table_stripe")),
               "stripe-link": readable(colour("link"), colour("table_stripe")),
               "overdue": readable(colour("urgent_bar"), page)}
    for kind in CALLOUT_KINDS:
        back = colour(f"{kind}_background")
        colours.update({f"{kind}-bg": back, f"{kind}-bar": colour(f"{kind}_bar"),
                        f"{kind}-text": readable(colour("text"), back),
                        f"{kind}-heading": readable(colour("heading"), back),
                        f"{kind}-link": readable(colour("link"), back)})
    return colours


# ---- the stylesheet -------------------------------------------------------------------

_FAMILY = re.compile(r"^[A-Za-z0-9 _-]{1,64}$")  # a name safe inside CSS quotes


def stylesheet(doc: Document) -> str:
    """companion.css with the brand's colours, sizes and font as custom properties."""
    brand = doc.brand
    body_pt = brand.size("large_print" if doc.variant == LARGE_PRINT else "body")
    body_px = max(LEAST_BODY_PX, body_pt * PX_PER_PT)
    ratio = {f"{name}": brand.size(name) / brand.size("body") for name in ("title", "h2", "h3")}
    family = doc.brand.body_font.name
    fonts = (f'"{family}", ' if _FAMILY.match(family) else "") + \
        'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
    values = {**palette(brand), "body-size": f"{body_px:.2f}px",
              "title-size": f"{ratio['title']:.3f}em", "h2-size": f"{ratio['h2']:.3f}em",
              "h3-size": f"{ratio['h3']:.3f}em", "leading": f"{brand.size('leading'):.2f}"}
    props = "".join(f"--{name}:{value};" for name, value in values.items())
    return f":root{{{props}--font:{fonts};}}\n" + _css()


@functools.cache
def _css() -> str:
    return (HERE / "companion.css").read_text(encoding="utf-8")


# ---- images -----------------------------------------------------------------------------

def image_uri(block: Figure, brand: Brand) -> str:
    """The figure as a data: URI: an SVG with the brand's colours filled in (an <img>
    never runs an SVG's scripts, and read_svg refused any when it loaded), or the PNG
    or JPEG file's own bytes."""
    if block.svg is not None:
        root, _ = parse_svg(block.image)
        colours = {key.split(".", 1)[1]: value for key, value in brand.values
                   if key.startswith("colours.") and value}
        data = etree.tostring(svg_with_colours(root, colours), encoding="utf-8")
        return _data_uri("image/svg+xml", data)
    return _raster_uri(Path(block.image))


def _raster_uri(path: Path) -> str:
    with Image.open(path) as image:
        kind = (image.format or "PNG").lower()
    return _data_uri(f"image/{'jpeg' if kind in ('jpeg', 'jpg', 'mpo') else 'png'}",
                     path.read_bytes())


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def logo(brand: Brand) -> tuple[str, str, float] | None:
    """(data URI, alt text, height in px) of the brand's logo, or None."""
    path = brand["logo.file"]
    if not path:
        return None
    height = min(64.0, float(brand["logo.height_mm"]) * 96 / 25.4)
    return _raster_uri(Path(path)), brand["logo.alt"] or "", height


# ---- the page ---------------------------------------------------------------------------

def safe_href(href: str | None) -> str | None:
    """The link target when links.py allows it (as for the PDF), else None: no link."""
    return href if href and link_problem(href) is None else None


def block_kind(block: Block) -> str:
    return {Paragraph: "paragraph", Bullets: "bullets", Steps: "steps", Callout: "callout",
            Table: "table", Figure: "figure", Contact: "contact"}[type(block)]


@functools.cache
def environment() -> jinja2.Environment:
    env = templating.environment(HERE)
    env.filters["safe_href"] = safe_href
    env.filters["inline"] = parse_inline
    env.globals["block_kind"] = block_kind
    return env


def render_html(doc: Document) -> str:
    # The stylesheet is ours: companion.css and values checked when the brand loaded
    # (#rrggbb colours, numbers, a font name matching _FAMILY). It is not escaped, so
    # the hash in the Content-Security-Policy is the hash of the very text in <style>.
    css = stylesheet(doc)
    if "<" in css:  # never: nothing in it can close its <style>
        raise ValueError("the companion stylesheet holds a '<'")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return environment().get_template("leaflet.html.j2").render(
        d=doc, css=markupsafe.Markup(css), style_hash=f"sha256-{digest}", logo=logo(doc.brand),
        figure_uri=lambda block: image_uri(block, doc.brand), uid=_ids())


def _ids():
    """Ids unique within one page, the same on every build: table-1, table-2..."""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}-{next(counter)}"
