"""Tagging while drawing: structure elements, the canvas that marks content, and `Tagged`.

Layout creates the logical tree (`Element`s) up front, in reading order, and wraps each
flowable in `Tagged(element, flowable)`. While a Tagged flowable draws, the canvas writes
its text objects (and images) as marked-content sequences with MCIDs and records them on
the element. Everything drawn with no owner (page furniture, boxes, rules, backgrounds)
is made an Artifact afterwards by pdfua.py, which also writes the structure tree.

ReportLab internals used (pinned version, covered by the conformance tests): the text
object's `_code` and `_textOut`, the canvas's `_code` (these through rlhooks.py), named
callbacks with `_curr_tx_info`, and `__dict__` snapshots for deferred pages (as in the classic
"page N of M" canvas recipe).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..rlhooks import code, set_text_out, shape_data, shaped_width, text_out as text_writer

CALLBACK = "ua"  # name of the paragraph onDraw callback that switches owners inline
_CLOSING = "end:"  # an inline switch's label: "<id>" opens the element, "end:<id>" closes it
# A bidirectional line is drawn in visual order, so its switches say where in reading order
# the sequence they open starts: "<label>#<position>". "line:#<position>" starts the line
# with a sequence of its own for what is open; "left:<id>" ends it and leaves that element
# open ("left:" none, "left:=" what was open when it started).
_KEY = "#"
_LINE = "line:"
_LEFT = "left:"
_AS_FOUND = "="
# "origin:" marks where a line's first piece is drawn, "origin:<slot>/<count>" that the
# next text operator is to start at slot `slot` of `count` just left of it (the order pdfium
# reads a line in: pdfiumorder.with_origin)
_ORIGIN = "origin:"
_ORIGIN_GAP = 0.01  # points between two slots: far less than a pixel, enough for pdfium
# "typed:<text>" opens an ActualText span of `text` around the pieces that follow, "typed:"
# alone closes it (lines._typed_spans: a number drawn apart from its punctuation)
_TYPED = "typed:"

# Shaped glyphs that no character maps to (Arabic contextual forms, ligatures) get
# private-use codes from ReportLab. Layout records the text each one stands for, per font
# (face name -> {code point: text}), and pdfua.py writes it into the font's ToUnicode map
# so that text extraction and read-aloud get the letters back.
PRIVATE_USE_TEXT: dict[str, dict[int, str]] = {}


def private_code(font_name: str, key: str, glyph: int, width: float, text: str) -> str:
    """A private-use code (ReportLab's, one per `key` in a process) drawing `glyph` at
    `width`, whose ToUnicode text is `text`."""
    code = pdfmetrics.getFont(font_name).hbAddPrivate(key, glyph, width)
    PRIVATE_USE_TEXT.setdefault(font_face_name(font_name), {}).setdefault(code, text)
    return chr(code)


def font_face_name(font_name: str) -> str:
    """The face name of a registered font, as PRIVATE_USE_TEXT is keyed."""
    face = pdfmetrics.getFont(font_name).face.name
    return face.decode("latin-1") if isinstance(face, bytes) else face


def glyph_text(face: str, char: str) -> str:
    """What the ToUnicode map of `face` says for the glyph ReportLab coded as `char`.

    A private-use code is the text its glyph was shaped from (tags.PRIVATE_USE_TEXT), and
    an Arabic presentation form (what ReportLab finds in the font's cmap for a joined
    letter, e.g. U+FE91 BEH INITIAL FORM) is its base letter, by NFKC. A ligature's
    letters (lam-alef) are written last letter first: poppler and pdfium both turn a
    right-to-left line into reading order by reversing it character by character. A
    Latin ligature with a code of its own (U+FB02 for the 'fl' of 'leaflets', which
    HarfBuzz makes in FreeSans) is its letters: poppler read 'leaﬂets'."""
    code = ord(char)
    if 0xE000 <= code <= 0xF8FF:
        return PRIVATE_USE_TEXT.get(face, {}).get(code, char)
    if 0xFB00 <= code <= 0xFB06:
        return unicodedata.normalize("NFKC", char)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        base = unicodedata.normalize("NFKC", char)
        return base if len(base) == 1 else base[::-1]
    return char


# The ActualText of glyphs that stand for no text: U+0000, which poppler and pdfium both read
# as nothing. An empty ActualText would say the same, but pdfium then reads the glyphs as if
# they had no span (measured).
NOTHING = "\x00"


def span_operator(text: str) -> str:
    """The BDC that opens an ActualText span (ISO 32000-1 14.9.4): `text` as a UTF-16BE
    string with byte order mark."""
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"


@dataclass(frozen=True)
class WordBreak:
    """A line that ends inside a word: a URL cut after a '/', a word hyphenated."""

    hyphen_added: bool = False  # the '-' ending the line is the break's, not the text's
    # The word's head is the last text drawn on its line and its tail the first on the
    # next (left-to-right paragraphs; a right-to-left line draws its end first).
    read_whole: bool = True


@dataclass(eq=False)
class Element:
    """A structure element. `kids` holds Elements and content references, in order."""

    role: str
    parent: "Element | None" = None
    alt: str | None = None
    lang: str | None = None
    title: str | None = None
    attributes: dict = field(default_factory=dict)  # e.g. {"O": "Table", "Scope": "Column"}
    kids: list = field(default_factory=list)
    url: str | None = None  # Link elements: the target, to match annotations
    bbox: list | None = None  # Figure: [x0, y0, x1, y1] on its first page
    repeat_as_artifact: bool = False  # drawn again (repeated table header): an artifact
    drawn: bool = False  # drawn once already (by Tagged): what repeat_as_artifact looks at
    ident: int = 0

    def add(self, role: str, **kw) -> "Element":
        child = Element(role, parent=self, **kw)
        self.kids.append(child)
        return child

    @property
    def has_content(self) -> bool:
        return any(isinstance(k, (MarkedContent, AnnotationRef)) for k in self.kids)


@dataclass(frozen=True)
class MarkedContent:
    page: int  # 0-based page index
    mcid: int


@dataclass(frozen=True)
class AnnotationRef:
    page: int
    index: int  # position among the page's link annotations, in creation order


class StructureLog:
    """What one build tagged: the tree's root, and inline owners by label."""

    def __init__(self, root: Element):
        self.root = root
        self.inline: dict[str, Element] = {}  # label -> element, for the inline callback
        self.open_inline: dict[int, Element] = {}  # id(paragraph) -> its link still open
        self.outline: list[tuple[int, str, int, str]] = []  # (page, key, level, title)
        self.page_count = 0

    def inline_element(self, parent: Element, role: str, **kw) -> str:
        element = parent.add(role, **kw)
        label = f"e{len(self.inline)}"
        self.inline[label] = element
        return label


class TaggingCanvas(Canvas):
    """A canvas that marks tagged content and defers pages until the total is known."""

    def __init__(self, *args, log: StructureLog, furniture=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._log = log
        self._furniture = furniture  # callable(canvas, page_number, page_count)
        self._owners: list[Element | None] = [None]
        self._next_mcid = 0
        self._pages: list[dict] = []
        # the sequence open now: its element, its content reference, the code list it is
        # in and its BDC (a bidirectional line's switch takes it back when still empty)
        self._sequence: tuple[Element, MarkedContent, list, str] | None = None
        self._line: _BidiLine | None = None
        self.setNamedCB(CALLBACK, _inline_switch)
        # Set by a paragraph about to draw: which of its lines end inside a word (a long
        # URL, a hyphenated word), to get no separating space. Taken by its text object.
        self.lines_ending_inside_words: list[WordBreak | None] = []

    # -- owners -------------------------------------------------------------------------
    @property
    def owner(self) -> Element | None:
        return self._owners[-1]

    def push_owner(self, element: Element | None) -> None:
        self._owners.append(element)

    def pop_owner(self) -> None:
        self._owners.pop()

    def _mark(self, element: Element) -> str:
        """Open a sequence for `element` on this page; returns the BDC operator text."""
        mcid = self._next_mcid
        self._next_mcid += 1
        kid = MarkedContent(self._pageNumber - 1, mcid)
        element.kids.append(kid)
        if self._line is not None:
            self._line.added(element, kid)
        return f"/{element.role} <</MCID {mcid}>> BDC"

    def _open_in(self, codes: list, element: Element) -> None:
        """Open a sequence of `element` at the end of `codes` (a text object's code)."""
        mark = self._mark(element)
        self._sequence = (element, element.kids[-1], codes, mark)
        codes.append(mark)

    def _drop_if_empty(self) -> bool:
        """Take back the open sequence if nothing was shown in it yet."""
        if self._sequence is None:
            return False
        element, kid, codes, mark = self._sequence
        # found by its text, unique on the page: a broken word's spans are inserted before it
        at = next(i for i in range(len(codes) - 1, -1, -1) if codes[i] == mark)
        if any(_SHOWS.search(entry) for entry in codes[at + 1:]):
            return False
        del codes[at]
        element.kids.remove(kid)  # a line's settle() orders only the kids still there
        if kid.mcid == self._next_mcid - 1:
            self._next_mcid -= 1
        self._sequence = None
        return True

    def stringWidth(self, text, fontName=None, fontSize=None):
        """Shaped text measured as drawn: a paragraph's underlines and link areas end
        where these widths add up to, and kerning made an Arabic leaflet's Latin
        addresses underlined 3 pt past their last letter."""
        width = shaped_width(text, fontName or self._fontname,
                             fontSize if fontSize is not None else self._fontsize)
        return super().stringWidth(text, fontName, fontSize) if width is None else width

    # -- drawing hooks ------------------------------------------------------------------
    def beginText(self, x=0, y=0, direction=None):
        text_object = super().beginText(x, y, direction)
        element = self.owner
        if element is not None:
            # A link that a page break cut in two goes on in the paragraph's next text object
            element = self._log.open_inline.get(id(element), element)
            # BT /Role <</MCID n>> BDC ... EMC ET: one sequence per text object, opened
            # now so that inline elements switched to while drawing come after it.
            self._open_in(code(text_object), element)
            text_object._tagged = True
            _separate_lines(text_object, self.lines_ending_inside_words)
        self.lines_ending_inside_words = []
        return text_object

    def drawText(self, text_object):
        if getattr(text_object, "_tagged", False):
            code(text_object).append("EMC")
        self._sequence = None
        return super().drawText(text_object)

    def switch_to(self, codes: list, element: Element, position: int | None = None) -> None:
        """Close the open sequence and open one of `element`; `position`, on a
        bidirectional line, is where in the line's reading order the new sequence starts."""
        if position is None or not self._drop_if_empty():
            codes.append("EMC")
        self._open_in(codes, element)
        if position is not None and self._line is not None:
            self._line.keys[id(element.kids[-1])] = position

    def start_line(self, codes: list, position: int) -> None:
        """A bidirectional line starts: what is open goes on in a sequence of its own."""
        owner = self.owner
        if owner is None:
            return
        self._line = _BidiLine(self._log.open_inline.get(id(owner)))
        if self._line.found is None:
            self.switch_to(codes, owner, position)
        else:
            self.enter_inline(codes, self._line.found, position)

    def end_line(self, left: str) -> None:
        """A bidirectional line ends: `left` says what it leaves open (see _LEFT), and the
        line's sequences take their places in reading order."""
        owner, line = self.owner, self._line
        if owner is None or line is None:
            return
        element = line.found if left == _AS_FOUND else (self._log.inline[left] if left else None)
        if element is None:
            self._log.open_inline.pop(id(owner), None)
        else:
            self._log.open_inline[id(owner)] = element
        line.settle()
        self._line = None
        if element is not None and not element.has_content:
            self._place(element)  # it opens after all the line holds (a card's label)

    def enter_inline(self, codes: list, element: Element, position: int) -> None:
        """Switch to the inline `element`, placed first if it is new (see _place)."""
        if not element.has_content:
            self._place(element, position)
        self.switch_to(codes, element, position)

    def _place(self, element: Element, position: int | None = None) -> None:
        """An inline element opened for the first time takes its place after what its
        paragraph holds so far."""
        parent = element.parent
        if parent is None:
            return
        parent.kids.remove(element)
        parent.kids.append(element)
        if self._line is not None and position is not None:
            self._line.added(parent, element)
            self._line.keys[id(element)] = position

    def tag_around(self, element: Element, draw) -> None:
        """Mark everything `draw()` paints (an image) as one sequence of `element`."""
        code(self).append(self._mark(element))
        self.push_owner(None)  # nothing inside may open a sequence of its own
        try:
            draw()
        finally:
            self.pop_owner()
        code(self).append("EMC")

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None,
                kind="URI", **kw):
        if abs(rect[2] - rect[0]) < 0.01 or abs(rect[3] - rect[1]) < 0.01:
            return None  # no area to click (a space between two styles of one link)
        url, label = link_target(url)
        element = self._log.inline.get(label) if label else None
        if element is None or element.url != url:  # every paragraph link names its Link
            raise RuntimeError(f"a link annotation to {url!r} names no Link element")
        element.kids.append(AnnotationRef(self._pageNumber - 1, self._link_count()))
        self._links_on_page = self._link_count() + 1
        return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    def _link_count(self) -> int:
        return getattr(self, "_links_on_page", 0)

    def bookmark_heading(self, title: str, level: int, y: float) -> None:
        key = f"h{len(self._log.outline)}"
        self.bookmarkHorizontal(key, 0, y)
        self._log.outline.append((self._pageNumber - 1, key, level, title))
        self.addOutlineEntry(title, key, level=level, closed=False)

    # -- deferred pages: draw the furniture once the page count is known ---------------
    def showPage(self):
        code(self)[:] = mark_artifacts(code(self))
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self._next_mcid = 0
        self._links_on_page = 0

    def save(self):
        total = self._log.page_count = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._furniture:
                code(self).append("/Artifact <</Type /Pagination /Subtype /Footer>> BDC")
                self.push_owner(None)
                self._furniture(self, self._pageNumber, total)
                self.pop_owner()
                code(self).append("EMC")
            super().showPage()
        super().save()


_SHOWS = re.compile(r"(?:Tj|TJ|'|\")(?:\s|$)")  # a text-showing operator in a code entry


class _BidiLine:
    """What one bidirectional line added to each element, and where in reading order
    each of its sequences (and each inline element it opened) starts."""

    def __init__(self, found: Element | None):
        self.found = found  # the inline element open when the line started
        self._added: dict[int, tuple[Element, list]] = {}
        self.keys: dict[int, int] = {}

    def added(self, element: Element, kid) -> None:
        self._added.setdefault(id(element), (element, []))[1].append(kid)

    def settle(self) -> None:
        """Put each element's kids from this line in reading order (stable: a kid with no
        position, a link's annotation, stays after those with one)."""
        for element, kids in self._added.values():
            ours = {id(kid) for kid in kids}
            at = [i for i, kid in enumerate(element.kids) if id(kid) in ours]
            ordered = sorted((element.kids[i] for i in at),
                             key=lambda kid: self.keys.get(id(kid), 1 << 30))
            for i, kid in zip(at, ordered):
                element.kids[i] = kid


PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "EI"}


def mark_artifacts(code: list[str]) -> list[str]:
    """Wrap every untagged painting entry of a page's code in /Artifact BMC ... EMC.

    ReportLab keeps a page as a list of code entries: "q" and "Q" alone, one entry per
    text object, one per path or image. Tagged text objects hold their own BDC ... EMC;
    everything else that paints at marked-content depth 0 (boxes, rules, grid lines, link
    underlines, the header, untagged text) becomes an artifact. Runs of entries are wrapped
    together, but never across q/Q or a marked sequence, so nesting stays valid.
    """
    result: list[str] = []
    depth, run = 0, []  # type: tuple[int, list[str]]

    def close_run():
        if any(_paints(entry) for entry in run):
            result.append("/Artifact BMC")
            result.extend(run)
            result.append("EMC")
        else:
            result.extend(run)
        run.clear()

    for entry in code:
        if entry.startswith("BT "):  # a whole text object: tagged inside, or untagged
            # (an untagged one may still hold ActualText spans: no MCID, so an artifact)
            tagged = "<</MCID " in entry
            if tagged or depth:
                close_run()
                result.append(entry)
            else:
                run.append(entry)
            continue
        if entry in ("q", "Q") or entry.endswith((" BDC", " BMC")) or entry == "EMC" or \
                not _balanced(entry):
            close_run()
            result.append(entry)
            if entry.endswith((" BDC", " BMC")):
                depth += 1
            elif entry == "EMC":
                depth -= 1
        elif depth == 0:
            run.append(entry)
        else:
            result.append(entry)
    close_run()
    return result


def _paints(entry: str) -> bool:
    return entry.startswith("BT ") or any(token in PAINTING for token in entry.split())


def _balanced(entry: str) -> bool:
    tokens = entry.split()
    return tokens.count("q") == tokens.count("Q") and tokens.count("BT") == tokens.count("ET")


def closing(label: str) -> str:
    """The label of the switch that closes the inline element `label` opens."""
    return _CLOSING + label


def closes(label: str) -> bool:
    return label.startswith(_CLOSING)


def opened_by(label: str) -> str:
    """The label that opened the element a closing switch closes ('end:e3' -> 'e3')."""
    return label[len(_CLOSING):]


_OWNED_BY = " "  # in a paragraph's link target, before the Link's label: no URL holds one


def owned_link(url: str, label: str) -> str:
    """The target a paragraph's <a> is given: the URL and the label of its Link element,
    so each annotation goes to its own Link (matched by URL, two links to one address on
    a line both went to the last). linkURL writes the URL alone (link_target)."""
    return f"{url}{_OWNED_BY}{label}"


def link_target(target: str) -> tuple[str, str | None]:
    """The URL of an <a> target, and the label of the Link it belongs to (or None)."""
    url, owned, label = target.partition(_OWNED_BY)
    return url, label if owned else None


def at_position(label: str, position: int) -> str:
    """A bidirectional line's switch `label`, where the line's reading order reaches
    `position` (lines._position)."""
    return f"{label}{_KEY}{position}"


def line_start(position: int) -> str:
    return at_position(_LINE, position)


def line_end(left: str | None) -> str:
    """`left`: the label of the element the line leaves open, "" for none, None for what
    was open when it started."""
    return _LEFT + (_AS_FOUND if left is None else left)


def line_origin() -> str:
    return _ORIGIN


def origin_slot(slot: int, count: int) -> str:
    return f"{_ORIGIN}{slot}/{count}"


def typed_start(text: str) -> str:
    return _TYPED + text


def typed_end() -> str:
    return _TYPED


def start_next_text_at(canvas, x: float) -> None:
    """The next text operator drawn on `canvas` starts at `x` (in the user space it is
    drawn in), then moves back to where its glyphs go, as a line's moved piece does (see
    _note_origin, pdfiumorder.with_origin): pdfium reads a line's operators in the order
    of where each starts (a list label drawn right of its item's first line)."""
    canvas._next_text_at = x


def take_next_text_start(text_object) -> None:
    """The text object's first text starts where start_next_text_at asked."""
    x = text_object._canvas.__dict__.pop("_next_text_at", None)
    if x is not None and "_origin_shift" not in text_object.__dict__:
        text_object._origin_shift = x - text_object.getX()


def _note_origin(tx_info: dict, slot: str) -> None:
    """At a line's start, where it starts; before a piece to be moved, how far left its
    text operator is to start (`_origin_shift`, taken by pdfiumorder.with_origin)."""
    tx, x = tx_info["tx"], tx_info["cur_x"]
    if not slot:
        tx._line_left = x
        return
    number, count = map(int, slot.split("/"))
    tx._origin_shift = tx._line_left - (count - number) * _ORIGIN_GAP - x


def _inline_switch(canvas: TaggingCanvas, kind: str, label: str) -> None:
    """onDraw callback: switch the open sequence to another element inside a text object.

    Sequences never nest: the current one is closed and the next one opened in its place.
    Labels are "<id>" to start an inline element (link, citation) and "end:<id>" to go back
    to the paragraph that holds it; a bidirectional line's are keyed (see _KEY). An
    "origin:" label tags nothing (see _ORIGIN); a "typed:" one opens or closes an
    ActualText span (see _TYPED).
    """
    if label.startswith(_ORIGIN):
        _note_origin(canvas._curr_tx_info, label[len(_ORIGIN):])
        return
    codes = code(canvas._curr_tx_info["tx"])
    if label.startswith(_TYPED):  # tagged or not: it is the text layer
        typed = label[len(_TYPED):]
        codes.append(span_operator(typed) if typed else "EMC")
        return
    if canvas.owner is None:
        return
    if label.startswith(_LEFT):
        canvas.end_line(label[len(_LEFT):])
        return
    label, keyed, position = label.partition(_KEY)
    if label == _LINE:
        canvas.start_line(codes, int(position))
        return
    ending = closes(label)
    element = canvas._log.inline[opened_by(label) if ending else label]
    target = element.parent if ending else element
    if element.parent is None or target is None:
        return
    if keyed and ending:
        canvas.switch_to(codes, target, int(position))
        return
    if keyed:
        canvas.enter_inline(codes, target, int(position))
        return
    if ending:
        canvas._log.open_inline.pop(id(element.parent), None)
    else:
        canvas._log.open_inline[id(element.parent)] = element
        canvas._place(element)  # reading order: it follows the text drawn before it
    canvas.switch_to(codes, target)


def _separate_lines(text_object, breaks: list[WordBreak | None]) -> None:
    set_text_out(text_object, _LineWriter(text_object, breaks))


class _LineWriter:
    """Writes a paragraph's lines (its text object's `_textOut`, one call a piece of text,
    the last of a line with `TStar`).

    Every line ends with a space, so text extraction and read-aloud keep words apart (not
    after Chinese and Japanese, which put no spaces between words, nor after a line that
    ends inside a word: `breaks`, one a line). A word broken across two lines is read
    whole: poppler and pdfium read 'patient.information@' / 'riverside.example.nhs.uk' as
    two words. Its head is written in a span whose ActualText is the whole word, its tail
    in a span of NOTHING, each inside one line, so both nest in the marked content around
    them. The head's span is put in when its tail is written, so a paragraph cut by a page
    between the two keeps its text as drawn."""

    def __init__(self, text_object, breaks: list[WordBreak | None]):
        self.text_object = text_object
        self.code = code(text_object)
        self.write = text_writer(text_object)
        self.breaks = breaks
        self.line = 0
        self.head: _Written | None = None  # this line's last word, written on its own
        self.word: list[_Written] = []  # the parts of a broken word written so far

    def __call__(self, text, TStar=0):
        broken = self.breaks[self.line] if self.line < len(self.breaks) else None
        if TStar and text and not text.endswith(" ") and not _ideographic(text[-1]) and \
                broken is None:
            text += " "
        if self.word and text:
            text = self._go_on_with_word(text, TStar)
            if not text:  # all of it was a part of the word
                if TStar:
                    self._end_line(broken)
                return
        if text and broken is not None and broken.read_whole:
            self._write_head(text, TStar)
        else:
            self.write(text, TStar)
        if TStar:
            self._end_line(broken)

    def _write_head(self, text, TStar) -> None:
        """The line's text so far, its last word written on its own (it may be the head)."""
        cut = max(text.rfind(" "), text.rfind("\u00a0")) + 1
        if cut:
            self.write(text[:cut], 0)
        self.head = self._written(text[cut:], TStar) if cut < len(text) else None

    def _written(self, text, TStar) -> _Written:
        self.write(text, TStar)
        return _Written(len(self.code) - 1, reads_as(text, self.text_object._fontname),
                        has_actual_text(text))

    def _end_line(self, broken: WordBreak | None) -> None:
        head, self.head = self.head, None
        self.line += 1
        goes_on = broken is not None and broken.read_whole
        if self.word:  # a broken word's part ended the line: the word goes on, or ends
            if not goes_on:
                self._finish_word()
            return
        if not goes_on or head is None:
            return
        if broken is not None and broken.hyphen_added and head.text.endswith("-"):
            head = _Written(head.at, head.text[:-1], head.spanned)
        if head.text and not _ideographic(head.text[-1]) and not head.spanned:
            self.word = [head]

    def _go_on_with_word(self, text, TStar):
        """Writes what `text` holds of the broken word, up to its first space; returns
        the rest, once the word is finished."""
        cut = next((i for i, char in enumerate(text) if char.isspace()), len(text))
        part = text[:cut]
        if part and (_ideographic(part[0]) or has_actual_text(part)):
            self._finish_word()
            return text
        if part:
            self.word.append(self._written(part, TStar if cut == len(text) else 0))
        if cut < len(text):
            self._finish_word()
        return text[cut:]

    def _finish_word(self) -> None:
        """The spans of a word whose parts were written on two or more lines: the first
        carries the whole word, the others nothing."""
        parts, self.word = self.word, []
        if len(parts) < 2:
            return
        whole = "".join(p.text for p in parts)
        for n, written in reversed(list(enumerate(parts))):
            self.code.insert(written.at + 1, "EMC")
            self.code.insert(written.at, span_operator(whole if n == 0 else NOTHING))


@dataclass(frozen=True)
class _Written:
    at: int  # its text operator's index in the text object's code
    text: str
    spanned: bool  # it holds ActualText spans of its own (has_actual_text)


def reads_as(text, font_name: str) -> str:
    """The text a run of glyphs is read as, in drawing order: each glyph's ToUnicode
    text, or its ActualText span's text once for the span. A shaped run's codes are not
    its text: the 'ﬂ' glyph of 'leaflets' is read 'fl', Gujarati 'ત્રિ' is one span."""
    data = shape_data(text)
    if data is None and not any(0xE000 <= ord(ch) <= 0xFB06 for ch in text):
        return str.__str__(text)
    face = font_face_name(font_name)
    read, span = [], None
    for char, glyph in zip(str.__str__(text), data or [None] * len(text)):
        actual = getattr(glyph, "actual", None)
        if actual is None:
            read.append(glyph_text(face, char))
        elif actual is not span:
            read.append(actual.text.replace(NOTHING, ""))
        span = actual
    return "".join(read)


def has_actual_text(text) -> bool:
    """Shaped text holding ActualText spans of its own (actualtext.py): a span around it
    would contradict them."""
    return any(getattr(glyph, "actual", None) for glyph in shape_data(text) or ())


def _ideographic(char: str) -> bool:
    return 0x2E80 <= ord(char) <= 0x9FFF or 0xF900 <= ord(char) <= 0xFAFF or \
        0xFF00 <= ord(char) <= 0xFFEF


class Tagged(Flowable):
    """Draws `flowable` with `element` as the owner of its content; splits keep the owner."""

    def __init__(self, element: Element, flowable, *, around: bool = False, outline=None):
        super().__init__()
        self.element, self.flowable, self.around, self.outline = element, flowable, around, outline
        # spacing is read from the wrapped flowable (getSpaceBefore/After below)
        if hasattr(flowable, "keepWithNext"):
            self.keepWithNext = flowable.keepWithNext
        # placed here, not by the flowable, so a Figure's bbox is where it is drawn
        self.hAlign = getattr(flowable, "hAlign", "LEFT")

    def wrap(self, available_width, available_height):
        self.width, self.height = self.flowable.wrap(available_width, available_height)
        return self.width, self.height

    def getSpaceBefore(self):
        return self.flowable.getSpaceBefore()

    def getSpaceAfter(self):
        return self.flowable.getSpaceAfter()

    def split(self, available_width, available_height):
        parts = self.flowable.split(available_width, available_height)
        # the bookmark goes with the first part: a heading too long for the space left
        # (a very long title word) is split, and its level must still be in the outline
        return [Tagged(self.element, part, around=self.around,
                       outline=self.outline if n == 0 else None)
                for n, part in enumerate(parts)]

    def drawOn(self, canvas, x, y, _sW=0):
        x, _sW = self._hAlignAdjust(x, _sW), 0
        if not isinstance(canvas, TaggingCanvas):
            return self.flowable.drawOn(canvas, x, y, _sW)
        if self.outline:
            canvas.bookmark_heading(self.outline[0], self.outline[1], y + self.height)
        # not has_content: a header cell whose words are all a link's holds no sequence
        # of its own once an empty one is taken back (a right-to-left line's switches)
        repeat = self.element.repeat_as_artifact and self.element.drawn
        element = None if repeat else self.element
        self.element.drawn = True
        if element is not None and self.around:
            if element.bbox is None:
                element.bbox = [x, y, x + self.width, y + self.height]
            canvas.tag_around(element, lambda: self.flowable.drawOn(canvas, x, y, _sW))
            return
        canvas.push_owner(element)
        try:
            self.flowable.drawOn(canvas, x, y, _sW)
        finally:
            canvas.pop_owner()
