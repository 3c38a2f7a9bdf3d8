"""Custom flowables: list items with hanging indents, and boxed callouts.

Decoration (boxes, bars) is drawn with no tagging owner, so the PDF/UA pass makes it an
artifact; the text inside is drawn by the Tagged flowables these hold.
"""
from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO
from itertools import groupby

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table, TableStyle

from ..brand import qr_length_problem
from ..pdf.tags import start_next_text_at
from ..rlhooks import keep_together_content, table_cells
from ..scripts import CJK_SENTENCE_ENDS, SENTENCE_ENDS
from .lines import first_line_read_right_to_left

# A right-to-left list label's text starts this far left of its item's body when pdfium
# reads the first line left to right: before the slots of that line's moved pieces
# (hundredths of a point apart: tags._ORIGIN_GAP), so it is read first.
LABEL_START = 1.0  # points


class ListItem(Flowable):
    """A label (bullet or number) in a gutter, and a body that wraps beside it.

    When the body splits across pages, the label stays with the first part. A
    right-to-left item has its gutter on the right.
    """

    def __init__(self, label, body, indent: float, space_after: float = 0, rtl: bool = False):
        super().__init__()
        self.label, self.body, self.indent, self.rtl = label, body, indent, rtl
        self.spaceAfter = space_after

    def wrap(self, available_width, available_height):
        _, self._body_height = self.body.wrap(available_width - self.indent, available_height)
        self._label_height = 0
        if self.label is not None:
            _, self._label_height = self.label.wrap(self.indent, available_height)
        self.width, self.height = available_width, max(self._body_height, self._label_height)
        return self.width, self.height

    def split(self, available_width, available_height):
        parts = self.body.split(available_width - self.indent, available_height)
        if len(parts) < 2:
            return []
        first = ListItem(self.label, parts[0], self.indent, rtl=self.rtl)
        rest = [ListItem(None, part, self.indent, rtl=self.rtl) for part in parts[1:]]
        rest[-1].spaceAfter = self.spaceAfter
        return [first, *rest]

    def drawOn(self, canvas, x, y, _sW=0):
        # sizes from wrap(), which is always called just before drawing: wrapping the
        # paragraphs again here doubled the line-breaking work of every list
        gutter, body_x = (x + self.width - self.indent, x) if self.rtl else (x, x + self.indent)
        top = y + self.height
        if self.label is not None and self.rtl:
            first, rest = self._first_line_apart()
            first.drawOn(canvas, body_x, top - first.height)
            if not first_line_read_right_to_left(first.flowable):
                # pdfium reads such a line by where each operator starts: the label,
                # right of the line, was read after it ('Tepper's 1.')
                start_next_text_at(canvas, body_x - LABEL_START - gutter)
            self.label.drawOn(canvas, gutter, top - self._label_height)
            if rest is not None:
                rest.drawOn(canvas, body_x, top - first.height - rest.height)
            return
        if self.label is not None:
            self.label.drawOn(canvas, gutter, top - self._label_height)
        self.body.drawOn(canvas, body_x, top - self._body_height)

    def _first_line_apart(self):
        """(the body's first line, the rest or None). A right-to-left label is drawn after
        its item's first line: before it, a reader that orders text by the content stream
        (pdfium) put the label inside the line's last word where vowel marks are raised
        ('طنينً .5 ا')."""
        paragraph = self.body.flowable
        if len(getattr(getattr(paragraph, "blPara", None), "lines", ())) < 2:
            return self.body, None
        # a one-line first part is what orphan control forbids
        parts = split_with_short_parts(self.body, self.width - self.indent,
                                       paragraph.style.leading * 1.5)
        if len(parts) != 2:
            return self.body, None
        for part in parts:
            part.wrap(self.width - self.indent, self._body_height)
        return parts[0], parts[1]


def split_with_short_parts(tagged, width: float, height: float) -> list:
    """A tagged paragraph split at `height` with its orphan and widow control off, so
    either part may be one line."""
    paragraph = tagged.flowable
    saved = paragraph.style
    paragraph.style = ParagraphStyle("short parts", parent=saved, allowOrphans=1, allowWidows=1)
    try:
        return tagged.split(width, height)
    finally:
        paragraph.style = saved


class RoomFor(CondPageBreak):
    """A page break unless `keep` (a heading, a lead-in, a caption: measured when laid
    out, so a heading of three lines needs three) fits below together with the start of
    what follows it: `then`, either the RoomFor of what follows (a sub-heading, a table)
    or flowables measured up to `cap` points (the first text among them needs only its
    start: _text_start), or None for `cap` points of whatever comes.

    On an empty page it never breaks: the next page would have no more room."""

    def __init__(self, keep: list, then=None, cap: float = 0.0):
        super().__init__(0)
        self.keep, self.then, self.cap = list(keep), then, cap

    def needed(self, width: float, height: float) -> float:
        kept = sum(_measured(f, width, height) for f in self.keep)
        if isinstance(self.then, RoomFor):
            return kept + self.then.needed(width, height)
        if self.then is None:
            return kept + self.cap
        follow = 0.0
        for flowable in self.then:
            if follow >= self.cap:
                break
            if hasattr(flowable, "least_start"):  # a box, a table: what must fit, at least
                return kept + follow + flowable.least_start(
                    width, height - kept - follow - flowable.getSpaceBefore())
            # a long text has more than `cap` of lines at any width: not worth measuring
            whole = math.inf if _long_text(flowable) else _measured(flowable, width, height)
            start = _text_start(flowable, whole)
            if start is not None:  # a text: its start is start enough
                return kept + min(follow + start, self.cap)
            follow += min(whole, self.cap)
        return kept + min(follow, self.cap)

    def wrap(self, availWidth, availHeight):
        frame = self._doctemplateAttr("frame")
        at_top = frame is not None and getattr(frame, "_atTop", False)
        self.height = 0 if at_top else self.needed(availWidth, availHeight)
        return super().wrap(availWidth, availHeight)


def _measured(flowable, width: float, height: float) -> float:
    return flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _text_start(flowable, whole: float) -> float | None:
    """What a paragraph, or a list item's, of height `whole` needs to start at a page foot:
    its space before and two lines, and a point for rounding, when it has four lines or
    more; all of itself when shorter (ReportLab leaves no line alone on either side of a
    break: allowOrphans=0, allowWidows=0, so three lines move whole). Three lines' worth
    of any text, asked before, left A5 large-print pages 42% empty under a heading, its
    lead-in and a list. None for anything but a text."""
    inner = _text_of(flowable)
    if not isinstance(inner, Paragraph):
        return None
    before, leading = flowable.getSpaceBefore(), inner.style.leading
    return before + LEAST_LINES * leading + 1 if whole >= before + 2 * LEAST_LINES * leading \
        else whole


def _text_of(flowable):
    inner = getattr(flowable, "body", flowable)  # a list item's body
    return getattr(inner, "flowable", inner)  # the paragraph a Tagged draws


LONG_TEXT = 2000  # characters of paragraph markup: surely more than three lines


def _long_text(flowable) -> bool:
    return len(getattr(_text_of(flowable), "text", "") or "") > LONG_TEXT


class KeepUnlessGap(KeepTogether):
    """Kept together like a KeepTogether, unless moving it whole to the next page would
    leave more than SPLIT_GAP of this one empty, or it is taller than a page and so
    cannot be kept together anyway: then all but its last `tail` flowables flow on (each
    breaking as it may), and those last ones stay together. (Taller than an A5 large-print
    page, the Japanese sample's details went on whole, flowed over it, and left the QR
    code alone on the last page.)"""

    def __init__(self, flowables: list, page_height: float, tail: int):
        super().__init__(flowables)
        self.page_height, self.tail = page_height, max(1, tail)

    def split(self, aW, aH):
        content = keep_together_content(self)
        height = sum(_measured(f, aW, aH) for f in content)
        # on a page of its own it would start at the top, where its first space is dropped
        alone = height - content[0].getSpaceBefore() - content[-1].getSpaceAfter()
        if height > aH and len(content) > self.tail and (
                leaves_gap(aH, self.page_height) or alone > self.page_height):
            return [*content[:-self.tail], KeepEndTogether(content[-self.tail:], self.page_height)]
        return super().split(aW, aH)


class KeepEndTogether(KeepTogether):
    """Kept together, unless moving it whole to the next page would leave more than
    SPLIT_GAP of this one empty: then the text before its last flowable breaks, and only
    its end goes on with the last one. The details' disclaimer and QR code moved whole in
    Italian, Tagalog and Tamil A5 large print (the QR code's caption took two lines) and
    left a page 54-59% full; the QR code still never starts a page alone."""

    def __init__(self, flowables: list, page_height: float):
        super().__init__(flowables)
        self.page_height = page_height

    def split(self, aW, aH):
        content = keep_together_content(self)
        heights = [_measured(f, aW, aH) for f in content]
        if sum(heights) <= aH or not leaves_gap(aH, self.page_height) or len(content) < 2:
            return super().split(aW, aH)
        for at in range(len(content) - 2, -1, -1):
            room = aH - sum(heights[:at])
            paragraph = getattr(content[at], "flowable", None)
            if room <= 0 or not isinstance(paragraph, Paragraph):
                continue
            parts = self._text_split(content[at], aW, room)
            if len(parts) == 2:
                return [*content[:at], parts[0], KeepTogether([parts[1], *content[at + 1:]])]
        return super().split(aW, aH)

    @staticmethod
    def _text_split(tagged, width: float, room: float) -> list:
        """A text split so that some of it goes on with the end: LEAST_LINES at least on
        each side, or, in a text shorter than twice that, one line may go on. (One line
        always allowed left the Hebrew disclaimer's 'your own situation.' alone above the
        QR code; none, and the three-line Italian and Tagalog disclaimers moved whole and
        left an A5 large-print page 59% full.)"""
        leading = _leading(tagged)
        lines = round(tagged.wrap(width, room)[1] / leading)
        # a bound of whole lines (and half a point for rounding): spaces are not lines
        parts = tagged.split(width, min(room, (lines - LEAST_LINES) * leading + 0.5))
        if len(parts) != 2 and lines < 2 * LEAST_LINES:
            parts = split_with_short_parts(tagged, width, min(room, (lines - 1) * leading + 0.5))
        return parts


class BreakingTable(Table):
    """A table that breaks between rows (the header repeated), and inside a row when
    breaking between them would leave more than BOX_SPLIT_GAP of the page empty (a row
    of long cells in large print moved whole and left 36% of a page empty). Layout sets
    `page_height`, `header` (the header row's height), `first_row` and `least_part` (the
    least of a row a page may end or start with: two lines and the padding)."""

    page_height = header = first_row = least_part = 0.0
    element: object = None  # the Table structure element, for render.place

    def least_start(self, available_width, available_height) -> float:
        """What must fit below a caption kept with it: the header and the first row, or,
        where the table would break inside that row, the header and the row's start."""
        whole = self.header + self.first_row
        if whole <= available_height or not self._breaks_in_row(available_height):
            return whole
        if not self.split(available_width, available_height):  # the row would move whole:
            return whole  # its cells would break mid-sentence (_cells_end_sentences)
        return self.header + self.least_part

    def _breaks_in_row(self, room: float) -> bool:
        return bool(self.least_part) and leaves_gap(room, self.page_height, BOX_SPLIT_GAP)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        used = parts[0].wrap(availWidth, availHeight)[1] if parts else 0.0
        if self._breaks_in_row(availHeight - used):
            self.splitByRow, self.splitInRow = 0, int(self.least_part) + 1
            try:
                in_row = super().split(availWidth, availHeight)
            finally:
                self.splitByRow, self.splitInRow = 1, 0
            # a row taller than a page breaks wherever it must; any other only at the
            # end of a sentence ('any medicine.' was carried over from a short row at
            # the top of a page, which the old test of a fresh page let break anywhere)
            if in_row and (self._taller_than_a_page(in_row) or _cells_end_sentences(in_row)):
                parts = in_row
        for part in parts:  # the parts are made by ReportLab, with none of these
            part.splitByRow, part.splitInRow = 1, 0
            part.page_height, part.header, part.least_part = (
                self.page_height, self.header, self.least_part)
            part.element = self.element
        return parts


    def _taller_than_a_page(self, parts: list) -> bool:
        """Whether the row broken (the first part's last) cannot fit on any page whole,
        below the repeated header."""
        row, heights = len(table_cells(parts[0])) - 1, getattr(self, "_rowHeights", None) or []
        return row < len(heights) and self.header + heights[row] > self.page_height


# where a cell's part may end before a page turn: a sentence's end, or a colon's
CELL_BREAKS = tuple(SENTENCE_ENDS + CJK_SENTENCE_ENDS + ":;\uff1a\uff1b")


def _cells_end_sentences(parts: list) -> bool:
    """Whether a row broken across pages breaks each of its cells at the end of a
    sentence: 'You must not' / 'drive for 24 hours.' was printed either side of a page
    turn (colonoscopy, large print). A cell that goes on overleaf must end its part here
    with a full stop, a colon or the like."""
    if len(parts) < 2:
        return False
    first, rest = table_cells(parts[0])[-1], table_cells(parts[1])
    # the part overleaf starts with the repeated header row, then the row's rest
    carried = rest[1] if len(rest) > 1 and rest[0] is table_cells(parts[0])[0] else rest[0]
    for before, after in zip(first, carried):
        if _cell_text(after).strip() and not _cell_text(before).rstrip().endswith(
                CELL_BREAKS):
            return False
    return True


def _cell_text(cell) -> str:
    flowables = cell if isinstance(cell, (list, tuple)) else [cell]
    texts = []
    for flowable in flowables:  # a Tagged wrapper's paragraph, or a paragraph
        texts.append(getattr(getattr(flowable, "flowable", flowable), "written", ""))
    return " ".join(texts)


class FittedGroup(Flowable):
    """Flowables kept on one page (a figure with its caption, and a heading kept with
    it), where the one at `fitted` (a FittedImage) gets the height the others leave: a
    figure shrinks as far as it may to fit the space left with its caption, instead of
    moving whole to the next page (inside a KeepTogether it never knew that space)."""

    def __init__(self, parts: list, fitted: int):
        super().__init__()
        self.parts, self.fitted = list(parts), fitted
        self.spaceBefore = parts[0].getSpaceBefore()
        self.spaceAfter = parts[-1].getSpaceAfter()
        inner = parts[fitted]
        self.element = getattr(inner, "element", None)  # its structure role, for place()

    def _gap(self, index: int) -> float:
        """The space between part `index` and the next: the larger of the two."""
        return max(self.parts[index].getSpaceAfter(), self.parts[index + 1].getSpaceBefore())

    def wrap(self, available_width, available_height):
        sizes: list = [None] * len(self.parts)
        for index, part in enumerate(self.parts):
            if index != self.fitted:
                sizes[index] = part.wrap(available_width, available_height)
        gaps = sum(self._gap(i) for i in range(len(self.parts) - 1))
        others = sum(size[1] for size in sizes if size is not None) + gaps
        sizes[self.fitted] = self.parts[self.fitted].wrap(available_width,
                                                          available_height - others)
        self._sizes = sizes
        self.width = available_width
        self.height = others + sizes[self.fitted][1]
        return self.width, self.height

    def split(self, available_width, available_height):
        return []  # whole, on the next page

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        for index, (part, (width, height)) in enumerate(zip(self.parts, self._sizes)):
            top -= height
            part.drawOn(canvas, x, top, self.width - width)  # aligned by its own hAlign
            if index + 1 < len(self.parts):
                top -= self._gap(index)


def leaves_gap(available: float, page_height: float, share: float | None = None) -> bool:
    """Whether moving a block whole to the next page would leave more than `share` of
    this one empty (issue 10.5): then a block that can break, breaks."""
    return available > (SPLIT_GAP if share is None else share) * page_height


class RuledLines(Flowable):
    """Writing lines filling the rest of the frame (a booklet's Notes page): drawn
    untagged, so they are artifacts, not content."""

    def __init__(self, gap: float, colour: str):
        super().__init__()
        self.gap, self.colour = gap, HexColor(colour)

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = max(0.0, available_height - 1)  # the rest of the page, to the pt
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(self.colour)
        canvas.setLineWidth(0.5)
        y = self.height - self.gap
        while y >= 0:
            canvas.line(0, y, self.width, y)
            y -= self.gap


class CalloutBox(Flowable):
    """A shaded box with a bar on the leading edge, kept on one page when it fits."""

    def __init__(self, content: list, background: str, bar: str, padding: float,
                 max_height: float, space_after: float = 0, rtl: bool = False,
                 kind: str | None = None, first: bool = True):
        super().__init__()
        self.content, self.padding, self.max_height = content, padding, max_height
        self.colours = (background, bar)  # as given: split halves are built with them
        self.background, self.bar = HexColor(background), HexColor(bar)
        self.spaceBefore, self.spaceAfter, self.rtl = padding * 0.5, space_after, rtl
        # a callout of a kind carries its icon in a bar wide enough to hold it
        self.kind, self.first = kind, first
        self.continues = False  # set on a part with more of the box on the next page
        self.bar_width = padding * 1.6 if kind in CALLOUT_MARKS else max(4.0, padding * 0.45)

    def inner_width(self, width: float) -> float:
        return width - 2 * self.padding - self.bar_width

    def wrap(self, available_width, available_height):
        inner = self.inner_width(available_width)
        self._heights = [f.wrap(inner, available_height)[1] for f in self.content]
        gaps = [f.getSpaceAfter() for f in self.content[:-1]]
        self.width = available_width
        self.height = sum(self._heights) + sum(gaps) + 2 * self.padding
        return self.width, self.height

    def least_start(self, available_width, available_height) -> float:
        """The least of the box that must fit below a heading kept with it: all of it,
        or, when it would split in `available_height`, its title and first lines."""
        self.wrap(available_width, available_height)
        if (self.height <= available_height or not self._may_split(available_height)
                or len(self.content) < 2):
            return self.height
        whole = LEAST_PART.get(self.kind or "", 2) - 1  # the title, or a row's first fields
        if len(self.content) <= whole:
            return self.height
        head = sum(self._heights[:whole]) + sum(f.getSpaceAfter() for f in self.content[:whole])
        return 2 * self.padding + head + LEAST_LINES * _leading(self.content[whole])

    def _may_split(self, available_height) -> bool:
        """Whether the box breaks at this page's foot: when it is taller than a page, or
        when moving it whole would leave more than BOX_SPLIT_GAP of the page empty. An
        urgent box breaks only when it must: what to do in an emergency is read at one
        look, never with half of it overleaf (a page review found three split)."""
        if self.height > self.max_height:
            return True
        return self.kind not in WHOLE_KINDS and leaves_gap(available_height, self.max_height,
                                                           BOX_SPLIT_GAP)

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        if not self._may_split(available_height):
            return []  # move it whole rather than break the box
        used, first = 2 * self.padding, []
        for flowable, height in zip(self.content, self._heights):  # measured by wrap()
            height += flowable.getSpaceAfter()
            if used + height > available_height:
                break
            first.append(flowable)
            used += height
        rest = self.content[len(first):]
        # the paragraph (or list item) across the page end is broken there; in an urgent
        # box (taller than a page) only when nothing whole but its title fits: A5 large print
        # broke 'call NHS 111. If' / 'you find it hard to breathe ... call 999.'
        whole_parts = first and first != self.content[:1] and self.kind in WHOLE_KINDS
        if rest and not whole_parts:
            parts = rest[0].split(self.inner_width(available_width), available_height - used)
            if len(parts) >= 2:
                first, rest = [*first, parts[0]], [*parts[1:], *rest[1:]]
        while first and rest and getattr(first[-1], "flowable", first[-1]).getKeepWithNext():
            rest.insert(0, first.pop())  # a stacked table's header goes with its cell
        title_alone = self.first and first == self.content[:1]
        too_few = len(first) < LEAST_PART.get(self.kind or "", 1) \
            and self.height <= self.max_height
        if not first or not rest or title_alone or too_few or \
                self._too_short(rest, available_width):
            return []  # a part needs text: a title alone never ends a page
        head, tail = (CalloutBox(part, *self.colours, self.padding, self.max_height,
                                 rtl=self.rtl, kind=self.kind, first=part is first)
                      for part in (first, rest))
        tail.spaceAfter = self.spaceAfter
        head.continues = True
        return [head, tail]

    def _too_short(self, rest: list, available_width) -> bool:
        """A part carried over must hold LEAST_LINES lines at least: a contact card's
        address alone at the top of a page was seen (unless the box is taller than a
        page, when any break will do)."""
        if self.height > self.max_height:
            return False
        inner = self.inner_width(available_width)
        height = sum(f.wrap(inner, self.max_height)[1] for f in rest)
        return height < LEAST_LINES * _leading(rest[0]) - 0.5

    def drawOn(self, canvas, x, y, _sW=0):
        canvas.saveState()
        canvas.setFillColor(self.background)
        canvas.rect(x, y, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(self.bar)
        bar_x = x + self.width - self.bar_width if self.rtl else x
        canvas.rect(bar_x, y, self.bar_width, self.height, stroke=0, fill=1)
        if self.kind in CALLOUT_MARKS:
            _callout_mark(canvas, self.kind, x, y, self.width, self.height, bar_x,
                          self.bar_width, self.bar, self.background, self.first)
            if self.continues:
                _continued_mark(canvas, bar_x, y, self.bar_width, self.background)
        canvas.restoreState()
        left = x + self.padding + (0 if self.rtl else self.bar_width)
        top = y + self.height - self.padding
        for flowable, height in zip(self.content, self._heights):  # measured in wrap()
            top -= height
            flowable.drawOn(canvas, left, top)
            top -= flowable.getSpaceAfter()


SPLIT_GAP = 0.35  # of a page: a block that would leave more of it empty breaks there
WHOLE_KINDS = ("urgent",)  # callout kinds never broken across pages when they fit one
# the least a part of a box holds: a row of a table set as a list breaks after two of its
# fields at least (with one, 'Option: Sedation' was seen alone at a page foot)
LEAST_PART = {"table row": 4}
BOX_SPLIT_GAP = 0.25  # the same for a box, measured below the heading that goes with it
# a paragraph never leaves one line alone on either side of a page break (allowOrphans=0,
# allowWidows=0)
LEAST_LINES = 2


def _leading(flowable) -> float:
    """The line height of a box's paragraph or list item."""
    return _text_of(flowable).style.leading


# How each kind stays distinct without colour (greyscale, photocopies): its outline
# (width, dash pattern) and the icon in its bar. Info has no outline at all.
CALLOUT_MARKS = {"urgent": (2.4, None), "warning": (1.2, (4, 2.5)), "info": (0.0, None)}


def _callout_mark(canvas, kind: str, x: float, y: float, width: float, height: float,
                  bar_x: float, bar_width: float, bar, background, first: bool) -> None:
    """The outline and, on the box's first part, the icon: drawn with no tagging owner,
    so they are artifacts, never text."""
    line_width, dash = CALLOUT_MARKS[kind]
    if line_width:
        canvas.setStrokeColor(bar)
        canvas.setLineWidth(line_width)
        if dash:
            canvas.setDash(*dash)
        inset = line_width / 2
        canvas.rect(x + inset, y + inset, width - line_width, height - line_width,
                    stroke=1, fill=0)
        canvas.setDash()
    if not first:
        return
    size = bar_width * 0.62
    centre_x, centre_y = bar_x + bar_width / 2, y + height - bar_width * 0.75
    canvas.setFillColor(background)
    canvas.setStrokeColor(background)
    if kind == "urgent":  # a warning triangle
        path = canvas.beginPath()
        path.moveTo(centre_x - size / 2, centre_y - size * 0.42)
        path.lineTo(centre_x + size / 2, centre_y - size * 0.42)
        path.lineTo(centre_x, centre_y + size * 0.48)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    else:  # a disc
        canvas.circle(centre_x, centre_y, size / 2, stroke=0, fill=1)
    canvas.setFillColor(bar)
    stroke = size * 0.14
    if kind == "info":  # "i": a dot above a stem
        canvas.circle(centre_x, centre_y + size * 0.22, stroke * 0.7, stroke=0, fill=1)
        canvas.rect(centre_x - stroke / 2, centre_y - size * 0.3, stroke, size * 0.38,
                    stroke=0, fill=1)
    else:  # "!": a stem above a dot
        canvas.rect(centre_x - stroke / 2, centre_y - size * 0.1, stroke, size * 0.38,
                    stroke=0, fill=1)
        canvas.circle(centre_x, centre_y - size * 0.25, stroke * 0.7, stroke=0, fill=1)


def _continued_mark(canvas, bar_x: float, y: float, bar_width: float, colour) -> None:
    """A downward arrowhead at the foot of the bar: the box goes on overleaf. Drawn, not
    written, so the text layer reads only what the editor wrote."""
    size = bar_width * 0.5
    centre_x, bottom = bar_x + bar_width / 2, y + bar_width * 0.35
    path = canvas.beginPath()
    path.moveTo(centre_x - size / 2, bottom + size * 0.6)
    path.lineTo(centre_x + size / 2, bottom + size * 0.6)
    path.lineTo(centre_x, bottom)
    path.close()
    canvas.setFillColor(colour)
    canvas.drawPath(path, stroke=0, fill=1)


class FittedImage(Flowable):
    """An image at its preferred size that shrinks (down to `min_scale`) to fit the space
    left on a page, instead of leaving a gap and jumping to the next page. The image is a
    raster file, or a vector Drawing (an SVG figure), whose text stays live text."""

    def __init__(self, source: str | BytesIO | Drawing, width: float, height: float,
                 min_scale: float = 0.7):
        super().__init__()
        from reportlab.platypus import Image
        self.vector = source if isinstance(source, Drawing) else None
        self.image = None if self.vector else Image(source)
        self.preferred = (width, height)
        self.min_scale = min_scale

    def wrap(self, available_width, available_height):
        width, height = self.preferred
        scale = min(1.0, available_width / width)
        if height * scale > available_height:
            scale = max(self.min_scale * scale, available_height / height)
        self.width, self.height = width * scale, height * scale
        if self.image is not None:
            self.image.drawWidth, self.image.drawHeight = self.width, self.height
        return self.width, self.height

    def draw(self):
        if self.image is not None:
            self.image.drawOn(self.canv, 0, 0)
            return
        drawing = self.vector
        self.canv.saveState()
        self.canv.scale(self.width / drawing.width, self.height / drawing.height)
        renderPDF.draw(drawing, self.canv, 0, 0, showBoundary=False)
        self.canv.restoreState()


QR_LEVEL = "M"  # error correction; brand.QR_MAX_BYTES is this level's capacity at version 15


@lru_cache(maxsize=64)
def _qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The dark/light grid of a QR code, in the smallest version that holds `value`.
    zxing-cpp encodes it in C++ (0.07 ms; ReportLab's pure-Python encoder took 4.6 ms), and
    the tests decode the printed code with the same library's reader."""
    problem = qr_length_problem(value)
    if problem:  # callers check first (online.py), with the brand key's place
        raise ValueError(f"QR code data {problem}")
    import zxingcpp  # only a leaflet with an online address pays for the import
    image = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode,
                                    ec_level=QR_LEVEL).to_image(scale=1, add_quiet_zones=False)
    side = image.shape[1]  # one byte a module below: 0 dark, 255 light
    pixels = memoryview(image).tobytes()  # type: ignore[arg-type]  # a buffer; stubs omit it
    return tuple(tuple(pixel == 0 for pixel in pixels[row:row + side])
                 for row in range(0, len(pixels), side))


class QrCode(Flowable):
    """A QR code (error correction M) drawn as a single filled path of dark runs.

    ReportLab's QR widget draws every run as its own shape through the graphics
    renderer, which cost more than the rest of a leaflet's page; one path is
    instant, sets no font and is as sharp.
    """

    def __init__(self, value: str, size: float):
        super().__init__()
        self.modules = _qr_modules(value)
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        box = self.width / len(self.modules)
        path = self.canv.beginPath()
        for row_number, row in enumerate(self.modules):
            column = 0
            for dark, run in groupby(row):
                length = len(list(run))
                if dark:
                    path.rect(column * box, self.height - (row_number + 1) * box,
                              length * box, box)
                column += length
        self.canv.setFillColor(black)
        self.canv.drawPath(path, stroke=0, fill=1)


def side_by_side(cells: list, widths: list[float], font: str, rtl: bool = False,
                 valign: str = "TOP") -> Table:
    """Columns of flowables with no padding or rules, in reading order: the first column
    on the leading side (the right in right-to-left leaflets). Tags keep reading order
    whatever the drawing order, as they are made at layout time."""
    if rtl:
        cells, widths = cells[::-1], widths[::-1]
    return Table([cells], colWidths=widths, hAlign="RIGHT" if rtl else "LEFT",
                 style=TableStyle([
                     ("VALIGN", (0, 0), (-1, -1), valign),
                     ("ALIGN", (0, 0), (-1, -1), "RIGHT" if rtl else "LEFT"),
                     ("FONT", (0, 0), (-1, -1), font),  # else Helvetica, never embedded
                     *[(side, (0, 0), (-1, -1), 0) for side in (
                         "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]]))
