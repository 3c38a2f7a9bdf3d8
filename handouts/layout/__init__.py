"""Stage 3, lay out: (Leaflet, Brand, options) -> Story (flowables, pages, structure tree).

Builds the logical structure (Document > H1, H2/H3, P, L, Table, Figure...) in reading
order while it creates the flowables, so tagging is part of layout, not bolted on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from ..brand import Brand
from ..inline import parse_inline
from ..labels import Labels
from ..model import Contact, Leaflet, Section
from ..pdf.tags import Element, StructureLog, Tagged
from . import page
from .blocks import BUILDERS, contact, list_items, plain, rich
from .markup import plain_markup
from .styles import Styles, make_styles


@dataclass(frozen=True)
class LayoutOptions:
    body_size: float | None = None  # None: the brand's size; large print sets 18
    page_size: str | None = None  # None: the brand's; "A4", "Letter" or "A5"
    variant_label: str = ""  # printed after the version in the footer, e.g. "LP"
    overdue: bool = False  # print a "Review overdue" mark on every page


@dataclass
class Context:
    """What block builders need: styles, brand, labels and where tags go."""

    styles: Styles
    brand: Brand
    labels: Labels
    log: StructureLog
    numbers: dict[str, int]
    frame_width: float
    frame_height: float


@dataclass
class Story:
    flowables: list
    templates: list
    log: StructureLog
    geometry: page.PageGeometry
    footer: object
    initial_font: str
    extra: dict = field(default_factory=dict)


def lay_out(leaflet: Leaflet, brand: Brand, options: LayoutOptions = LayoutOptions()) -> Story:
    styles = make_styles(brand, options.body_size)
    labels = Labels(leaflet.language)
    geo = page.geometry(brand, options.page_size, styles.scale)
    root = Element("Document", lang=leaflet.language)
    ctx = Context(styles, brand, labels, StructureLog(root), leaflet.citation_numbers(),
                  geo.frame_width, geo.frame_height(False))
    flowables = [*_title_block(leaflet, root, ctx)]
    for section in leaflet.sections:
        flowables.extend(_section(section, root, ctx))
    flowables.extend(_references(leaflet, root, ctx))
    flowables.extend(_end_matter(leaflet, root, ctx))
    header = page.header_painter(brand, geo, styles.heading_fonts, styles.scale)
    footer = page.footer_painter(
        geo, _footer_lines(leaflet, brand, styles, labels, options, geo), styles.fonts,
        {"text": brand.colour("text"), "rule": brand.colour("muted")},
        brand.size("footer") * styles.scale, labels,
        labels["review_overdue"] if options.overdue else None)
    return Story(flowables, page.page_templates(geo, header), ctx.log, geo, footer,
                 styles.fonts["regular"])


def _heading(text: str, level: int, parent: Element, ctx: Context, style) -> list:
    """A heading that never strands: it starts a new page unless a few lines fit below it."""
    flowable = Tagged(parent.add(f"H{level}"), Paragraph(plain_markup(text), style),
                      outline=(text, level - 1))
    need = style.leading * 2 + style.spaceBefore + ctx.styles.body.leading * 3
    return [CondPageBreak(need), flowable]


def _title_block(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    styles = ctx.styles
    title = _heading(leaflet.title, 1, root, ctx, styles.title)[1:]  # no break on page 1
    flowables = [*title]
    if leaflet.subtitle:
        flowables.append(plain(ctx, leaflet.subtitle, root, styles.subtitle))
    if leaflet.summary:
        flowables.append(rich(ctx, parse_inline(leaflet.summary), root, styles.body))
    return flowables


def _section(section: Section, parent: Element, ctx: Context) -> list:
    style = ctx.styles.h2 if section.level == 2 else ctx.styles.h3
    group = parent.add("Sect")
    flowables = _heading(section.heading, section.level, group, ctx, style)
    for block in section.blocks:
        flowables.extend(BUILDERS[type(block)](block, group, ctx))
    for sub in section.sections:
        flowables.extend(_section(sub, group, ctx))
    return flowables


def _references(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    """The numbered References list: L > LI > (Lbl "1.", LBody > Reference)."""
    if not leaflet.references:
        return []
    group = root.add("Sect")
    flowables = _heading(ctx.labels["references"], 2, group, ctx, ctx.styles.h2)
    texts, numbers = [], []
    for number, ref in leaflet.ordered_references():
        source = ref.citation.source
        if ref.url:
            source += f" [{_escape_md(ref.url)}]({ref.url})"
        if ref.accessed:
            source += f" ({ctx.labels['accessed']} {ctx.labels.date(ref.accessed)})"
        texts.append(parse_inline(source))
        numbers.append(f"{number}.")
    items = list_items(texts, numbers, group, ctx, "Decimal", body_role="Reference")
    return [*flowables, *items]


def _escape_md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\*_[]()`<>" else ch for ch in text)


def _end_matter(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    """Contact us, other formats and languages, feedback, disclaimer, about this leaflet."""
    brand, labels, styles = ctx.brand, ctx.labels, ctx.styles
    group = root.add("Sect")
    own_contact = any(s.heading.casefold() == labels["contact_us"].casefold()
                      for s in leaflet.sections)
    heading = labels["general_enquiries"] if own_contact else labels["contact_us"]
    flowables = _heading(heading, 2, group, ctx, styles.h2)
    card = Contact(**{k: brand[f"contact.{k}"] for k in
                      ("name", "phone", "email", "hours", "address", "url", "note")})
    flowables.extend(contact(card, group, ctx))
    flowables.extend(_heading(labels["other_formats"], 3, group, ctx, styles.h3))
    flowables.append(plain(ctx, brand["other_formats"], group, styles.body))
    if brand["feedback"]:
        flowables.extend(_heading(labels["feedback"], 3, group, ctx, styles.h3))
        flowables.append(plain(ctx, brand["feedback"], group, styles.body))
    flowables.extend(_heading(labels["about_leaflet"], 3, group, ctx, styles.h3))
    flowables.extend(plain(ctx, line, group, styles.list_body)
                     for line in _governance_lines(leaflet, brand, labels))
    if brand["disclaimer"]:
        flowables.append(Spacer(1, styles.space(0.4)))
        flowables.append(plain(ctx, brand["disclaimer"], group, styles.caption))
    return flowables


def _governance_lines(leaflet: Leaflet, brand: Brand, labels: Labels) -> list[str]:
    gov = leaflet.governance
    lines = [f"{labels['leaflet_code']}: {gov.code}  ·  {labels['version']}: {gov.version}",
             f"{labels['written_by']}: {gov.author}", f"{labels['owner']}: {gov.owner}"]
    if gov.approved_by:
        approved = f"{labels['approved_by']}: {gov.approved_by}"
        if gov.approval_date:
            approved += f", {labels.date(gov.approval_date)}"
        lines.append(approved)
    lines.append(f"{labels['published']}: {labels.date(gov.published)}  ·  "
                 f"{labels['last_reviewed']}: {labels.date(gov.last_reviewed)}  ·  "
                 f"{labels['next_review']}: {labels.date(gov.next_review)}")
    lines.append(brand["organisation"])
    return lines


def _footer_lines(leaflet: Leaflet, brand: Brand, styles: Styles, labels: Labels,
                  options: LayoutOptions, geo) -> list[str]:
    gov = leaflet.governance
    code = f"{gov.code} v{gov.version}" + (f" {options.variant_label}" if options.variant_label
                                           else "")
    parts = [code, f"{labels['last_reviewed']} {labels.date(gov.last_reviewed)}",
             f"{labels['next_review']} {labels.date(gov.next_review)}"]
    if brand["footer_text"]:
        parts.append(brand["footer_text"])
    size = brand.size("footer") * styles.scale
    return page.fit_lines(parts, styles.fonts["regular"], size, geo.frame_width * 0.72)
