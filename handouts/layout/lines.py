"""Paragraphs whose lines need more than ReportLab's left-to-right breaking.

`LinearParagraph` (the base of all of them) keeps the lines it has broken when a page
break splits it, so the rest on the next page is not broken again from its first word,
and breaks again from a line that ReportLab let run past the edge (a long URL).
`BidiParagraph` breaks lines in reading order and draws each line's words in visual order
(right-to-left text, or left-to-right text holding right-to-left words), by the
Unicode bidirectional algorithm (python-bidi, in bidi.py). `CJKParagraph` breaks Chinese between characters,
keeping closing punctuation off the start of a line and opening brackets off its end.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import add

import pyphen
from reportlab.lib.styles import ParagraphStyle

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.lib.abag import ABag
from reportlab.lib.rl_accel import sameFrag
from reportlab.platypus import Paragraph

from ..rlhooks import (EMAIL, HYPHENATE_ON_NEXT_LINE, cjk_callbacks_breakable, cjk_callbacks_drawn,
                       install_url_splitter, looks_like_email, looks_like_url,
                       shape_data, shaped_width, treated_as_address)
from .bidi import line_items, reading_order, visual_order
from ..pdf.pdfiumorder import (Reversed, ReversedPlain, drawn_read_right_to_left, marked,
                               mirrored, needs_reversing, number_punctuation, read_right_to_left)
from ..pdf.tags import (CALLBACK, WordBreak, at_position, closes, closing, has_actual_text,
                        line_end, line_origin, line_start, opened_by, origin_slot, reads_as,
                        typed_end, typed_start)
from ..patterns import patterns
from ..scripts import has_rtl
from .markup import NBSP
from .shaping import paragraph_direction, word_levels_of


_FUZZ = 1e-6  # points: the same width, within rounding

# A long URL may end a line just after one of these, or just before a hyphen, and nowhere
# else: nothing is added and no letter cut off, so what a reader copies is the address.
# Never after a hyphen: poppler and pdfium both take a hyphen ending a line for one added
# there, and drop it ('patient-' + 'information' reads back 'patientinformation').
URL_BREAK_AFTER = "/.?&=@"
URL_BREAK_BEFORE = "-"
# A leaflet code in an address ('.../leaflets/PIL-0042') is read as one token: a line
# never ends before its hyphen ('PIL' / '-0042' was seen under the QR code).
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,8}-\d+(?![A-Za-z0-9])")


def url_break_points(url: str) -> list[int]:
    """The offsets at which a line may end inside `url`, never inside or straight after
    the scheme ('https://' alone on a line), nor inside a leaflet code."""
    start = url.find("://") + 3 if "://" in url else 0
    in_codes = {match.start() + match.group().index("-") for match in _CODE.finditer(url)}
    return [at + 1 for at in range(start + 1, len(url) - 1) if url[at] in URL_BREAK_AFTER] \
        + [at for at in range(start + 2, len(url))
           if url[at] in URL_BREAK_BEFORE and at not in in_codes]


def unbreakable_pieces(word: str) -> list[str]:
    """The narrowest parts a word can be set in, when it must be broken: a URL's pieces
    between its break points, or a compound's parts after its hyphens."""
    if not looks_like_url(word):
        heads = [head for head, _ in _after_hyphens(word)]
        ends = [0, *sorted(len(head) for head in heads), len(word)]
        return [word[start:end] for start, end in zip(ends, ends[1:])]
    ends = [0, *sorted(url_break_points(word)), len(word)]
    return [word[start:end] for start, end in zip(ends, ends[1:])]


install_url_splitter(url_break_points)


class LinearParagraph(Paragraph):
    """A paragraph whose part after a page break reuses the lines already broken.

    ReportLab breaks the rest of a split paragraph again from scratch on every page,
    which grows with the square of a long paragraph's length (148 KB of text took 8 to 11
    times as long as 37 KB). The rest's lines are the same ones at the same width, since
    each line is broken from its own first word, so the part after a split keeps them and
    only breaks again when it is wrapped at another width.
    """

    _rest_of: tuple | None = None  # (width the lines were broken at, those lines)
    hyphenation = ""  # the pyphen language of the text ('en_GB'), set by typeset.py

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the text as written, read before line breaking replaces the frags with words
        self._source = "".join(_frag_text(f) for f in getattr(self, "frags", [])
                               if not hasattr(f, "cbDefn"))

    @property
    def written(self) -> str:
        """This part's text as written (a split part holds its own lines' text)."""
        return self._source

    _whole: str | None = None  # a split part's: the text of the paragraph it is part of

    @property
    def whole_text(self) -> str:
        """The text of the whole paragraph this is, or is a part of (a right-to-left
        part's `written` can be empty: its lines hold shaped words)."""
        return self._whole if self._whole is not None else self._source

    _wrapped_at: float | None = None  # the width of the last wrap, whose lines blPara holds

    def wrap(self, availWidth, availHeight):
        if availWidth == self._wrapped_at and hasattr(self, "blPara"):
            # measured, then placed (a group kept together, a callout, a table's cell):
            # the same width breaks the same lines, as ReportLab's own split assumes
            return self.width, self.height
        kept = self._kept_lines(availWidth)
        if kept is None:
            width, height = super().wrap(availWidth, availHeight)
            if hasattr(self, "_wrapWidths"):  # not set when no width was available
                self._broken_at = self._wrapWidths[-1]
                self._break_overflow_again(availWidth, availHeight)
                self._wrapped_at = availWidth
            return self.width, self.height
        self.width, self.blPara = availWidth, kept
        self.height = len(kept.lines) * self.style.leading
        self._wrapped_at = availWidth
        return self.width, self.height

    def breakLines(self, width):
        """Broken as ReportLab does (see _break_once), and no line starts with a
        citation: its word goes down with it."""
        result = self._break_once(width)
        if self.style.wordWrap == "CJK":
            return result  # Chinese and Japanese are broken by their own rules (CJKParagraph)
        return self._citations_kept_with_their_words(result, width)

    def _citations_kept_with_their_words(self, result, width):
        """The lines with no citation ('[4]', '[1, 2]') at the start of a line: the line
        before is broken again narrower, so its last word goes down with the citation,
        and keeps its alignment. markup.to_markup joins a word and its citation with a
        no-break space, so this acts only where a plain space is left between them (none
        in left-to-right examples: 0 of 10,889 paragraphs in five variants). It is for
        right-to-left text, where typeset.plain_edge_joiners makes that space plain
        (igrt.ar printed '[4].' alone on a line in seven variants)."""
        widths = list(width) if isinstance(width, (list, tuple)) else [width]
        narrowed: dict[int, float] = {}
        last, step = None, 0.0
        for _ in range(CITATION_MOVES):
            texts = _line_texts(result.lines)
            at = next((n for n, text in enumerate(texts) if n and _starts_with_citation(text)
                       and len(texts[n - 1].split()) > 1), None)
            if at is None:
                break
            # narrower than the words it holds, by more each time the same line keeps its
            # last word (a line may end a point past its width: spaces shrink, kerning)
            step = step * 4 if at == last else 0.5
            last = at
            widths += [widths[-1]] * (at + 2 - len(widths))  # the last width goes on
            used = widths[at - 1] - _extra_space(result.lines[at - 1])
            narrower = min(widths[at - 1], used) - step
            narrowed[at - 1] = narrowed.get(at - 1, 0.0) + widths[at - 1] - narrower
            widths[at - 1] = narrower
            result = self._break_once(widths)
        for number, by in narrowed.items():  # drawn against the column, not the narrower line
            if number < len(result.lines):
                result.lines[number] = _with_extra_space(result.lines[number], by)
        return result

    def _break_once(self, width):
        """Broken as ReportLab does, but a word too long for any line (a drug name in a
        narrow column) breaks at its own hyphens, or else is hyphenated with the
        language's patterns, never cut anywhere. Words that fit a line are never
        hyphenated: clear-print guidance avoids it."""
        style = self._hyphenating_style(min(width) if isinstance(width, list) else width)
        if style is None:
            return super().breakLines(width)
        own, self.style = self.style, style
        try:
            return super().breakLines(width)
        finally:
            self.style = own

    def _hyphenating_style(self, width: float) -> ParagraphStyle | None:
        """The style with a hyphenator for words wider than `width` (pyphen's (head, tail)
        pairs, none for other words); None when the paragraph has no such word or its
        language no patterns. When every such word can break at its own hyphens, none is
        cut by ReportLab's long-word splitting either: a compound that cannot break on its
        line goes down whole and is broken there (_break_overflow_again)."""
        font, size = self.style.fontName, self.style.fontSize
        too_long = [word for word in self._source.split() if stringWidth(word, font, size) > width]
        if not self.hyphenation or not too_long:
            return None
        hyphenator = patterns(self.hyphenation)

        def fits(word: str) -> bool:
            return all(stringWidth(piece, font, size) <= width
                       for piece in unbreakable_pieces(word))

        def pairs(word: str):
            # only a word wider than its line is asked about (rlhooks: the width is that of
            # the word with its punctuation, which ReportLab strips before asking)
            if looks_like_email(word):
                return ()  # an address breaks where a URL does (rlhooks), never hyphenated
            own = _after_hyphens(word)
            if own and fits(word):
                return own
            # the patterns' points first; if none of them fits ('chlorthali-' is wider
            # than a cell 'chlorthali' just fills), a point between letters that does
            return [*own, *hyphenator.iterate(word), *between_letters(word, font, size, width)]
        # an address is broken by the URL splitter alone, on the line it starts (for the
        # whole paragraph: its other long words are then cut as ReportLab cuts them)
        # (which is ReportLab's long-word splitting: off, an email address wider than its
        # line went down whole and ran past the column, seen in an A5 large-print card)
        addresses = any(map(treated_as_address, too_long))
        next_line = 0 if addresses else HYPHENATE_ON_NEXT_LINE
        return ParagraphStyle(self.style.name, parent=self.style, hyphenationLang=pairs,
                              splitLongWords=0 if all(map(fits, too_long)) and not addresses
                              else 1, embeddedHyphenation=next_line)

    def _break_overflow_again(self, available_width: float, available_height: float) -> None:
        """Break again from the first line that runs past the edge (see _runs_off).

        ReportLab splits a long URL once, after a '/', and lets the rest of it run on
        past the margin and off the page; broken from its own first word, the rest is
        split properly. The first line is left as it is: broken again it would be the same.
        Chinese is broken between characters and never runs on like this.
        """
        lines = self.blPara.lines
        bad = next((n for n, line in enumerate(lines) if n and _runs_off(line, self.style)),
                   None)
        leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        if bad is None or self.style.firstLineIndent or leading not in ("", "off") or \
                self.style.wordWrap == "CJK":
            return
        rest = self.__class__(None, self.style, frags=self._get_split_blParaFunc()(
            self.blPara, bad, len(lines)))
        rest.hyphenation = self.hyphenation
        rest.wrap(available_width, available_height)  # itself breaks on at its next overflow
        if getattr(rest.blPara, "kind", None) != self.blPara.kind:
            return
        start = getattr(lines[bad], "sFW", None)
        if start is not None:  # the rest's words (with the pieces it split) follow ours
            frags: list = getattr(self, "frags")  # set by ReportLab's Paragraph
            self.frags = [*frags[:start], *getattr(rest, "frags")]
        tail = _shifted(rest.blPara.lines, start or 0)
        self.blPara = self.blPara.clone(lines=[*lines[:bad], *tail])
        self.height = len(self.blPara.lines) * self.style.leading

    def _kept_lines(self, available_width: float):
        """The lines kept from the split, when wrapped at their own width (and the style
        sets no per-line leading, whose heights this shortcut does not measure)."""
        leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        if self._rest_of is None or leading not in ("", "off"):
            return None
        broken_at, lines = self._rest_of
        style = self.style
        width = available_width - style.leftIndent - style.rightIndent
        if style.firstLineIndent or abs(width - broken_at) > _FUZZ:
            return None
        return lines

    def drawPara(self, debug=0):
        """Drawn as ReportLab draws it; the tagging canvas first learns which lines end
        inside a word (cut by a hyphen or at a URL-safe point), for the text layer.
        (Synthetic bold is drawn by rlhooks, from the font's name.)"""
        if hasattr(self.canv, "lines_ending_inside_words"):  # the tagging canvas
            self.canv.lines_ending_inside_words = _ends_inside_words(self)
        return super().drawPara(debug)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.hyphenation = self.hyphenation
            part._whole = self.whole_text
        if len(parts) == 2 and hasattr(self, "_broken_at"):
            first, rest = parts
            lines = self.blPara
            kept = lines.lines[len(first.blPara.lines):]
            if kept and not any(_runs_off(line, self.style) for line in kept):
                # the rest holds this paragraph's words from its first line's first word on
                kept = _shifted(kept, -getattr(kept[0], "sFW", 0))
                rest._rest_of = (self._broken_at, lines.clone(lines=kept))
                rest._broken_at = self._broken_at
                # and the first part its own lines: broken again from the shaped words, a
                # right-to-left paragraph lost the levels it resolved ('NHS.' drew '.NHS')
                first._rest_of = (self._broken_at,
                                  lines.clone(lines=lines.lines[:len(first.blPara.lines)]))
                first._broken_at = self._broken_at
        return parts


def _after_hyphens(word: str) -> list[tuple[str, str]]:
    """A compound's own break points ('angiotensin-' 'converting'), longest head first:
    nothing is added to the text there."""
    return [(word[:at + 1], word[at + 1:]) for at in range(len(word) - 2, 0, -1)
            if word[at] == "-"]


FALLBACK_POINTS = 60  # the most break points offered in a word the patterns cannot break
FALLBACK_WIDTHS = 3  # lines: a longer 'word' is no word, and is cut by ReportLab as before


def between_letters(word: str, font: str, size: float, width: float) -> list[tuple[str, str]]:
    """(head, tail) pairs for a word the patterns cannot break ('Entonox'): between two
    letters, never inside a number, each head no wider than a line, longest first. So
    it is hyphenated where it must be, not cut with no hyphen ('(Entono' / 'x)' was
    seen). Only the FALLBACK_POINTS longest heads: a 1,000-letter word would otherwise
    offer a thousand, each measured, on each of its lines; and none in a 'word' of more
    than FALLBACK_WIDTHS lines, which is no word and is cut as ReportLab cuts it."""
    if stringWidth(word, font, size) > FALLBACK_WIDTHS * width:
        return []
    fits, used = 0, 0.0
    for at, char in enumerate(word):
        used += stringWidth(char, font, size)
        if used > width:
            break
        fits = at + 1
    points = [at for at in range(min(fits, len(word) - 2), 1, -1)
              if word[at - 1].isalpha() and word[at].isalpha()]
    return [(word[:at], word[at:]) for at in points[:FALLBACK_POINTS]]


def hyphenation_language(tag: str) -> str:
    """The pyphen patterns for a language tag ('en-GB' -> 'en_GB'), or '' when it has
    none (Arabic, Chinese): those words are cut where they must be, except that a shaped
    word too wide for its table column stops the build (blocks._check_words_fit)."""
    return pyphen.language_fallback(tag.replace("-", "_")) or ""


def _frag_text(frag) -> str:
    """A frag's text; the rest of a one-run paragraph split at a line holds its words."""
    text = getattr(frag, "text", None)
    return str(text) if text else " ".join(map(str, getattr(frag, "words", None) or []))


def _ends_inside_words(paragraph) -> list[WordBreak | None]:
    """For each line, whether it ends inside a word of the text (a URL broken after a '/',
    a word hyphenated): the text has no space where the line ends."""
    read_whole = not getattr(paragraph, "rtl", False)
    return [WordBreak(end == HYPHENATED, read_whole) if end in (INSIDE, HYPHENATED) else None
            for end in _line_ends(paragraph._source,
                                  _line_texts(paragraph.blPara.lines, read=True))]


def _line_texts(lines, read: bool = False) -> list[str]:
    """The text each line draws, without our tag callbacks; with `read`, the text it is
    read as (tags.reads_as): a line of shaped glyphs (Gujarati 'ઇમેઇલ:' before an email
    address) is its letters, which the source can be walked by, not its glyph codes."""
    return [_line_text(line, read) if hasattr(line, "words") else " ".join(line[1])
            for line in lines]


# Where a line ends in the text: at a space, at a no-break space (ReportLab's CJK breaker
# takes it for a space: a phone number '020 7946 0199' was split), inside a word (with a
# hyphen the break added, or without), unsure.
SPACE, NO_BREAK, INSIDE, HYPHENATED, UNSURE = ("space", "no-break space", "inside",
                                               "hyphenated", "unsure")


def _line_ends(source: str, texts: list[str]) -> list[str]:
    """Where each line of `texts` ends in `source`: at a space (which the break drops),
    inside a word, or UNSURE. Found by walking the text by its non-space characters,
    line by line; a hyphen the text does not have at that point was added by the break.
    A line read otherwise than written (right-to-left glyphs in drawing order) makes the
    rest UNSURE."""
    ends: list[str] = []
    at = 0
    for text in texts:
        text = text.rstrip()
        added_hyphen = text.endswith("-")
        for char in text[:-1] if added_hyphen else text:
            if char.isspace():
                continue
            while at < len(source) and source[at].isspace():
                at += 1
            if at == len(source) or source[at] != char:
                return ends + [UNSURE] * (len(texts) - len(ends))
            at += 1
        if added_hyphen and at < len(source) and source[at] == "-":
            at += 1  # the text's own hyphen, not one the break added
            added_hyphen = False
        ends.append(UNSURE if at >= len(source) else NO_BREAK if source[at] == NBSP else
                    SPACE if source[at].isspace() else HYPHENATED if added_hyphen else INSIDE)
    return ends


# A citation group as the citation builder prints it (markup.py): '[4]', '[1, 2]', '[3-5]'
CITATION = re.compile(r"\[\d+(?:[\s\u00a0]*[,\u060c\u2013\-][\s\u00a0]*\d+)*\]")
CITATION_MOVES = 8  # lines broken again at most, for the citations of one paragraph
# The same as the first word of a shaped right-to-left line: its glyphs are in drawing
# order, so '[4].' is drawn '.[4]' and its brackets may be mirrored.
_SHAPED_CITATION = re.compile(r"[.\u060c\u061b:]*[\[\]]\d+(?:[\s\u00a0]*[,\u060c\u2013\-]"
                              r"[\s\u00a0]*\d+)*[\[\]](?:[.\u060c\u061b:]|\s|$)")


def _starts_with_citation(text: str) -> bool:
    text = text.lstrip()
    return bool(CITATION.match(text) or _SHAPED_CITATION.match(text))


def _extra_space(line) -> float:
    return line[0] if isinstance(line, tuple) else line.extraSpace


def _with_extra_space(line, more: float):
    if isinstance(line, tuple):
        return (line[0] + more, *line[1:])
    line.extraSpace += more
    return line


def _runs_off(line, style) -> bool:
    """Whether a line ends past the edge by more than an em: ReportLab's space shrinking
    ends lines a point or two past it; more is the piece of a long word (a URL) that it
    split once and let run on. Such a line is broken again, never kept."""
    return _extra_space(line) < -style.fontSize


def _shifted(lines: list, by: int) -> list:
    """Lines with the index of each one's first word (`sFW`, which ReportLab's next split
    reads in the paragraph's words) moved by `by`, for a paragraph holding more or fewer
    words before them. Lines of one run of text (tuples) carry no index."""
    if not by or not all(hasattr(line, "sFW") for line in lines):
        return lines
    return [line.clone(sFW=line.sFW + by) for line in lines]


class BidiParagraph(LinearParagraph):
    """A paragraph whose lines are broken in reading order and drawn in visual order.

    Each word is shaped on its own by HarfBuzz (so Arabic letters join and each word runs
    in its own direction); the words of every line are then ordered by the bidirectional
    algorithm at draw time, so splitting across pages still sees reading order.
    """

    rtl = False
    field_after: str | None = None  # a 'label: value' line (blocks.contact): its separator

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _note_owners(getattr(self, "frags", []))

    def _break_once(self, width):
        # the runs of a word, in order (each break resolves the paragraph's levels anew)
        with paragraph_direction(self.rtl, self._source, self._fields()):
            return super()._break_once(width)

    def _fields(self) -> tuple[tuple[int, int], ...]:
        """The value after the label, which is resolved on its own (bidi.isolated_levels):
        it is data, in whatever language the brand or leaflet gave it."""
        at = self._source.find(self.field_after) if self.field_after else -1
        return ((at + len(self.field_after or ""), len(self._source)),) if at > 0 else ()

    def drawPara(self, debug=0):
        lines = self.blPara
        if getattr(lines, "kind", 0) != 1:
            return super().drawPara(debug)
        words = _line_words(self.frags, lines.lines)
        tagged = any(_is_switch(frag) for line in lines.lines for frag in line.words)
        self.blPara = lines.clone(lines=[
            _visual_line(line, self.rtl, known, tagged, self.whole_text)
            for line, known in zip(lines.lines, words)])
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = lines


class RightToLeftParagraph(BidiParagraph):
    rtl = True


class MixedParagraph(BidiParagraph):
    """Left-to-right text holding right-to-left words (an Arabic name in English)."""


class CJKParagraph(LinearParagraph):
    """A paragraph broken between characters (Chinese, Japanese), with our inline tags
    intact, every line inside the column, and no line starting with closing punctuation,
    ending with an opening bracket, or breaking inside a date ('2026年11月24日')."""

    def breakLinesCJK(self, maxWidths):
        cjk_callbacks_breakable(self.frags)
        result = super().breakLinesCJK(maxWidths)
        ends = _line_ends(self._source, _line_texts(result.lines))
        if result.kind == 1:
            _settle(result.lines, maxWidths[-1], _new_frag_line, ends)
            for line in result.lines:
                line.words = [frag for frag in line.words if not _empty_text(frag)]
                cjk_callbacks_drawn(line.words)
            cjk_callbacks_drawn(self.frags)
        elif result.lines:  # one run of text: lines are (space left, [text])
            lines = [_Line(space, words[0], result.fontName, result.fontSize)
                     for space, words in result.lines]
            _settle(lines, maxWidths[-1], _new_text_line, ends)
            result.lines = [(line.extraSpace, [line.text]) for line in lines]
        return result


def _empty_text(frag) -> bool:
    """A piece of no text the breaker left at a line's end when a link moved whole to the
    next line: drawn, it put a dot of the link's underline after '电子邮件：'."""
    return not hasattr(frag, "cbDefn") and getattr(frag, "text", None) == ""


@dataclass
class _Line:
    """A line of a one-run paragraph, in the shape _settle reads."""

    extraSpace: float
    text: str
    fontName: str
    fontSize: float

    @property
    def words(self):
        return [self]


# Chinese and Japanese line-breaking rules: closing punctuation never starts a line and
# opening brackets never end one. ReportLab's own list is Japanese and misses the
# full-width comma, colon and the like, and the ASCII opening parenthesis and brace.
CANNOT_START = set(ALL_CANNOT_START) | set("，：；！？、。）》」』】〕〉％…·")
CANNOT_END = set(ALL_CANNOT_END) | set("（《「『【〔〈“‘([{")
# A date written with 年 月 日 (Chinese, Japanese) reads as one unit: never broken.
_DATE = re.compile(r"\d{1,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
                   r"|\d{1,2}\s*月\s*\d{1,2}\s*日")

# A Latin word or number inside Chinese ('IGRT', 'Radiographers') is not split either,
# unless it starts its line (moving it whole would leave the line empty); a longer run
# (a URL) may be.
_SHORT_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{2,20}(?![A-Za-z0-9])")
# A citation group never starts a line: '[1, 2]。' alone on one was seen in Chinese (other
# scripts join it to the word before with a no-break space, markup.to_markup).
_CITATION = re.compile(r"\[\d")
_WINDOW = 22  # characters each side of a break that _forbidden looks at
# Seen in Chinese: 'patient.information' / '@riverside.example.nhs.uk'.
_ADDRESS_WINDOW = 80


def _text_frags(line):
    return [f for f in line.words if not hasattr(f, "cbDefn") and getattr(f, "text", "")]


def _settle(lines: list, width: float, new_line, ends: list[str]) -> None:
    """Move characters down across each break until every line fits the column and no
    break falls where the rules above forbid one.

    ReportLab hangs closing punctuation past the right margin (a full stop one em past
    the column); here the character before it goes down to the next line with it
    instead, and a line that grows too long passes its end on in turn. `ends` (from
    _line_ends) says which breaks are at a space of the text, which ReportLab dropped:
    the first character moved across one takes the space with it ('in' + 'Medicine' was
    'inMedicine'). A break at a no-break space is always moved.
    """
    ends = [*ends, *[INSIDE] * (len(lines) - len(ends))]
    n = 0
    while n < len(lines):
        line = lines[n]
        for _ in range(len(_line_text(line))):  # each move leaves the line a character shorter
            if not (line.extraSpace < -_FIT or ends[n] == NO_BREAK or
                    _forbidden(line, lines[n + 1:n + 2], ends[n] == SPACE) or
                    (n + 2 == len(lines) and _one_letter(lines[n + 1]))):
                break
            if len(_line_text(line)) <= 1 or getattr(line, "lineBreak", False):
                break  # a line keeps its first character (so breaking ends) and its <br/>
            if n + 1 == len(lines):
                lines.append(new_line(line, width))
                ends.append(INSIDE)
            _move_last_char(line, lines[n + 1], _DROPPED.get(ends[n], ""))
            ends[n] = INSIDE  # the break is now inside what moved down
        n += 1


_FIT = 0.01  # points: a line this little past the edge still fits


def _one_letter(line) -> bool:
    """A paragraph's last line of one Chinese or Japanese letter and its punctuation
    ('时' of '24 小时' alone under A5 large print's opening hours, '来。'): it takes the
    letter before with it."""
    letters = [ch for ch in _line_text(line) if ch not in CANNOT_START and not ch.isspace()]
    return len(letters) == 1 and bool(_CJK_LETTER.fullmatch(letters[0]))


def first_line_read_right_to_left(paragraph) -> bool:
    """Whether pdfium calls the paragraph's first line right to left, as _in_pdfium_order
    counts it (on what its glyphs' codes are)."""
    lines = getattr(getattr(paragraph, "blPara", None), "lines", None)
    if not lines or not hasattr(lines[0], "words"):
        return True
    return drawn_read_right_to_left(_line_text(lines[0]))


def _line_text(line, read: bool = False) -> str:
    texts = (reads_as(f.text, f.fontName) if read else str(f.text) for f in _text_frags(line))
    return "".join(texts).replace("\u200b", "")


def _forbidden(line, following: list, at_space: bool = False) -> bool:
    """Whether the break after `line` (at a space of the text, or not) is one the rules
    forbid."""
    if not following or not _text_frags(following[0]):
        return False
    before, after = _line_text(line), _line_text(following[0])
    if not before or not after:
        return False
    if after[0] in CANNOT_START or before[-1] in CANNOT_END:
        return True
    if before[-1] == "-" and after[0].isalnum():
        return True  # both readers drop a hyphen that ends a line: 'PIL-0042' read 'PIL0042'
    if NBSP in (before[-1], after[0]):
        return True  # joined by markup.RunKeeper: 'NHS' / '111' was seen in a contact card
    if _CITATION.match(after) and len(before) > 1:
        return True  # unless the line would be left with nothing but what moves down
    before = before + " " if at_space else before
    joined, cut = before[-_WINDOW:] + after[:_WINDOW], len(before[-_WINDOW:])
    line_start = cut - len(before)  # where the line starts in `joined` (negative: before it)
    words = [m for m in _SHORT_LATIN_WORD.finditer(joined) if m.start() > line_start]
    if any(m.start() < cut < m.end() for m in [*_DATE.finditer(joined), *words,
                                                *_CODE.finditer(joined)]):
        return True  # a date, a Latin word, a leaflet code ('PIL' / '-0042' was seen)
    if any(m.start() < cut < m.end() and m.start() > line_start
           for m in _label_words().finditer(joined)):
        return True  # one of our labels: '下次审' / '阅', '访' / '问日期' were seen
    # an email address goes down whole, unless it starts its line (then too long for one)
    joined, cut = before[-_ADDRESS_WINDOW:] + after[:_ADDRESS_WINDOW], len(before[-_ADDRESS_WINDOW:])
    line_start = cut - len(before)
    return any(m.start() < cut < m.end() and m.start() > line_start
               for m in EMAIL.finditer(joined))


@lru_cache(maxsize=None)
def _label_words() -> re.Pattern:
    """The tool's own labels written in Chinese or Japanese characters alone ('下次审阅',
    '访问日期'): words that UAX #14 would let a line break inside, kept whole here. The
    longest first, so a label inside a longer one does not end the match early."""
    from ..labels import every_label
    words = {text for text in every_label() if _CJK_WORD.fullmatch(text)}
    if not words:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))))


_CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana and Han
_CJK_WORD = re.compile(f"[{_CJK_LETTERS}]{{2,8}}")
_CJK_LETTER = re.compile(f"[{_CJK_LETTERS}]")


_DROPPED = {SPACE: " ", NO_BREAK: NBSP}  # the character ReportLab dropped at a break


def _move_last_char(line, following, dropped: str = "") -> None:
    last = _text_frags(line)[-1]
    first = next(f for f in following.words  # a new last line's frag has no text yet
                 if not hasattr(f, "cbDefn") and getattr(f, "text", None) is not None)
    char, last.text = last.text[-1], last.text[:-1]
    if dropped and first.text:
        char += dropped  # the text's space at the break, which ReportLab dropped
    first.text = char + first.text
    shift = pdfmetrics.stringWidth(char, last.fontName, last.fontSize)
    line.extraSpace += shift
    following.extraSpace -= shift


def _new_frag_line(line, width: float):
    """An empty last line like `line`, to take the characters moved down from it."""
    frag = _text_frags(line)[-1]
    return line.clone(words=[frag.clone(text="")], extraSpace=width, currentWidth=0,
                      lineBreak=False)


def _new_text_line(line, width: float):
    return _Line(width, "", line.fontName, line.fontSize)


@dataclass
class _Token:
    pieces: list  # text frags of one word, in order (each a clone: it keeps `inline_at`)
    text: str = ""


def _owner(piece) -> tuple[str | None, int | None]:
    """What _note_owners noted on a piece's frag: the inline element (link, citation,
    language span) it is in, by the label that opened it or None for the paragraph, and
    its frag's place in the paragraph."""
    return getattr(piece, "inline_at", (None, None))


def _note_owners(frags) -> None:
    """Note on each text frag, while the frags are in reading order, the inline element
    it is in (the label that opened it, or None) and its place in the paragraph: shaping
    puts the pieces of a right-to-left word in drawing order, and the switches between
    them with it ('الجديدة' of a link and the '[1]' typed after it are one word). A part
    split off (its frags noted already) keeps what its frags say."""
    owner = None
    for rank, frag in enumerate(frags):
        if _is_switch(frag):
            label = _label(frag)
            owner = None if closes(label) else label
        if hasattr(frag, "text") and not hasattr(frag, "inline_at"):
            frag.inline_at = (owner, rank)  # a switch: the element it leaves open


def _tokens(frags) -> tuple[list[_Token], list[str], list]:
    """Split a line's frags into words; returns them, the labels of the line's inline
    switches in reading order, and the frags drawn after the words (a line break)."""
    switches = [frag for frag in frags if _is_switch(frag)]
    if all(hasattr(frag, "inline_at") for frag in switches):  # in reading order
        switches.sort(key=lambda frag: frag.inline_at[1])
    labels = [_label(frag) for frag in switches]
    tokens, tail = [_Token([])], []
    for frag in frags:
        if _is_switch(frag):
            continue
        text = getattr(frag, "text", None)
        if text is None or getattr(frag, "lineBreak", False) or hasattr(frag, "cbDefn"):
            tail.append(frag)
            continue
        start = 0
        for i, char in enumerate(str(text) + " "):
            if char == " " or i == len(text):
                if i > start:
                    tokens[-1].pieces.append(frag.clone(text=text[start:i]))
                    tokens[-1].text += str(text[start:i])
                if i < len(text) and tokens[-1].pieces:
                    tokens.append(_Token([]))
                start = i + 1
    return tokens, labels, tail


def _line_words(words, lines) -> list[list]:
    """The bidi levels of each line's words (shaping.WordLevels, None where unknown): a
    line's words are the paragraph's words (its frags, once broken) from its `sFW`."""
    starts = [getattr(line, "sFW", None) for line in lines]
    if None in starts or not isinstance(words, list):
        return [[] for _ in lines]
    ends = [*starts[1:], len(words)]
    found = []
    for start, end in zip(starts, ends):
        texts = [w for w in words[start:end] if isinstance(w, list) and _has_text(w)]
        found.append([word_levels_of(w) for w in texts])
    return found


def _has_text(word) -> bool:
    return any(len(piece) > 1 and not hasattr(piece[0], "cbDefn") and str(piece[1])
               for piece in word[1:])


def _visual_line(line, rtl: bool, known: list | None = None, tagged: bool = False,
                 source: str = ""):
    """The line's pieces in drawing order: its runs and spaces ordered by UAX #9 (L2) at
    the levels the paragraph resolved (bidi.line_items). In a `tagged` paragraph (one with
    inline elements: links, citations, language spans) the line starts and ends with
    switches of its own (tags.line_start, tags.line_end), and each run of words of one
    element, in drawing order, has a switch saying where it starts in reading order.
    `source`: the paragraph's text as typed (a span's text must be found in it)."""
    tokens, labels, tail = _tokens(line.words)
    words = [token for token in tokens if token.pieces]
    if not words:
        return line
    known = [k if k is not None and len(k.runs) == len(w.pieces) else None
             for k, w in zip(known or [], words)]
    items = line_items([w.text for w in words], known, rtl)
    order = visual_order([item.level for item in items])
    # the element open as the line starts (see _tokens), and a switch back to the
    # paragraph: the closing of any of the line's elements
    owner = opened_by(labels[0]) if labels and closes(labels[0]) else None
    to_paragraph = closing(opened_by(labels[0]) if closes(labels[0]) else labels[0]) \
        if labels else ""
    start = _place_of(words, *_first_drawn(items, order))
    out: list = [_switch(words[0].pieces[0], line_start(start))] if tagged else []
    last = None  # where in `out` the piece drawn last is
    last_word = None  # its word number
    spaces = 0  # spaces drawn after it, not yet given to a piece
    for index in order:
        item = items[index]
        if item.word is None:
            spaces += 1
            continue
        word = words[item.word]
        at = item.pieces or range(len(word.pieces))
        pieces = [word.pieces[p] for p in at]
        if spaces:
            _put_spaces(out, last, pieces, spaces)
            spaces = 0
        for p, piece in zip(at, pieces):
            apart = last_word is not None and abs(item.word - last_word) > 1
            piece_owner = _owner(piece)[0]
            position = _place_of(words, item.word, p)
            if labels and (piece_owner != owner or apart):
                out.append(_switch(piece, at_position(piece_owner or to_paragraph, position)))
                owner = piece_owner
            piece.read_at = (position, p == 0)
            piece.bidi_level = item.level
            out.append(piece)
            last, last_word = len(out) - 1, item.word
    if spaces and last is not None:
        _put_spaces(out, last, [], spaces)
    # a squeezed line's spaces are narrower (Tw), the moving space of a piece's too
    drawn = _in_pdfium_order(out, rtl and _extra_space(line) > -_FUZZ, source)
    if tagged:
        # before the last text piece: the line's last text is written with its end (a
        # space after it, or the head of a word it breaks: tags._LineWriter)
        at_end = max(i for i, piece in enumerate(drawn) if not hasattr(piece, "cbDefn"))
        drawn.insert(at_end, _switch(words[0].pieces[0], line_end(_left_open(labels))))
    return line.clone(words=drawn + tail)


_PLACES = 1 << 20  # more frags than a paragraph has


def _typed_spans(pieces: list, source: str) -> list:
    """The pieces, each run of pieces of one word that hold no letter and are drawn out
    of typed order (a number and its punctuation: '999.' ending an Arabic sentence drawn
    '.' then '999', '10-12' drawn '12' '-' '10', a list label '1.') inside an ActualText
    span of its typed text. Both poppler and pdfium read such a run in drawing order
    ('.999', '12-10', '.1') and read a span's text instead. Not on a line moved for
    pdfium (an origin slot, see _moved_to_reading_order: _in_pdfium_order asks for
    spans only on a line it left in place), nor around letters or
    brackets, where spans read worse ('(IGRT)' came back '( IGRT (' from pdfium), nor
    for a run that is not a whole word of `source` (pdfium moves a span's punctuation
    that touches a letter: Hebrew 'ו-14-16,' read 'ו14-16,-'), unless the run takes in
    the punctuation typed between it and the word's letters (_head_split)."""
    if len({getattr(p, "bidi_level", None) for p in pieces} - {None}) < 2:
        return pieces  # a run drawn out of typed order spans two levels
    pieces = list(pieces)
    unlettered = [_unlettered(piece) for piece in pieces]  # a split piece keeps its letters
    last_text = max((i for i, p in enumerate(pieces) if not hasattr(p, "cbDefn")), default=-1)
    out: list = []
    at = 0
    while at < len(pieces):
        end = at + 1
        if unlettered[at]:
            while end < len(pieces) and unlettered[end] and \
                    _word_of(pieces[end]) == _word_of(pieces[at]):
                end += 1
        group = pieces[at:end]
        split = _head_split(group[-1], pieces[end]) if unlettered[at] and end < len(pieces) \
            else None
        spanned = _spanned([*group, split[0]], source, after_letters=True) if split else None
        if split and spanned:
            pieces[end] = split[1]  # the word's letters, without what the span took in
        else:
            spanned = _spanned(group, source, ends_line=end - 1 == last_text)
        out.extend(spanned or group)
        at = end
    return out


def _spanned(group: list, source: str, ends_line: bool = False,
             after_letters: bool = False) -> list | None:
    """`group` inside a span of its typed text (_in_typed_span), when that text is a
    whole word of `source` or, `after_letters`, the rest of one after its letters
    ('-15' of 'ל-15'); else None."""
    typed = _typed_order(group) if len(group) > 1 else None
    before = r"(?<=\S)" if after_letters else r"(?<!\S)"
    if typed and re.search(rf"{before}{re.escape(typed)}(?!\S)", source):
        return _in_typed_span(group, typed, ends_line)
    return None


def _head_split(number, piece) -> tuple | None:
    """(head, rest) of a right-to-left piece of letters drawn just after `number` (an
    unlettered piece of its word, in its style: the caller's to know) that begins with punctuation pdfium
    reads as part of a number: the hyphen of Hebrew 'ל-15' or 'ו-14-16,', a prefix letter
    joined to a number, drawn '15' then '-ל', which pdfium read 'ל15-'. The head goes
    into the number's span. Only where it is drawn as its own characters at their
    font's width (no kerning against the letter, no offset), so the page is drawn as
    before; not in a run written for pdfium's reversal (pdfiumorder.Reversed), whose
    mark a slice would lose."""
    if not hasattr(piece, "read_at") or hasattr(piece, "cbDefn") \
            or isinstance(piece.text, (Reversed, ReversedPlain)) or \
            _word_of(number) != _word_of(piece) or not sameFrag(number, piece):
        return None
    head = _head_length(piece)
    if not head:
        return None
    return piece.clone(text=str.__str__(piece.text[:head])), piece.clone(text=piece.text[head:])


def _head_length(piece) -> int:
    """How many characters of number punctuation (pdfiumorder.number_punctuation) a
    right-to-left piece of letters begins with, in drawing order, that can be drawn as a
    piece of their own; 0 for none."""
    if getattr(piece, "bidi_level", 0) % 2 == 0 or has_actual_text(piece.text):
        return 0
    text, read = str.__str__(piece.text), _read(piece)
    head = 0
    while head < len(read) and number_punctuation(read[head]):
        head += 1
    letters = read[head:].strip(" ")
    if not head or text[:head] != read[:head] or not letters or \
            not all(unicodedata.category(ch)[0] in "LM" for ch in letters):
        return 0
    font, size = piece.fontName, piece.fontSize
    glyphs = shape_data(piece.text[:head]) or []
    if any(glyph.x_offset or glyph.y_offset for glyph in glyphs):
        return 0
    drawn = shaped_width(piece.text[:head], font, size)
    own = stringWidth(text[:head], font, size)
    return head if drawn is None or abs(drawn - own) < _FUZZ else 0


def _word_of(piece) -> int:
    """The number of the word a piece is of, in its line's reading order."""
    return piece.read_at[0] // _PLACES


def _unlettered(piece) -> bool:
    """A piece of a word, drawn at a known level, whose text holds no letter (nor
    character of a strong direction), bracket, control or glyph of no code of its own (nor
    spans of its own)."""
    # bidi_level and read_at are set together (_visual_line)
    if hasattr(piece, "cbDefn") or not hasattr(piece, "bidi_level") or \
            has_actual_text(piece.text):
        return False
    read = _read(piece).strip(" ")
    return bool(read) and not any(unicodedata.category(ch)[0] in "LC" or
                                  unicodedata.bidirectional(ch) in _STRONG
                                  for ch in read) and not mirrored(read)


_STRONG = ("L", "R", "AL")  # the Urdu full stop '۔' is a right-to-left letter to UAX #9


def _typed_order(group: list) -> str | None:
    """The typed text of pieces drawn in visual order at their bidi levels (rule L2
    undone: bidi.reading_order), or None when they are drawn as typed. A piece of
    several characters at an odd level would be reversed inside itself too: not undone
    here, so None."""
    levels = [p.bidi_level for p in group]
    reads = [_read(piece) for piece in group]
    if len(set(levels)) < 2 or any(level % 2 and len(read.strip(" ")) > 1
                                   for read, level in zip(reads, levels)):
        return None
    order = reading_order(levels)
    if order == sorted(order):
        return None
    reads[0], reads[-1] = reads[0].lstrip(" "), reads[-1].rstrip(" ")  # not typed here
    return "".join(reads[i] for i in order)


def _in_typed_span(group: list, typed: str, ends_line: bool) -> list:
    """`group` inside the switches of a span of `typed`, the spaces at its ends outside.
    A group that ends its line is followed by a space: the line writer ends a line's last
    text with one (tags._LineWriter), and after the span's end it has none to end. Pieces
    in one style are joined into one."""
    first, last = group[0], group[-1]
    lead = len(first.text) - len(str(first.text).lstrip(" "))
    trail = len(last.text) - len(str(last.text).rstrip(" "))
    inner = list(group)
    inner[0] = inner[0].clone(text=inner[0].text[lead:])
    inner[-1] = inner[-1].clone(text=inner[-1].text[:len(inner[-1].text) - trail])
    if all(sameFrag(inner[0], piece) for piece in inner) and \
            (isinstance(inner[0].text, ShapedStr) or
             not any(isinstance(piece.text, ShapedStr) for piece in inner)):
        # one text operator: pdfium gives a span's text the box of its first operator
        # alone (that of the '.' of '999.', a fifth of the number's width)
        inner = [inner[0].clone(text=reduce(add, [piece.text for piece in inner]))]
    before = [first.clone(text=first.text[:lead])] if lead else []
    after = [last.clone(text=last.text[len(last.text) - trail:])] if trail else \
        [last.clone(text=" ", link=[], us_lines=[])] if ends_line else []
    return [*before, _switch(first, typed_start(typed)), *inner, _switch(last, typed_end()),
            *after]


def _first_drawn(items, order) -> tuple[int, int]:
    """The word and piece a line draws first."""
    for index in order:
        item = items[index]
        if item.word is not None:
            return item.word, item.pieces[0] if item.pieces else 0
    raise ValueError("a line with no word")  # _visual_line returns such a line unchanged


def _place_of(words: list[_Token], word: int, piece: int) -> int:
    """Where piece `piece` of word `word` is in its line's reading order: its word, then
    its frag's place in the paragraph (or, not noted, in the word)."""
    rank = _owner(words[word].pieces[piece])[1]
    return word * _PLACES + (piece if rank is None else rank)


def _left_open(labels: list[str]) -> str | None:
    """What a line leaves open, by its last switch in reading order (see tags.line_end)."""
    if not labels:
        return None
    return "" if closes(labels[-1]) else labels[-1]


def _label(marker) -> str:
    return str(marker.cbDefn.label)


def _is_switch(frag) -> bool:
    return getattr(getattr(frag, "cbDefn", None), "name", None) == CALLBACK


def _switch(like, label: str):
    """A marker frag (an onDraw callback of the tagging canvas) in the style of `like`."""
    return like.clone(text="", cbDefn=ABag(kind="onDraw", name=CALLBACK, label=label))


def _in_pdfium_order(pieces: list, movable: bool, source: str) -> list:
    """The pieces, each run of several segments that pdfium would read in the wrong
    order marked to be written in the order it reads back (pdf/pdfiumorder.py): on a line
    pdfium calls right to left, a left-to-right run (it read '020 7946 0410' as '0410 7946
    020' in every Arabic contact card); on one it calls left to right, which it reads in
    drawing order, a right-to-left run of several words (beside an email address in an
    A5 large-print line). Runs are judged by what their glyphs read as (tags.reads_as):
    a joined Arabic letter's code is private-use. A `movable` line (of a right-to-left
    paragraph, not squeezed) that pdfium calls left to right has its pieces moved into
    reading order, too (_moved_to_reading_order); a line left in place gets its typed
    spans (_typed_spans: words of `source`, the paragraph's text)."""
    texts = [getattr(piece, "text", None) for piece in pieces]
    rtl = drawn_read_right_to_left("".join(str(text) for text in texts if text))
    pieces = _runs_joined(pieces, _latin_word if rtl else _right_to_left_word)
    pieces = [piece.clone(text=marked(piece.text)) if _to_mark(piece, rtl) else piece
              for piece in pieces]
    moved = pieces if rtl or not movable else _moved_to_reading_order(pieces)
    return _typed_spans(pieces, source) if moved is pieces else moved


def _moved_to_reading_order(pieces: list) -> list:
    """A line that pdfium reads left to right, though its paragraph runs right to left:
    pdfium takes its text operators in the order of where each starts, so the Persian
    card's 'ایمیل: patient.information@...', drawn address first, was read 'patient...
    ایمیل:'. The line is cut into blocks, runs of pieces drawn in the order they are read;
    the blocks read before one drawn left of them are each moved to a slot just left of
    the line (tags.origin_slot, pdfiumorder.with_origin), in reading order.

    A block of several pieces ('Patient Information Group' in 'راجع Patient
    Information Group اليوم') has a slot for each, in reading order.

    The line is left as it is unless all of this holds, each learnt from a line that
    read worse moved: each piece to move starts a word (its space glyph would be read
    inside the word); when a block of several pieces moves, no piece of the line holds
    a bracket ('راجع Riverside University Hospital (اليوم)' read '(اليوم (' at its end);
    pieces that share a place in reading order are ranked by their levels
    (_reading_ranks: the '.' of 'Riverside Hospital.', a piece of its own, went
    between the two words when ties were left in drawing order); pdfium calls the line
    left to right, its runs counted on what the glyphs read as
    (a Persian word with a zero-width non-joiner is two runs; a tie is left to right,
    as read_right_to_left has it: a margin of two runs, kept before, left every card
    line of one English word and one label, 'مصنف: Test department', read value first);
    no piece to move holds a bracket or a quote,
    and no piece without right-to-left letters a bracket: pdfium reads each as itself
    or mirrored by the letters it read just before ('بالصور (IGRT)', moved, read
    'بالصور) IGRT)', and '«راجع» Riverside' read '«راجع «Riverside')."""
    texts = [i for i, piece in enumerate(pieces)
             if getattr(piece, "text", None) and str(piece.text).strip(" ")
             and not hasattr(piece, "cbDefn")]
    places = [getattr(pieces[i], "read_at", (None,))[0] for i in texts]
    reads = {i: _read(pieces[i]) for i in texts}
    if None in places or read_right_to_left("".join(reads.values())) or \
            any(mirrored(read) and not has_rtl(read) for read in reads.values()):
        return pieces
    found = _reading_ranks(pieces, texts)
    if found is None:
        return pieces
    rank, starts = found
    blocks: list[list[int]] = []  # piece indices, in drawing order
    for i in texts:
        if blocks and rank[i] == rank[blocks[-1][-1]] + 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    read = sorted(range(len(blocks)), key=lambda b: rank[blocks[b][0]])
    kept = 1  # the blocks read last, drawn left to right, stay where they are
    while kept < len(read) and read[-kept - 1] < read[-kept]:
        kept += 1
    moved = [i for b in read[:len(read) - kept] for i in blocks[b]]  # in reading order
    several = len(moved) > len(read) - kept  # a block of several pieces moves
    if not moved or any(not starts[i] or _has_bracket_or_quote(reads[i]) for i in moved) or \
            (several and any(map(mirrored, reads.values()))):
        return pieces
    slots = {i: slot for slot, i in enumerate(moved)}
    out = [_switch(pieces[texts[0]], line_origin())]
    for i, piece in enumerate(pieces):
        if i in slots:
            out.append(_switch(piece, origin_slot(slots[i], len(moved))))
        out.append(piece)
    return out


def _reading_ranks(pieces: list,
                   texts: list[int]) -> tuple[dict[int, int], dict[int, bool]] | None:
    """Each text piece's rank in reading order (`texts`: their indices, in drawing
    order), and whether it starts its word there. By its place (its word, its frag);
    pieces that share one are ranked in the order their levels are read in
    (bidi.reading_order), the first of them starting the word if the first drawn did:
    'Khan.' ending an Arabic sentence is drawn '.' then 'Khan', the '.' at the
    paragraph's level, and is read 'Khan' then '.'. None where they hold no letter
    (_typed_spans spans them instead)."""
    sharing: dict[int, list[int]] = {}
    for i in texts:
        sharing.setdefault(pieces[i].read_at[0], []).append(i)
    within: dict[int, int] = {}
    starts = {i: bool(pieces[i].read_at[1]) for i in texts}
    for group in sharing.values():
        if len(group) == 1:
            within[group[0]] = 0
            continue
        if all(_unlettered(pieces[i]) for i in group):
            return None  # a number and its punctuation ('1.'): a typed span reads it right
        order = reading_order([pieces[i].bidi_level for i in group])
        for n, k in enumerate(order):
            within[group[k]] = n
            starts[group[k]] = not n and starts[group[0]]
    ordered = sorted(texts, key=lambda i: (pieces[i].read_at[0], within[i]))
    return {i: n for n, i in enumerate(ordered)}, starts


def _has_bracket_or_quote(text: str) -> bool:
    return mirrored(text) or any(unicodedata.category(ch) in ("Pi", "Pf") or ch in "\"'"
                                 for ch in text)


def _to_mark(piece, line_right_to_left: bool) -> bool:
    text = getattr(piece, "text", None)
    return bool(text) and not has_actual_text(text) and \
        needs_reversing(_read(piece), line_right_to_left)


def _read(piece) -> str:
    return reads_as(piece.text, piece.fontName)


def _latin_word(piece) -> bool:
    """Text with a left-to-right letter and no right-to-left one."""
    read = _read(piece)
    return not has_rtl(read) and any(unicodedata.bidirectional(ch) == "L" and ch.isalpha()
                                     for ch in read)


def _right_to_left_word(piece) -> bool:
    """Text with a right-to-left letter and no left-to-right one."""
    read = _read(piece)
    return has_rtl(read) and not any(unicodedata.bidirectional(ch) == "L" for ch in read)


def _runs_joined(pieces: list, joins) -> list:
    """Neighbouring pieces in one style that `joins` accepts, joined into one piece (one
    text operator): pdfium orders a line's operators by position, so the two words of
    'Ahmed Khan', each its own operator, came back 'Khan Ahmed' however each was written.
    An inline tag between them (a marker of its own) keeps them apart, and only pieces
    with letters of the run's direction are joined: the brackets and full stop of a
    citation ('[1, 2].') sit at the line's right-to-left level."""
    out: list = []
    last_joins = False  # whether `joins` accepts out[-1] (a join of two it accepts, too)
    for piece in pieces:
        text = getattr(piece, "text", None)
        joinable = bool(text) and not hasattr(piece, "cbDefn") and joins(piece)
        if joinable and last_joins and sameFrag(out[-1], piece):
            joined = out[-1].clone(text=out[-1].text + text)
            if hasattr(piece, "read_at"):  # it is read from its first word in reading order
                joined.read_at = min(out[-1].read_at, piece.read_at)
            out[-1] = joined
        else:
            out.append(piece)
            last_joins = joinable
    return out


def _put_spaces(out: list, last: int | None, following: list, count: int) -> None:
    """Spaces between two pieces in drawing order join the piece before them, or the
    piece after when they lead the line. A piece is underlined as far as its text goes,
    so a space joins a link's piece only between two pieces of the same link: Arabic
    reference addresses were underlined one space past their last letter."""
    text = " " * count
    after = following[0] if following else None
    if last is not None:
        before = out[last]
        if not _decorated(before) or (after is not None and _same_decoration(before, after)):
            out[last] = before.clone(text=before.text + text)
            return
    elif after is not None and not _decorated(after):
        following[0] = after.clone(text=text + after.text)
        return
    # a piece of its own, in the font of its neighbour, without the decoration
    neighbour = out[last] if last is not None else after
    if neighbour is not None:
        out.append(neighbour.clone(text=text, link=[], us_lines=[]))


def _decorated(frag) -> bool:
    return bool(getattr(frag, "link", None) or getattr(frag, "us_lines", None))


def _same_decoration(a, b) -> bool:
    """Both in one link (its words may differ in style: a bold word's underline is its
    own), or both underlined alike."""
    link = getattr(a, "link", None)
    if link or getattr(b, "link", None):
        return link == getattr(b, "link", None)
    return getattr(a, "us_lines", None) == getattr(b, "us_lines", None)
