"""Lay out one leaflet: (Leaflet, Brand, LayoutOptions) -> Story (flowables, pages,
structure tree), once preflight.py's checks have passed.

Builds the logical structure (Document > H1, H2/H3, P, L, Table, Figure...) in reading
order while it creates the flowables, so tagging is part of layout, not bolted on.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from ..brand import Brand
from ..errors import Problem
from ..inline import Rich, parse_inline
from ..labels import Labels
from ..model import (CONTACT_FIELDS, Contact, Leaflet, Paragraph as ParagraphBlock, Reference,
                     Section)
from ..pdf.tags import Element, StructureLog, Tagged
from ..rlhooks import forget_url_tails, keep_together_content
from ..variants import grey, grey_brand
from . import geometry as sheet, page
from .blocks import BUILDERS, contact, keeper, list_items, plain, rich
from .flowables import (CalloutBox, FittedGroup, KeepUnlessGap, ListItem, RoomFor, RuledLines,
                        LEAST_LINES, side_by_side)
from .glyphs import brand_text, translated_brand
from .lines import unbreakable_pieces
from .markup import NBSP, escape_markdown, plain_markup
from .online import online_column, online_copy
from .options import LayoutOptions, variant_options
from .preflight import checked_typeset
from .prepared import prepared_block
from .styles import Styles, make_styles
from .typeset import Typeset


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
    typeset: Typeset  # fonts and direction of the leaflet's script
    grayscale: bool = False
    leaflet: Leaflet | None = None
    page_size: str = "A4"  # the paper's name, for messages


@dataclass
class Story:
    flowables: list
    templates: list
    log: StructureLog
    geometry: sheet.PageGeometry
    footer: object
    initial_font: str
    extra: dict = field(default_factory=dict)


def lay_out(leaflet: Leaflet, brand: Brand, options: LayoutOptions = LayoutOptions()) -> Story:
    forget_url_tails()  # each document breaks its lines as if it were the first
    if options.grayscale:
        brand = grey_brand(brand)
    brand = translated_brand(leaflet, brand)
    labels = Labels(leaflet.language)
    typeset = checked_typeset(leaflet, brand, labels, (options.variant_label,),
                              options.prepared)
    styles = make_styles(brand, options.body_size, typeset)
    geo = sheet.geometry(brand, options.page_size, styles.body.fontSize)
    footer_lines = _footer_lines(leaflet, brand, styles, labels, options, geo)
    geo = sheet.geometry(brand, options.page_size, styles.body.fontSize, len(footer_lines),
                        styles.fonts["regular"])
    logo = page.logo_reader(brand, options.grayscale)
    header_lines = page.header_lines(brand, geo, styles.heading_fonts, styles.scale, logo,
                                     typeset)
    geo = replace(geo, header_height=page.header_height(brand, header_lines))
    root = Element("Document", lang=leaflet.language)
    ctx = Context(styles, brand, labels, StructureLog(root), leaflet.citation_numbers(),
                  geo.frame_width, geo.frame_height(False), typeset, options.grayscale,
                  leaflet=leaflet,
                  page_size=options.page_size or brand["page.size"])
    flowables = [*_title_block(leaflet, root, ctx)]
    if options.prepared:  # on page 1, after the title and summary
        flowables.extend(prepared_block(options.prepared, root, ctx))
    for section in leaflet.sections:
        flowables.extend(_section(section, root, ctx))
    flowables.extend(_references(leaflet, root, ctx))
    flowables.extend(_end_matter(leaflet, root, ctx))
    for _ in range(options.notes_pages):
        flowables.extend(_notes_page(root, ctx))
    header = page.header_painter(brand, geo, header_lines, logo, typeset=typeset)
    footer = page.footer_painter(
        geo, footer_lines, styles.fonts,
        {"text": brand.colour("text"), "rule": brand.colour("muted"),
         "mark": grey(page.OVERDUE_COLOUR) if options.grayscale else page.OVERDUE_COLOUR},
        styles.footer_size, labels,
        labels["review_overdue"] if options.overdue else None, typeset=typeset)
    return Story(flowables, page.page_templates(geo, header), ctx.log, geo, footer,
                 styles.fonts["regular"])


def _heading(text: str, level: int, parent: Element, ctx: Context, style) -> list:
    """A heading that never strands: it starts a new page unless it fits with a few lines
    below it (`_keep_with_next` makes that the start of what really follows)."""
    markup = plain_markup(text, ctx.typeset, heading=True, keep=keeper(ctx))
    flowable = Tagged(parent.add(f"H{level}"), ctx.typeset.paragraph(markup, style),
                      outline=(text, level - 1))
    return [RoomFor([flowable], None, _first_lines(ctx)), flowable]


def _first_lines(ctx: Context) -> float:
    """The least of a text that may follow a heading or lead-in at a page foot: ReportLab
    leaves no single line of a paragraph alone (allowOrphans=0), so two, and a third for
    the space around them."""
    return ctx.styles.body.leading * (LEAST_LINES + 1)


def _keep_with_heading(heading: list, body: list, ctx: Context) -> list:
    """The heading (its RoomFor and itself), then the body, kept together: see
    `_keep_with_next`."""
    return _keep_with_next(heading[1:], body, ctx)


def _keep_with_next(first: list, following: list, ctx: Context) -> list:
    """`first` (a heading or a lead-in) never ends a page without the start of what follows.

    When that starts with something that moves to the next page whole (a figure, the
    details), `first` goes with it, in the figure's FittedGroup or a KeepTogether.
    Otherwise a RoomFor before `first` makes room for it and the start of what follows:
    the first lines of a paragraph or list item, a box's title and first lines (when it would break there), or what the
    next RoomFor needs (a sub-heading with its own start, a table's caption with its first
    rows), so a chain of them is kept whole."""
    lead = 1
    while lead < len(following) and following[lead - 1].getKeepWithNext():
        lead += 1
    if lead == 1 and following and isinstance(following[0], FittedGroup):  # a figure
        group = following[0]
        return [FittedGroup([*first, *group.parts], group.fitted + len(first)),
                *following[1:]]
    if following and not all(isinstance(f, (Tagged, ListItem, RoomFor, CalloutBox))
                             for f in following[:lead]):
        start = [part for f in following[:lead]
                 for part in (keep_together_content(f) if isinstance(f, KeepTogether) else [f])]
        return [KeepTogether([*first, *start]), *following[lead:]]
    then = following[0] if following and isinstance(following[0], RoomFor) else following[:1]
    return [RoomFor(first, then, _first_lines(ctx)), *first, *following]


def _is_lead_in(block) -> bool:
    """A paragraph that introduces what follows it: 'You will need:'."""
    return isinstance(block, ParagraphBlock) and block.text.plain.rstrip().endswith((":", "："))


def _blocks(blocks: Sequence, parent: Element, ctx: Context) -> list:
    """The blocks' flowables, each lead-in kept with the block after it."""
    # built in reading order (each builder adds its structure elements), joined from the end
    built_blocks = [BUILDERS[type(block)](block, parent, ctx)  # type: ignore[operator]
                    for block in blocks]
    flowables: list = []
    for block, built in reversed(list(zip(blocks, built_blocks))):
        if _is_lead_in(block) and flowables:
            flowables = _keep_with_next(built, flowables, ctx)
        else:
            flowables = [*built, *flowables]
    return flowables


def _title_block(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    styles = ctx.styles
    title = _heading(leaflet.title, 1, root, ctx, styles.title)[1:]  # no break on page 1
    flowables = [*title]
    if leaflet.subtitle:
        flowables.append(plain(ctx, leaflet.subtitle, root, styles.subtitle))
    if leaflet.summary:
        flowables.append(rich(ctx, parse_inline(leaflet.summary), root, styles.body))
    return [*flowables, *_stale_notice(leaflet, root, ctx)]


def _stale_notice(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    """On page 1 of a translation older than its source: it may be out of date."""
    translation = leaflet.translation
    if not translation or not translation.stale:
        return []
    labels = ctx.labels
    group = root.add("Div", title=labels["stale_title"])
    text = labels.format("stale_translation", translated=translation.source_version,
                         current=translation.current_version,
                         source_language=labels.language_name(translation.source_language))
    content = [plain(ctx, labels["stale_title"], group, ctx.styles.callout_title),
               plain(ctx, text, group, ctx.styles.body)]
    return [CalloutBox(content, ctx.brand.colour("warning_background"),
                       ctx.brand.colour("warning_bar"), ctx.styles.body.fontSize * 0.9,
                       ctx.frame_height, ctx.styles.space(0.9), rtl=ctx.typeset.rtl)]


def _section(section: Section, parent: Element, ctx: Context) -> list:
    style = ctx.styles.h2 if section.level == 2 else ctx.styles.h3
    group = parent.add("Sect")
    heading = _heading(section.heading, section.level, group, ctx, style)
    body = _blocks(section.blocks, group, ctx)
    for sub in section.sections:  # a heading with no text of its own goes with the next
        body.extend(_section(sub, group, ctx))
    return _keep_with_heading(heading, body, ctx)


def _references(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    """The numbered References list: L > LI > (Lbl "1.", LBody > Reference)."""
    if not leaflet.references:
        return []
    group = root.add("Sect")
    flowables = _heading(ctx.labels["references"], 2, group, ctx, ctx.styles.h2)
    texts, numbers = [], []
    for number, ref in leaflet.ordered_references():
        texts.append(reference_text(ref, ctx.labels))
        numbers.append(f"{number}.")
    items = list_items(texts, numbers, group, ctx, "Decimal", body_role="Reference")
    return _keep_with_heading(flowables, items, ctx)




def reference_text(ref: Reference, labels: Labels) -> Rich:
    """A reference as the References list prints it: its citation, its address as a
    link, and when it was accessed (the HTML and text companions print the same)."""
    source = ref.citation.source
    if ref.url:
        source += f" [{escape_markdown(ref.url)}]({escape_markdown(ref.url)})"
    if ref.accessed:
        source += f" ({labels['accessed']} {labels.date(ref.accessed)})"
    return parse_inline(source)


def contact_heading(leaflet: Leaflet, labels: Labels) -> str:
    """'Contact us', or 'General enquiries' when the leaflet has contacts of its own."""
    own_contact = any(s.heading.casefold() == labels["contact_us"].casefold() or
                      any(isinstance(b, Contact) for b in s.blocks)
                      for s in leaflet.walk_sections())
    return labels["general_enquiries"] if own_contact else labels["contact_us"]


def brand_card(leaflet: Leaflet, brand: Brand) -> Contact:
    """The brand's contact block, in the leaflet's language (`brand` is translated_brand)."""
    return Contact(**{k: brand_text(leaflet, brand, f"contact.{k}") for k in CONTACT_FIELDS})


def _end_matter(leaflet: Leaflet, root: Element, ctx: Context) -> list:
    """Contact us, other formats and languages, feedback, disclaimer, about this leaflet."""
    brand, labels, styles = ctx.brand, ctx.labels, ctx.styles
    group = root.add("Sect")
    heading = _heading(contact_heading(leaflet, labels), 2, group, ctx, styles.h2)
    card = brand_card(leaflet, brand)
    card_box = contact(card, group, ctx)
    qr_width = ctx.frame_width * QR_COLUMN
    card_width = card_box[0].inner_width(ctx.frame_width - qr_width)
    # Not in shaped scripts: ReportLab shapes the card's words again when a table
    # re-wraps it, and fails (seen in Arabic), so the code stays on a line of its own.
    beside = (_two_columns_fit(ctx, [], BESIDE_CARD) and not ctx.typeset.script.shaping
              and _words_fit(ctx, [v for v in vars(card).values() if isinstance(v, str)],
                             card_width))
    online = online_column(leaflet, group, ctx, qr_width) if beside else []
    if online:  # the QR code beside the card, not on a line of its own at the end
        card_box = [side_by_side([card_box, online], [ctx.frame_width - qr_width, qr_width],
                                 styles.fonts["regular"], ctx.typeset.rtl)]
    flowables = _keep_with_heading(heading, card_box, ctx)
    flowables.extend(_heading(labels["other_formats"], 3, group, ctx, styles.h3))
    flowables.append(plain(ctx, brand_text(leaflet, brand, "other_formats"), group,
                           styles.body, reused=True))
    if brand["feedback"]:  # not beside the above: poppler read both headings first
        flowables.extend(_heading(labels["feedback"], 3, group, ctx, styles.h3))
        flowables.append(plain(ctx, brand_text(leaflet, brand, "feedback"), group,
                               styles.body, reused=True))
    flowables.extend(_details(leaflet, group, ctx, [] if online else
                              online_copy(leaflet, group, ctx)))
    return flowables


def _notes_page(root: Element, ctx: Context) -> list:
    """A page of its own with a Notes heading and writing lines, two body lines apart."""
    heading = _heading(ctx.labels["notes"], 2, root.add("Sect"), ctx, ctx.styles.h2)
    return [PageBreak(), *heading,
            RuledLines(ctx.styles.space(2), ctx.brand.colour("muted"))]


def _details(leaflet: Leaflet, group: Element, ctx: Context, online: list) -> list:
    """About this leaflet: its governance lines (in two columns where they fit), the
    disclaimer, then `online` (the QR code, when not beside the contact card). Kept
    together with its heading, unless that would leave much of the page before empty (a
    large print page was left 60% empty): then the lines flow on, but the disclaimer (or,
    with none, the last DETAILS_TAIL lines) stays with the QR code, as a last page holding
    only the QR code looks like a mistake."""
    brand, labels, styles = ctx.brand, ctx.labels, ctx.styles
    heading = _heading(labels["about_leaflet"], 3, group, ctx, styles.h3)
    governance = governance_lines(leaflet, brand, labels)
    columns = _two_columns_fit(ctx, governance, DETAILS_COLUMN)
    if not columns:
        governance = _governance_lines(leaflet, brand, labels,
                                       whole=lambda item: _whole_if_it_fits(ctx, item),
                                       pack=lambda dates: _packed(ctx, dates))
    style = ParagraphStyle("Details", parent=styles.card, spaceAfter=0)  # lines, not cards
    lines = [plain(ctx, line, group, style) for line in governance]
    if columns:
        split, widths = _balanced_columns(lines, ctx)
        lines = [side_by_side([lines[:split], lines[split:]], widths,
                              styles.fonts["regular"], ctx.typeset.rtl)]
    if brand["disclaimer"]:
        lines.append(Spacer(1, styles.space(0.2)))
        lines.append(plain(ctx, brand_text(leaflet, brand, "disclaimer"), group,
                           styles.caption, reused=True))
    # the QR code never ends the leaflet alone: the disclaimer stays with it, or, with
    # none, the last DETAILS_TAIL lines (the name and disclaimer with it made the A5 large
    # print colonoscopy's last page, and left the page before 40% empty). Without the QR
    # code, the disclaimer keeps DETAILS_TAIL_ALONE lines with it: alone, or with the
    # name, it made a last page 4% full (igrt.es) or 10% (A5 high blood pressure).
    if online:
        tail = 0 if brand["disclaimer"] else DETAILS_TAIL
    else:
        tail = DETAILS_TAIL_ALONE
    cut = 0 if columns else max(0, len(governance) - tail)  # columns: one flowable
    body = [heading[1], *lines, *online]
    return [heading[0], KeepUnlessGap(body, ctx.frame_height, len(body) - 1 - cut)]


def _whole_if_it_fits(ctx: Context, item: str) -> str:
    """A date and its label joined by no-break spaces, when they fit a line together:
    joined on a narrower one (A5 large print) they were cut inside the year ('2 de
    febrero de 20' / '29'). The date alone is kept whole anyway (markup.RunKeeper)."""
    font, size = ctx.styles.fonts["regular"], ctx.styles.card.fontSize
    fits = stringWidth(f"{item}{DETAILS_SEPARATOR}", font, size) <= ctx.frame_width
    return item.replace(" ", NBSP) if fits else item


def _packed(ctx: Context, dates: list[str]) -> list[str]:
    """The dates, as many a line as fit, joined by DETAILS_SEPARATOR: a line broken at
    a separator ended with its '·'. Measured as the line breaker measures, or, for shaped
    scripts (whose joined letters are not the sum of their widths), a little short."""
    font, size = ctx.styles.fonts["regular"], ctx.styles.card.fontSize
    room = ctx.frame_width * (SHAPED_PACK_ROOM if ctx.typeset.script.shaping else 1.0)
    lines = [dates[0]]
    for date in dates[1:]:
        joined = f"{lines[-1]}{DETAILS_SEPARATOR}{date}"
        if stringWidth(joined.replace(NBSP, " "), font, size) <= room:  # drawn as spaces
            lines[-1] = joined
        else:
            lines.append(date)
    return lines


def _two_columns_fit(ctx: Context, texts: Iterable[str], characters: int) -> bool:
    """Whether the end matter's short blocks go in two columns: a half column holds
    `characters` characters of running text and every word of `texts` (an email address
    is never broken). Not in Chinese or Japanese, which would break such a word between
    its letters."""
    half = _half_widths(ctx)[1]
    return not ctx.typeset.cjk and _words_fit(ctx, texts, half) and \
        sheet.running_text_width(characters, ctx.styles.fonts["regular"],
                                ctx.styles.body.fontSize) <= half


def _words_fit(ctx: Context, texts: Iterable[str], width: float) -> bool:
    """Whether every word of `texts` fits `width` whole (a URL in its pieces): a
    narrower column would break an email address, which is never broken."""
    font, size = ctx.styles.fonts["regular"], ctx.styles.body.fontSize
    return all(stringWidth(piece, font, size) <= width for text in texts
               for word in text.split() for piece in unbreakable_pieces(word))


def _half_widths(ctx: Context) -> list[float]:
    """Two columns with a gutter of one em, the gutter in the first (leading) one."""
    gutter = ctx.styles.body.fontSize
    half = (ctx.frame_width - gutter) / 2
    return [half + gutter, half]


def _balanced_columns(flowables: list, ctx: Context) -> tuple[int, list[float]]:
    """Where to cut `flowables`, kept in order, into two columns, and how wide to make
    them (the first half the width or a little more, as long lines need, while the second
    still holds DETAILS_COLUMN characters), so that the taller column is as short as it
    can be; the even split wins a tie."""
    gutter, total = ctx.styles.body.fontSize, ctx.frame_width
    narrowest = sheet.running_text_width(DETAILS_COLUMN, ctx.styles.fonts["regular"],
                                        ctx.styles.body.fontSize)
    best: tuple[float, int, list[float]] | None = None
    for share in COLUMN_SHARES:
        first = (total - gutter) * share
        widths = [first + gutter, total - gutter - first]
        if widths[1] < narrowest:
            break  # 'Last reviewed: 1 October 2026' would wrap in the second column
        left = [f.wrap(widths[0] - gutter, ctx.frame_height)[1] + f.getSpaceAfter()
                for f in flowables]
        right = [f.wrap(widths[1], ctx.frame_height)[1] + f.getSpaceAfter()
                 for f in flowables]
        for cut in range(1, len(flowables)):
            tallest = max(sum(left[:cut]), sum(right[cut:]))
            if best is None or tallest < best[0] - 0.01:
                best = (tallest, cut, widths)
    return (best[1], best[2]) if best else (len(flowables), _half_widths(ctx))


DETAILS_TAIL = 1  # governance lines kept with the disclaimer and the QR code
DETAILS_TAIL_ALONE = 4  # the same, with no QR code below the details
SHAPED_PACK_ROOM = 0.97  # of the column: what _packed fills in a shaped script
COLUMN_SHARES = (0.5, 0.55, 0.6, 0.65)  # of the width, for the details' first column


# of the width: the QR code and its address beside the contact card (the card keeps the
# rest: 'patient.information@riverside.example.nhs.uk' whole in a 70-character measure)
QR_COLUMN = 0.25

# Characters of running text a half column must hold for the QR code to go beside the
# contact card: half of the default 70-character measure is about 33; large print on A4
# (30) and A5 pages (26) keep the code with the details.
BESIDE_CARD = 32
# ... and for the details to go in two columns with few of their lines wrapped ('Leaflet
# code: PIL-0388 · Version: 2' whole): a brand with a measure of about 85 or more.
DETAILS_COLUMN = 40
# Between facts on one line of the details: lines are packed to break only between facts
# (_packed), where the dot is left out; inside a fact too long for a line, the dot stays
# at the end of a line, never starts one ('· Next review: 2 February 2029' was seen).
DETAILS_SEPARATOR = f"{NBSP}{NBSP}·  "


def _governance_lines(leaflet: Leaflet, brand: Brand, labels: Labels, pack=None,
                      whole=lambda item: item) -> list[str]:
    """The details' lines: the code and version on one, each date on its own, or, with
    `pack`, as many of them a line as it puts there. `whole` keeps a date with its label
    on a line (the PDF joins them with no-break spaces: 'Last reviewed:' ended a line
    with its date below it)."""
    gov, field, then = leaflet.governance, labels.field, labels["detail_separator"]
    code = [field("leaflet_code", gov.code), field("version", gov.version)]
    lines = pack(code) if pack else [DETAILS_SEPARATOR.join(code)]
    lines += [field("written_by", gov.author), field("owner", gov.owner)]
    if gov.approved_by:
        approved = field("approved_by", gov.approved_by)
        if gov.approval_date:
            approved += then + labels.date(gov.approval_date)
        lines.append(approved)
    dates = [whole(field("published", labels.date(gov.published))),
             whole(field("last_reviewed", labels.date(gov.last_reviewed))),
             whole(field("next_review", labels.date(gov.next_review)))]
    lines.extend(pack(dates) if pack else dates)
    if leaflet.translation:
        lines.append(field("translated_by", leaflet.translation.translator + then
                           + labels.date(leaflet.translation.translated)))
    lines.append(brand["organisation"])
    return lines


def governance_lines(leaflet: Leaflet, brand: Brand, labels: Labels) -> list[str]:
    """The 'Leaflet details' lines, one fact a line (as in the two-column layout)."""
    return _governance_lines(leaflet, brand, labels)


def _footer_lines(leaflet: Leaflet, brand: Brand, styles: Styles, labels: Labels,
                  options: LayoutOptions, geo) -> list[str]:
    parts = sheet.footer_parts(leaflet, brand, labels, options.variant_label)
    size = styles.footer_size
    dates = (labels.date(leaflet.governance.last_reviewed),
             labels.date(leaflet.governance.next_review))
    return page.fit_lines(parts, styles.fonts["regular"], size, geo.frame_width * 0.72, dates,
                          geo.frame_width)


