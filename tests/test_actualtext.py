"""Issue 11.4: the text layer equals the source where glyphs and characters do not map one
to one (pdf/actualtext.py, layout/shaping.py).

A Bengali vowel sign drawn before its consonant, a Tamil vowel drawn in two parts around
its consonant and a Devanagari reph drawn after its consonant read back in typed order
through /ActualText spans nested inside the paragraph's MCID sequence; a reph's own
ToUnicode entry is the reph alone; a Persian ligature with final yeh reads in order in
right-to-left text. The 34-language read-back is tests/test_scripts.py.
"""
from __future__ import annotations

import json
import unicodedata

import pikepdf
import pytest

from conftest import MINIMAL
from handouts.pdf.actualtext import NO_TEXT
from test_scripts import pdfium, poppler

# (language, the word, its paragraph): each word is drawn with glyphs out of typed order
CASES = {
    "bn": ("ডাক্তারকে", "আপনার ডাক্তারকে বলুন।"),  # pre-base vowel sign e, conjunct k-t
    "ta": ("பரிசோதனை", "இந்தப் பரிசோதனை எளிது."),  # two-part vowel o around its consonant
    "ne": ("गर्छ", "यसले मद्दत गर्छ।"),  # reph drawn after the consonant it comes before
    "fa": ("فارسی", "به زبان فارسی بخوانید."),  # a ligature with final yeh
    # right-to-left vowel marks, drawn before their letter and raised or lowered
    "ar": ("قليلًا", "تتحرك أعضاؤك قليلًا كل يوم."),  # tanween on lam-alef
    "ur": ("عموماً", "عموماً یہ ٹیسٹ آسان ہے۔"),  # tanween on a final alef
    "he": ("שָׁלוֹם", "שָׁלוֹם לכולם."),  # niqqud: a shin dot and qamats on one letter
}


def _leaflet(tag: str) -> str:
    return (MINIMAL.replace("id: sample", f"id: sample-{tag}")
            .replace("summary:", f"language: {tag}\nsummary:")
            .replace("A sample helps us check your health [@nhs-sample].",
                     json.dumps(CASES[tag][1], ensure_ascii=False)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Catalogue, made_once

    def make(root):
        catalogue = Catalogue(root)
        for tag in CASES:
            catalogue.leaflet(_leaflet(tag), f"sample-{tag}")
        return catalogue.build()
    code, root = made_once(tmp_path_factory, "actualtext", make)
    assert code == 0
    return root / "out"


@pytest.mark.parametrize("reader", ["poppler", "pdfium"])
@pytest.mark.parametrize("tag", sorted(CASES))
def test_word_reads_back_in_typed_order(built, tag, reader):
    text = (poppler if reader == "poppler" else pdfium)(built / f"sample-{tag}.pdf")
    word = unicodedata.normalize("NFC", CASES[tag][0])
    assert word in unicodedata.normalize("NFC", text), text


def _spans(path) -> list[tuple[str, list[str]]]:
    """(ActualText, the marked-content tags open around it) for each span on page 1;
    every span is checked to sit inside BT/ET."""
    found, stack, in_text = [], [], False
    with pikepdf.open(path) as pdf:
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(operator)
            if op == "BT":
                in_text = True
            elif op == "ET":
                in_text = False
            elif op in ("BDC", "BMC"):
                tag = str(operands[0])
                if tag == "/Span" and "/ActualText" in operands[1]:
                    assert in_text, "an ActualText span outside its text object"
                    found.append((str(operands[1].ActualText), [t for t, _ in stack]))
                stack.append((tag, op == "BDC" and "/MCID" in operands[1]))
            elif op == "EMC":
                stack.pop()
    assert not stack
    return found


def test_spans_nest_inside_tagged_content(built):
    """Each span is opened and closed inside one MCID sequence (PDF/UA: marked content
    of a structure element; ISO 32000-1 14.9.4 allows ActualText spans within it)."""
    spans = _spans(built / "sample-bn.pdf")
    texts = [text for text, _ in spans]
    assert "কে" in texts  # the vowel sign and its consonant, in typed order
    for _, around in spans:
        assert around and around[-1] != "/Span", "spans never nest in each other"


def test_a_vowel_in_two_parts_is_one_span(built):
    texts = [text for text, _ in _spans(built / "sample-ta.pdf")]
    assert "சோ" in texts


def test_reph_maps_to_itself_in_tounicode(built):
    """The reph glyph of 'गर्छ' stands for 'र्' alone (the consonant it is drawn after
    has its own glyph), so a reader without ActualText support still gets no 'छ' twice."""
    with pikepdf.open(built / "sample-ne.pdf") as pdf:
        maps = [f.ToUnicode.read_bytes().decode("latin-1")
                for f in pdf.pages[0].Resources.Font.values() if "/ToUnicode" in f]
    assert any("<0930094D>" in m for m in maps)
    assert not any("<0930094D091B>" in m for m in maps)


def test_no_span_where_tounicode_reads_right(built):
    """Right-to-left ligatures need no span: their ToUnicode reads in order (pdfium does
    not keep a span's text in place at a word's left edge). The only spans with text are
    those of numbers drawn apart from their punctuation (a list label '1.', drawn '.'
    then '1': lines._typed_spans)."""
    spans = [span for span in _spans(built / "sample-fa.pdf") if span[0] != NO_TEXT.text]
    assert spans and all(not any(map(str.isalpha, text)) for text, _ in spans), spans


def test_vowel_marks_are_read_with_their_letter(built):
    """The tanween of 'قليلًا' sits on lam-alef: the ligature's own code reads lam, the
    mark and alef (last first, as right-to-left ligatures do), and the mark is drawn in a
    span that reads as no text, so neither reader sees it twice or on its own."""
    with pikepdf.open(built / "sample-ar.pdf") as pdf:
        maps = [f.ToUnicode.read_bytes().decode("latin-1")
                for f in pdf.pages[0].Resources.Font.values() if "/ToUnicode" in f]
    assert any("<0627064B0644>" in m for m in maps)
    assert (NO_TEXT.text, ["/P"]) in [(text, around[-1:]) for text, around in
                                      _spans(built / "sample-ar.pdf")]
