"""One small builder per content block: (block, parent element, context) -> flowables.

Each builder creates the block's structure elements under `parent`, in reading order, and
wraps every flowable that draws content in `Tagged`.
"""
from __future__ import annotations

import re
from functools import lru_cache, partial
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import TableStyle

from ..errors import Problem, RenderError
from ..inline import parse_inline
from ..model import (Bullets, Callout, Contact, Figure, Leaflet, Paragraph as ParagraphBlock,
                     Steps, Table)
from ..pdf.tags import Element, Tagged
from ..svgfigure import SvgError, SvgFigure, drawing as svg_drawing, fit, least_label
from ..variants import grey_image
from .flowables import BreakingTable, CalloutBox, FittedGroup, FittedImage, ListItem, RoomFor
from .glyphs import brand_text
from .lines import CANNOT_END, CANNOT_START, unbreakable_pieces
from .markup import RunKeeper, escape_markdown, plain_markup, to_markup
from .preflight import contact_tel
from .typeset import BULLET


def keeper(ctx, reused: bool = False) -> RunKeeper:
    """What keeps phone numbers, dates and the like on one line, for this leaflet;
    `reused` for the brand's texts, which every leaflet of its language repeats."""
    return RunKeeper(ctx.labels.language, ctx.brand["region"], reused)


def rich(ctx, text, parent: Element, style, role: str = "P", reused: bool = False) -> Tagged:
    element = parent.add(role)
    markup = to_markup(text, element, ctx.log, ctx.numbers, ctx.brand.colour("link"),
                       ctx.typeset, keeper(ctx, reused))
    return Tagged(element, ctx.typeset.paragraph(markup, style))


def plain(ctx, text: str, parent: Element, style, role: str = "P",
          reused: bool = False) -> Tagged:
    markup = plain_markup(text, ctx.typeset, style.fontName == ctx.styles.heading_fonts["bold"],
                          keeper(ctx, reused))
    return Tagged(parent.add(role), ctx.typeset.paragraph(markup, style))


def paragraph(block: ParagraphBlock, parent: Element, ctx) -> list:
    return [rich(ctx, block.text, parent, ctx.styles.body)]


def list_items(items, labels: list[str], parent: Element, ctx, numbering: str,
               body_role: str = "P") -> list:
    """L > LI > (Lbl, LBody > P): a hanging-indent item per entry."""
    styles = ctx.styles
    the_list = parent.add("L", attributes={"O": "List", "ListNumbering": numbering})
    indent = styles.body.fontSize * 1.7  # one indent for bullets and numbers: text edges align
    flowables = []
    for text, label in zip(items, labels):
        item = the_list.add("LI")
        label_flowable = plain(ctx, label, item, styles.label, "Lbl")
        body = rich(ctx, text, item.add("LBody"), styles.list_body, body_role)
        flowables.append(ListItem(label_flowable, body, indent, rtl=ctx.typeset.rtl))
    if flowables:
        flowables[-1].spaceAfter = styles.body.spaceAfter
    return flowables


def bullets(block: Bullets, parent: Element, ctx) -> list:
    return list_items(block.items, [BULLET] * len(block.items), parent, ctx, "Disc")


def steps(block: Steps, parent: Element, ctx) -> list:
    labels = [f"{n}." for n in range(1, len(block.items) + 1)]
    return list_items(block.items, labels, parent, ctx, "Decimal")


def callout(block: Callout, parent: Element, ctx) -> list:
    title = block.title or brand_text(ctx.leaflet, ctx.brand, f"callout_titles.{block.kind}")
    group = parent.add("Callout", title=f"{block.kind}: {title}")
    content = [plain(ctx, title, group, ctx.styles.callout_title)]
    parts = []  # text and bullets in the order the editor wrote them
    if block.text:
        parts.append(lambda: [rich(ctx, block.text, group, ctx.styles.body)])
    if block.items:
        parts.append(lambda: list_items(block.items, [BULLET] * len(block.items), group,
                                        ctx, "Disc"))
    for part in (reversed(parts) if block.text_after else parts):
        content.extend(part())
    content[-1].spaceAfter = 0
    colours = ctx.brand
    return [CalloutBox(content, colours.colour(f"{block.kind}_background"),
                       colours.colour(f"{block.kind}_bar"), ctx.styles.body.fontSize * 0.9,
                       ctx.frame_height, ctx.styles.space(0.9), rtl=ctx.typeset.rtl,
                       kind=block.kind)]


def table(block: Table, parent: Element, ctx) -> list:
    styles, brand = ctx.styles, ctx.brand
    pad = styles.body.fontSize * 0.45
    narrowest = _narrowest_column(styles.fonts["bold"], styles.body.fontSize, pad)
    _check_columns_fit(block, ctx, narrowest)
    stackable = _fits_stacked(block, ctx)
    widths = _column_widths(block, ctx.frame_width, styles.fonts["bold"], styles.body.fontSize, pad,
                            ctx.typeset.cjk, narrowest, keeper(ctx), styles.fonts["regular"],
                            stack_instead=stackable)
    if widths is None or (stackable and _word_too_wide(block, ctx, widths, pad)):
        return _stacked(block, parent, ctx)
    _check_words_fit(block, ctx, widths, pad)
    element = parent.add("Table")
    caption = [plain(ctx, block.caption, element, styles.callout_title, "Caption")] \
        if block.caption else []
    header_row = element.add("TR")
    data = [[_cell(ctx, text, header_row, "TH", styles.header_cell) for text in block.header]]
    for row in block.rows:
        tr = element.add("TR")
        data.append([_cell(ctx, text, tr, "TD", styles.cell) for text in row])
    grid = TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(brand.colour("accent"))),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor(brand.colour("background")),
                                              HexColor(brand.colour("table_stripe"))]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, HexColor(brand.colour("muted"))),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("FONT", (0, 0), (-1, -1), styles.fonts["regular"]),
    ])
    _check_rows_fit(block, data, widths, ctx, pad)
    # A caption never ends a page without its table: it starts a new page unless it fits
    # (all its lines) with the header and the first row below it, or the start of that row
    # where the table breaks inside it. (keepWithNext would glue caption and table into one
    # KeepTogether, and a long table could then never split.)
    header, first_row = (_row_height(row, widths, pad, ctx.frame_height) for row in data[:2])
    if ctx.typeset.rtl:  # columns run right to left; the tags stay in reading order
        data, widths = [row[::-1] for row in data], widths[::-1]
    table_flowable = BreakingTable(data, colWidths=widths, repeatRows=1, style=grid,
                                   hAlign="RIGHT" if ctx.typeset.rtl else "LEFT",
                                   spaceAfter=styles.space(0.8))
    table_flowable.page_height, table_flowable.element = ctx.frame_height, element
    table_flowable.header, table_flowable.first_row = header, first_row
    table_flowable.least_part = 2 * styles.cell.leading + pad * 1.7
    return [RoomFor(caption, [table_flowable], header + first_row), *caption, table_flowable]


def _cell(ctx, text, row: Element, role: str, style) -> list:
    cell = row.add(role, attributes={"O": "Table", "Scope": "Column"} if role == "TH" else {})
    markup = to_markup(text, cell, ctx.log, ctx.numbers, ctx.brand.colour("link"), ctx.typeset,
                       keeper(ctx))
    tagged = Tagged(cell, ctx.typeset.paragraph(markup, style))
    cell.repeat_as_artifact = role == "TH"  # the header repeated on a later page
    return [tagged]


# The narrowest column still worth reading holds a three-digit number or a word like
# "Yes"; longer words in it break across lines.
NARROWEST_TEXT = "000"


def _narrowest_column(font: str, size: float, pad: float) -> float:
    return stringWidth(NARROWEST_TEXT, font, size) + 2 * pad + 1


def _check_columns_fit(block: Table, ctx, narrowest: float) -> None:
    """Stop at the table when its columns cannot all be readable across the page (ReportLab
    would fail with a negative cell width, or print columns too thin to read)."""
    count, fit = len(block.header), int(ctx.frame_width // narrowest)
    if count <= fit:
        return
    raise RenderError(Problem(
        *block.where, f"this table has {count} columns; at most {fit} fit across "
        f"{_a_page(ctx)} at {ctx.styles.body.fontSize:g} pt",
        "split it into smaller tables or use a list"))


def _a_page(ctx) -> str:
    """'an A4 page', 'a Letter page'."""
    page = ctx.page_size
    return f"{'an' if page[0] in 'AEIOU' else 'a'} {page} page"


def _word_too_wide(block: Table, ctx, widths: list[float], pad: float) -> str | None:
    """A word of a shaped script with no hyphenation patterns (Arabic) that is wider than
    its column, or None: cut between its letters, an Arabic word lost its joins and read
    back with U+FFFD (igrt.ar, A5 large print). Other words are hyphenated, or cut where
    they must be."""
    if ctx.typeset.hyphenation or not ctx.typeset.script.shaping:
        return None
    fonts, size = ctx.styles.fonts, ctx.styles.body.fontSize
    for width, cells in zip(widths, zip(block.header, *block.rows)):
        for row, cell in enumerate(cells):
            font = fonts["bold"] if _bold(cell, row) else fonts["regular"]
            word = _unbroken(cell.plain, False, keep_short=False,
                             measure=lambda text: stringWidth(text, font, size))
            if not word.isascii() and stringWidth(word, font, size) + 2 * pad > width + 0.5:
                return word
    return None


def _check_words_fit(block: Table, ctx, widths: list[float], pad: float) -> None:
    """Stop at the table when such a word fits neither its column nor a line of its own
    (so the table cannot be set as a list of its rows either)."""
    word = _word_too_wide(block, ctx, widths, pad)
    if word:
        raise RenderError(Problem(
            *block.where, f"the word '{word}' is wider than its column of this table and "
            f"than a line on {_a_page(ctx)} at {ctx.styles.body.fontSize:g} pt, and words in "
            "this script are never hyphenated", "shorten the word, or put it in a paragraph"))


def _stacked_width(ctx) -> float:
    """The width a cell's text has in a row of a table set as a list (_stacked's box)."""
    size = ctx.styles.body.fontSize
    return CalloutBox([], "#ffffff", "#ffffff", size * ROW_PADDING, 0).inner_width(ctx.frame_width)


def _fits_stacked(block: Table, ctx) -> bool:
    """Whether every cell's longest unbreakable piece fits a line of a stacked row: only
    then does a list of the rows keep every word whole where a grid cannot."""
    fonts, size, keep = ctx.styles.fonts, ctx.styles.body.fontSize, keeper(ctx)
    room = _stacked_width(ctx)
    return all(stringWidth(_unbroken(keep(cell.plain), ctx.typeset.cjk, keep_short=False,
                                     measure=partial(stringWidth, fontName=fonts["bold"],
                                                     fontSize=size)),
                           fonts["bold"], size) <= room
               for row in (block.header, *block.rows) for cell in row)


ROW_PADDING = 0.6  # of the body size: a stacked row's box, as a contact card's


def _stacked(block: Table, parent: Element, ctx) -> list:
    """The table as a list of its rows, for a page too narrow for its grid (a word that
    cannot break wider than its column): each row a box, each cell under its column's
    header, in the order of the columns, as responsive web tables do. Tagged as a list
    (L > LI > LBody), since no grid is drawn: a screen reader hears each header with its
    cell, as a sighted reader sees them."""
    styles, brand = ctx.styles, ctx.brand
    the_list = parent.add("L", attributes={"O": "List", "ListNumbering": "None"})
    caption = [plain(ctx, block.caption, the_list, styles.callout_title, "Caption")] \
        if block.caption else []
    rows = []
    label_style = ParagraphStyle("StackedHeader", parent=styles.body,
                                 fontName=styles.fonts["bold"], spaceAfter=0, keepWithNext=1)
    value_style = ParagraphStyle("StackedCell", parent=styles.body,
                                 spaceAfter=styles.space(0.35))
    for row in block.rows:
        body = the_list.add("LI").add("LBody")
        content = []
        for header, cell in zip(block.header, row):
            content += [rich(ctx, header, body, label_style), rich(ctx, cell, body, value_style)]
        rows.append(CalloutBox(content, brand.colour("table_stripe"), brand.colour("accent"),
                               styles.body.fontSize * ROW_PADDING, ctx.frame_height,
                               styles.space(0.5), rtl=ctx.typeset.rtl, kind="table row"))
    rows[-1].spaceAfter = styles.space(0.8)
    return [RoomFor(caption, rows[:1], ctx.frame_height), *caption, *rows]  # caption + a row


def _check_rows_fit(block: Table, data: list, widths: list[float], ctx, pad: float) -> None:
    """Stop at the table when a row is taller than a page: rows never break across pages,
    and ReportLab's own error names no line. Only rows with a cell of at least a page's
    count of lines in characters can be that tall, so only those are measured."""
    page, size = ctx.frame_height, ctx.styles.body.fontSize
    lines_per_page = page / ctx.styles.cell.leading
    header = None  # repeated on every page, so each row has a page less the header
    for number, (row, cells) in enumerate(zip((block.header, *block.rows), data)):
        longest = max(len(cell.plain) for cell in row)
        if longest < lines_per_page:
            continue
        header = header if header is not None else _row_height(data[0], widths, pad, page)
        if header + (_row_height(cells, widths, pad, page) if number else 0) > page:
            which = f"row {number} of this table (after the header)" if number else \
                "the header row of this table"
            raise RenderError(Problem(
                *block.where, f"{which} is taller than a page at {size:g} pt, and a table "
                "row cannot break across pages",
                f"shorten its longest cell ({longest} characters), split it into several "
                "rows, or put long text in a paragraph below the table"))


def _row_height(cells: list, widths: list[float], pad: float, page: float) -> float:
    """A row's height as the table lays it out: its tallest cell and the cell padding."""
    tallest = max(flowable.wrap(width - 2 * pad, page)[1]
                  for cell, width in zip(cells, widths) for flowable in cell)
    return tallest + pad * 1.7  # top padding (0.7) and bottom padding (1)


SHORT_CELL = 16  # characters: a cell this short ("120 to 129") is kept on one line
READABLE_COLUMN = 14  # characters: a column of longer text narrower than this gets one or
                      # two words a line, and its rows grow a page tall (the IGRT booklet)


def _unbroken(text: str, by_character: bool, keep_short: bool = True, measure=len) -> str:
    """The widest part of a cell that no line may break inside (its min-content): all of
    a short cell (when `keep_short`), else its longest word, or the longest piece of a
    URL or a compound word."""
    if keep_short and len(text) <= SHORT_CELL and not by_character:
        return text
    pieces = [piece for word in _words(text, by_character) for piece in unbreakable_pieces(word)]
    return max(pieces or [""], key=measure)  # the widest ('number', not 'Bottom')


def _column_widths(block: Table, total: float, font: str, size: float, pad: float,
                   by_character: bool = False, narrowest: float = 0.0,
                   keep: RunKeeper | None = None, body_font: str | None = None,
                   stack_instead: bool = False) -> list[float] | None:
    """Column widths from the cells' content, as browsers lay out tables: each column's
    narrowest (its longest unbreakable piece) and widest (its longest cell on one line),
    measured in `font` (bold) for the header and `body_font` for the other rows.

    When every column fits at its widest, the spare width is shared in proportion to
    those; else each column gets its narrowest and the width left over is handed out
    where it makes the table shortest (`_balanced`). When even the narrowest cannot all fit
    (large print, A5), the widest of them are first lowered to one cap so that they fill
    three quarters of the width: those words are hyphenated, and no column is starved.
    Short cells are kept on one line unless the narrowest widths cannot fit otherwise, or
    another column would be left narrower than READABLE_COLUMN characters.

    None, when `stack_instead` and no widths keep every word whole."""
    columns = list(zip(block.header, *block.rows))
    keep = keep or RunKeeper()  # a phone number in a cell is one unbroken piece

    def width(text: str, header: bool = False) -> float:
        return stringWidth(text, font if header else (body_font or font), size) + 2 * pad + 1

    def narrowest_widths(keep_short: bool) -> list[float]:
        return [max(narrowest, *(width(_unbroken(keep(cell.plain), by_character, keep_short,
                                                 partial(width, header=_bold(cell, row))),
                                       _bold(cell, row)) for row, cell in enumerate(column)))
                for column in columns]

    most = [max(narrowest, *(width(cell.plain, _bold(cell, row))
                             for row, cell in enumerate(column))) for column in columns]
    texts = [[cell.plain for cell in row] for row in block.rows]  # the body, in regular
    if sum(most) <= total:
        return [w + (total - sum(most)) * w / sum(most) for w in most]
    readable = width("0" * READABLE_COLUMN)
    for keep_short in (True, False):  # short cells ('2D X-ray images') may wrap after all
        least = narrowest_widths(keep_short)
        if sum(least) > total:
            continue
        widths = _balanced(least, texts, total, width)
        if all(w >= min(readable, m) for w, m in zip(widths, most)) or not keep_short:
            return widths
    if stack_instead:  # no grid keeps every word whole, and a list of the rows does
        return None
    least = narrowest_widths(keep_short=False)  # never below the narrowest:
    least = _cap_widest(least, max(total * 0.75, narrowest * len(least)))  # it fits (checked)
    # columns capped below their longest word win back the most: shared by how much more
    # each would take (balancing by lines cut 'number' in a large print header)
    return _grown(least, [max(m, low) for m, low in zip(most, least)], total)


def _grown(least: list[float], most: list[float], total: float) -> list[float]:
    """`least` widened to `total`, each column in proportion to how much wider its widest
    content is."""
    more = [max(0.0, high - low) for low, high in zip(least, most)]
    if not sum(more):
        return [low * total / sum(least) for low in least]
    return [low + (total - sum(least)) * m / sum(more) for low, m in zip(least, more)]


def _bold(cell, row: int) -> bool:
    """Whether a cell is measured in the bold face: the header row, or bold text."""
    return row == 0 or any(span.bold for span in cell.spans)


BALANCE_STEPS = 48  # slices of the spare width handed out one at a time


def _balanced(least: list[float], rows: list[list[str]], total: float, width) -> list[float]:
    """`least` widened to `total` a slice at a time, each slice to the column where it
    makes the table shortest: a row is as tall as its longest cell's text over its
    column's width (in lines, a smooth estimate). Shared in proportion to the widest
    content instead, a column of long text beside one of long drug names kept one or two
    words a line on A5 (the blood pressure medicines)."""
    spare = total - sum(least)
    if spare <= 0 or not rows:
        return [low * total / sum(least) for low in least]
    empty = width("")  # a cell's padding
    lengths = [[max(0.0, width(text) - empty) for text in row] for row in rows]

    def height(widths: list[float]) -> float:
        return sum(max(max(1.0, length / max(1.0, w - empty)) for length, w in zip(row, widths))
                   for row in lengths)

    widths, step = list(least), spare / BALANCE_STEPS
    for _ in range(BALANCE_STEPS):
        trials = [height([w + step * (i == c) for i, w in enumerate(widths)])
                  for c in range(len(widths))]
        best = min(range(len(widths)), key=lambda c: (trials[c], -sum(r[c] for r in lengths)))
        widths[best] += step
    return widths


def _cap_widest(widths: list[float], target: float) -> list[float]:
    """Lower the largest widths to a single cap so that the total is `target`."""
    used = 0.0
    for index, width in enumerate(sorted(widths)):
        cap = (target - used) / (len(widths) - index)
        if width > cap:
            return [min(w, cap) for w in widths]
        used += width
    return widths


BREAKABLE_SPACE = re.compile(r"[^\S\u00a0]+")  # every space but the no-break space


_CJK_PIECE = re.compile(r"[A-Za-z0-9]{2,20}|\S")  # a Latin word ('CBCT') is not split


def _words(text: str, by_character: bool) -> list[str]:
    """The pieces a line may not break inside: words, or in CJK text characters and
    Latin words, each opening bracket joined to what follows it and each closing mark
    to what precedes it ('（CBCT）': a column narrower than that left '（' alone on a
    line, as a line keeps its first character)."""
    if not by_character:
        return [word for word in BREAKABLE_SPACE.split(text) if word]
    pieces: list[str] = []
    for piece in _CJK_PIECE.findall(text):
        if pieces and (piece[0] in CANNOT_START or pieces[-1][-1] in CANNOT_END):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def figure(block: Figure, parent: Element, ctx) -> list:
    """A figure and its caption, kept together (the figure shrinking, as far as it may,
    to fit the space left with its caption). An SVG's text is drawn inside the Figure's
    marked content: a screen reader reads the Figure's alt text, which says it all."""
    image = _vector_figure(block.svg, ctx) if block.svg else _raster_figure(block, ctx)
    image.spaceAfter = ctx.styles.space(0.3)
    image.hAlign = "RIGHT" if ctx.typeset.rtl else "LEFT"  # with the text's start edge
    flowables = [image]
    if not block.decorative:
        flowables = [Tagged(parent.add("Figure", alt=block.alt), image, around=True)]
    if block.caption:
        flowables.append(plain(ctx, block.caption, parent, ctx.styles.caption, "Caption"))
    return [FittedGroup(flowables, 0)]


def _raster_figure(block: Figure, ctx) -> FittedImage:
    reader = ImageReader(str(block.image))
    width, height = reader.getSize()
    scale = min(1.0, ctx.frame_width * 0.85 / width, ctx.frame_height * 0.4 / height)
    source = grey_image(block.image) if ctx.grayscale else str(block.image)
    return FittedImage(source, width * scale, height * scale)


def _vector_figure(svg: SvgFigure, ctx) -> FittedImage:
    """The SVG at the size svgfigure.fit gives: its labels at least the least label size
    of this format (12 pt, 16 pt in large print), in the leaflet's fonts and colours."""
    colours = {key.split(".", 1)[1]: value for key, value in ctx.brand.values
               if key.startswith("colours.") and value}
    try:
        drawing = svg_drawing(svg, ctx.styles.fonts, colours, ctx.grayscale)
    except SvgError as exc:  # read fine when it loaded: changed since, or svglib failed now
        line, column, message, hint = exc.problems[0]
        raise RenderError(Problem(exc.path, line, column, message, hint)) from None
    scale, least = fit(svg, ctx.frame_width, ctx.frame_height, least_label(ctx.styles.body.fontSize))
    return FittedImage(drawing, svg.width * scale, svg.height * scale,
                       min_scale=least / scale if scale else 1.0)


def contact(block: Contact, parent: Element, ctx) -> list:
    """A contact card: name in bold, then one line per way to get in touch."""
    group = parent.add("Div", title=block.name)
    content = [rich(ctx, _parsed(line), group, ctx.styles.card, reused=True)
               for line in contact_lines(block, ctx.labels, ctx.brand["region"])]
    for line in content[1:len(content) - bool(block.note)]:  # 'label: value' lines
        line.flowable.field_after = ctx.labels.separator
    return [CalloutBox(content, ctx.brand.colour("background"), ctx.brand.colour("accent"),
                       ctx.styles.body.fontSize * 0.6, ctx.frame_height, ctx.styles.space(0.9),
                       rtl=ctx.typeset.rtl)]


# A contact card is the brand's, or a department's that many leaflets repeat: its lines
# are parsed once a process.
_parsed = lru_cache(maxsize=1024)(parse_inline)


def contact_lines(block: Contact, labels, region: str) -> list[str]:
    """A contact card's lines as inline Markdown: the name in bold, then one line per way
    to get in touch (the HTML and text companions print the same lines)."""
    lines = [f"**{escape_markdown(block.name)}**"]
    if block.phone:
        lines.append(labels.field("phone", f"[{escape_markdown(block.phone)}]"
                                           f"({contact_tel(block, region)})"))
    if block.email:
        email = escape_markdown(block.email)  # in the target too: a ')' must not end it
        lines.append(labels.field("email", f"[{email}](mailto:{email})"))
    for key, label in (("hours", "hours"), ("address", "address")):
        if getattr(block, key):
            lines.append(labels.field(label, escape_markdown(getattr(block, key))))
    if block.url:
        url = escape_markdown(block.url)
        lines.append(labels.field("website", f"[{url}]({url})"))
    if block.note:
        lines.append(escape_markdown(block.note))
    return lines




BUILDERS = {
    ParagraphBlock: paragraph, Bullets: bullets, Steps: steps, Callout: callout,
    Table: table, Figure: figure, Contact: contact,
}
