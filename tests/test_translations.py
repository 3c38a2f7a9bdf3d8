"""Translations, scripts and fonts, checked by reading the built PDFs back.

The example translations of the IGRT leaflet (Spanish, Arabic, Simplified Chinese) come
from the plain build of content.yaml; the stale-translation and missing-glyph cases are
small catalogues written per test.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import textwrap
import unicodedata

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from conftest import MINIMAL, REPO, page_texts
from handouts.content import load_catalogue
from handouts.layout.bidi import visual_order, word_levels
from handouts.translations import version_key
from pdfcheck import check_pdf, iter_elements, read_tree

TRANSLATIONS = {"es": "igrt.es.pdf", "ar": "igrt.ar.pdf", "zh-Hans": "igrt.zh-Hans.pdf"}
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                      "\u2066\u2067\u2068\u2069\u200b"))


def normal(text: str) -> str:
    """Extracted text compared without shapes or spacing: Arabic presentation forms
    folded to letters (NFKC), bidi controls, vowel marks (whose order relative to a
    following letter is a matter of glyph order) and all whitespace removed."""
    text = unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)
    return "".join(ch for ch in "".join(text.split()) if unicodedata.category(ch) != "Mn")


def translation(language: str):
    catalogue = load_catalogue(REPO / "content.yaml")
    return next(t for t in catalogue.translations if t.language == language)


def paragraphs(leaflet) -> list[str]:
    """The body texts in reading order; the text between citations, which print as [1]."""
    pieces = []
    for text, _ in leaflet.rich_texts():
        run = ""
        for span in text.spans:
            if span.cites:
                pieces.append(run)
                run = ""
            run += span.text
        pieces.append(run)
    return [piece for piece in pieces if len(normal(piece)) > 3]


def test_plain_build_writes_each_translation(example_out):
    for name in TRANSLATIONS.values():
        assert (example_out / name).is_file(), name
    assert (example_out / "igrt.pdf").is_file()  # the source keeps its own name


def test_example_translations_are_current():
    catalogue = load_catalogue(REPO / "content.yaml")
    assert {t.language for t in catalogue.translations} >= set(TRANSLATIONS)
    for leaflet in catalogue.translations:
        assert not leaflet.translation.stale, leaflet.language
    assert not [p for p in catalogue.problems if "translation" in p.message]


@pytest.mark.parametrize("language", ["es", "zh-Hans"])
def test_text_extracts_in_reading_order(example_out, language):
    """Each paragraph of the translation appears, in reading order, one after another."""
    leaflet = translation(language)
    text = normal(" ".join(page_texts(example_out / TRANSLATIONS[language])))
    assert normal(leaflet.title) in text
    position = 0
    for plain in paragraphs(leaflet)[:12]:
        found = text.find(normal(plain), position)
        assert found >= 0, plain
        position = found


ARABIC_SENTENCES = [  # from leaflets/translations/igrt.ar.yaml
    "يستخدم العلاج الإشعاعي أشعة سينية عالية الطاقة لعلاج السرطان.",
    "يستخدم طبيبك وفريق التخطيط الصورة المقطعية لتحديد المكان الذي يجب أن تصل إليه الأشعة "
    "بدقة. ويستغرق ذلك عادة من 1 إلى 3 أسابيع.",  # digits inside Arabic keep their order
    "نعطيك قائمة بمواعيد علاجك.",
    "إسهال 6 مرات أو أكثر في اليوم، أو نزيف من المستقيم",
]


def _poppler_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _arabic_words(leaflet) -> set[str]:
    return {w for p in paragraphs(leaflet) for w in
            (normal(word.strip(".,،:؛()[]؟")) for word in p.split()) if w}


@pytest.mark.parametrize("reader", ["pdfium", "poppler"])
def test_arabic_extracts_in_logical_order(example_out, reader):
    """Right-to-left lines are drawn in visual order; both readers give them back in
    reading order, with each letter (not a private-use code) where it belongs."""
    path = example_out / "igrt.ar.pdf"
    raw = _poppler_text(path) if reader == "poppler" else " ".join(page_texts(path))
    assert not [ch for ch in raw if 0xE000 <= ord(ch) <= 0xF8FF]
    text = normal(raw)
    for sentence in ARABIC_SENTENCES:
        assert normal(sentence) in text, sentence
    position = 0
    for sentence in ARABIC_SENTENCES[:3]:  # in order
        position = text.index(normal(sentence), position)


def test_every_arabic_word_extracts_whole(example_out):
    """No word comes out reversed or missing a letter (poppler; pdfium moves words whose
    vowel mark is raised, such as the tanween of 'قليلًا', to another line)."""
    text = normal(_poppler_text(example_out / "igrt.ar.pdf"))
    missing = [word for word in _arabic_words(translation("ar")) if word not in text]
    assert not missing


def test_chinese_lines_never_start_with_closing_punctuation(example_out):
    lines = [line.strip() for page in page_texts(example_out / "igrt.zh-Hans.pdf")
             for line in page.splitlines() if line.strip()]
    assert len(lines) > 100
    assert not [line for line in lines if line[0] in "，。、：；！？）》」』】"]


def test_arabic_letters_are_joined(example_out):
    """The Arabic font's glyphs are the joined (initial, medial, final) forms: one letter
    is drawn with several glyphs, each mapped back to that same letter (not to a
    presentation form, which readers would give to screen readers and search)."""
    with pikepdf.open(example_out / "igrt.ar.pdf") as pdf:
        font = next(f for f in pdf.pages[0].Resources.Font.values()
                    if "IBMPlexSansArabic-Regular" in str(f.BaseFont))
        targets = [int(code, 16) for code in re.findall(
            r"<[0-9A-F]{2}> <([0-9A-F]{4})>", font.ToUnicode.read_bytes().decode())]
    letters = [t for t in targets if 0x0620 <= t <= 0x064A]
    forms = [t for t in targets if 0xFE70 <= t <= 0xFEFC or 0xFB50 <= t <= 0xFDFF]
    assert len(letters) - len(set(letters)) > 30  # the same letter behind several glyphs
    # only ligatures (two letters behind one glyph) are left as presentation forms
    assert all(len(unicodedata.normalize("NFKC", chr(t))) > 1 for t in forms), forms


def test_poppler_reads_arabic_as_typed_without_normalising(example_out):
    """Screen readers and search built on poppler get letters, not presentation forms:
    the words as the editor typed them, with no NFKC step on the reader's side."""
    raw = unicodedata.normalize("NFC", _poppler_text(example_out / "igrt.ar.pdf"))
    words = {unicodedata.normalize("NFC", w.strip(".,،:؛()[]؟"))
             for p in paragraphs(translation("ar")) for w in p.split()}
    words = {w for w in words if w}
    found = [w for w in words if w in raw]
    assert len(found) / len(words) > 0.9, sorted(words - set(found))[:20]


def _used_codes(pdf: pikepdf.Pdf):
    """(font dictionary, character code) for every code shown on every page."""
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        current = None
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                current = fonts[operands[0]]
            elif op in ("Tj", "TJ", "'", '"'):
                strings = operands[0] if op == "TJ" else [operands[-1]]
                for item in strings:
                    if isinstance(item, pikepdf.String):
                        for code in bytes(item):
                            yield current, code


@pytest.mark.parametrize("name", [*TRANSLATIONS.values(), "igrt.pdf"])
def test_every_glyph_used_is_in_the_embedded_font(example_out, name):
    with pikepdf.open(example_out / name) as pdf:
        cmaps = {}
        for font, code in _used_codes(pdf):
            key = font.objgen
            if key not in cmaps:
                descriptor = font.FontDescriptor
                assert "/FontFile2" in descriptor, f"{font.BaseFont} is not embedded TrueType"
                face = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
                codes = {}
                for table in face["cmap"].tables:  # ReportLab's subsets: a (1, 0) table
                    codes.update({c & 0xFF: g for c, g in table.cmap.items()})
                cmaps[key] = (codes, face.getGlyphOrder(),
                              int(font.FirstChar), [float(w) for w in font.Widths])
                assert "/ToUnicode" in font, f"{font.BaseFont} has no ToUnicode"
            cmap, order, first, widths = cmaps[key]
            glyph = cmap.get(code)
            assert glyph and glyph != ".notdef" and glyph in order, (str(font.BaseFont), code)
            assert first <= code < first + len(widths), (str(font.BaseFont), code)


LABELS = {
    "es": ["Página 1 de", "Última revisión", "Próxima revisión", "2 de febrero de 2026",
           "Referencias"],
    "ar": ["صفحة 1 من", "آخر مراجعة", "المراجعة القادمة", "فبراير 2026", "المراجع"],
    "zh-Hans": ["第1页，共", "上次审阅", "下次审阅", "2026年2月2日", "参考文献"],
}


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_labels_are_in_the_leaflets_language(example_out, language):
    pages = page_texts(example_out / TRANSLATIONS[language])
    first, everything = normal(pages[0]), normal(" ".join(pages))
    assert normal(LABELS[language][0]) in first
    for label in LABELS[language][1:]:
        assert normal(label) in everything, label
    for english in ("Page 1 of", "Last reviewed", "Next review", "References"):
        assert normal(english) not in everything


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_tagging_is_intact(example_out, language):
    path = example_out / TRANSLATIONS[language]
    assert check_pdf(path) == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == language
        roles = {element.role for element in iter_elements(read_tree(pdf))}
    assert {"H1", "H2", "P", "L", "LI", "Table", "TH", "TD", "Link"} <= roles


def test_each_script_gets_its_own_font(example_out):
    def fonts(name):
        with pikepdf.open(example_out / name) as pdf:
            return {str(f.BaseFont).split("+")[-1] for page in pdf.pages
                    for f in page.Resources.get("/Font", {}).values()}
    assert any(f.startswith("AtkinsonHyperlegible") for f in fonts("igrt.es.pdf"))
    assert any(f.startswith("IBMPlexSansArabic") for f in fonts("igrt.ar.pdf"))
    assert any(f.startswith("WenQuanYiMicroHei") for f in fonts("igrt.zh-Hans.pdf"))


# ---- small catalogues ---------------------------------------------------------------------

TRANSLATED = textwrap.dedent("""\
    translates: sample
    language: es
    source_version: "{version}"
    translator: Equipo de traducción
    translated: 2026-02-01
    title: Hacerse una prueba de muestra
    sections:
      - heading: ¿Qué es?
        blocks:
          - paragraph: Una muestra nos ayuda a comprobar su salud [@nhs-sample].
    """)


def _translated_catalogue(catalogue, version: str, text: str = TRANSLATED):
    catalogue.write_content("translations:\n  - leaflets/translations/*.yaml\n")
    catalogue.leaflet(MINIMAL)  # the source is at version "2"
    folder = catalogue.root / "leaflets" / "translations"
    folder.mkdir(exist_ok=True)
    (folder / "sample.es.yaml").write_text(text.format(version=version), encoding="utf-8")


@pytest.mark.parametrize("version, stale", [("1", True), ("2", False)])
def test_stale_notice_appears_exactly_when_the_source_is_newer(catalogue, capsys, version,
                                                               stale):
    _translated_catalogue(catalogue, version)
    assert catalogue.build() == 0
    output = capsys.readouterr()
    first = normal(page_texts(catalogue.out / "sample.es.pdf")[0])
    notice = normal("Es posible que esta traducción no esté actualizada")
    assert (notice in first) is stale
    assert ("stale translation" in output.err) is stale
    assert ("1 stale translation (sample.es)" in output.out) is stale  # the summary line
    if stale:
        assert normal("versión 2, en inglés") in first  # the current version, named
    assert (catalogue.out / "sample.pdf").is_file()


def test_an_overdue_source_points_at_its_own_review_line(catalogue, capsys):
    # MINIMAL's next review is computed from last_reviewed (line 10): 2029-01-10
    _translated_catalogue(catalogue, "2")
    assert catalogue.build("--today", "2029-02-01") == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("overdue for review" in line for line in err)
    assert all(re.search(r"leaflets/sample\.yaml:10:\d+: ", line) for line in err), err
    assert not any("sample.es.yaml" in line for line in err)


def test_versions_compare_as_versions():
    assert version_key("3") < version_key("10") < version_key("10.1")
    assert version_key("2.9") < version_key("2.10")


def test_translation_of_an_unknown_leaflet_is_an_error(catalogue, capsys):
    _translated_catalogue(catalogue, "2", TRANSLATED.replace("translates: sample",
                                                             "translates: sampel"))
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "sample.es.yaml:1:" in err and "no leaflet with id 'sampel'" in err
    assert "did you mean 'sample'?" in err
    assert not (catalogue.out / "sample.es.pdf").exists()


def test_translation_newer_than_its_source_is_an_error(catalogue, capsys):
    _translated_catalogue(catalogue, "3")
    assert catalogue.build() == 1
    assert "sample.es.yaml:3:17: source_version 3 is newer" in capsys.readouterr().err


# characters no installed font has (DejaVu Sans has 😀, FreeSerif has Tamil)
@pytest.mark.parametrize("char, code", [("\U0001F9EA", "U+1F9EA"), ("ក", "U+1780")])
def test_a_character_without_a_glyph_stops_the_leaflet(catalogue, capsys, char, code):
    text = MINIMAL.replace("A sample helps us", f"A sample {char} helps us")
    path = catalogue.leaflet(text)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    line = next(n for n, row in enumerate(text.splitlines(), 1) if f"A sample {char}" in row)
    assert f"{path.name}:{line}:" in err and code in err and "no glyph" in err
    assert not (catalogue.out / "sample.pdf").exists()


def test_mixed_text_in_an_english_leaflet(catalogue):
    """An Arabic name and a Greek word in English text: set in their own fonts, joined,
    and extracted in reading order."""
    name = "محمد علي"
    catalogue.leaflet(MINIMAL.replace(
        "A sample helps us check your health",
        f"Ask for {name} on 020 7946 0000 about the α test; a sample helps us check your health"))
    assert catalogue.build() == 0
    text = normal(_poppler_text(catalogue.out / "sample.pdf"))
    assert normal(f"Ask for {name} on 020 7946 0000 about the α test") in text
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        fonts = {str(f.BaseFont).split("+")[-1] for f in pdf.pages[0].Resources.Font.values()}
    assert any(f.startswith("IBMPlexSansArabic") for f in fonts)
    assert any(f.startswith("FiraSans") for f in fonts)


def test_words_are_ordered_by_the_bidirectional_algorithm():
    words = "يستخدم دواء Paracetamol 500 mg منذ 020 7946 .".split()
    levels = word_levels(words, rtl=True)
    visual = [words[i] for i in visual_order(levels)]
    # right to left overall; the English run and each number run stay left to right
    assert visual == [".", "020", "7946", "منذ", "Paracetamol", "500", "mg", "دواء", "يستخدم"]
    english = "Call محمد علي today".split()
    visual = [english[i] for i in visual_order(word_levels(english, rtl=False))]
    assert visual == ["Call", "علي", "محمد", "today"]


def test_the_source_sentence_is_in_the_arabic_yaml():
    """The sentence the poppler test looks for is the translation's own text."""
    leaflet = translation("ar")
    assert any(normal("يستخدم العلاج الإشعاعي أشعة سينية عالية الطاقة لعلاج السرطان.")
               in normal(p) for p in paragraphs(leaflet))


def test_a_translation_writes_its_authors_in_its_own_language(catalogue):
    """'Leaflet details' printed the source's 'Test department' in a Spanish leaflet;
    the translation's governance names its author and owner in Spanish, and the rest
    (code, version, dates) is still the source's."""
    _translated_catalogue(catalogue, "2", TRANSLATED + textwrap.dedent("""\
        governance:
          author: Departamento de pruebas
          owner: Responsable de pruebas
        """))
    assert catalogue.build() == 0
    text = " ".join(" ".join(page_texts(catalogue.out / "sample.es.pdf")).split())
    assert "Departamento de pruebas" in text and "Responsable de pruebas" in text
    assert "Test department" not in text and "Test owner" not in text
    assert "PIL-9001" in text
    source = " ".join(" ".join(page_texts(catalogue.out / "sample.pdf")).split())
    assert "Test department" in source and "Departamento de pruebas" not in source
    companion = (catalogue.out / "sample.es.html").read_text(encoding="utf-8")
    assert "Departamento de pruebas" in companion and "Test department" not in companion


@pytest.mark.parametrize("governance, found", [
    ("  code: PIL-1\n", "sample.es.yaml:12:3: a translation cannot set governance 'code'"),
    ("  next_review: 2030-01-01\n", "cannot set governance 'next_review'"),
    ("  author: ''\n", "sample.es.yaml:12:11: governance 'author' is empty"),
    ("  approved_by: Grupo\n", "'sample' names no approver"),
])
def test_a_translation_sets_only_its_names(catalogue, capsys, governance, found):
    _translated_catalogue(catalogue, "2", TRANSLATED + "governance:\n" + governance)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert found in err, err
    assert not (catalogue.out / "sample.es.pdf").exists()
