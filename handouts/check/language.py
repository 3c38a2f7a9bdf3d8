"""Plain-language and readability rules: Subject -> (where, message, fix) for each problem found."""
from __future__ import annotations

import re
from typing import Iterator

from ..content import VAGUE_LINK_TEXT
from ..languages import script_code
from ..model import Leaflet, Where
from ..readability import FORMULA_NAMES, SPANISH_FORMULAS, Score
from .model import Subject

ABBREVIATIONS_KNOWN = ("NHS", "UK", "US", "USA", "GP", "OK", "TV", "AM", "PM")
JARGON = {
    "administer": "give", "adverse reaction": "side effect", "analgesia": "pain relief",
    "analgesic": "painkiller", "commence": "start", "contraindicated": "not safe",
    "edema": "swelling", "haemorrhage": "bleeding", "hemorrhage": "bleeding",
    "hypertension": "high blood pressure", "mobilise": "move about", "mobilize": "move about",
    "nil by mouth": "nothing to eat or drink", "oedema": "swelling", "prior to": "before",
    "pyrexia": "fever", "subsequently": "later", "utilise": "use", "utilize": "use",
}
# Phrases that make link text vague wherever they stand in it; link text that is *only*
# "here" or "read more" is already a validation warning (content.VAGUE_LINK_TEXT).
VAGUE_LINK_PHRASES = ("click here", "click this", "click on", "this link", "follow this")


# ---- plain language ----------------------------------------------------------------------

def long_sentence(s: Subject, opt: dict) -> Iterator:
    for sentence in s.readability.sentences:
        if sentence.words > opt["words"]:
            yield (sentence.where, f"sentence of {sentence.words} words (over "
                   f"{opt['words']}): \"{_excerpt(sentence.text)}\"",
                   "split it into shorter sentences, one idea each")


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + "..."


# Not after a hyphen: "1-800-CDC-INFO" is a phone number spelled in letters.
_ABBREVIATION = re.compile(r"(?<![-\w])([A-Z][A-Z0-9]*[A-Z])s?\b")


def _all_texts(leaflet: Leaflet) -> list[tuple[str, Where]]:
    heads = [t for t in (leaflet.title, leaflet.subtitle, leaflet.summary) if t]
    return [(t, leaflet.where) for t in heads] + [(r.plain, w) for r, w in leaflet.rich_texts()]


# "CT stands for ...", in the languages whose leaflets the rule reads (Latin script).
_STANDS_FOR = {"en": "stands for|means|is short for", "es": "significa|quiere decir",
               "fr": "signifie|veut dire", "de": "bedeutet|steht für", "it": "significa|sta per",
               "pt": "significa|quer dizer", "nl": "betekent|staat voor", "pl": "oznacza",
               "ro": "înseamnă", "tr": "demektir", "vi": "có nghĩa là", "so": "macnaheedu",
               "tl": "ay nangangahulugang", "ht": "vle di"}


def _spells_out(abbr: str, text: str, language: str = "en") -> bool:
    a = re.escape(abbr)
    says = _STANDS_FOR.get(language.split("-")[0].lower(), _STANDS_FOR["en"])
    return bool(re.search(rf"\w[^()]*\(\s*{a}s?\s*\)|\b{a}s?(\s+\w+){{0,2}}\s*\([^)]*[a-z]"
                          rf"|\b{a}s? ({says})\b", text))


def abbreviation(s: Subject, opt: dict) -> Iterator:
    # Only Latin-script leaflets: the rule reads capital letters A-Z, and 'COVID' inside a
    # Greek or Korean text is a loan word as written, not an abbreviation to spell out.
    if script_code(s.leaflet.language) != "Latn":
        return
    texts = _all_texts(s.leaflet)
    # Lower-case words, leaving out web addresses: "vsafe.cdc.gov" does not make CDC a word.
    words = {w for text, _ in texts for w in re.findall(r"(?<![\w./-])[a-z]+(?![\w./-])", text)}
    known = {*ABBREVIATIONS_KNOWN, *opt["allow"]}
    seen = set()
    for text, where in texts:
        for abbr in _ABBREVIATION.findall(text):
            # A capitalised word that also appears in lower case is shouting, not an abbreviation.
            if abbr in seen or abbr in known or len(abbr) > 6 or abbr.lower() in words:
                continue
            seen.add(abbr)
            if not _spells_out(abbr, text, s.leaflet.language):
                yield (where, f"'{abbr}' is used before it is spelled out",
                       f"at its first use write the words in full with ({abbr}) after them")


def jargon(s: Subject, opt: dict) -> Iterator:
    terms = {**(JARGON if opt["builtin"] else {}), **opt["terms"]}
    texts = _all_texts(s.leaflet)
    for term, plain in sorted(terms.items()):
        pattern = re.compile(rf"\b{re.escape(term)}(s|es)?\b", re.IGNORECASE)
        uses = [(m, t, w) for t, w in texts for m in pattern.finditer(t)
                if plain.lower() not in t.lower() and not _proper_noun(m, t)]
        if uses:
            _, _, where = uses[0]
            times = "once" if len(uses) == 1 else f"{len(uses)} times"
            yield (where, f"'{term}' is medical or formal language (used {times})",
                   f"write '{plain}', or explain '{term}' in plain words where it is first used")


def _proper_noun(match: re.Match, text: str) -> bool:
    """'Stop Hypertension' in a name: capitalised, and not starting a sentence."""
    before = text[:match.start()].rstrip()
    return match.group()[0].isupper() and bool(before) and before[-1] not in ".!?:"


def link_text(s: Subject, opt: dict) -> Iterator:
    phrases = [*VAGUE_LINK_PHRASES, *(p.lower() for p in opt["phrases"])]
    for text, where in s.leaflet.rich_texts():
        for span in text.links():
            words = span.text.strip().lower().rstrip(".")
            if words in VAGUE_LINK_TEXT:
                continue  # validation has already said so (see _VALIDATION_RULES in __init__.py)
            if re.match(r"(https?://|www\.)", words) or any(
                    re.search(rf"\b{re.escape(p)}\b", words) for p in phrases):
                yield (where, f"link text '{span.text}' does not say where it goes",
                       "use words that say where it goes, e.g. 'NHS page about blood tests'")


# ---- readability -------------------------------------------------------------------------

def score_text(score: Score) -> str:
    """A score as people read it: 'SMOG grade 8.2, Flesch-Kincaid grade 4.9'."""
    if score.flesch_kincaid is None:
        return score.label
    return f"{score.label}, Flesch-Kincaid grade {score.flesch_kincaid:.1f}"


def target_text(formula: str | None, opt: dict) -> str:
    if formula == "smog":
        return f"SMOG grade {opt['smog']:g} or lower"
    return f"{FORMULA_NAMES.get(formula or '', 'score')} {_lowest(formula, opt):g} or higher"


def _lowest(formula: str | None, opt: dict) -> float:
    """The target of a 0-100 formula: Spanish has its own setting, the others share one."""
    return opt["spanish"] if formula in SPANISH_FORMULAS else opt["ease"]


def _misses(score: Score, opt: dict) -> bool:
    if score.value is None:
        return False
    value = round(score.value, 1)  # as printed: "8.0" must not miss a target of 8
    return value > opt["smog"] if score.formula == "smog" else \
        value < _lowest(score.formula, opt)


def _off_target(s: Subject) -> list[tuple[Where, Score, str]]:
    opt = s.settings.get("reading-level")
    if opt is None:
        return []
    r = s.readability
    found = [(s.leaflet.where, r.overall, "the whole leaflet")] if _misses(r.overall, opt) else []
    if opt["sections"]:
        found += [(section.where, score, f"section '{section.heading}'")
                  for section, score in r.sections
                  if score.words >= opt["section_min_words"] and _misses(score, opt)]
    return found


def reading_level(s: Subject, opt: dict) -> Iterator:
    for where, score, what in _off_target(s):
        yield (where, f"{what} reads at {score_text(score)}; the target is "
               f"{target_text(score.formula, opt)}", "start with the hardest sentences: "
               "shorter sentences and everyday words lower the score")


def hard_sentence(s: Subject, opt: dict) -> Iterator:
    if not _off_target(s):
        return
    for sentence in s.readability.hardest(opt["count"]):
        yield (sentence.where, f"one of the hardest sentences ({sentence.words} words, "
               f"{sentence.polysyllables} of 3+ syllables): \"{_excerpt(sentence.text)}\"",
               "split it, and swap long words for short everyday ones")
