"""Fonts and direction for one leaflet: (Leaflet language, Brand, its texts) -> Typeset.

A Typeset knows which font sets each character (the leaflet's own font for its script,
another script's font for runs such as an Arabic name in an English leaflet; a whole
word or name in one font where one font has all of it), wraps
those runs in `<font>` markup, picks the paragraph class (lines.py) that lays out
right-to-left, mixed-direction or Chinese text, shapes one-line canvas strings, and finds
the characters no font can set (the glyph check, glyphs.py).
"""
from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from html import escape  # &, < and >, as xml.sax.saxutils did (it loads urllib: 7 ms)

from .. import assets
from ..errors import Problem, TemplateError
from ..fonts import BRAND_CHARACTERS, FONT_HINT, FontError, FontFamily, resolve_family
from ..scripts import (DATA as SCRIPTS_FILE, ZERO_WIDTH_JOINERS, Script, has_rtl, table,
                       word_class)

if TYPE_CHECKING:  # the glyph check (validate) runs without ReportLab; layout imports it
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

BRAND = "brand"  # in scripts.yaml: the brand template's own fonts
# Words joined by no-break spaces (a phone number, Babel's "2 فبراير 2026") are one word to
# the line breaker, so they never break across lines; in right-to-left text each run of one
# direction of such a word is shaped and ordered on its own (shaping.py, bidi.line_items),
# so a date's digits still run left to right. A no-break space at the edge of a text (the
# one joining a word to the citation after it) is made a plain space there: the citation's
# tags would otherwise be moved around the whole word when it is shaped.
JOINERS = str.maketrans({"\u00a0": " ", "\u202f": " "})
JOINED_RUN = re.compile(r"[^\s\u00a0\u202f]+(?:[\u00a0\u202f][^\s\u00a0\u202f]+)+")


def plain_edge_joiners(text: str, keep_end: bool = False) -> str:
    """`text` with the no-break spaces that join no two words made plain spaces (see
    JOINERS): a date in an Arabic sentence keeps its own ('2 / فبراير 2029' was seen).
    `keep_end` keeps the one ending the text, which joins it to the next piece of the
    same run in another style, with no tag between ('بالرقم **999**': '999' went alone to
    the next line in the Arabic booklet)."""
    plain = list(text.translate(JOINERS))
    for match in JOINED_RUN.finditer(text):
        plain[match.start():match.end()] = match.group()
    if keep_end and text and text[-1] in "\u00a0\u202f":
        plain[-1] = text[-1]
    return "".join(plain)


TAGS = re.compile(r"<[^>]*>")  # paragraph markup tags, not text
WORDS = re.compile(r"\S+")
# a character and the script-neutral combining marks after it (e + U+0301 is é)
CLUSTERS = re.compile(r"\S[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


BULLET = "\u2022"
LEAST_BULLET = 0.2  # ems of ink across: a list's bullet smaller than this is set in another face


@dataclass(frozen=True)
class Face:
    """A font family with the characters it can set (by the fonts' Unicode cmaps, read
    by assets.characters), registered with ReportLab when layout first names it."""

    family: FontFamily
    chars: frozenset  # code points in both the regular and the bold font

    def has(self, char: str) -> bool:
        return ord(char) in self.chars

    def sets_well(self, char: str) -> bool:
        """Has `char`, and draws it big enough to be seen for what it is: a list's bullet
        in Rasa (Gujarati) is 0.18 em wide, beside 0.22-0.33 in the other faces, and
        looked like a full stop."""
        if char == BULLET:
            return self.has(char) and assets.ink_width(self.family.regular, char) >= LEAST_BULLET
        return self.has(char)

    @property
    def names(self) -> dict:
        """style -> ReportLab font name."""
        return _registered(self.family)


SPACES = frozenset((0x20, 0xA0))


@lru_cache(maxsize=None)
def _face(family: FontFamily) -> Face:
    try:
        chars = assets.characters(family.regular) & assets.characters(family.bold)
    except Exception as exc:  # noqa: BLE001 - a file the load-time check should have refused
        raise TemplateError(Problem(family.regular, 1, 1, f"font {family.name} cannot be "
                                    f"read: {exc}", FONT_HINT)) from None
    # ReportLab draws U+00A0 with the space glyph, and a space with U+00A0's, when a font
    # maps only one of them (Hind Siliguri has no U+00A0 of its own)
    if chars & SPACES:
        chars |= SPACES
    return Face(family, chars)


@lru_cache(maxsize=None)
def _registered(family: FontFamily) -> dict:
    from reportlab.pdfbase.ttfonts import TTFError

    from .styles import register_family
    try:
        return register_family(family)
    except (TTFError, struct.error, ValueError, IndexError, KeyError) as exc:
        # the load-time check (assets.font_problem) passed it, but ReportLab cannot read it
        raise TemplateError(Problem(family.regular, 1, 1, f"font {family.name} cannot be "
                                    f"embedded by ReportLab: {exc}", FONT_HINT)) from None


class Typeset:
    """Font choice and text direction for one leaflet in one brand."""

    def __init__(self, language: str, brand, texts: Iterable[str] = ()):
        self.table = table()
        self.script: Script = self.table.for_language(language)
        self.brand = brand
        self._families: dict = {}
        self._runs: dict = {}
        self._styles: dict = {}
        self.body, self.heading = self._choose(self.script, "".join(texts))
        self.language = language

    @cached_property
    def hyphenation(self) -> str:
        from .lines import hyphenation_language
        return hyphenation_language(self.language)

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
        """The first of the script's fonts that has every character of it in `text` and
        the brand's Latin letters and digits (codes, page numbers and English labels are
        drawn in it). A script font without them (Noto Sans Tamil) is a fallback for its
        own letters, with the brand's fonts as the leaflet's own."""
        needed = {ch for ch in set(text) if self.table.script_of(ch) == script.name}
        for spec in script.fonts:
            body, heading = self._faces(spec, script)
            if all(body.has(ch) and heading.has(ch) for ch in needed):
                if all(body.has(ch) and heading.has(ch) for ch in BRAND_CHARACTERS):
                    return body, heading
                return self._faces(BRAND, script)
        return self._faces(script.fonts[0], script)

    def face_for(self, char: str, heading: bool = False) -> Face | None:
        """The face that sets `char`: the leaflet's own if it can, else the first font of
        the character's script (or of any script, for shared characters) that has it."""
        key = (char, heading)
        if key not in self._runs:
            own = self.heading if heading else self.body
            if own.sets_well(char):
                self._runs[key] = own
            else:  # else one that has it at all: a small glyph is better than none
                well, having = self._fallback(char, heading)
                self._runs[key] = well or (own if own.has(char) else None) or having
        return self._runs[key]

    def _fallback(self, char: str, heading: bool) -> tuple[Face | None, Face | None]:
        name = self.table.script_of(char)
        scripts = [self.table.scripts[name]] if name else [self.script, *self.table.scripts.values()]
        having = None
        for script in scripts:
            for spec in script.fonts:
                try:
                    pair = self._faces(spec, script)
                except TemplateError:
                    continue  # a font that is not installed cannot be a fallback
                face = pair[1] if heading else pair[0]
                if face.sets_well(char):
                    return face, having or face
                having = having or (face if face.has(char) else None)
        return None, having

    # -- markup ------------------------------------------------------------------------
    def markup(self, text: str, heading: bool = False, joined_to_next: bool = False) -> str:
        """Escaped paragraph markup, with runs in another font wrapped in <font>.
        `joined_to_next`: the text ends with a no-break space joining it to the next
        piece (plain_edge_joiners)."""
        own = self.heading if heading else self.body
        if text.isascii() and self._ascii_is_own(heading):
            return escape(text, quote=False)  # same result as below, without a look at each character
        text = self.drawable(text, heading)
        if self.rtl or has_rtl(text):
            text = plain_edge_joiners(text, keep_end=joined_to_next)
        parts, run, face = [], "", own
        for char, chosen in zip(text, self._char_faces(text, heading)):
            wanted = face if char.isspace() else (chosen or own)
            if wanted is not face and run:
                parts.append(self._wrap(run, face, own, heading))
                run = ""
            face = wanted
            run += char
        parts.append(self._wrap(run, face, own, heading))
        return "".join(parts)

    def _char_faces(self, text: str, heading: bool) -> list[Face | None]:
        """The face of each character of `text`, one face for a whole run where one
        font has all of it: 'Dvořák' in an Arabic leaflet is not three letters of the
        Arabic font's Latin and one of the brand's, but all in the brand's font."""
        faces = [self.face_for(char, heading) for char in text]
        for start, end in [*self._clusters_of(text), *self._runs_of(text)]:
            if len({id(faces[i]) for i in range(start, end) if not text[i].isspace()}) > 1:
                face = self._run_face(text[start:end], heading)
                if face is not None:
                    faces[start:end] = [face] * (end - start)
        for i in range(1, len(text)):  # a joiner is shaped in its letters' run
            if text[i] in ZERO_WIDTH_JOINERS:
                faces[i] = faces[i - 1]
        return faces

    @staticmethod
    def _clusters_of(text: str) -> list[tuple[int, int]]:
        """(start, end) of each letter with the combining marks after it (e + U+0301),
        which are drawn in one font so the accent sits on its letter."""
        return [match.span() for match in CLUSTERS.finditer(text)
                if match.end() - match.start() > 1]

    def _runs_of(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each word, or part of a word in one script ('Dvořák' of
        'وDvořák'), and of each run of words in one script other than the leaflet's
        own (a Latin name of two words in Arabic), which share a font."""
        runs: list[tuple[int, int]] = []
        previous = None
        for start, end, name in self._script_parts(text):
            foreign = name if name and name != self.script.name else None
            if foreign and foreign == previous and not text[runs[-1][1]:start].strip():
                runs[-1] = (runs[-1][0], end)
            else:
                runs.append((start, end))
            previous = foreign
        return runs

    def _script_parts(self, text: str) -> Iterator[tuple[int, int, str | None]]:
        """(start, end, script) of each part of each word in one script; characters in
        no script (digits, punctuation) belong to the part before them."""
        for word in WORDS.finditer(text):
            start, name = word.start(), None
            for i in range(word.start(), word.end()):
                script = self.table.script_of(text[i])
                if script and name and script != name:
                    yield start, i, name
                    start = i
                name = script or name
            yield start, word.end(), name

    def _run_face(self, run: str, heading: bool) -> Face | None:
        """The first font of the run's one script that has every character of it."""
        names = {self.table.script_of(ch) for ch in run} - {None}
        if len(names) != 1:
            return None
        script = self.table.scripts[names.pop()]
        needed = set(run) - set(" \t\n")
        for spec in script.fonts:
            try:
                pair = self._faces(spec, script)
            except TemplateError:
                continue  # a font that is not installed cannot be chosen
            face = pair[1] if heading else pair[0]
            if all(face.has(ch) for ch in needed):
                return face
        return None

    def _ascii_is_own(self, heading: bool) -> bool:
        """Whether every printable ASCII character is set in the leaflet's own face."""
        cache = self.__dict__.setdefault("_ascii_own", {})
        if heading not in cache:
            own = self.heading if heading else self.body
            cache[heading] = not self.rtl and all(
                (self.face_for(chr(c), heading) or own) is own for c in range(33, 127))
        return cache[heading]

    @staticmethod
    def _wrap(run: str, face: Face, own: Face, heading: bool) -> str:
        if face is own or not run:
            return escape(run, quote=False)
        # headings are bold through their style's font, so name the bold font outright
        name = face.names["bold" if heading else "regular"]
        return f'<font name="{name}">{escape(run, quote=False)}</font>'

    def paragraph(self, markup: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph of the right class: right-to-left, mixed direction, or plain."""
        from .lines import CJKParagraph, LinearParagraph, MixedParagraph, RightToLeftParagraph
        shaped = self.script.shaping or self._needs_shaping(markup)
        if shaped:
            style = self._shaped(style)
        if self.rtl:
            text = TAGS.sub("", markup)
            # The leaflet's direction is the paragraph's (UAX #9 HL1), so a reference that
            # starts with an English citation and ends in Arabic reads from the right;
            # only a paragraph whose letters are all left to right runs left to right.
            latin_only = not has_rtl(text) and any(word_class(ch) == "L" for ch in text)
            return (MixedParagraph if latin_only else RightToLeftParagraph)(markup, style)
        if has_rtl(markup):
            return MixedParagraph(markup, style)
        if self.cjk:
            return CJKParagraph(markup, style)
        paragraph = LinearParagraph(markup, style)
        paragraph.hyphenation = self.hyphenation
        return paragraph

    def _needs_shaping(self, text: str) -> bool:
        if text.isascii():  # no ASCII character is in a script that needs shaping
            return False
        return any(self.table.scripts[name].shaping for name in
                   {self.table.script_of(ch) for ch in text} - {None})

    def _shaped(self, style: ParagraphStyle) -> ParagraphStyle:
        if style.name not in self._styles:
            from reportlab.lib.styles import ParagraphStyle
            # ReportLab's URL breaking cannot split shaped words, so it is off here
            self._styles[style.name] = ParagraphStyle(style.name + "Shaped", parent=style,
                                                      shaping=1, uriWasteReduce=0)
        return self._styles[style.name]

    def visual(self, text: str, font: str, size: float) -> str:
        """A one-line string for the canvas (header, footer): shaped, in drawing order,
        and written in the order pdfium reads back as typed (pdfiumorder.in_reading_order)."""
        from ..pdf.pdfiumorder import in_reading_order
        from ..pdf.tags import font_face_name
        from .bidi import visual_order, word_levels
        from .shaping import shape_text
        text = self.drawable(text, own_font_only=True)
        if not (self.rtl or has_rtl(text) or self._needs_shaping(text)):
            return text
        words = text.translate(JOINERS).split(" ")
        word_level = word_levels(words, self.rtl)
        units: list[tuple[str, bool | None]] = []  # words, and if left to right; spaces
        for n, index in enumerate(visual_order(word_level)):
            word = words[index]
            if word and (has_rtl(word) or self._needs_shaping(word)):
                word = shape_text(word, font, size, self.rtl)
            if n:
                units.append((" ", None))
            # a word with right-to-left letters is drawn as such, digits and all ('10ی')
            units.append((word, not word_level[index] % 2 and not has_rtl(words[index])))
        return in_reading_order(units, font_face_name(font))

    # -- equivalents -------------------------------------------------------------------
    def drawable(self, text: str, heading: bool = False, own_font_only: bool = False) -> str:
        """`text` with each character no font can draw replaced by its first drawable
        equivalent (scripts.yaml): Babel's U+202F in a Russian date is drawn, and so read
        back, as U+00A0, the same no-break space to a reader (both are a space in NFKC)."""
        if text.isascii():
            return text
        return "".join(self._equivalent(ch, heading, own_font_only)
                       if ch in self.table.equivalents else ch for ch in text)

    def _equivalent(self, char: str, heading: bool, own_font_only: bool) -> str:
        def drawn(c: str) -> bool:
            if own_font_only:  # page furniture: the canvas draws in both own faces
                return self.body.has(c) and self.heading.has(c)
            return self.face_for(c, heading) is not None
        if drawn(char):
            return char
        return next((alt for alt in self.table.equivalents[char] if drawn(alt)), char)

    # -- the glyph check ---------------------------------------------------------------
    def missing(self, text: str, heading: bool = False, own_font_only: bool = False):
        """(character, font names tried) for each character no font can set."""
        own = self.heading if heading else self.body
        for char in dict.fromkeys(self.drawable(text, heading, own_font_only)):  # each once
            if char in " \n\t\r" or unicodedata.category(char) == "Cc":
                continue
            face = own if (own_font_only or own.has(char)) else self.face_for(char, heading)
            if face is None or not face.has(char):
                yield char, own.family.name


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

