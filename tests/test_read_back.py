"""Issue 11.4: every leaflet and translation of the example catalogue (content.yaml) reads
back through poppler (pdftotext) and pdfium with at least 99% of the words its editor
wrote, NFC-normalised and in order within each word.

The Arabic translation read 94.5% / 95.8% before its vowel marks were folded into their
letters' ToUnicode (shaping._marks_in_letters): every word with tanween ('أيضًا') came
back with the mark on a line of its own; and 100% / 100% once kerning gaps stopped
reading as spaces (shaping._kerns_in_advances). The catalogue is the one the other example tests
build (conftest.example_out), built once per run.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
import yaml

from conftest import REPO
from test_companion import NOT_PRINTED, source_texts
from test_scripts import READERS, missing_words, words

# Every leaflet and translation of the example catalogue: (PDF name, YAML file).
SOURCES = {path.name[:-len(".yaml")]: path for folder in ("leaflets", "leaflets/translations")
           for path in sorted((REPO / folder).glob("*.yaml"))}
# An image's alt text is in the structure tree (/Alt), not in the page's text.
ON_THE_PAGE = NOT_PRINTED | {"alt"}


def source(name: str) -> tuple[str, str]:
    """(language tag, every text of the file that is printed on the page)."""
    data = yaml.safe_load(SOURCES[name].read_text(encoding="utf-8"))
    return data.get("language", "en-GB"), " ".join(source_texts(data, ON_THE_PAGE))


def test_the_examples_are_all_here():
    assert {"igrt", "igrt.ar", "igrt.zh-Hans", "colonoscopy"} <= set(SOURCES)


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_example_reads_back_as_written(example_out, name, reader):
    tag, text = source(name)
    missing = missing_words(tag, READERS[reader](example_out / f"{name}.pdf"), text)
    share = 1 - len(missing) / len(words(tag, text))
    assert share >= 0.99, f"{reader} found {share:.1%} of {name}'s words; missing {missing}"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_arabic_word_with_vowel_marks_reads_back(example_out, reader):
    """The words the 99% could still hide: each one carrying a mark (tanween, shadda),
    read as a whole word as often as it is written. pdfium read one 'طنينًا' of two as
    'طنينً .5 ا': the step's label, drawn before its first line, went inside the word."""
    tag, text = source("igrt.ar")
    marked = Counter(w for w in words(tag, text)
                     if any(unicodedata.category(ch) == "Mn" for ch in w))
    assert sum(marked.values()) > 30
    read = READERS[reader](example_out / "igrt.ar.pdf")
    # poppler marks each run's direction (U+202A-U+202C), which no reader speaks
    found = Counter(words(tag, "".join(ch for ch in read if unicodedata.category(ch) != "Cf")))
    lost = {w: n for w, n in marked.items() if found[w] < n}
    # poppler reads the contact card's hours 'من 8صباحًا إلى 6مساءً': its line is
    # rebuilt from visual pieces and the space goes before the number (not fixed yet)
    known = {"صباحًا", "مساءً"} if reader == "poppler" else set()
    assert set(lost) <= known, lost


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_kerned_arabic_word_reads_back_whole(example_out, reader):
    """'أكثرها' and the bold 'مريح' have a kerning pair after a letter that does not join
    the next; drawn as a gap before the next glyph it read back as a space ('أ كثرها')."""
    text = " ".join(READERS[reader](example_out / "igrt.ar.pdf").split())
    for word in ("أكثرها", "مريح"):
        assert word in text
