"""The text layer of shaped glyphs: what each glyph's ToUnicode entry says, and /ActualText
spans for the glyph runs that ToUnicode cannot describe.

ToUnicode gives each glyph code one text. That is right for a glyph standing for one
character; it cannot say that a Bengali vowel sign drawn before its consonant is typed
after it, that a Tamil vowel is drawn in two parts around its consonant, or that a
Devanagari reph drawn after a consonant is typed before it. Layout (shaping.py) puts an
`ActualText` on the shaping data of each such run of glyphs (left-to-right runs only: see
shaping._mark_actual_text for why right-to-left ligatures rely on ToUnicode); this module
writes the run
as `/Span <</ActualText (...)>> BDC ... EMC` inside its text object (ISO 32000-1 14.9.4),
which poppler and pdfium both read instead of the glyphs' own text. The span opens and
closes within one text-showing string, so it nests inside the MCID sequence of its text
object (tags.py) and never straddles BT/ET or q/Q.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject

from .pdfiumorder import (InReadingOrder, Reversed, ReversedPlain,
                          format_text as reversed_format_text, with_origin, write_in_order)
from .tags import NOTHING, glyph_text, has_actual_text, span_operator, take_next_text_start


@dataclass(frozen=True, eq=False)
class ActualText:
    """The text a run of glyphs stands for. One object per run: the glyphs that share it
    (by identity) are written in one span."""

    text: str


# The span of a glyph that stands for no text of its own: the vowel marks of right-to-left
# text, whose letter's ToUnicode holds them (shaping._marks_in_letters).
NO_TEXT = ActualText(NOTHING)


def _runs(text: ShapedStr) -> list[tuple[str | None, int, int]]:
    """(span text or None, start, end) over the glyphs of a shaped string, in order.

    Spaces alone between two spans go into the span before, text and all: written as a
    text operator of their own, pdfium dropped them (an operator of no ink) and read
    Gujarati 'તમારો પ્રતિભાવ', both words ending and starting with a span, as one word."""
    runs: list[tuple[ActualText | None, int, int]] = []
    for i, data in enumerate(text.__shapeData__):
        actual = getattr(data, "actual", None)
        if runs and runs[-1][0] is actual:
            runs[-1] = (actual, runs[-1][1], i + 1)
        else:
            runs.append((actual, i, i + 1))
    written: list[tuple[str | None, int, int]] = []
    for n, (actual, start, end) in enumerate(runs):
        between = 0 < n < len(runs) - 1 and actual is None and runs[n - 1][0] is not None \
            and runs[n - 1][0] is not NO_TEXT and runs[n + 1][0] is not None \
            and not str.__str__(text[start:end]).strip(" ")
        if between:
            span, first, _ = written[-1]
            written[-1] = (f"{span}{str.__str__(text[start:end])}", first, end)
        else:
            written.append((None if actual is None else actual.text, start, end))
    return written


def _format_text(text_object, text):
    """ReportLab's text operators for `text`, moved to start where pdfium is to take it
    in its line's order (pdfiumorder.with_origin)."""
    if not text:
        return _operators(text_object, text)
    take_next_text_start(text_object)
    return with_origin(text_object, _operators(text_object, text))


def _operators(text_object, text):
    """ReportLab's text operators for `text`, each glyph run that carries an ActualText
    inside its own span. Each run is formatted on its own: the glyph positions in a TJ
    array are relative, so cutting it between glyphs draws the same."""
    if isinstance(text, (Reversed, ReversedPlain)):
        written = reversed_format_text(text_object, text, _rl_format_text)
        if written is not None:
            return written
    if isinstance(text, InReadingOrder) and not any(map(has_actual_text, text.pieces)):
        written = write_in_order(text_object, text.pieces, text.order, _rl_format_text)
        if written is not None:
            return written
    if not has_actual_text(text):
        return _rl_format_text(text_object, text)
    parts = []
    for actual, start, end in _runs(text):
        code = _rl_format_text(text_object, text[start:end])
        parts.append(code if actual is None else f"{span_operator(actual)} {code} EMC")
    return " ".join(parts)


# Covered by tests/test_scripts.py, which reads every script back with both readers.
_rl_format_text = PDFTextObject._formatText
PDFTextObject._formatText = _format_text
