"""Fonts and direction for one leaflet: (Leaflet language, Brand, its texts) -> Typeset.

A Typeset knows which font sets each character (the leaflet's own font for its script,
another script's font for runs such as an Arabic name in an English leaflet), wraps
those runs in `<font>` markup, picks the paragraph class that draws right-to-left and
mixed-direction lines in visual order, and checks before layout that every character
has a glyph in the font that will set it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from ..errors import Problem, TemplateError
from ..fonts import FontError, FontFamily, resolve_family
from ..scripts import (DATA as SCRIPTS_FILE, Script, has_rtl, table, visual_order, word_class,
                       word_levels)
from .styles import register_family

BRAND = "brand"  # in scripts.yaml: the brand template's own fonts
# In right-to-left text each word is shaped in one direction, so words joined by a
# no-break space (Babel's "2 فبراير 2026") are split, or their digits would run backwards.
JOINERS = str.maketrans({"\u00a0": " ", "\u202f": " "})
_rl_shape_word = rl_paragraph.shapeFragWord


def _shape_word(word, *args, **kwargs):
    """ReportLab's shapeFragWord, keeping onDraw callbacks (our inline tags) usable.

    ReportLab 5.1 puts a word's callbacks back as bare lists after shaping, which breaks
    line building; so shape the text pieces alone, then put each callback that opens an
    inline element before the word and each one that closes it after.
    """
    marks = [piece for piece in word[1:] if hasattr(piece[0], "cbDefn")]
    if not marks:
        return _rl_shape_word(word, *args, **kwargs)
    texts = word.__class__([word[0], *(p for p in word[1:] if not hasattr(p[0], "cbDefn"))])
    shaped = _rl_shape_word(texts, *args, **kwargs) if len(texts) > 1 else texts
    if shaped is texts:
        return word
    ends = [m for m in marks if str(getattr(m[0].cbDefn, "label", "")).startswith("end:")]
    starts = [m for m in marks if m not in ends]
    return shaped.__class__([shaped[0], *starts, *shaped[1:], *ends])


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


@dataclass(frozen=True)
class Face:
    """A font family as registered with ReportLab, with the characters it can set."""

    family: FontFamily
    names: dict  # style -> ReportLab font name
    chars: frozenset  # code points in both the regular and the bold font

    def has(self, char: str) -> bool:
        return ord(char) in self.chars


@lru_cache(maxsize=None)
def _face(family: FontFamily) -> Face:
    names = register_family(family)
    regular = pdfmetrics.getFont(names["regular"]).face.charToGlyph
    bold = pdfmetrics.getFont(names["bold"]).face.charToGlyph
    return Face(family, names, frozenset(regular.keys() & bold.keys()))


class Typeset:
    """Font choice and text direction for one leaflet in one brand."""

    def __init__(self, language: str, brand, texts: list[str] = ()):
        self.table = table()
        self.script: Script = self.table.for_language(language)
        self.brand = brand
        self._families: dict = {}
        self._runs: dict = {}
        self._styles: dict = {}
        self.body, self.heading = self._choose(self.script, "".join(texts))

    @property
    def rtl(self) -> bool:
        return self.script.rtl

    @property
    def cjk(self) -> bool:
        return self.script.line_break == "characters"

    # -- fonts -------------------------------------------------------------------------
    def _faces(self, spec: str, script: Script) -> tuple[Face, Face]:
        """(body, heading) faces for one entry of a script's `fonts` list."""
        if spec not in self._families:
            if spec == BRAND:
                pair = (self.brand.body_font, self.brand.heading_font)
            else:
                try:
                    family = resolve_family(spec, self.brand.folder, script.package)
                except FontError as exc:
                    raise TemplateError(Problem(SCRIPTS_FILE, 1, 1, f"script {script.name}: "
                                                f"{exc}", exc.hint)) from None
                pair = (family, family)
            self._families[spec] = (_face(pair[0]), _face(pair[1]))
        return self._families[spec]

    def _choose(self, script: Script, text: str) -> tuple[Face, Face]:
        """The first of the script's fonts that has every character of it in `text`."""
        needed = {ch for ch in text if self.table.script_of(ch) == script.name}
        for spec in script.fonts:
            body, heading = self._faces(spec, script)
            if all(body.has(ch) and heading.has(ch) for ch in needed):
                return body, heading
        return self._faces(script.fonts[0], script)

    def face_for(self, char: str, heading: bool = False) -> Face | None:
        """The face that sets `char`: the leaflet's own if it can, else the first font of
        the character's script (or of any script, for shared characters) that has it."""
        key = (char, heading)
        if key not in self._runs:
            own = self.heading if heading else self.body
            self._runs[key] = own if own.has(char) else self._fallback(char, heading)
        return self._runs[key]

    def _fallback(self, char: str, heading: bool) -> Face | None:
        name = self.table.script_of(char)
        scripts = [self.table.scripts[name]] if name else [self.script, *self.table.scripts.values()]
        for script in scripts:
            for spec in script.fonts:
                try:
                    pair = self._faces(spec, script)
                except TemplateError:
                    continue  # a font that is not installed cannot be a fallback
                face = pair[1] if heading else pair[0]
                if face.has(char):
                    return face
        return None

    # -- markup ------------------------------------------------------------------------
    def markup(self, text: str, heading: bool = False) -> str:
        """Escaped paragraph markup, with runs in another font wrapped in <font>."""
        own = self.heading if heading else self.body
        if self.rtl or has_rtl(text):
            text = text.translate(JOINERS)
        parts, run, face = [], "", own
        for char in text:
            wanted = face if char.isspace() else (self.face_for(char, heading) or own)
            if wanted is not face and run:
                parts.append(self._wrap(run, face, own, heading))
                run = ""
            face = wanted
            run += char
        parts.append(self._wrap(run, face, own, heading))
        return "".join(parts)

    @staticmethod
    def _wrap(run: str, face: Face, own: Face, heading: bool) -> str:
        if face is own or not run:
            return escape(run)
        # headings are bold through their style's font, so name the bold font outright
        name = face.names["bold" if heading else "regular"]
        return f'<font name="{name}">{escape(run)}</font>'

    def paragraph(self, markup: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph of the right class: right-to-left, mixed direction, or plain."""
        shaped = self.script.shaping or self._needs_shaping(markup)
        if shaped:
            style = self._shaped(style)
        if self.rtl:
            first = next((word_class(ch) for ch in markup if word_class(ch) in "LR"), "R")
            # a paragraph that starts in a left-to-right script runs left to right (P2)
            return (RightToLeftParagraph if first == "R" else MixedParagraph)(markup, style)
        if has_rtl(markup):
            return MixedParagraph(markup, style)
        if self.cjk:
            return CJKParagraph(markup, style)
        return Paragraph(markup, style)

    def _needs_shaping(self, text: str) -> bool:
        return any(self.table.scripts[name].shaping for name in
                   {self.table.script_of(ch) for ch in text} - {None})

    def _shaped(self, style: ParagraphStyle) -> ParagraphStyle:
        if style.name not in self._styles:
            # ReportLab's URL breaking cannot split shaped words, so it is off here
            self._styles[style.name] = ParagraphStyle(style.name + "Shaped", parent=style,
                                                      shaping=1, uriWasteReduce=0)
        return self._styles[style.name]

    def visual(self, text: str, font: str, size: float) -> str:
        """A one-line string for the canvas (header, footer): shaped, in drawing order."""
        if not (self.rtl or has_rtl(text) or self._needs_shaping(text)):
            return text
        words = text.translate(JOINERS).split(" ")
        order = visual_order(word_levels([word_class(w) for w in words], self.rtl))
        line = ""
        for n, index in enumerate(order):
            word = words[index]
            if word and (has_rtl(word) or self._needs_shaping(word)):
                word = shapeStr(word, font, size)
            line = line + (" " if n else "") + word
        return line

    # -- the glyph check ---------------------------------------------------------------
    def missing(self, text: str, heading: bool = False, own_font_only: bool = False):
        """(character, font names tried) for each character no font can set."""
        own = self.heading if heading else self.body
        seen = set()
        for char in text:
            if char in seen or char in " \n\t\r" or unicodedata.category(char) == "Cc":
                continue
            seen.add(char)
            face = own if (own_font_only or own.has(char)) else self.face_for(char, heading)
            if face is None or not face.has(char):
                yield char, own.family.name


class BidiParagraph(Paragraph):
    """A paragraph whose lines are broken in reading order and drawn in visual order.

    Each word is shaped on its own by HarfBuzz (so Arabic letters join and each word runs
    in its own direction); the words of every line are then ordered by the bidirectional
    algorithm at draw time, so splitting across pages still sees reading order.
    """

    rtl = False

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


def check_text(typeset: Typeset, text: str, where, what: str, heading: bool = False,
               own_font_only: bool = False) -> list[Problem]:
    """Problems for every character of `text` that no font can set."""
    path, line, column = where
    problems = []
    for char, font in typeset.missing(text, heading, own_font_only):
        name = unicodedata.name(char, "unnamed character")
        problems.append(Problem(Path(path), line, column,
                                f"{what}: character '{char}' (U+{ord(char):04X}, {name}) has "
                                f"no glyph in {font} or any fallback font",
                                "replace or remove the character, or add a font that has it "
                                "to handouts/scripts.yaml"))
    return problems

