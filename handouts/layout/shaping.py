"""HarfBuzz shaping through ReportLab 5.1, with the fixes our text needs.

ReportLab shapes each word of a paragraph whose style has `shaping=1`. This module sets
the OpenType features used, keeps our inline-tag callbacks usable inside shaped words,
draws vowel marks after their letters, records the text behind glyphs that have no
character of their own (for the ToUnicode map), and makes a raised mark safe as the first
glyph of a string. The fixes patch two ReportLab functions once, on import; the pinned
version and the Arabic tests cover them.
"""
from __future__ import annotations

from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as rl_paragraph

from ..pdf.tags import PRIVATE_USE_TEXT

_rl_shape_word = rl_paragraph.shapeFragWord
# OpenType features for shaping. ReportLab's default adds discretionary ligatures ('dlig':
# a one-glyph "محمد"); contextual alternates ('calt') give glyphs no character maps to.
# Without both, every Arabic letter still joins and extracts as itself.
FEATURES = {"kern": True, "liga": True, "dlig": False, "calt": False}


def _shape_word(word, *args, **kwargs):
    """ReportLab's shapeFragWord, keeping onDraw callbacks (our inline tags) usable.

    ReportLab 5.1 puts a word's callbacks back as bare lists after shaping, which breaks
    line building; so shape the text pieces alone, then put each callback that opens an
    inline element before the word and each one that closes it after.
    """
    source = "".join(str(p[1]) for p in word[1:] if not hasattr(p[0], "cbDefn") and len(p) > 1)
    if not args:
        kwargs.setdefault("features", FEATURES)
    shaped = _shape_pieces(word, *args, **kwargs)
    if shaped is not word:
        _note_private_use(source, shaped)
    return shaped


def _shape_pieces(word, *args, **kwargs):
    marks = [piece for piece in word[1:] if hasattr(piece[0], "cbDefn")]
    if not marks:
        return _marks_after_bases(_rl_shape_word(word, *args, **kwargs))
    texts = word.__class__([word[0], *(p for p in word[1:] if not hasattr(p[0], "cbDefn"))])
    shaped = _rl_shape_word(texts, *args, **kwargs) if len(texts) > 1 else texts
    if shaped is texts:
        return word
    ends = [m for m in marks if str(getattr(m[0].cbDefn, "label", "")).startswith("end:")]
    starts = [m for m in marks if m not in ends]
    return _marks_after_bases(shaped.__class__([shaped[0], *starts, *shaped[1:], *ends]))


def _marks_after_bases(word):
    """The pieces of a shaped word with each vowel mark drawn after the letter it sits on.

    HarfBuzz may put a mark before its letter (the tanween of 'قليلًا'); drawn in that
    order it looks the same, but text extraction then moves the mark and its letter to
    another word. The mark keeps its place: its offset is taken from the new pen position.
    """
    pieces = [word[0]]
    for piece in word[1:]:
        text = piece[1] if len(piece) > 1 else None
        if isinstance(text, ShapedStr):
            piece = (piece[0], _reorder_marks(text), *piece[2:])
        pieces.append(piece)
    return word.__class__(pieces)


def _note_private_use(source: str, word) -> None:
    """Record the text behind each glyph ReportLab gave a private-use code (a contextual
    form or ligature with no character of its own): the characters of its cluster."""
    glyphs = [(piece[0], ch, sd) for piece in word[1:] if len(piece) > 1
              and isinstance(piece[1], ShapedStr)
              for ch, sd in zip(str(piece[1]), piece[1].__shapeData__)]
    starts = sorted({sd.cluster for _, _, sd in glyphs if 0 <= sd.cluster <= len(source)})
    for frag, ch, sd in glyphs:
        if 0xE000 <= ord(ch) <= 0xF8FF and sd.cluster in starts:
            later = [c for c in starts if c > sd.cluster]
            text = source[sd.cluster:later[0] if later else len(source)]
            face = pdfmetrics.getFont(frag.fontName).face.name
            face = face.decode("latin-1") if isinstance(face, bytes) else face
            PRIVATE_USE_TEXT.setdefault(face, {}).setdefault(ord(ch), text)


def _reorder_marks(text: ShapedStr) -> ShapedStr:
    chars, data = list(str(text)), list(text.__shapeData__)
    i, changed = 0, False
    while i < len(data) - 1:
        mark, base = data[i], data[i + 1]
        if mark.x_advance == 0 and base.x_advance and mark.cluster == base.cluster:
            data[i], data[i + 1] = base, mark._replace(x_offset=mark.x_offset - base.x_advance)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i, changed = i + 2, True
        else:
            i += 1
    return ShapedStr("".join(chars), shapeData=data) if changed else text


def _set_rise(text_object, rise):
    """ReportLab's setRise, safe as the first operator of a string: a word whose first
    glyph is a raised mark (the tanween of 'قليلًا') starts with one, and ReportLab 5.1
    then reads the last operator of an empty list."""
    if not text_object._code:
        text_object._code.append("")
    return _rl_set_rise(text_object, rise)


# Two fixes to the pinned ReportLab's shaping, covered by the Arabic tests.
_rl_set_rise = PDFTextObject.setRise
rl_paragraph.shapeFragWord = _shape_word
PDFTextObject.setRise = _set_rise


def shape_text(text: str, font: str, size: float):
    """One word shaped for the canvas (header, footer), as a paragraph's words are."""
    return _shape_word([pdfmetrics.stringWidth(text, font, size),
                        (ABag(fontName=font, fontSize=size), text)])[1][1]
