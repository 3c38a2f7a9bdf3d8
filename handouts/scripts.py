"""Writing systems: scripts.yaml -> which script a character or language is in, and how
words of mixed direction are ordered on a line. No ReportLab here.

The data (fonts, Unicode ranges, direction, shaping, line breaking and ISO 15924 codes
per script, and drawing equivalents) lives in scripts.yaml and is checked when first read.
A language's script comes from its tag through CLDR's likely subtags (languages.py). The word
ordering is the Unicode bidirectional algorithm applied to whole words: enough for
leaflet text (an English drug name or a phone number in Arabic, an Arabic name in
English), because each word is shaped on its own in its own direction.
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import Problems, TemplateError
from .fields import Reader
from .load import Map, read_yaml

# Where a sentence ends: . ! ? and, in other scripts, the Devanagari danda (।, ॥), the
# Arabic question mark and semicolon (؟ ؛), the Urdu full stop (۔); and the ideographic
# full stop and full-width marks (。！？), which need no space after them.
SENTENCE_ENDS = ".!?\u0964\u0965\u061f\u061b\u06d4"
CJK_SENTENCE_ENDS = "\u3002\uff01\uff1f"

DATA = Path(__file__).parent / "scripts.yaml"
SCRIPT_KEYS = {"codes", "fonts", "ranges", "direction", "shaping", "line_break",
               "package"}


@dataclass(frozen=True)
class Script:
    name: str
    fonts: tuple[str, ...]  # "brand", a font package family, or a file path
    direction: str = "ltr"  # ltr | rtl
    shaping: bool = False
    line_break: str = "words"  # words | characters
    package: str | None = None  # the Debian package that installs a font file

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class ScriptTable:
    scripts: dict  # name -> Script
    starts: tuple[int, ...]  # sorted range starts, for bisect
    ranges: tuple[tuple[int, int, str], ...]  # (start, end, script name), sorted
    codes: dict  # ISO 15924 code (Cyrl, Hant, Jpan) -> script name
    equivalents: dict  # character -> characters to draw instead, in order of preference
    # char -> script: every character of every leaflet is looked up, and they repeat
    _seen: dict = field(default_factory=dict, compare=False, repr=False)

    def script_of(self, char: str) -> str | None:
        """The script a character belongs to, or None for shared ones (digits, spaces)."""
        try:
            return self._seen[char]
        except KeyError:
            name = self._seen[char] = self._lookup(char)
            return name

    def _lookup(self, char: str) -> str | None:
        code = ord(char)
        index = bisect.bisect_right(self.starts, code) - 1
        if index >= 0:
            start, end, name = self.ranges[index]
            if start <= code <= end:
                return name
        return None

    def for_code(self, code: str | None) -> Script | None:
        name = self.codes.get(code or "")
        return self.scripts[name] if name else None

    def for_language(self, language: str) -> Script:
        """The script a leaflet in `language` is written in (CLDR); a tag no script of
        the table sets was refused by languages.language_problem, so Latin is a last
        resort for text that never reaches a leaflet."""
        from .languages import script_code  # languages.py checks tags with this table
        return self.for_code(script_code(language)) or self.scripts["Latin"]


def _parse_range(text: str) -> tuple[int, int] | None:
    low, _, high = str(text).partition("-")
    try:
        start, end = int(low, 16), int(high or low, 16)
    except ValueError:
        return None
    return (start, end) if start <= end <= 0x10FFFF else None


def _read_script(reader: Reader, name: str, node: Map, ranges: list,
                 codes: dict) -> Script | None:
    reader.check_keys(node, SCRIPT_KEYS, ("fonts", "ranges"), f"script '{name}'")
    for i, text in enumerate(reader.text_list(node, "ranges") or []):
        parsed = _parse_range(text)
        if parsed is None:
            reader.error(node["ranges"], i, f"'{text}' is not a Unicode range",
                         "write hex code points like 0600-06FF or 00AA")
        else:
            ranges.append((*parsed, name))
    fonts = tuple(reader.text_list(node, "fonts") or ())
    direction = reader.choice(node, "direction", ("ltr", "rtl")) or "ltr"
    line_break = reader.choice(node, "line_break", ("words", "characters")) or "words"
    shaping = reader.typed(node, "shaping", bool, "true or false") or False
    for code in reader.text_list(node, "codes") or []:
        codes[str(code)] = name
    if not fonts:
        return None
    return Script(name, fonts, direction, shaping, line_break, reader.text(node, "package"))


def _read_equivalents(reader: Reader, node: Map | None) -> dict:
    equivalents: dict = {}
    for key, values in (node or {}).items():
        parsed = [_parse_range(str(text)) for text in [key, *(values or [])]]
        chars = [chr(c[0]) for c in parsed if c is not None and c[0] == c[1]]
        if len(chars) != len(parsed) or len(chars) < 2:
            reader.error(node, key, f"equivalent '{key}: {values}' is not a character and "
                         "a list of characters", 'write hex code points: "202F": ["00A0"]')
            continue
        equivalents[chars[0]] = "".join(chars[1:])
    return equivalents


def read_scripts(path: Path = DATA) -> ScriptTable:
    """Read and check a scripts file; raises TemplateError listing every problem."""
    problems = Problems()
    reader = Reader(problems)
    root = read_yaml(path)
    reader.check_keys(root, {"scripts", "equivalents"}, ("scripts",), "scripts file")
    scripts: dict = {}
    ranges: list = []
    codes: dict = {}
    for name, node in (reader.mapping(root, "scripts") or {}).items():
        if not isinstance(node, Map):
            reader.error(root["scripts"], name, f"script '{name}' should be a mapping")
            continue
        script = _read_script(reader, name, node, ranges, codes)
        if script:
            scripts[name] = script
    if "Latin" not in scripts:
        problems.add(path, root.mark, "no 'Latin' script", "add the Latin script: it is "
                     "the default for languages not listed")
    ranges.sort()
    for (s1, e1, n1), (s2, e2, n2) in zip(ranges, ranges[1:]):
        if s2 <= e1:
            problems.add(path, root.mark_of("scripts"), f"ranges of {n1} and {n2} overlap at "
                         f"{s2:04X}", "give each character one script")
    equivalents = _read_equivalents(reader, reader.mapping(root, "equivalents"))
    problems.raise_if_errors(TemplateError)
    return ScriptTable(scripts, tuple(r[0] for r in ranges), tuple(ranges),
                       {k: v for k, v in codes.items() if v in scripts}, equivalents)


@lru_cache(maxsize=1)
def table() -> ScriptTable:
    """The project's script table, read once."""
    return read_scripts(DATA)


# ---- direction ---------------------------------------------------------------------------

# ZWNJ and ZWJ: they draw nothing, and say whether the letters beside them join (Persian
# 'می‌کند', Indic conjuncts)
ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d")


def has_rtl(text: str) -> bool:
    if text.isascii():  # most text: no need to look at each character
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def reads_as_number(text: str) -> bool:
    """Digits and no letter (a phone number, '24/7'): read left to right in any script,
    and so drawn and marked up (bidi._field, the HTML companion's links)."""
    kinds = {unicodedata.bidirectional(ch) for ch in text}
    return bool(kinds & {"EN", "AN"}) and not kinds & {"L", "R", "AL"}


def word_class(word: str) -> str:
    """'R' or 'L' from the first strong character; 'EN' for numbers; 'N' for the rest."""
    number = False
    for ch in word:
        if 0xE000 <= ord(ch) <= 0xF8FF:
            continue  # a shaped glyph with no character of its own: says nothing
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
        number = number or kind in ("EN", "AN")
    return "EN" if number else "N"
