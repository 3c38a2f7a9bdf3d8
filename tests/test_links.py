"""Every link the tool writes passes one check (issue 15.4): http, https, mailto, tel only."""
from __future__ import annotations

import re
import textwrap

import pypdfium2
import pytest

from conftest import MINIMAL, link_uris, page_texts, squash, with_blocks
from handouts.links import link_problem


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd",
                                  "data:text/html,<b>x</b>", "vbscript:msgbox", "www.example.org",
                                  "https://", "mailto:", "https://exa mple.org", "tel:"])
def test_unsafe_targets_are_refused(href):
    assert link_problem(href)


@pytest.mark.parametrize("href", ["https://www.nhs.uk/a?b=1", "mailto:team@example.nhs.uk",
                                  "tel:+442079460000", "http://example.org"])
def test_safe_targets_pass(href):
    assert link_problem(href) is None


HOSTILE = [("url", "javascript:alert(1)"), ("url", "file:///etc/passwd"),
           ("url", "data:text/html,hello"), ("url", "vbscript:msgbox(1)"),
           ("url", "www.riverside.example.nhs.uk"), ("email", "javascript:alert(1)")]


@pytest.mark.parametrize("key, value", HOSTILE)
def test_hostile_brand_contact_fields_stop_only_that_brand(catalogue, capsys, key, value):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    lines = brand.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index("contact:\n") + 2  # a new key right under contact:
    lines.insert(line - 1, f"  {key}: '{value}'\n")
    if key == "email":
        lines = [ln for ln in lines if not ln.startswith("  email: patient")]
    brand.write_text("".join(lines), encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other\ntemplate: lakeside-clinic"),
                      "other")
    capsys.readouterr()
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"riverside-trust/brand.yaml:{line}:" in err and f"contact.{key}" in err
    assert not (catalogue.out / "sample.pdf").exists()
    uris = link_uris(catalogue.out / "other.pdf")
    assert uris and all(link_problem(uri) is None for uri in uris)


# ---- every link is checked when it is loaded, at its own line (issue 15.4) -------------------

from test_validate_predicts_build import (TRANSLATION, assert_all_three_stop_at,  # noqa: E402
                                          edit_brand, line_of, spanish_brand_texts,
                                          translated_catalogue, value_at)

UNSAFE = ["javascript:alert(1)", "file:///etc/passwd"]
CONTACT_BLOCK = """\
    - contact:
        name: Sample clinic
        phone: 020 7946 0100
        {key}: '{value}'
    """


def _leaflet_contact(catalogue, key, value):
    text = with_blocks(CONTACT_BLOCK.format(key=key, value=value))
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, key), f"contact {key}: "


def _translated_contact(catalogue, key, value):
    text = TRANSLATION + textwrap.indent(textwrap.dedent(CONTACT_BLOCK.format(
        key=key, value=value)), "      ")
    translated_catalogue(catalogue, text)
    return "sample.es.yaml", value_at(text, key), f"contact {key}: "


def _brand_contact(catalogue, key, value):
    edit_brand(catalogue, "  email: patient.information@riverside.example.nhs.uk\n",
               f"  {key}: '{value}'\n")
    catalogue.leaflet(MINIMAL)
    brand = (catalogue.root / "templates" / "riverside-trust" / "brand.yaml").read_text()
    return "brand.yaml", value_at(brand, f"  {key}"), f"contact.{key}: "


def _reference_url(catalogue, key, value):
    text = MINIMAL.replace("url: https://www.nhs.uk/tests-and-treatments/blood-tests/", f"url: '{value}'")
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "url"), "reference url"


def _inline_link(catalogue, key, value):
    text = MINIMAL.replace("A sample helps", f"A [sample page]({value}) helps")
    catalogue.leaflet(text)
    return "sample.yaml", line_of(text, "paragraph:"), "which is not allowed"


def _summary(catalogue, key, value):
    text = MINIMAL.replace("summary: What", f"summary: See [sample advice]({value}). What")
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "summary"), "which is not allowed"


def _translated_summary(catalogue, key, value):
    text = TRANSLATION.replace("title:", f"summary: '[Consejos]({value})'\ntitle:")
    translated_catalogue(catalogue, text)
    return "sample.es.yaml", value_at(text, "summary"), "which is not allowed"


def _citation(catalogue, key, value):
    text = MINIMAL.replace("citation: Example source.", f"citation: Example [source]({value}).")
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "citation"), "which is not allowed"


FIELDS = [(_leaflet_contact, "url"), (_leaflet_contact, "email"), (_translated_contact, "url"),
          (_translated_contact, "email"), (_brand_contact, "url"), (_brand_contact, "email"),
          (_reference_url, "url"), (_inline_link, "link"), (_summary, "summary"),
          (_translated_summary, "summary"), (_citation, "citation")]


@pytest.mark.parametrize("value", UNSAFE)
@pytest.mark.parametrize("field, key", FIELDS,
                         ids=[f"{f.__name__.strip('_')}-{k}" for f, k in FIELDS])
def test_an_unsafe_link_in_any_field_stops_validate_check_and_build(catalogue, capsys, field,
                                                                    key, value):
    assert_all_three_stop_at(catalogue, capsys, *field(catalogue, key, value))
    assert all(link_problem(uri) is None for uri in link_uris(catalogue.out / "good.pdf"))


NO_HOST = ["https://", "https://exa mple.org", "http:///path", "https://[www.example.org/x"]


@pytest.mark.parametrize("value", NO_HOST)
def test_a_reference_url_without_a_usable_host_is_an_error_at_load(catalogue, capsys, value):
    """It passed as http(s) before, then stopped the build with '<layout>:0:0'."""
    assert_all_three_stop_at(catalogue, capsys, *_reference_url(catalogue, "url", value))


@pytest.mark.parametrize("field", [_leaflet_contact, _brand_contact])
def test_a_contact_url_python_cannot_parse_is_an_error_not_a_traceback(catalogue, capsys,
                                                                       field):
    assert_all_three_stop_at(catalogue, capsys, *field(catalogue, "url", NO_HOST[-1]))


def test_an_online_address_pattern_that_is_no_link_is_an_error_at_its_line(catalogue, capsys):
    """An unclosed '[' passes the pattern's own checks; as a link it stopped the build
    with a traceback (Python's URL parser raises on it)."""
    edit_brand(catalogue, "online_url: https://www.riverside.example.nhs.uk/leaflets/{code}",
               "online_url: https://[www.riverside.example.nhs.uk/leaflets/{code}")
    catalogue.leaflet(MINIMAL)
    brand = (catalogue.root / "templates" / "riverside-trust" / "brand.yaml").read_text()
    assert_all_three_stop_at(catalogue, capsys, "brand.yaml", value_at(brand, "online_url"),
                             "online_url: link target")


def test_a_url_with_a_bracket_links_to_the_whole_address(catalogue):
    """A ')' in an address ended the Markdown link early: the PDF linked elsewhere."""
    url = "https://www.nhs.uk/a)b"
    catalogue.leaflet(with_blocks(f"- contact:\n    name: Clinic\n    url: '{url}'\n").replace(
        "https://www.nhs.uk/tests-and-treatments/blood-tests/", url))
    assert catalogue.build() == 0
    uris = link_uris(catalogue.out / "sample.pdf")
    assert uris.count(url) >= 2 and "https://www.nhs.uk/a" not in uris


def test_translated_brand_texts_never_become_links(catalogue):
    """A brand's texts in another language are printed as plain text: Markdown in them
    is not a link."""
    translated_catalogue(catalogue)
    spanish_brand_texts(catalogue, "other_formats: '[Pida otro formato](javascript:alert(1))'"
                        "\ncontact:\n  note: '[Nota](file:///etc/passwd)'\n")
    assert catalogue.build() == 0
    uris = link_uris(catalogue.out / "sample.es.pdf")
    assert uris and all(link_problem(uri) is None for uri in uris)
    assert "[Pida otro formato](javascript:alert(1))" in squash(
        " ".join(page_texts(catalogue.out / "sample.es.pdf")))


def test_a_brand_text_in_another_language_cannot_be_a_contact_link(catalogue, capsys):
    """Only the brand's own contact.url, contact.email and contact.phone are links: a
    language's `texts:` that tries is told so at its line, so no translated text adds one."""
    translated_catalogue(catalogue)
    brand = spanish_brand_texts(catalogue, "contact:\n  url: 'javascript:alert(1)'\n")
    assert_all_three_stop_at(catalogue, capsys, "brand.yaml", line_of(brand, "url: 'java"),
                             "texts.es.contact.url: not a brand text that has a language")

def test_a_link_moved_to_the_next_line_leaves_no_underline_behind(a5_large_print_out):
    """A Chinese card line broke after '电子邮件：' and the address went to the next line,
    but the breaker left an empty piece of the link at the line's end, and its underline
    was drawn there: a 2 pt dot after the colon (A5 large print, pages 20 and 23)."""
    import pypdfium2.raw as raw
    pdf = pypdfium2.PdfDocument(str(a5_large_print_out / "igrt.zh-Hans.large-print.pdf"))
    try:
        ends = 0
        for page in pdf:
            text = page.get_textpage()
            whole = text.get_text_range()
            for found in re.finditer("电子邮件：\r?\n", whole):
                ends += 1
                left, bottom, right, _ = text.get_charbox(found.start() + 4)
                dots = [obj.get_bounds() for obj in page.get_objects()
                        if obj.type == raw.FPDF_PAGEOBJ_PATH
                        and abs(obj.get_bounds()[1] - bottom) < 6
                        and right - 1 <= obj.get_bounds()[0] < right + 30]
                assert dots == [], dots
        assert ends >= 1  # the case is still there to test
    finally:
        pdf.close()


def test_a_link_with_a_bold_word_is_one_link_element(catalogue):
    """Each styled piece of a link was a Link of its own, and every annotation of the
    link went to the last of them: a screen reader met 'the', 'new' and 'page' as three
    links, two of them with no target."""
    import pikepdf

    from pdfcheck import check_pdf, iter_elements, read_tree
    from test_bidi import marked_words
    catalogue.leaflet(MINIMAL.replace(
        "A sample helps us check your health [@nhs-sample].",
        "Read [the **new** page](https://www.nhs.uk/a/) today [@nhs-sample]."))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert check_pdf(path) == []
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        held = [([w for k in e.kids if k[0] == "mcr" for w in shown.get((k[1], k[2]), [])],
                 [str(k[1].A.URI) for k in e.kids if k[0] == "objr"])
                for e in iter_elements(read_tree(pdf)) if e.role == "Link"]
    ours = [(words, uris) for words, uris in held if "new" in words or "page" in words]
    assert len(ours) == 1, held
    words, uris = ours[0]
    assert words == ["the", "new", "page"] and uris and \
        set(uris) == {"https://www.nhs.uk/a/"}, ours


def test_a_name_in_another_language_inside_a_link_keeps_its_language(catalogue):
    """One Link per link must not swallow a run marked in another language: the Spanish
    name's Link lost its /Lang when the two spans were made one."""
    import pikepdf

    from pdfcheck import iter_elements, read_tree
    from test_bidi import marked_words
    catalogue.leaflet(MINIMAL.replace(
        "A sample helps us check your health [@nhs-sample].",
        "Ask for [the clinic of ](https://a.b/)[[Dr Juan García](https://a.b/)]{lang=es} "
        "today [@nhs-sample]."))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        langs = {str(e.obj.get("/Lang", "")): [w for k in e.kids if k[0] == "mcr"
                                               for w in shown.get((k[1], k[2]), [])]
                 for e in iter_elements(read_tree(pdf)) if e.role == "Link"
                 and any("García" in shown.get((k[1], k[2]), []) for k in e.kids
                         if k[0] == "mcr")}
    assert langs == {"es": ["Dr", "Juan", "García"]}, langs


def test_a_link_in_two_styles_is_one_area_and_one_underline(catalogue):
    """With one <a> per style, the space between 'new' and 'page' had an annotation of
    no area and no underline: the link looked and clicked like two."""
    import pikepdf
    catalogue.leaflet(MINIMAL.replace(
        "A sample helps us check your health [@nhs-sample].",
        "Read [**the new** *page*](https://www.nhs.uk/a/) today [@nhs-sample]."))
    assert catalogue.build() == 0
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        rects = [[float(v) for v in a.Rect] for a in pdf.pages[0].get("/Annots", [])
                 if a.get("/A") is not None and str(a.A.get("/URI", "")) == "https://www.nhs.uk/a/"]
    assert len(rects) == 1 and rects[0][2] - rects[0][0] > 50, rects


@pytest.mark.parametrize("language, paragraph, link", [
    ("hi", "कृपया [नया पृष्ठ देखें](https://a.b/)[@nhs-sample] आज ही।", "नया पृष्ठ देखें"),
    ("hi", "कृपया ([नया पृष्ठ देखें](https://a.b/)) आज ही।", "नया पृष्ठ देखें"),
    ("ta", "தயவுசெய்து [புதிய பக்கத்தைப் பாருங்கள்](https://a.b/)[@nhs-sample] இன்றே.",
     "புதிய பக்கத்தைப் பாருங்கள்"),
])
def test_a_shaped_left_to_right_word_gives_each_element_its_own_glyphs(catalogue, language,
                                                                       paragraph, link):
    """Found by a review: shaping put a word's switches around the whole word, so the
    Reference of a citation typed against a Hindi word took the word in ('देखें[1]'),
    and a bracket typed against a link went into the Link."""
    import pikepdf

    from pdfcheck import iter_elements, read_tree
    from test_bidi import leaflet, marked_words
    catalogue.leaflet(leaflet(language, paragraph))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        held = [(e.role, "".join(w for k in e.kids if isinstance(k, tuple) and k[0] == "mcr"
                                 for w in shown.get((k[1], k[2]), [])))
                for e in iter_elements(read_tree(pdf)) if e.role in ("Link", "Reference")]
    links = [text for role, text in held if role == "Link" and "a.b" not in text
             and not text.startswith(("020", "patient", "www", "https"))]
    assert links == [link.replace(" ", "")], held
    citations = [text for role, text in held if role == "Reference" and "1" in text
                 and len(text) <= 8]
    assert citations and all(text == "[1]" for text in citations), held


@pytest.mark.parametrize("written", ["[](https://www.nhs.uk/a/)", "[ ](https://www.nhs.uk/a/)",
                                     "[\u200b](https://www.nhs.uk/a/)"])
def test_a_link_with_no_words_stops_validate_check_and_build(catalogue, capsys, written):
    """'[](url)' vanished from the PDF with no word of warning, and '[ ](url)' became a
    Link with nothing in it and nothing to click: what the editor meant is unknown."""
    text = MINIMAL.replace("A sample helps", f"A {written} sample helps")
    catalogue.leaflet(text)
    assert_all_three_stop_at(catalogue, capsys, "sample.yaml", line_of(text, "paragraph:"),
                             "link to 'https://www.nhs.uk/a/' has no words to click")


@pytest.mark.parametrize("language, paragraph, first, second", [
    ("en", "Read [the first page](https://a.b/) and [the second page](https://a.b/) today.",
     "first", "second"),
    ("ar", "اقرأ [الصفحة الأولى](https://a.b/) ثم [الصفحة الثانية](https://a.b/) اليوم.",
     "الأولى", "الثانية"),
])
def test_two_links_to_one_address_on_a_line_each_hold_their_own_area(catalogue, language,
                                                                      paragraph, first, second):
    """Annotations were matched to Links by address: both went to the last Link, and the
    first had none (a screen reader could not follow it)."""
    import pikepdf

    from pdfcheck import check_pdf, iter_elements, read_tree
    from test_bidi import leaflet, marked_words
    catalogue.leaflet(leaflet(language, paragraph) if language != "en" else MINIMAL.replace(
        "A sample helps us check your health [@nhs-sample].", paragraph))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert check_pdf(path) == []
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        held = {}
        for e in iter_elements(read_tree(pdf)):
            if e.role != "Link":
                continue
            words = [w for k in e.kids if k[0] == "mcr" for w in shown.get((k[1], k[2]), [])]
            areas = [[float(v) for v in k[1].Rect] for k in e.kids if k[0] == "objr"
                     and str(k[1].A.URI) == "https://a.b/"]
            for word in (first, second):
                if word in words:
                    held[word] = areas
    assert all(len(held.get(word, [])) == 1 for word in (first, second)), held
    assert held[first] != held[second]


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "zh-Hant"])
def test_a_chinese_or_japanese_links_underline_and_area_end_at_its_last_letter(catalogue,
                                                                               language):
    """Chinese and Japanese lines are broken between characters, each inline tag's
    callback given a zero-width space for the breaker. ReportLab took the one after a
    link for trailing space and measured it in a font with no such glyph (a whole em):
    the Japanese reference's address was underlined, and clickable, an em short of 's/'."""
    from test_bidi import link_rects, underlines
    from test_scripts import leaflet, leaflet_id
    catalogue.leaflet(leaflet(language), leaflet_id(language))
    assert catalogue.build() == 0
    path = catalogue.out / f"{leaflet_id(language)}.pdf"
    url = "https://www.nhs.uk/tests-and-treatments/blood-tests/"
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        text = page.get_textpage()
        start = text.get_text_range().find(url)
        assert start >= 0
        boxes = [text.get_charbox(i) for i in range(start, start + len(url))]
        first, last = min(b[0] for b in boxes), max(b[2] for b in boxes)
        under = [line for line in underlines(page) if line[0] < last and line[2] > first
                 and 0 < boxes[0][1] - line[3] < 4]
    finally:
        pdf.close()
    # the old code ended both 13 pt (an em) before the last letter
    assert len(under) == 1 and -0.5 < under[0][2] - last < 2.5, (last, under)
    (area,) = link_rects(path, url)
    assert -0.5 < area[2] - last < 2.5 and -0.5 < first - area[0] < 3, (first, last, area)
