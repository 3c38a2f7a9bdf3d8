"""Latin names with accents inside shaped scripts (Arabic, Urdu, Hindi), and the reverse.

Issue 16.1: an Arabic leaflet quoting 'Věra Dvořák' failed the whole build with
"'TTFont' object has no attribute 'hbAddPrivate'": the 'ř', missing from the Arabic font,
came from the brand's Latin font, and ReportLab shaped the word with the first font only.
Each case is built through the CLI and read back by pdfium and poppler, with the font of
every character and where it sits on the page.
"""
from __future__ import annotations

import ctypes
import json
import shutil
import subprocess
import unicodedata

import pypdfium2
import pypdfium2.raw as pdfium
import pytest

from conftest import MINIMAL, REPO
from pdfcheck import check_pdf

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                      "\u2066\u2067\u2068\u2069"))
ATKINSON = "AtkinsonHyperlegible"  # the riverside-trust brand's body font
PLEX_ARABIC = "IBMPlexSansArabic"
FIRA = "FiraSans"  # the Latin fallback with Vietnamese, which Atkinson lacks

# language, title, paragraph, the names in it (reading order), words of the leaflet's own
# script around them in reading order, and the font each name must be set in (None: any
# one font for the whole name)
CASES = {
    "ar": ("ar", "إجراء فحص العينة",
           "تحدث مع Věra Dvořák و José Müller اليوم.",
           ["Věra Dvořák", "José Müller"], ["تحدث", "اليوم"], [ATKINSON, None]),
    "ur": ("ur", "نمونے کا ٹیسٹ",
           "براہ کرم Věra Dvořák یا Łukasz Wałęsa سے بات کریں۔",
           ["Věra Dvořák", "Łukasz Wałęsa"], ["براہ", "کریں"], [ATKINSON, ATKINSON]),
    "hi": ("hi", "नमूना जाँच",
           "आप Nguyễn Thị Lan या José Müller से बात करें।",
           ["Nguyễn Thị Lan", "José Müller"], ["आप", "बात"], [FIRA, None]),
}


def leaflet(language: str, title: str, paragraph: str, leaflet_id: str = "sample") -> str:
    return (MINIMAL.replace("id: sample", f"id: {leaflet_id}")
            .replace("title: Having a sample test", f"title: {title}")
            .replace("summary:", f"language: {language}\nsummary:")
            .replace("A sample helps us check your health [@nhs-sample].",
                     json.dumps(f"{paragraph} [@nhs-sample]", ensure_ascii=False)))


def chars(path) -> list[tuple[str, str, float]]:
    """(character, font name, left edge) for each character pdfium finds on page 1."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = pdf[0].get_textpage()
        found = []
        for i in range(text.count_chars()):
            name = ctypes.create_string_buffer(256)
            pdfium.FPDFText_GetFontInfo(text, i, name, 256, None)
            left = text.get_charbox(i)[0]
            found.append((chr(pdfium.FPDFText_GetUnicode(text, i)), name.value.decode(), left))
        return found
    finally:
        pdf.close()


def poppler(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def plain(text: str) -> str:
    """Extracted text with bidi controls gone and Arabic presentation forms folded."""
    return unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)


def where(found, needle: str) -> int:
    text = "".join(ch for ch, _, _ in found)
    index = text.find(needle)
    assert index >= 0, f"{needle!r} not extracted from {text!r}"
    return index


def build_one(catalogue, language, title, paragraph):
    catalogue.leaflet(leaflet(language, title, paragraph))
    assert catalogue.build() == 0
    return catalogue.out / "sample.pdf"


def word_lefts(found, name: str) -> list[float]:
    """The left edge of each word of `name` on the page, found one word at a time (pdfium
    gives the words of a left-to-right run inside a right-to-left line in its own order)."""
    return [found[where(found, word)][2] for word in name.split()]


@pytest.mark.parametrize("case", sorted(CASES))
def test_latin_names_inside_a_shaped_script(catalogue, case):
    language, title, paragraph, names, own_words, fonts = CASES[case]
    path = build_one(catalogue, language, title, paragraph)
    found, text = chars(path), poppler(path)
    for name, font in zip(names, fonts):
        assert name in text, name  # poppler: the whole name, accents and all, in order
        used = set()
        for word in name.split():  # pdfium: every word exact, each in one typeface
            start = where(found, word)
            used |= {found[i][1].split("+")[-1] for i in range(start, start + len(word))}
        assert len(used) == 1, (name, used)  # one typeface for the whole name
        if font:
            assert used.pop().startswith(font), name
        lefts = word_lefts(found, name)  # a left-to-right name reads left to right
        assert lefts == sorted(lefts), name
    assert check_pdf(path) == []


@pytest.mark.parametrize("case", ["ar", "ur"])
def test_right_to_left_order_around_the_names(catalogue, case):
    """In a right-to-left sentence, what comes first sits furthest right: the opening
    word, then the first name, then the second, then the closing word."""
    language, title, paragraph, names, own_words, _ = CASES[case]
    found = chars(build_one(catalogue, language, title, paragraph))
    folded = [(plain(ch)[:1] or ch, font, left) for ch, font, left in found]
    opening, closing = (min(word_lefts(folded, plain(word))) for word in own_words)
    first, second = (min(word_lefts(found, name)) for name in names)
    assert closing < second < first < opening


def test_left_to_right_order_in_hindi(catalogue):
    language, title, paragraph, names, own_words, _ = CASES["hi"]
    found = chars(build_one(catalogue, language, title, paragraph))
    lefts = [min(word_lefts(found, text)) for text in (own_words[0], *names, own_words[1])]
    assert lefts == sorted(lefts)


def test_latin_written_onto_an_arabic_word_runs_left_to_right(catalogue):
    """'وJosé' is one word in one font, but HarfBuzz shapes a run in one direction: the
    Latin letters were drawn backwards ('ésoJ'). Now 'J' is leftmost, and the Arabic
    'و' that comes first in reading sits right of the name."""
    path = build_one(catalogue, "ar", "فحص", "اتصل بالسيدة وJosé غدا.")
    found = chars(path)
    start = where(found, "José")
    lefts = [found[i][2] for i in range(start, start + 4)]
    assert lefts == sorted(lefts)
    # the 'و' written onto the name (the brand's Arabic end matter has others on page 1)
    waw = next(left for ch, _, left in reversed(found[:start]) if ch == "و")
    assert waw > lefts[-1]
    assert "José" in poppler(path)
    assert check_pdf(path) == []


def test_a_word_of_two_scripts_in_two_fonts(catalogue):
    """'وDvořák' (Arabic 'and' written onto the name) has no one font: the Arabic letter
    stays in the Arabic font, the whole name in the brand's, each run shaped alone, and
    the name sits left of the 'و' that comes before it in reading."""
    path = build_one(catalogue, "ar", "فحص", "اتصل بالسيدة وDvořák غدا.")
    found = chars(path)
    start = where(found, "Dvořák")
    assert {found[i][1].split("+")[-1].split("-")[0] for i in range(start, start + 6)} \
        == {ATKINSON}
    lefts = [found[i][2] for i in range(start, start + 6)]
    assert lefts == sorted(lefts)
    waw = next((ch, font, left) for ch, font, left in reversed(found[:start]) if ch == "و")
    assert PLEX_ARABIC in waw[1] and waw[2] > lefts[-1]
    assert "Dvořák" in poppler(path)
    assert check_pdf(path) == []


def lefts_of(found, text: str) -> list[float]:
    start = where(found, text)
    return [found[i][2] for i in range(start, start + len(text))]


def test_punctuation_between_two_directions_follows_the_paragraph(catalogue):
    """In English, the apostrophe of 'محمد's' reads with the Latin 's' after the name:
    it sits right of the Arabic letters, not left (where an Arabic run would put it)."""
    path = build_one(catalogue, "en-GB", "Having a sample test",
                     "Ask for محمد's leaflet today.")
    found = chars(path)
    apostrophe, s = lefts_of(found, "'s")
    assert max(lefts_of(found, "محمد")) < apostrophe < s
    assert check_pdf(path) == []


def test_a_hyphen_between_latin_and_arabic_in_arabic(catalogue):
    """'بـJosé-محمد' in Arabic reads بـ, José, -, محمد from the right."""
    path = build_one(catalogue, "ar", "فحص", "اتصل بـJosé-محمد غدا.")
    found = chars(path)
    jose, hyphen = lefts_of(found, "José"), lefts_of(found, "-")[0]
    assert jose == sorted(jose)
    assert max(lefts_of(found, "محمد")) < hyphen < jose[0]
    assert jose[-1] < min(lefts_of(found, "بـ"))
    assert "José" in poppler(path)
    assert check_pdf(path) == []


def test_decomposed_accents_stay_on_their_letters(catalogue):
    """'José' typed as e + U+0301 in Hindi: the Devanagari font has no combining acute, so
    the whole name is set in the brand's font, and reads back as José."""
    path = build_one(catalogue, "hi", "नमूना जाँच", "कृपया Jose\u0301 Mu\u0308ller से बात करें।")
    found = chars(path)
    text = unicodedata.normalize("NFC", "".join(ch for ch, _, _ in found))
    assert "José Müller" in text
    assert "José Müller" in unicodedata.normalize("NFC", poppler(path))
    start = where(found, "Jos")
    assert {found[i][1].split("+")[-1] for i in range(start, start + 3)} \
        == {found[start][1].split("+")[-1]}
    assert ATKINSON in found[start][1]
    assert check_pdf(path) == []


def test_latin_leaflet_quoting_arabic_and_devanagari(catalogue):
    path = build_one(catalogue, "en-GB", "Having a sample test",
                     "Ask Věra Dvořák for the leaflet محمد or नमस्ते at the desk.")
    found = chars(path)
    for word in ("Věra Dvořák", "नमस्ते"):
        assert word in "".join(ch for ch, _, _ in found) or word in poppler(path), word
    assert "Věra Dvořák" in poppler(path)
    assert "محمد" in plain(poppler(path))
    assert check_pdf(path) == []


def test_a_good_leaflet_beside_the_mixed_one_is_built(catalogue):
    language, title, paragraph, *_ = CASES["ar"]
    catalogue.leaflet(leaflet(language, title, paragraph, "mixed"), "mixed")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good")
                      .replace("PIL-9001", "PIL-9002"), "good")
    assert catalogue.build() == 0
    assert (catalogue.out / "mixed.pdf").is_file()
    assert (catalogue.out / "good.pdf").is_file()
    assert (catalogue.out / "index.html").is_file()


def test_canvas_strings_order_the_runs_of_a_word_too():
    """Header and footer strings are shaped word by word as well: 'وJosé' is drawn with
    the Latin letters forwards, left of the Arabic letter that comes first in reading."""
    from handouts.brand import load_brand
    from handouts.layout.typeset import Typeset

    brand = load_brand(REPO / "templates", "riverside-trust")
    typeset = Typeset("ar", brand, ["مرحبا وJosé"])
    drawn = str(typeset.visual("مرحبا وJosé", typeset.body.names["regular"], 10))
    assert drawn.startswith("José")  # leftmost: the end of the line in reading order


def test_mixed_leaflets_build_byte_identical(catalogue, tmp_path):
    language, title, paragraph, *_ = CASES["ar"]
    catalogue.leaflet(leaflet(language, title, paragraph + " اتصل بـJosé-محمد وDvořák."))
    assert catalogue.build() == 0
    first = (catalogue.out / "sample.pdf").read_bytes()
    assert catalogue.build("--out", str(tmp_path / "again")) == 0
    assert (tmp_path / "again" / "sample.pdf").read_bytes() == first
