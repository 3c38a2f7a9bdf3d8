"""The Unicode Bidirectional Algorithm (UAX #9) through python-bidi (Rust unicode-bidi).

`levels` gives the embedding level of each character of a paragraph in a given base
direction; `visual_order` puts items of known levels in drawing order (rule L2). The
library resolves the levels (weak types, bracket pairs, neutrals); it reports them only in
its debug view, one per UTF-8 byte, which is read back here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bidi import get_display

from ..scripts import reads_as_number
from .typeset import JOINED_RUN  # words joined by no-break spaces (markup.RunKeeper)

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The level of each character of `text` in a paragraph of that direction."""
    if not text:
        return ()
    report = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    start = report.find("levels:")
    per_byte = [int(n) for n in _LEVEL.findall(report[start:report.find("paragraphs:", start)])]
    found, at = [], 0
    for char in text:  # a character's level is that of its first byte
        found.append(per_byte[at])
        at += len(char.encode("utf-8"))
    return tuple(found)


_LRI, _PDI = "\u2066", "\u2069"
_STRONG_OR_NUMBER = frozenset(("L", "R", "AL", "EN", "AN"))


def isolated_levels(text: str, rtl: bool,
                    fields: tuple[tuple[int, int], ...] = ()) -> tuple[int, ...]:
    """`levels`, with some runs of `text` resolved on their own, and no character added
    to what is drawn:
    - each run of words joined by no-break spaces that holds right-to-left letters (a
      date with its month name, markup.RunKeeper) is resolved apart, as an isolate is
      (UAX #9 X5c), in the direction of its first letter, and is to the text around it
      as letters of that direction: 'Group, 22 يناير 2026' kept rule W7 from making the
      day left to right (it was drawn beside 'Group', the month and year far from it),
      and '(تاريخ الاطلاع 12 يناير 2026)' stays one right-to-left phrase in brackets
      (as a neutral isolate, the date was drawn apart from the words before it);
    - in right-to-left text, each URL and email address is a left-to-right isolate
      (LRI ... PDI, X5a): its '/', '.' and ':' are neutrals that would otherwise take the
      direction around them ('conditions/' drawn '/conditions');
    - in right-to-left text that starts in a left-to-right script (an English citation
      in an Arabic reference), the words before the first right-to-left letter or
      address are resolved apart, left to right, so the '.' that ends 'Radiotherapy.' stays
      at its end rather than taking the paragraph's direction;
    - each of `fields` ((start, end) of a value after its label, as in a contact card's
      'ساعات کار: 24 hours a day, 7 days a week') is resolved apart in the direction of
      its first letter, as an FSI isolate would be: rule W2 made '24' Arabic-number
      after the label, drawn apart from 'hours'."""
    own = [unit for unit in map(lambda span: _field(text, *span), fields) if unit]
    units = [unit for unit in _units(text) + _leading_left_to_right(text, rtl)
             if not any(unit[0] < end and start < unit[1] for start, end, _ in own)] + own
    outer = list(text)
    for start, end, letter in units:
        outer[start:end] = letter * (end - start)
    found = list(_address_levels("".join(outer), rtl))
    for start, end, letter in units:
        own_rtl = _class(letter) != "L"
        found[start:end] = [found[start] + level - own_rtl
                            for level in _address_levels(text[start:end], own_rtl)]
    return tuple(found)


_LRM = "\u200e"  # LEFT-TO-RIGHT MARK: a letter of direction L that is nothing else


def _field(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The unit (see _units) of a field's value, without the spaces at its ends. A value
    with digits and no letter (a phone number) runs left to right, as numbers are read:
    in the paragraph's direction, W2 made each digit group of '(612) 555-0142' an Arabic
    number of its own after the label, drawn '0142-555 (612)'. None for a value with
    neither, which has no direction of its own."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    value = text[start:end]
    letter = _LRM if reads_as_number(value) else \
        next((ch for ch in value if _class(ch) in ("L", "R", "AL")), None)
    return (start, end, letter) if letter else None


def _units(text: str) -> list[tuple[int, int, str]]:
    """(start, end, first letter) of each run of words joined by no-break spaces that
    holds right-to-left letters, without the punctuation at its ends (the bracket of
    '2026)' pairs with the one before the date, outside it)."""
    found = []
    for match in JOINED_RUN.finditer(text):
        start, end = match.span()
        while start < end and _class(text[start]) not in _STRONG_OR_NUMBER:
            start += 1
        while end > start and _class(text[end - 1]) not in _STRONG_OR_NUMBER:
            end -= 1
        letters = [ch for ch in text[start:end] if _class(ch) in ("L", "R", "AL")]
        if any(_class(ch) != "L" for ch in letters):
            found.append((start, end, letters[0]))
    return found


def _leading_left_to_right(text: str, rtl: bool) -> list[tuple[int, int, str]]:
    """The unit (see _units) of the words that open right-to-left `text` in a
    left-to-right script, up to its first right-to-left letter or address, without the
    spaces and opening brackets before that (they pair with what follows)."""
    letters = [(i, ch) for i, ch in enumerate(text) if _class(ch) in ("L", "R", "AL")]
    if not rtl or not letters or _class(letters[0][1]) != "L":
        return []
    end = next((i for i, ch in letters if _class(ch) != "L"), len(text))
    end = min([end, *(start for start, _ in _address_spans(text) if start < end)])
    while end > 0 and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "Ps"):
        end -= 1
    return [(0, end, letters[0][1])] if end > letters[0][0] else []


def _address_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each URL and email address in `text`, without the sentence
    punctuation after it."""
    return [(m.start(), m.start() + len(m.group().rstrip(_TRAILING)))
            for m in re.finditer(r"\S+", text) if _is_address(m.group().rstrip(_TRAILING))]


# Digit groups joined by spaces, brackets, hyphens, dots or slashes ('(612) 555-0142',
# '+44 20 7946 0410'), not touching a letter or another digit
_NUMBER = re.compile(r"(?<![\w+])\+?\(?\d(?:[\d()\-./ \u00a0]*\d)?(?!\w)")
_PHONE_DIGITS = 7  # fewer is a count, a range or a time ('10-12', '08:30'), read by UAX #9


def _number_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each phone number (or other long number: an ISO date) in `text`.
    In right-to-left text rule W2 makes each of its digit groups an Arabic number, a run
    of its own, and UAX #9 draws them last first: '(612) 555-0142' was '0142-555 (612)'.
    A range keeps the algorithm's order, which reads right to left ('10-12' drawn '12-10')."""
    return [m.span() for m in _NUMBER.finditer(text)
            if sum(ch.isdigit() for ch in m.group()) >= _PHONE_DIGITS]


def _address_levels(text: str, rtl: bool) -> tuple[int, ...]:
    """`levels`, with each URL, email address and long number (_number_spans) a
    left-to-right isolate in right-to-left text (see isolated_levels)."""
    if not rtl:
        return levels(text, rtl)
    addresses = _address_spans(text)
    spans = sorted([*addresses, *(span for span in _number_spans(text) if not any(
        start < span[1] and span[0] < end for start, end in addresses))])
    if not spans:
        return levels(text, rtl)
    chars: list[str] = []
    origin: list[int | None] = []  # the index in `text` of each character of `chars`
    at = 0
    for start, end in [*spans, (len(text), len(text))]:
        chars.extend(text[at:start])
        origin.extend(range(at, start))
        if start < end:
            chars.extend([_LRI, *text[start:end], _PDI])
            origin.extend([None, *range(start, end), None])
        at = end
    found = [0] * len(text)
    for level, index in zip(levels("".join(chars), rtl), origin):
        if index is not None:
            found[index] = level
    return tuple(found)


_TRAILING = ".,;:!?)]\u061f\u060c\u061b"  # sentence punctuation after an address


def _class(char: str) -> str:
    return unicodedata.bidirectional(char)


def _is_address(word: str) -> bool:
    from ..rlhooks import looks_like_url  # the one rule for what a URL is
    return "@" in word.strip("@") and "." in word or looks_like_url(word)


def visual_order(item_levels: list[int]) -> list[int]:
    """Indices of items (characters or runs of one level) in drawing order, left to right:
    from the highest level down, each run at that level or above is reversed (L2)."""
    order = list(range(len(item_levels)))
    if not order:
        return order
    lowest_odd = min(item_levels) | 1
    for level in range(max(item_levels), lowest_odd - 1, -1):
        _reverse_runs(order, item_levels, level)
    return order


def reading_order(drawn_levels: list[int]) -> list[int]:
    """Indices of items in drawing order (each at its level), in reading order: rule L2
    undone, its reversals made again from the lowest odd level up."""
    order = list(range(len(drawn_levels)))
    if not order:
        return order
    for level in range(min(drawn_levels) | 1, max(drawn_levels) + 1):
        _reverse_runs(order, drawn_levels, level)
    return order


def _reverse_runs(order: list[int], levels: list[int], level: int) -> None:
    """Reverse, in place, each run of `order` whose items are at `level` or above."""
    i = 0
    while i < len(order):
        if levels[order[i]] < level:
            i += 1
            continue
        j = i
        while j < len(order) and levels[order[j]] >= level:
            j += 1
        order[i:j] = reversed(order[i:j])
        i = j


def word_levels(words: list[str], rtl: bool) -> list[int]:
    """The level of each word of a line: the highest of its characters' levels, which the
    bidirectional algorithm (UAX #9, python-bidi) resolves over the whole line, so a
    number keeps its place beside the words around it. Glyphs with no character of their
    own (private use) say nothing about direction and are left out."""
    texts = ["".join(ch for ch in word if not 0xE000 <= ord(ch) <= 0xF8FF) or "\u2014"
             for word in words]
    line = levels(" ".join(texts), rtl)
    found, start = [], 0
    for text in texts:
        found.append(max(line[start:start + len(text)]))
        start += len(text) + 1
    return found


@dataclass(frozen=True)
class LineItem:
    """A run of one level of a line, or the space between two of its words (word None)."""

    level: int
    word: int | None = None
    pieces: tuple[int, ...] = ()  # the word's pieces this run draws, in drawing order


def line_items(texts: list[str], known: list, rtl: bool) -> list[LineItem]:
    """The runs and spaces of a line of words, in reading order, with their levels.

    `known` holds each word's shaping.WordLevels (or None): the levels its paragraph
    resolved, which UAX #9 reorders line by line (L2). With them a word's runs are items of
    their own, so the bracket of '(تاريخ' is drawn where the whole line puts it, not glued
    to its word (the References line read 'تاريخ) الاطلاع 12 يناير (2026'). Without them
    (a paragraph not shaped) each word is one run at its highest level (word_levels)."""
    counts = [len(levels.runs) if levels is not None else 0 for levels in known]
    if len(known) != len(texts) or not all(counts):
        return _word_items(word_levels(texts, rtl))
    items: list[LineItem] = []
    for word, levels in enumerate(known):
        runs: dict[int, list[int]] = {}
        for piece, (run, _) in enumerate(levels.runs):
            runs.setdefault(run, []).append(piece)
        own = [LineItem(levels.runs[pieces[0]][1], word, tuple(pieces))
               for _, pieces in sorted(runs.items())]
        if items:
            space = known[word - 1].space_after
            items.append(LineItem(min(items[-1].level, own[0].level) if space is None else space))
        items.extend(own)
    return items


def _word_items(levels: list[int]) -> list[LineItem]:
    """One run per word, each space at the lower level of the words beside it."""
    items: list[LineItem] = []
    for word, level in enumerate(levels):
        if items:
            items.append(LineItem(min(items[-1].level, level)))
        items.append(LineItem(level, word, ()))
    return items
