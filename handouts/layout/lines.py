"""Paragraphs whose lines need more than ReportLab's left-to-right breaking.

`BidiParagraph` breaks lines in reading order and draws each line's words in visual order
(right-to-left text, or left-to-right text holding right-to-left words), by the
bidirectional algorithm of scripts.py. `CJKParagraph` breaks Chinese between characters,
keeping closing punctuation off the start of a line and opening brackets off its end.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from ..scripts import visual_order, word_class, word_levels
from .shaping import paragraph_direction


class BidiParagraph(Paragraph):
    """A paragraph whose lines are broken in reading order and drawn in visual order.

    Each word is shaped on its own by HarfBuzz (so Arabic letters join and each word runs
    in its own direction); the words of every line are then ordered by the bidirectional
    algorithm at draw time, so splitting across pages still sees reading order.
    """

    rtl = False

    def breakLines(self, width):
        with paragraph_direction(self.rtl):  # orders the runs of a word of two directions
            return super().breakLines(width)

    def drawPara(self, debug=0):
        lines = self.blPara
        if getattr(lines, "kind", 0) != 1:
            return super().drawPara(debug)
        self.blPara = lines.clone(lines=[_visual_line(line, self.rtl) for line in lines.lines])
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = lines


class RightToLeftParagraph(BidiParagraph):
    rtl = True


class MixedParagraph(BidiParagraph):
    """Left-to-right text holding right-to-left words (an Arabic name in English)."""


class CJKParagraph(Paragraph):
    """A paragraph broken between characters (Chinese), with our inline tags intact.

    ReportLab 5.1's character breaking fails on the empty text of an onDraw callback (it
    reads its first character), so each callback gets a zero-width space it never draws.
    """

    def breakLinesCJK(self, maxWidths):
        for frag in self.frags:
            if hasattr(frag, "cbDefn") and not getattr(frag, "text", ""):
                frag.text = "\u200b"
        result = super().breakLinesCJK(maxWidths)
        if result.kind == 1:
            for before, line in zip(result.lines, result.lines[1:]):
                _keep_punctuation(before, line)
        elif result.lines:  # one run of text: lines are (space left, [text])
            lines = [_Line(space, words[0], result.fontName, result.fontSize)
                     for space, words in result.lines]
            for before, line in zip(lines, lines[1:]):
                _keep_punctuation(before, line)
            result.lines = [(line.extraSpace, [line.text]) for line in lines]
        return result


@dataclass
class _Line:
    """A line of a one-run paragraph, in the shape _keep_punctuation reads."""

    extraSpace: float
    text: str
    fontName: str
    fontSize: float

    @property
    def words(self):
        return [self]


# Chinese line-breaking rules: closing punctuation never starts a line (it hangs at the
# end of the one before) and opening brackets never end one. ReportLab's own list is
# Japanese and misses the full-width comma, colon and the like.
CANNOT_START = set(ALL_CANNOT_START) | set("，：；！？、。）》」』】〕〉％…·")
CANNOT_END = set(ALL_CANNOT_END) | set("（《「『【〔〈“‘")


def _text_frags(line):
    return [f for f in line.words if not hasattr(f, "cbDefn") and getattr(f, "text", "")]


def _keep_punctuation(before, line) -> None:
    """Move characters across the break between two lines to obey the rules above."""
    for _ in range(3):
        head, tail = _text_frags(line), _text_frags(before)
        if not (head and tail):
            return
        first, last = head[0], tail[-1]
        if first.text[0] in CANNOT_START:  # hang it at the end of the line before
            char, first.text, last.text = first.text[0], first.text[1:], last.text + first.text[0]
            shift = pdfmetrics.stringWidth(char, first.fontName, first.fontSize)
        elif last.text[-1] in CANNOT_END:  # carry it to the start of the next line
            char, last.text, first.text = last.text[-1], last.text[:-1], last.text[-1] + first.text
            shift = -pdfmetrics.stringWidth(char, last.fontName, last.fontSize)
        else:
            return
        before.extraSpace -= shift
        line.extraSpace += shift


@dataclass
class _Token:
    pieces: list  # text frags of one word, in order
    text: str = ""


def _tokens(frags) -> tuple[list[_Token], list[tuple[object, int, bool]], list]:
    """Split a line's frags into words; markers are (frag, word index, is_start)."""
    tokens, markers, tail = [_Token([])], [], []
    for frag in frags:
        if hasattr(frag, "cbDefn"):
            label = str(getattr(frag.cbDefn, "label", ""))
            start = not label.startswith("end:")
            index = len(tokens) - 1
            if not start and not tokens[-1].pieces and index > 0:
                index -= 1  # an end marker after a space belongs to the word before it
            markers.append((frag, index, start))
            continue
        text = getattr(frag, "text", None)
        if text is None or getattr(frag, "lineBreak", False):
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
    return tokens, markers, tail


def _visual_line(line, rtl: bool):
    tokens, markers, tail = _tokens(line.words)
    keep = [i for i, t in enumerate(tokens) if t.pieces]
    if not keep:
        return line
    where = {i: n for n, i in enumerate(keep)}  # token index -> word number
    words = [tokens[i] for i in keep]
    order = visual_order(word_levels([word_class(w.text) for w in words], rtl))
    position = {word: slot for slot, word in enumerate(order)}
    before: dict[int, list] = {}
    after: dict[int, list] = {}
    for frag, index, start in markers:
        span = _marker_span(frag, index, start, markers, where, len(words))
        slots = [position[w] for w in span] or [0]
        (before.setdefault(min(slots), []) if start else
         after.setdefault(max(slots), [])).append(frag)
    out = []
    for slot, word in enumerate(order):
        pieces = list(words[word].pieces)
        if slot < len(order) - 1:
            last = pieces[-1]
            pieces[-1] = last.clone(text=last.text + " ")
        out.extend([*before.get(slot, []), *pieces, *after.get(slot, [])])
    return line.clone(words=out + tail)



def _marker_span(frag, index, start, markers, where, count) -> list[int]:
    """The words an inline element (link, citation) covers on this line."""
    label = str(frag.cbDefn.label)
    other = label[4:] if not start else "end:" + label
    partner = next((i for f, i, _ in markers if str(f.cbDefn.label) == other), None)
    first = _word_at(index, where, count, start)
    if start:
        last = _word_at(partner, where, count, False) if partner is not None else count - 1
    else:
        first, last = (_word_at(partner, where, count, True) if partner is not None else 0), first
    return list(range(first, last + 1))


def _word_at(index, where, count, forward: bool) -> int:
    """The word number of a token index, moving past empty tokens."""
    while index not in where and 0 <= index:
        index += 1 if forward else -1
        if index > max(where):
            return count - 1
    return where.get(index, 0)
