"""HarfBuzz shaping through ReportLab 5.1, with the fixes our text needs.

ReportLab shapes each word of a paragraph whose style has `shaping=1`. This module sets
the OpenType features used, shapes each run of one font and one direction of a word on
its own (a Latin name with accents in an Arabic leaflet, 'وJosé'), keeps our inline-tag
callbacks usable inside shaped words, records the text behind glyphs that have no
character of their own and behind right-to-left letters with vowel marks (for the
ToUnicode map), gives right-to-left kerning gaps to glyph widths (readers took them for
spaces), notes each word's bidi levels for ordering its line (lines.py), and marks the
glyph runs that need an ActualText span (pdf/actualtext.py). The patches themselves
live in rlhooks.py; the pinned version and the script tests cover them.
"""
from __future__ import annotations

import operator
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import uharfbuzz
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedFragWord, ShapedStr, makeShapedFragWord

from ..pdf.actualtext import NO_TEXT, ActualText, glyph_text
from ..pdf.tags import PRIVATE_USE_TEXT, closes, font_face_name, private_code
from bidi.mirror import MIRRORED

from ..rlhooks import install_shape_word, rl_shape_frag_word, shape_data
from .bidi import isolated_levels, levels, visual_order

_rl_shape_word = rl_shape_frag_word
# OpenType features for shaping. ReportLab's default adds discretionary ligatures ('dlig':
# a one-glyph "محمد"); contextual alternates ('calt') give glyphs no character maps to.
# Without both, every Arabic letter still joins and extracts as itself.
FEATURES = {"kern": True, "liga": True, "dlig": False, "calt": False}
# The direction of the paragraph being shaped (lines.py sets it): the order in which the
# runs of a word of two directions are drawn depends on it.
_RIGHT_TO_LEFT: ContextVar[bool] = ContextVar("right_to_left", default=False)


@dataclass
class _Paragraph:
    """The text of the paragraph being shaped, its levels, and how far its words have
    been shaped: a word's levels are resolved in its paragraph, as UAX #9 does (the comma
    of 'Group, 22' is left to right between two left-to-right runs, not on its own)."""

    text: str
    levels: tuple[int, ...]
    at: int = 0

    last_end: int | None = None  # where the word last found ends in the text

    def levels_of(self, word: str) -> list[int] | None:
        found = self.text.find(word, self.at)
        if not word or found < 0:
            self.last_end = None
            return None  # not as written (a shaped word carried over): the word alone
        self.at = self.last_end = found + len(word)
        return list(self.levels[found:self.at])

    def level_after(self) -> int | None:
        """The level of the space after the word last found (None: no space follows)."""
        end = self.last_end
        return self.levels[end] if end is not None and end < len(self.text) and \
            self.text[end] == " " else None


_PARAGRAPH: ContextVar[_Paragraph | None] = ContextVar("paragraph", default=None)


def _shape_word(word, *args, **kwargs):
    """ReportLab's shapeFragWord, keeping onDraw callbacks (our inline tags) usable and
    shaping each run of one font and one direction on its own."""
    if isinstance(word, ShapedFragWord) or _shaped_pieces(word):
        return word  # shaped already (a word carried to the next line or page, or cut)
    if not args:
        kwargs.setdefault("features", FEATURES)
    marks = [piece for piece in word[1:] if _is_mark(piece)]
    runs, run_levels = _runs([piece for piece in word[1:] if not _is_mark(piece)])
    if not marks and len(runs) <= 1 and not _mirrored_run(runs[0] if runs else [], run_levels):
        shaped = _shape_run(word, *args, **kwargs)
        shaped = _left_to_right(shaped) if run_levels and not run_levels[0] % 2 else shaped
        return _with_levels(shaped, [(0, run_levels[0])] * len(shaped[1:]) if runs else [])
    if marks and _PARAGRAPH.get() is None and not any(level % 2 for level in run_levels):
        return _shaped_between_marks(word, *args, **kwargs)
    return _shape_pieces(word, runs, run_levels, *args, **kwargs)


def _shaped_between_marks(word, *args, **kwargs):
    """A left-to-right word holding inline switches, outside a bidirectional paragraph:
    each part between two switches shaped on its own, and the switches kept between the
    parts, so each element holds its own glyphs. Placed around the whole word, a Hindi
    citation typed against its word ('देखें [1]', a no-break space between) took the word
    into the Reference, and a bracket typed against a link went into the Link."""
    out: list = []
    width = 0.0
    part: list = []

    def shape_part() -> None:
        nonlocal width
        for run in _runs(part)[0] if part else []:
            shaped, _ = _shaped_alone(word, run, 0, *args, **kwargs)
            width += shaped[0]
            out.extend(shaped[1:])
        part.clear()

    for piece in word[1:]:
        if _is_mark(piece):
            shape_part()
            out.append(piece)
        else:
            part.append(piece)
    shape_part()
    return makeShapedFragWord(word)([width, *out])


@dataclass(frozen=True)
class WordLevels:
    """Where a word's runs sit in the bidirectional levels its paragraph resolved (UAX #9),
    for ordering the runs of each line (lines.py): for each piece of text in drawing order,
    its run's number in reading order and level; and the level of the space after the word
    (None where none follows). A bracket before an Arabic word ('(تاريخ') is a run of its
    own, which the line may draw apart from the word."""

    runs: tuple[tuple[int, int], ...]
    space_after: int | None


def _with_levels(word, runs: list[tuple[int, int]]):
    """The word, carrying its WordLevels when the paragraph's levels are known."""
    paragraph = _PARAGRAPH.get()
    if paragraph is None or paragraph.last_end is None or not runs:
        return word
    texts = [piece for piece in word[1:] if not _is_mark(piece)]
    kept = tuple(run for piece, run in zip(texts, runs) if len(piece) > 1 and str(piece[1]))
    if type(word) is list:  # a word followed by no space: a list that takes attributes
        word = _Word(word)
    word.bidi_levels = WordLevels(kept, paragraph.level_after())
    return word


class _Word(list):
    """A word (ReportLab's list of width and pieces) that is not followed by a space."""


def word_levels_of(word) -> WordLevels | None:
    return getattr(word, "bidi_levels", None)


def _shaped_pieces(word) -> bool:
    """Whether a word's text is glyphs already: the pieces of a shaped word that
    ReportLab cut across lines (a long URL), read again when the paragraph's rest is
    broken into lines on the next page or in a table cell. HarfBuzz takes no ShapedStr,
    and shaping glyph codes again would draw other glyphs."""
    texts = [piece[1] for piece in word[1:] if not _is_mark(piece) and len(piece) > 1 and piece[1]]
    return bool(texts) and all(isinstance(text, ShapedStr) for text in texts)


def _is_mark(piece) -> bool:
    return hasattr(piece[0], "cbDefn")


def _runs(pieces: list) -> tuple[list[list], list[int]]:
    """The text pieces of a word, grouped into runs of one font and one direction.

    ReportLab 5.1 shapes a whole word with its first piece's font and reads the glyph
    numbers back in each piece's own font: the Latin 'ř' of 'Dvořák' set in a fallback
    font inside an Arabic leaflet then prints some other glyph, or fails with no
    'hbAddPrivate'. And HarfBuzz shapes a word in one direction, so the Latin of 'وJosé'
    would be drawn backwards. Each run is shaped on its own, then put in drawing order.
    """
    directions = iter(_directions("".join(str(piece[1]) for piece in pieces)))
    runs: list[list] = []
    keys: list[tuple] = []
    for frag, text, *_ in pieces:
        start, kind = 0, int(_RIGHT_TO_LEFT.get())  # an empty piece: the paragraph's level
        char_kind: int
        for i, char_kind in enumerate(next(directions) for _ in str(text)):
            if i and char_kind != kind:
                _add_piece(runs, keys, (frag, text[start:i]), kind)
                start = i
            kind = char_kind
        _add_piece(runs, keys, (frag, text[start:]) if start else (frag, text), kind)
    return runs, [key[1] for key in keys]


def _add_piece(runs: list[list], keys: list[tuple], piece: tuple, kind: int) -> None:
    key = (piece[0].fontName, kind)
    if keys and keys[-1] == key:
        runs[-1].append(piece)
    else:
        runs.append([piece])
        keys.append(key)


def _directions(text: str) -> list[int]:
    """The bidi level of each character of a word (UAX #9, by python-bidi), resolved in
    the paragraph being shaped when it is known: even levels are drawn left to right, odd
    right to left."""
    paragraph = _PARAGRAPH.get()
    found = paragraph.levels_of(text) if paragraph is not None else None
    return found if found is not None else list(levels(text, _RIGHT_TO_LEFT.get()))


def _shape_pieces(word, runs: list[list], run_levels: list[int], *args, **kwargs):
    """A word of several font runs or with inline-tag callbacks, shaped run by run.

    ReportLab 5.1 puts a word's callbacks back as bare lists after shaping, which breaks
    line building; so the text runs are shaped alone, then the callbacks are put back
    around them (_marks_placed).
    """
    width, shaped_runs, changed = 0.0, [], False
    for run, level in zip(runs, run_levels):
        if level % 2 and not _has_rtl_letters(run):
            run = _mirror(run)
        shaped, shaped_anew = _shaped_alone(word, run, level, *args, **kwargs)
        changed = changed or shaped_anew
        width += shaped[0]
        shaped_runs.append(shaped[1:])
    order = visual_order(run_levels)
    pieces = [piece for index in order for piece in shaped_runs[index]]
    levels = [(index, run_levels[index]) for index in order for _ in shaped_runs[index]]
    texts = [piece for piece in word[1:] if not _is_mark(piece)]
    if not changed and len(pieces) == len(texts) and all(map(operator.is_, pieces, texts)):
        return _with_levels(word, levels)  # nothing shaped, split or moved
    leading, starts, ends, trailing = _marks_placed(word)
    # marked as shaped, so a second look (the word carried to the next page) leaves it be
    return _with_levels(makeShapedFragWord(word)(
        [width, *leading, *starts, *pieces, *ends, *trailing]), levels)


def _shaped_alone(word, run: list, level: int, *args, **kwargs) -> tuple[list, bool]:
    """A run of one font and one direction shaped as a word of its own (drawn left to
    right at an even `level`), and whether that changed it."""
    alone = word.__class__([_width(run), *run])
    shaped = _shape_run(alone, *args, **kwargs)
    if not level % 2:
        shaped = _left_to_right(shaped)
    return shaped, shaped is not alone


def _marks_placed(word) -> tuple[list, list, list, list]:
    """A word's callbacks: those before all its text, the openings and the closings
    inside it, and those after all its text. ReportLab gives a word the opening of a link
    that starts after the word's space ('میل: ' then the address): it must stay after the
    word, or the link would take in the label's last word."""
    pieces = word[1:]
    texts = [i for i, piece in enumerate(pieces) if not _is_mark(piece)]
    first, last = (texts[0], texts[-1]) if texts else (len(pieces), len(pieces))
    leading: list = []
    starts: list = []
    ends: list = []
    trailing: list = []
    for i, piece in enumerate(pieces):
        if not _is_mark(piece):
            continue
        ends_element = closes(str(getattr(piece[0].cbDefn, "label", "")))
        (leading if i < first else trailing if i > last else ends if ends_element else
         starts).append(piece)
    return leading, starts, ends, trailing


def _has_rtl_letters(run: list) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for piece in run for ch in str(piece[1]))


def _mirrored_run(run: list, run_levels: list[int]) -> bool:
    """Whether a word's one run is drawn right to left with no right-to-left letter in
    it, so HarfBuzz (which takes the direction from the script) would not mirror it."""
    return bool(run) and bool(run_levels[0] % 2) and not _has_rtl_letters(run)


def _mirror(run: list) -> list:
    """A run of brackets and punctuation at a right-to-left level, as drawn left to right:
    its characters in reverse order, each bracket as its mirror image (rule L4), as
    HarfBuzz draws the brackets inside an Arabic run; text extraction mirrors them back."""
    return [(frag, "".join(MIRRORED.get(ch, ch) for ch in reversed(str(text))), *rest)
            for frag, text, *rest in reversed(run)]


def _left_to_right(word):
    """A run of even level as drawn left to right: HarfBuzz guesses the direction from the
    script, so Persian or Arabic-Indic digits ('۴۰') came back right to left ('۰۴')."""
    data = [sd for piece in word[1:] if len(piece) > 1 and isinstance(piece[1], ShapedStr)
            for sd in piece[1].__shapeData__]
    if len(data) < 2 or data[0].cluster <= data[-1].cluster:
        return word
    pieces = [(piece[0], ShapedStr(str(piece[1])[::-1], shapeData=piece[1].__shapeData__[::-1]),
               *piece[2:]) if len(piece) > 1 and isinstance(piece[1], ShapedStr) else piece
              for piece in reversed(word[1:])]
    return word.__class__([word[0], *pieces])


@contextmanager
def paragraph_direction(rtl: bool, text: str = "", fields: tuple[tuple[int, int], ...] = ()):
    """Words shaped inside this block belong to a paragraph of this direction (and of
    this text, when given, whose words they are, in order, with these fields: see
    bidi.isolated_levels)."""
    token = _RIGHT_TO_LEFT.set(rtl)
    context = _PARAGRAPH.set(_Paragraph(text, isolated_levels(text, rtl, fields))
                             if text else None)
    try:
        yield
    finally:
        _PARAGRAPH.reset(context)
        _RIGHT_TO_LEFT.reset(token)


def _width(pieces: list) -> float:
    return sum(pdfmetrics.stringWidth(str(text), frag.fontName, frag.fontSize)
               for frag, text, *_ in pieces)


def _shape_run(word, *args, **kwargs):
    """One run of one font shaped by ReportLab, with the text behind its private-use
    glyphs and its right-to-left vowel marks recorded."""
    source = "".join(str(p[1]) for p in word[1:] if not _is_mark(p) and len(p) > 1)
    shaped = _rl_shape_word(word, *args, **kwargs)
    if shaped is word:
        return word
    shaped = _with_clusters(source, shaped, kwargs.get("features", FEATURES))
    _keep_joiners(source, shaped)
    _note_private_use(source, shaped)
    _marks_in_letters(source, shaped)
    _kerns_in_advances(source, shaped)
    _mark_actual_text(source, shaped)
    _moved_marks_in_letters(source, shaped)
    _mark_cuts(source, shaped)
    return shaped


def _with_clusters(source: str, word, features: dict):
    """The shaped word with every piece a ShapedStr, which carries each glyph's cluster.

    ReportLab returns plain strings when no glyph is moved (a Bengali vowel sign drawn
    before its consonant, with no kerning): the glyphs are reordered but which characters
    each stands for is lost. The run is shaped again as ReportLab shapes it to get them
    back; the pieces then draw exactly as before (advance = the glyph's own width)."""
    plain = [n for n, piece in enumerate(word[1:], 1)
             if len(piece) > 1 and isinstance(piece[1], str) and not isinstance(piece[1], ShapedStr)]
    if not plain:
        return word
    clusters = _clusters(source, word[plain[0]][0], features)
    if clusters is None or len(clusters) != sum(len(str(p[1])) for p in word[1:] if len(p) > 1):
        return word
    pieces, at = [word[0]], 0
    for n, piece in enumerate(word[1:], 1):
        if len(piece) < 2:
            pieces.append(piece)
            continue
        text = piece[1]
        if n in plain:
            font = pdfmetrics.getFont(piece[0].fontName)
            data = [ShapeData(cluster, width, 0, 0, 0, width) for cluster, width in
                    zip(clusters[at:at + len(text)], (font.face.charWidths[ord(ch)] for ch in text))]
            piece = (piece[0], ShapedStr(text, shapeData=data), *piece[2:])
        at += len(text)
        pieces.append(piece)
    return word.__class__(pieces)


def _clusters(source: str, frag, features: dict) -> list[int] | None:
    """Each glyph's cluster, shaped with the settings of ReportLab's shapeFragWord."""
    try:
        hb_font = pdfmetrics.getFont(frag.fontName).hbFont(frag.fontSize)
    except AttributeError:
        return None
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(source)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, features)
    return [info.cluster for info in buffer.glyph_infos]


@dataclass
class _Cluster:
    """The glyphs HarfBuzz shaped from one stretch of a run's source. They are in one
    piece: ReportLab gives every glyph of a cluster the frag of its first character."""

    piece: int
    chars: list[str]  # the glyphs' codes, in drawing order
    data: list  # their shaping data
    text: str  # the stretch of the source they stand for


def _glyph_clusters(source: str, word) -> tuple[list[_Cluster], bool]:
    """The clusters of a shaped run in drawing order, and whether it runs right to left
    (clusters counting down, or one cluster of right-to-left letters)."""
    glyphs = [(n, ch, data) for n, piece in enumerate(word[1:], 1)
              if len(piece) > 1 and isinstance(piece[1], ShapedStr)
              for ch, data in zip(str(piece[1]), piece[1].__shapeData__)
              if 0 <= data.cluster < len(source)]
    starts = sorted({data.cluster for _, _, data in glyphs})
    ends = dict(zip(starts, [*starts[1:], len(source)]))
    clusters: list[_Cluster] = []
    for piece, ch, data in glyphs:
        last = clusters[-1] if clusters else None
        if last and last.piece == piece and last.data[0].cluster == data.cluster:
            last.chars.append(ch)
            last.data.append(data)
        else:
            clusters.append(_Cluster(piece, [ch], [data], source[data.cluster:ends[data.cluster]]))
    rtl = bool(glyphs) and (glyphs[0][2].cluster > glyphs[-1][2].cluster or (
        len(starts) == 1
        and any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in source)))
    return clusters, rtl


def _mark_actual_text(source: str, word) -> None:
    """Give each run of glyphs that ToUnicode cannot describe an ActualText with the
    characters it was shaped from (pdf/actualtext.py writes the spans).

    A cluster is described when each glyph stands for one character and those
    characters, in drawing order, are its stretch of the source: one glyph per letter. A
    vowel sign drawn before its consonant, a Tamil vowel in two parts, a reph after its
    consonant or a conjunct of several letters gets a span; next clusters that need one
    share it, so a vowel in two parts is one span.

    Right-to-left runs get none: poppler and pdfium reverse a right-to-left line code by
    code, and they do not agree on a span's text there (measured: with a span on its
    final ligature, pdfium read Persian 'فارسی' as 'یسراف' with the span's text in typed
    order and as 'سیراف' with it last first, and with spans poppler no longer read 'قليلًا'
    whole). A ligature's ToUnicode
    lists its letters last first instead (actualtext.glyph_text, _note_private_use),
    which both read in typed order."""
    clusters, rtl = _glyph_clusters(source, word)
    if rtl:
        return
    span: list[_Cluster] = []
    for cluster in clusters:
        texts = [glyph_text(font_face_name(word[cluster.piece][0].fontName), ch)
                 for ch in cluster.chars]
        if "".join(texts) == cluster.text and all(len(text) == 1 for text in texts):
            _close_span(span)
        elif span and span[-1].piece == cluster.piece:
            span.append(cluster)
        else:
            _close_span(span)
            span.append(cluster)
    _close_span(span)


def _mark_cuts(source: str, word) -> None:
    """Mark where a left-to-right run with combining marks (a Gurmukhi or Hindi word)
    may be cut when it is too long for any line: ReportLab cuts a word between any two
    glyphs, and those of 'ਸਿ' are drawn vowel sign first, so the sign ended one line and
    its consonant began the next. Each glyph's `may_cut_before` says whether the run may
    be cut before it (rlhooks.word_units): where every glyph before stands for earlier
    characters than every glyph after, the character there starts a new letter (no
    mark, no letter after a virama or joiner: 'ਕ੍ਰ' stays whole), and no ActualText
    span goes on across it (_mark_actual_text: Bengali 'স্থ্যস্ব' is one span, and its
    text would be read on one line only)."""
    if not any(unicodedata.category(ch).startswith("M") for ch in source):
        return  # before the clusters: most runs have no mark
    clusters, rtl = _glyph_clusters(source, word)
    if rtl:
        return
    data = [sd for cluster in clusters for sd in cluster.data]
    later = [min(sd.cluster for sd in data[i:]) for i in range(len(data))]
    seen = -1
    for i, sd in enumerate(data):
        shared_span = i > 0 and getattr(sd, "actual", None) is not None and \
            getattr(data[i - 1], "actual", None) is sd.actual
        sd.may_cut_before = i > 0 and seen < sd.cluster == later[i] and not shared_span \
            and _starts_letter(source, sd.cluster)
        seen = max(seen, sd.cluster)


def _starts_letter(source: str, at: int) -> bool:
    before, char = source[at - 1], source[at]
    return not unicodedata.category(char).startswith("M") and char not in "\u200c\u200d" \
        and before not in "\u200c\u200d" and unicodedata.combining(before) != 9


def _close_span(span: list[_Cluster]) -> None:
    """One ActualText for the clusters of an open span (consecutive stretches of the
    source, counting up or down), then the span is emptied."""
    if span:
        ordered = sorted(span, key=lambda cluster: cluster.data[0].cluster)
        actual = ActualText("".join(cluster.text for cluster in ordered))
        for cluster in span:
            for data in cluster.data:
                data.actual = actual
    span.clear()


def _keep_joiners(source: str, word) -> None:
    """A ZWNJ or ZWJ that the font has no glyph for comes back from HarfBuzz as its space
    glyph, which ReportLab reads as ' ': the line's word order would then split the word
    there (Persian 'می‌کند' drawn as 'کند می'). It gets a zero-wide private-use code of
    its own instead, whose text (the ToUnicode map) is the joiner itself."""
    for n, piece in enumerate(word[1:], 1):
        if len(piece) < 2 or not isinstance(piece[1], ShapedStr) or " " not in piece[1]:
            continue
        chars, data = list(str(piece[1])), piece[1].__shapeData__
        for i, (ch, sd) in enumerate(zip(chars, data)):
            if ch == " " and 0 <= sd.cluster < len(source) and \
                    unicodedata.category(source[sd.cluster]) == "Cf":
                font = pdfmetrics.getFont(piece[0].fontName)
                chars[i] = chr(font.hbAddPrivate("handouts.invisible", font.face.charToGlyph[32], 0))
        word[n] = (piece[0], ShapedStr("".join(chars), shapeData=data), *piece[2:])


def _note_private_use(source: str, word) -> None:
    """Record the text behind each glyph ReportLab gave a private-use code (a contextual
    form, ligature or reph with no character of its own): the characters of its cluster
    that the cluster's other glyphs do not stand for (a Devanagari reph drawn after 'छ'
    is 'र्', not 'र्छ'), last first in right-to-left text, as for lam-alef
    (actualtext.glyph_text)."""
    clusters, rtl = _glyph_clusters(source, word)
    for cluster in clusters:
        face = font_face_name(word[cluster.piece][0].fontName)
        private = [ch for ch in cluster.chars if 0xE000 <= ord(ch) <= 0xF8FF]
        rest = list(cluster.text)
        for ch in cluster.chars:
            own = glyph_text(face, ch) if ch not in private else ""
            if len(own) == 1 and own in rest:
                rest.remove(own)
        text = "".join(rest) or cluster.text
        for ch in private:
            PRIVATE_USE_TEXT.setdefault(face, {}).setdefault(ord(ch), text[::-1] if rtl else text)


def _marks_in_letters(source: str, word) -> None:
    """In a right-to-left run, give each letter that carries vowel marks a code of its own
    whose text (the ToUnicode map) is the letter with its marks, and draw the marks as no
    text (actualtext.NO_TEXT).

    HarfBuzz draws a mark before its letter (in drawing order) and raised or lowered, which
    ReportLab writes as a text rise: poppler and pdfium then read the mark as a word or line
    of its own (measured on 'أيضًا': poppler 'أيضا' with 'ً' two lines on, pdfium 'ً أيضا'
    on a line before the rest). The marks still draw exactly where HarfBuzz put them; the
    letter keeps its glyph and width. Its text is written last first, as for lam-alef
    (actualtext.glyph_text): 'ضً' of 'أيضًا' and 'لًا' of 'قليلًا' (the mark on lam-alef)."""
    clusters, rtl = _glyph_clusters(source, word)
    if not rtl:
        return
    starts = sorted({cluster.data[0].cluster for cluster in clusters})
    for n, piece in enumerate(word[1:], 1):
        if len(piece) < 2 or not isinstance(piece[1], ShapedStr):
            continue
        face = font_face_name(piece[0].fontName)
        chars, data = list(str(piece[1])), piece[1].__shapeData__
        marks: list[int] = []
        for i, (ch, sd) in enumerate(zip(chars, data)):
            if sd.x_advance == 0 and _is_vowel_mark(glyph_text(face, ch)):
                marks.append(i)
                continue
            group = [*marks, i]
            marks = []
            if len(group) == 1 or not all(0 <= data[j].cluster < len(source) for j in group):
                continue
            low, high = min(data[j].cluster for j in group), max(data[j].cluster for j in group)
            text = source[low:next((s for s in starts if s > high), len(source))]
            drawn = "".join(glyph_text(face, chars[j]) for j in group)
            if sorted(text) != sorted(drawn):
                continue  # the glyphs do not stand for exactly these characters: as shaped
            chars[i] = _code_for(piece[0].fontName, ch, text[::-1])
            for j in group[:-1]:
                data[j].actual = NO_TEXT
        word[n] = (piece[0], ShapedStr("".join(chars), shapeData=data), *piece[2:])


def _moved_marks_in_letters(source: str, word) -> None:
    """In a left-to-right run, a vowel sign HarfBuzz moved under or over the letter
    before it (Bengali 'ু' of 'কুকুর': no advance, offsets -146 and -208) is drawn as no
    text, and the letter gets a code of its own whose text is letter and sign: pdfium
    read the moved sign apart, with spaces around it ('কু কু র')."""
    moved = any(not sd.x_advance and (sd.x_offset or sd.y_offset) for piece in word[1:]
                if len(piece) > 1 for sd in shape_data(piece[1]) or ())
    if not moved or _glyph_clusters(source, word)[1]:
        return  # no moved glyph (most runs: the clusters are not worked out), or right to left
    for n, piece in enumerate(word[1:], 1):
        if len(piece) < 2 or not isinstance(piece[1], ShapedStr):
            continue
        face = font_face_name(piece[0].fontName)
        chars, data = list(str(piece[1])), piece[1].__shapeData__
        for i in range(1, len(chars)):
            mark, letter = glyph_text(face, chars[i]), _letter_text(face, chars, data, i - 1)
            if data[i].x_advance or not (data[i].x_offset or data[i].y_offset) \
                    or not _is_vowel_mark(mark) or getattr(data[i], "actual", None) \
                    or letter is None or _is_vowel_mark(letter) or _mark_follows(data, i):
                continue
            chars[i - 1] = _code_for(piece[0].fontName, chars[i - 1], letter + mark)
            data[i - 1].actual = None  # its text is in its code now
            data[i].actual = NO_TEXT
        word[n] = (piece[0], ShapedStr("".join(chars), shapeData=data), *piece[2:])


def _mark_follows(data: list, at: int) -> bool:
    """Whether another mark follows the glyph at `at` (Gujarati 'મું': 'ુ' then 'ં'). The
    sign is left as drawn there: cut between two raised or lowered glyphs, the text rise
    of the line after them was left at the second one's (the line drawn 0.6 pt low)."""
    return at + 1 < len(data) and not data[at + 1].x_advance


def _letter_text(face: str, chars: list[str], data: list, at: int) -> str | None:
    """The text of the glyph at `at` when it stands alone: its ToUnicode text if that
    is one character, or the text of an ActualText span of its own ('ড়' drawn as one
    glyph); None when it is part of a longer span or stands for no text."""
    actual = getattr(data[at], "actual", None)
    if actual is None:
        text = glyph_text(face, chars[at])
        return text if len(text) == 1 else None
    shared = any(getattr(data[j], "actual", None) is actual
                 for j in (at - 1, at + 1) if 0 <= j < len(data))
    return None if shared or actual is NO_TEXT else actual.text


def _is_vowel_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) == "Mn" for ch in text)


def _code_for(font_name: str, letter: str, text: str, width: float | None = None) -> str:
    """A private-use code drawing the glyph of `letter`, whose ToUnicode text is `text`
    and whose width is `width` (by default the glyph's own)."""
    font = pdfmetrics.getFont(font_name)
    glyph = font.face.charToGlyph[ord(letter)]
    width = font.face.charWidths[ord(letter)] if width is None else width
    return private_code(font_name, f"handouts.code:{glyph}:{width}:{text}", glyph, width, text)


def _kerns_in_advances(source: str, word) -> None:
    """In a right-to-left run, the space a kerning pair puts between two letters is given
    to the width of the letter on its left, not drawn as a gap before the one on its right.

    HarfBuzz kerns a letter that does not join the next ('ر' of 'مريح', 'أ' of 'أكثرها')
    by moving it right within a wider advance; ReportLab then moves the pen before the
    glyph, and a gap of more than a tenth of an em reads as a space to poppler and pdfium
    (measured: 'مر يح', 'أ كثرها'). The letter on the left gets a code of its own for the
    same glyph and text with the kern in its width: every glyph is drawn where it was.
    The same for a glyph moved right within its own advance (IBM Plex Sans Arabic's
    'یر' of Dari 'بگیرید', 90 units): both readers read 'بگیر ید'."""
    clusters, rtl = _glyph_clusters(source, word)
    if not rtl:
        return
    for n, piece in enumerate(word[1:], 1):
        if len(piece) < 2 or not isinstance(piece[1], ShapedStr):
            continue
        face = font_face_name(piece[0].fontName)
        chars, data = list(str(piece[1])), list(piece[1].__shapeData__)
        for i in range(1, len(data)):
            kerned, left = data[i], data[i - 1]
            kern = kerned.x_offset
            shifted = _same(kerned.x_advance, kerned.width + kern) or (  # a kern, or a shift
                _same(kerned.x_advance, kerned.width) and kern < kerned.x_advance)
            if kern <= 0 or kerned.y_offset or not shifted \
                    or left.x_offset or left.y_offset or not left.x_advance \
                    or not _same(left.x_advance, left.width):
                continue  # not a kern alone, beside a glyph of its own width
            chars[i - 1] = _code_for(piece[0].fontName, chars[i - 1],
                                     glyph_text(face, chars[i - 1]), left.width + kern)
            data[i - 1] = _copy(left, x_advance=left.x_advance + kern, width=left.width + kern)
            data[i] = _copy(kerned, x_advance=kerned.x_advance - kern, x_offset=0)
        word[n] = (piece[0], ShapedStr("".join(chars), shapeData=data), *piece[2:])


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.01  # font units of a 1000-unit em, after scaling


def _copy(data, **changes):
    """Shaping data with some values changed, keeping what layout noted on it."""
    new = data._replace(**changes)
    new.__dict__.update(getattr(data, "__dict__", {}))
    return new


# The shaping fix to the pinned ReportLab (patched in rlhooks.py), covered by the Arabic tests.
install_shape_word(_shape_word)


def shape_text(text: str, font: str, size: float, rtl: bool = False):
    """One word shaped for the canvas (header, footer), as a paragraph's words are."""
    with paragraph_direction(rtl):
        word = _shape_word([pdfmetrics.stringWidth(text, font, size),
                            (ABag(fontName=font, fontSize=size), text)])
    if len(word) == 2:
        return word[1][1]
    line = ShapedStr("", shapeData=[])
    for piece in word[1:]:  # the runs of a word of two directions, in drawing order
        line = line + piece[1]
    return line
