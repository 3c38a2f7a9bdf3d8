"""Issue 11.3 (in part): the Unicode Bidirectional Algorithm through python-bidi.

Persian digits printed reversed ("۰۴" for 40): HarfBuzz guesses a run's direction from its
script, and digits in Arabic script came back right to left. Each leaflet is built and read
back with pdfium, the left edge of each digit giving the order it is drawn in.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
import unicodedata

import pikepdf
import pypdfium2
import pytest

from conftest import MINIMAL, REPO, with_blocks
from test_scripts import pdfium, poppler
from handouts.layout.bidi import levels, reading_order, visual_order

# language, paragraph, the number in it as typed
CASES = {
    "fa": ("شما باید ۴۰ دقیقه صبر کنید.", "۴۰"),
    "prs": ("شما باید ۱۲۵ دقیقه انتظار بکشید.", "۱۲۵"),
    "ur": ("آپ کو ۴۰ منٹ انتظار کرنا ہے۔", "۴۰"),
    "ar": ("عليك الانتظار ٤٠ دقيقة.", "٤٠"),
}


def leaflet(language: str, paragraph: str) -> str:
    return (MINIMAL.replace("summary:", f"language: {language}\nsummary:")
            .replace("A sample helps us check your health [@nhs-sample].",
                     json.dumps(f"{paragraph} [@nhs-sample]", ensure_ascii=False)))


def chars(path) -> list[tuple[str, float]]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = pdf[0].get_textpage()
        return [(text.get_text_range(i, 1), text.get_charbox(i)[0])
                for i in range(text.count_chars())]
    finally:
        pdf.close()


@pytest.mark.parametrize("language", sorted(CASES))
def test_digits_in_arabic_script_run_left_to_right(catalogue, language):
    paragraph, number = CASES[language]
    catalogue.leaflet(leaflet(language, paragraph))
    assert catalogue.build() == 0
    found = chars(catalogue.out / "sample.pdf")
    text = "".join(ch for ch, _ in found)
    start = text.find(number)
    assert start >= 0, f"{number!r} not read back from {text!r}"
    lefts = [left for _, left in found[start:start + len(number)]]
    assert lefts == sorted(lefts), (number, lefts)  # the first digit typed is leftmost


def test_levels_come_from_the_bidirectional_algorithm():
    text = "اتصل Ahmed Khan في ۴۰ (الساعة 10:30)"
    found = levels(text, rtl=True)
    assert len(found) == len(text)
    visual = "".join(text[i] for i in visual_order(list(found)))
    assert "Ahmed Khan" in visual and "۴۰" in visual and "10:30" in visual
    assert visual.index("Ahmed") > visual.index("10:30")  # read first, drawn further right
    assert levels("abc", rtl=False) == (0, 0, 0)


def page_text(path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


@pytest.mark.parametrize("language, paragraph, pieces", [
    ("ar", "راجع الطبيب في 12 يناير 2026 (الساعة 10:30) وخذ ٤٠ ملغ.",
     ["(الساعة 10:30)", "12 يناير 2026", "٤٠ ملغ"]),
    ("fa", "پزشک را در ۱۲ ژانویه ۲۰۲۶ (ساعت ۱۰:۳۰) ببینید.",
     ["(ساعت ۱۰:۳۰)", "۱۲ ژانویه ۲۰۲۶"]),
    # A word's levels come from its paragraph: the comma of 'Group, NHS' sits between two
    # left-to-right runs. Resolved for 'Group,' alone it went right to left: ',Group'.
    # (Before a date the comma is right to left: test_rtl_dates.py.)
    ("ar", "اعتمدها: Patient Information Group, NHS Trust.",
     ["Patient Information Group, NHS Trust"]),
])
def test_brackets_around_a_number_read_in_order(catalogue, language, paragraph, pieces):
    """A closing bracket after digits in right-to-left text sits at the run's left end,
    drawn as its mirror image: it was drawn unmirrored and read back as '(10:30'."""
    catalogue.leaflet(leaflet(language, paragraph))
    assert catalogue.build() == 0
    text = " ".join(page_text(catalogue.out / "sample.pdf").split())
    for piece in pieces:
        assert piece in text, (piece, text)


def link_rects(path, uri: str) -> list[tuple[float, float, float, float]]:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return [tuple(float(v) for v in annot.Rect) for annot in pdf.pages[0].get("/Annots", [])
                if annot.get("/A") is not None and str(annot.A.get("/URI", "")) == uri]


@pytest.mark.parametrize("language, paragraph, link", [
    ("ar", "اقرأ [صفحة المعلومات](https://www.nhs.uk/tests/) اليوم.", "صفحة المعلومات"),
])
def test_a_links_hit_area_covers_its_words(catalogue, language, paragraph, link):
    """The link annotation of a right-to-left link spans its own words' glyphs."""
    catalogue.leaflet(leaflet(language, paragraph))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    rects = link_rects(path, "https://www.nhs.uk/tests/")
    assert len(rects) == 1, rects
    left, bottom, right, top = rects[0]
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = pdf[0].get_textpage()
        whole = text.get_text_range()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    finally:
        pdf.close()
    words = link.split()
    starts = [whole.find(word) for word in words]
    assert all(start >= 0 for start in starts), (words, whole)
    inside = [boxes[i] for start, word in zip(starts, words)
              for i in range(start, start + len(word))]
    glyph_left, glyph_right = min(b[0] for b in inside), max(b[2] for b in inside)
    assert left - 1 <= glyph_left and glyph_right <= right + 1  # every glyph in the area
    assert glyph_left - left < 3 and right - glyph_right < 3  # and no more than its words


def underlines(page) -> list[tuple[float, float, float, float]]:
    """The thin horizontal paths on a page (a link's underline is one)."""
    import pypdfium2.raw as raw
    found = []
    for obj in page.get_objects():
        left, bottom, right, top = obj.get_bounds()
        if obj.type == raw.FPDF_PAGEOBJ_PATH and top - bottom < 2.5 and right - left > 4:
            found.append((left, bottom, right, top))
    return found


def test_a_links_underline_and_area_end_at_its_letters(catalogue):
    """In right-to-left text every word is shaped, kerning included ('//' of a URL is set
    closer), but ReportLab placed underlines and link areas by the words' unkerned widths:
    Arabic leaflets' reference addresses were underlined 3 pt past their last letter, the
    next link on the line starting that much late."""
    url = "https://www.nhs.uk/conditions/radiotherapy/"
    catalogue.leaflet(leaflet("ar", f"اقرأ [{url}]({url}) ثم [Wave To](https://www.nhs.uk/w/) "
                                    "اليوم."))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        text = page.get_textpage()
        whole = text.get_text_range()
        lines = underlines(page)
        for shown, target in ((url, url), ("Wave To", "https://www.nhs.uk/w/")):
            start = whole.find(shown)
            assert start >= 0, (shown, whole)
            boxes = [text.get_charbox(i) for i in range(start, start + len(shown))
                     if not whole[i].isspace()]
            first, last = min(b[0] for b in boxes), max(b[2] for b in boxes)
            under = [line for line in lines if line[0] < last and line[2] > first
                     and 0 < boxes[0][1] - line[3] < 4]
            assert len(under) == 1, (shown, under)
            # from the pen (a letter's side bearing, and pdfium's half line width, before
            # its ink) to its last letter: the old code ended 5.4 and 2.8 pt past them
            assert -0.5 < first - under[0][0] < 2.5 and -0.5 < under[0][2] - last < 2.0, \
                (shown, first, last, under)
            (area,) = link_rects(path, target)
            assert -0.5 < first - area[0] < 2.5 and -0.5 < area[2] - last < 1.5, (shown, area)
    finally:
        pdf.close()


def test_a_url_in_right_to_left_text_is_drawn_left_to_right_to_its_last_slash(catalogue):
    """A URL is a left-to-right isolate (UAX #9 X5a): its trailing '/' is a neutral that
    took the right-to-left direction around it and was drawn at its left end
    ('/https://www.nhs.uk/conditions'). Every character is drawn left of the next."""
    url = "https://www.nhs.uk/conditions/"
    catalogue.leaflet(leaflet("ar", f"راجع الموقع {url} للمزيد."))
    assert catalogue.build() == 0
    drawn = chars(catalogue.out / "sample.pdf")
    text = "".join(ch for ch, _ in drawn)
    start = text.find(url[:-1])
    assert start >= 0, text
    xs = [x for _, x in drawn[start:start + len(url)]]
    assert [ch for ch, _ in drawn[start:start + len(url)]] == list(url)
    assert xs == sorted(xs), xs


def test_a_citation_group_in_arabic_is_drawn_as_the_algorithm_orders_it(catalogue):
    """'[1, 2]' in right-to-left text: UAX #9 draws it '[2 ,1]' (brackets mirrored), read
    right to left as 1, 2."""
    paragraph = json.dumps("راجع الموقع للمزيد [@nhs-sample; @two].", ensure_ascii=False)
    text = (MINIMAL.replace("summary:", "language: ar\nsummary:")
            .replace("A sample helps us check your health [@nhs-sample].", paragraph)
            .replace("accessed: 2026-01-05\n", "accessed: 2026-01-05\n  - id: two\n"
                     "    citation: Second source.\n", 1))
    catalogue.leaflet(text)
    assert catalogue.build() == 0
    drawn = chars(catalogue.out / "sample.pdf")
    line = [(ch, x) for ch, x in drawn if ch in "12[],"][:5]  # the group: brackets, digits, comma
    left_to_right = "".join(ch for ch, _ in sorted(line, key=lambda item: item[1]))
    assert left_to_right in ("[2,1]", "]2,1["), (left_to_right, line)


def reference_leaflet(citation: str, url: str | None) -> str:
    """An Arabic leaflet whose one reference has `citation`, accessed 5 January 2026."""
    text = leaflet("ar", "راجع المصدر.").replace(
        "citation: Example source. A page about samples.", f"citation: {citation}")
    old = "    url: https://www.nhs.uk/tests-and-treatments/blood-tests/\n"
    return text.replace(old, f"    url: {url}\n" if url else "")


def line_boxes(path, needle: str) -> list[tuple[str, float]]:
    """(character, left edge) of every glyph pdfium finds on the line holding `needle`,
    whatever order it reads them in."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = pdf[0].get_textpage()
        boxes = [(text.get_text_range(i, 1), text.get_charbox(i, loose=True))
                 for i in range(text.count_chars())]
        whole = text.get_text_range()
    finally:
        pdf.close()
    start = whole.find(needle)
    assert start >= 0, whole
    bottom, top = boxes[start][1][1], boxes[start][1][3]
    # the middle of each box: an ActualText span's characters have the box of its
    # glyphs' ink, not of the font's height (lines._typed_spans); a span whose operator
    # starts left of its line (a list label, flowables.ListItem) shares out a box as
    # wide as the line, so its characters tell nothing of where glyphs are drawn
    return [(ch, box[0]) for ch, box in boxes
            if bottom <= (box[1] + box[3]) / 2 <= top and not ch.isspace()
            and box[2] - box[0] < 2 * (top - bottom)]


@pytest.mark.parametrize("citation", ["NHS. Blood tests.", "وزارة الصحة. دليل المرضى."])
def test_an_arabic_date_in_brackets_is_drawn_in_order(catalogue, citation):
    """Issue 11.3: the References line of igrt.ar drew 'تاريخ) الاطلاع 12 يناير (2026', each
    bracket glued to its word. UAX #9 orders each line's runs, not its words: the bracket
    typed before 'تاريخ' is a run of its own. Drawn, the brackets enclose the phrase, whose
    words run right to left from 'تاريخ' and whose year reads left to right; in an English
    citation's left-to-right line and in an Arabic one alike."""
    catalogue.leaflet(reference_leaflet(citation, None))
    assert catalogue.build() == 0
    line = line_boxes(catalogue.out / "sample.pdf", "الاطلاع")
    brackets = [x for ch, x in line if ch in "()"]
    assert len(brackets) == 2, line
    inside = [(ch, x) for ch, x in line if min(brackets) < x < max(brackets)]
    # one letter each of 'تاريخ', 'الاطلاع', 'يناير' is in no other word of the phrase
    anchors = [next(x for ch, x in inside if ch == letter) for letter in "تع5ن"]
    digits = sorted((x, ch) for ch, x in inside if ch.isdigit() and ch != "5")
    assert anchors == sorted(anchors, reverse=True), line  # read from the right
    assert "".join(ch for _, ch in digits) == "2026" and digits[0][0] < anchors[-1], line
    assert {"ت", "ع", "ن"} <= {ch for ch, _ in inside}  # nothing of the phrase outside


def test_the_igrt_references_read_back_in_typed_order(example_out):
    """The example's line with the Arabic date alone on it: pdfium read it back
    'تاريخ) الاطلاع 12 يناير (2026' before the line's runs were ordered."""
    assert "(تاريخ الاطلاع 12 يناير 2026)" in " ".join(pdfium(example_out / "igrt.ar.pdf").split())


@pytest.mark.parametrize("url", ["https://www.nhs.uk/x/", None])
def test_an_english_citation_in_an_arabic_reference_reads_from_the_right(catalogue, url):
    """The leaflet's direction is the paragraph's (UAX #9 HL1): igrt.ar's reference 4
    ('NHS. Radiotherapy.', its URL, then the Arabic access date) was a left-to-right
    paragraph by its first letter (P2), so the line's URL and the Arabic date were drawn
    from the left, the label far from its text. Drawn from the right: the label, the
    citation left to right with its '.' at its end, the URL, then the date in brackets."""
    catalogue.leaflet(reference_leaflet("NHS. Radiotherapy.", url))
    assert catalogue.build() == 0
    drawn = "".join(ch for ch, _ in sorted(line_boxes(catalogue.out / "sample.pdf", "Radio"),
                                          key=lambda box: box[1]))
    # right to left: '1.' (in a span of its typed text; not listed where its operator
    # starts left of the line: see line_boxes), the citation, the URL, then the bracket
    # and 'تاريخ الاطلاع' (its letters listed here left to right, as drawn)
    drawn = drawn.removesuffix("1.")
    tail = f"{url or ''}NHS.Radiotherapy."
    assert drawn.endswith(tail), drawn
    assert drawn[:-len(tail)].endswith(("علاطلااخيرات(", "علاطلااخيرات)")), drawn


def test_a_leading_english_citation_is_resolved_on_its_own():
    """Its trailing '.' stays at the level of its letters; without the isolate it takes
    the paragraph's right-to-left direction and is drawn before 'NHS'."""
    from handouts.layout.bidi import isolated_levels
    text = "NHS. Radiotherapy. (تاريخ الاطلاع 5 يناير 2026)"
    found = isolated_levels(text, rtl=True)
    end = text.index("(") - 1
    assert set(found[:end]) == {2} and found[text.index("ت")] == 1
    assert levels(text, rtl=True)[end - 1] == 1  # the bare algorithm: '.' right to left


@pytest.mark.parametrize("language", ["ar", "prs", "ur"])
def test_a_contact_cards_value_is_drawn_whole_beside_its_label(catalogue, language):
    """A card line is a label and a value, and the value is data in whatever language it
    was given (a brand's English opening hours in a Dari leaflet). Drawn as one sentence,
    rule W2 made '24' an Arabic number after the label, and it was drawn apart from
    'hours': 'hours a day, 7 days a week 24 :ساعات کار'. Now the value runs left to right
    as written, and the label is on its right."""
    card = ("- contact:\n    name: مرکز\n    phone: 020 7946 0999\n"
            "    hours: 24 hours a day, 7 days a week\n")
    catalogue.leaflet(with_blocks(card, leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    drawn = "".join(ch for ch, _ in sorted(line_boxes(catalogue.out / "sample.pdf", "hours"),
                                          key=lambda box: box[1]))
    value = "24hoursaday,7daysaweek"
    assert drawn.startswith(value + ":"), drawn  # then the label's letters, right to left
    assert not any(ch.isascii() for ch in drawn[len(value) + 1:]), drawn


def test_the_first_part_of_a_split_arabic_paragraph_keeps_its_line_order():
    """A split part was broken again from the shaped words and lost the levels its
    paragraph resolved: an Arabic reference split after 'NHS. Radiotherapy.' drew
    '.NHS Radiotherapy.' (seen when a right-to-left list label was drawn after its
    item's first line, which splits the item there)."""
    from reportlab.lib.styles import ParagraphStyle

    from handouts.brand import load_brand
    from handouts.layout import lines
    from handouts.layout.typeset import Typeset

    text = ("NHS. Radiotherapy. https://www.nhs.uk/conditions/radiotherapy/ "
            "(تاريخ الاطلاع 12 يناير 2026)")
    typeset = Typeset("ar", load_brand(REPO / "templates", "riverside-trust"), [text])
    style = ParagraphStyle("body", fontName=typeset.body.names["regular"], fontSize=13,
                           leading=18, allowOrphans=1, allowWidows=1)
    whole = typeset.paragraph(text, style)
    whole.wrap(330, 1000)
    assert len(whole.blPara.lines) >= 2

    def drawn(paragraph) -> list[str]:
        known = lines._line_words(paragraph.frags, paragraph.blPara.lines)
        return ["".join(str(getattr(word, "text", word)) for word in
                        lines._visual_line(line, True, levels).words)
                for line, levels in zip(paragraph.blPara.lines, known)]

    first, rest = whole.split(330, 27)
    for part in (first, rest):
        part.wrap(330, 1000)
    assert drawn(first) + drawn(rest) == drawn(whole)
    assert drawn(first)[0].startswith("NHS. Radiotherapy")


# On a line pdfium calls right to left (at least as many Arabic runs as Latin ones), a
# left-to-right run of several segments came back with its segments reversed: Chrome's
# viewer, and a screen reader through it, read the phone number '0410 7946 020'.
# The runs that already read right ('37.5', '10:30', '128/82') must stay so.
PDFIUM_ORDER = ["020 7946 0410", "PIL-0042", "Ahmed-Khan", "a.b@c.d", "37.5", "10:30",
                "128/82", "2.5.1", "Ahmed Khan", "Dr Sarah Jones"]  # names: one operator


def test_left_to_right_runs_read_back_as_typed_in_a_right_to_left_line(catalogue):
    lead = "كلمة عربية أخرى هنا وهناك راجع"
    blocks = "".join(f"- paragraph: '{lead} {run} اليوم'\n" for run in PDFIUM_ORDER)
    catalogue.leaflet(with_blocks(blocks).replace("summary:", "language: ar\nsummary:"))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    read = {"pdfium": page_text(path), "poppler": poppler(path)}
    for reader, text in read.items():
        text = " ".join(text.replace("\u202b", " ").replace("\u202c", " ")
                        .replace("\u202a", " ").split())
        assert [run for run in PDFIUM_ORDER if run not in text] == [], (reader, text)


def test_a_narrow_arabic_column_reads_its_addresses_and_words_in_order(catalogue):
    """A5 large print: lines with more Latin words than Arabic ones, which pdfium reads
    in drawing order, read their Arabic words as typed ('ثم اتصل' came back 'اتصل ثم'); a
    URL's head keeps its '://' ('https//:www.') and an address at a line's end its order
    ('uk.nhs.example'); poppler reads the same words."""
    paragraphs = ["للمزيد من المعلومات راجع الموقع "
                  "https://www.nhs.uk/conditions/radiotherapy/what-happens/ ثم اتصل بنا.",
                  "راسلنا على radiotherapy.department@riverside.example.nhs.uk إذا كان لديك سؤال.",
                  "يمكنك قراءة المزيد على "
                  "https://www.riverside.example.nhs.uk/leaflets/radiotherapy-and-you/ في أي وقت."]
    blocks = "".join(f"- paragraph: {json.dumps(p, ensure_ascii=False)}\n" for p in paragraphs)
    catalogue.leaflet(with_blocks(blocks).replace("summary:", "language: ar\nsummary:"))
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 0
    path = catalogue.out / "sample.large-print.pdf"
    read = pdfium(path)
    for typed in ("ثم اتصل", "راسلنا على", "إذا كان لديك", "في أي وقت", "https://www.",
                  "radiotherapy/what-happens/", "riverside.example.nhs.uk/leaflets/",
                  "أو تحدث إلى خدمة"):
        assert typed in read, (typed, read)
    for scrambled in ("https//:", "uk.nhs.example", "www .", "اتصل ثم"):
        assert scrambled not in read, scrambled
    said = " ".join(poppler(path).replace("\u202b", " ").replace("\u202c", " ").split())
    assert all(word in said for word in ("اتصل", "radiotherapy/what-happens/", "https://www."))


@pytest.mark.parametrize("language, label", [("ur", "ای میل"), ("ar", "البريد الإلكتروني")])
def test_a_contact_cards_email_link_takes_in_the_address_alone(catalogue, language, label):
    """ReportLab hands a word the opening of a link that starts after the word's space:
    shaped, the Urdu label 'ای میل:' had the mailto link open before its last word, so
    the Link element took in 'میل:' and pdfium read the label 'میل: ای'."""
    address = "clinic.team@example.nhs.uk"
    card = f"- contact:\n    name: مرکز\n    email: {address}\n"
    catalogue.leaflet(with_blocks(card, leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    (left, _, right, _), = link_rects(path, f"mailto:{address}")
    drawn = line_boxes(path, address)
    label_letters = [x for ch, x in drawn if not ch.isascii()]
    assert label_letters and all(x > right - 1 for x in label_letters), (left, right, drawn)
    assert label in pdfium(path)


def link_shown(path) -> list[bytes]:
    """The bytes each Link element's marked content shows, element by element."""
    import pikepdf

    from pdfcheck import iter_elements, read_tree
    shown: dict[tuple[int, int], list[bytes]] = {}
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            marks: list = []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    props = operands[1] if name == "BDC" else None
                    marks.append(int(props["/MCID"]) if isinstance(props, pikepdf.Dictionary)
                                 and "/MCID" in props else None)
                elif name == "EMC" and marks:
                    marks.pop()
                elif name in ("Tj", "TJ"):
                    mcid = next((m for m in reversed(marks) if m is not None), None)
                    parts = [operands[0]] if name == "Tj" else \
                        [p for p in operands[0] if isinstance(p, pikepdf.String)]
                    shown.setdefault((number, mcid), []).extend(bytes(p) for p in parts)
        return [b"".join(part for kid in element.kids if kid[0] == "mcr"
                         for part in shown.get((kid[1], kid[2]), []))
                for element in iter_elements(read_tree(pdf)) if element.role == "Link"]


@pytest.mark.parametrize("language, address", [
    ("ar", "radiotherapy@riverside.example.nhs.uk"),
    ("ur", "patient.information@riverside.example.nhs.uk")])
def test_a_card_label_that_ends_its_line_stays_out_of_the_link(catalogue, language, address):
    """When the label ends a line and the address starts the next, the link opened after
    all the label's words were drawn, not before them (it took in the whole label)."""
    card = f"- contact:\n    name: مرکز\n    email: {address}\n"
    catalogue.leaflet(with_blocks(card, leaflet(language, "راجع المصدر.")))
    assert catalogue.build("--page-size", "A5") == 0
    path = catalogue.out / "sample.pdf"
    drawn = "".join(ch for ch, _ in line_boxes(path, address[:20]))
    assert drawn == address, drawn  # the address has a line of its own
    shown = [text for text in link_shown(path) if address.encode()[:20] in text]
    assert shown and all(text.strip() == address.encode() for text in shown), shown


COLOURS = "أحمر أخضر أزرق أصفر أبيض أسود بني رمادي وردي برتقالي بنفسجي ذهبي فضي سماوي زيتي كحلي"
NATURE = "شمس قمر نجم سحاب مطر ريح ثلج برق رعد بحر نهر جبل"


def marked_words(path) -> dict[tuple[int, int], list[str]]:
    """The words each marked-content sequence shows, as pdfium reads its text objects."""
    import ctypes

    import pypdfium2.raw as raw
    found: dict[tuple[int, int], list[str]] = {}
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            text_page = page.get_textpage()
            for obj in page.get_objects(max_depth=1):
                if obj.type != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                size = raw.FPDFTextObj_GetText(obj.raw, text_page.raw, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFTextObj_GetText(obj.raw, text_page.raw, ctypes.cast(
                    buffer, ctypes.POINTER(ctypes.c_ushort)), size)
                words = buffer.raw[:size].decode("utf-16-le").rstrip("\x00").split()
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
                found.setdefault((number, mcid), []).extend(words)
    finally:
        pdf.close()
    return found


def test_a_wrapped_right_to_left_link_holds_its_own_words_in_reading_order(catalogue):
    """A link that runs on to the next line of an Arabic paragraph: its Link element took
    in the words drawn beside it on both lines (drawing order is visual), and the
    paragraph's sequences came in drawing order, so a screen reader following the tree
    read a line's end before its start. Each line's sequences now take their places in
    reading order, and the link pauses around words that are not its own."""
    colours, nature = COLOURS.split(), NATURE.split()
    paragraph = (f"{' '.join(colours[:8])} [{' '.join(nature)}](https://www.nhs.uk/tests/) "
                 f"{' '.join(colours[8:])}")
    catalogue.leaflet(leaflet("ar", paragraph))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert len(link_rects(path, "https://www.nhs.uk/tests/")) == 2  # on two lines
    import pikepdf

    from pdfcheck import Element, iter_elements, read_tree
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        holder = next(e for e in iter_elements(read_tree(pdf))
                      if any(isinstance(k, Element) and k.role == "Link" for k in e.kids))
    order = [*colours[:8], *nature, *colours[8:]]
    read = []  # the paragraph's words, kid by kid in the tree's order
    for kid in holder.kids:
        refs = kid.kids if isinstance(kid, Element) else [kid]
        words = [w for ref in refs if ref[0] == "mcr" for w in shown.get((ref[1], ref[2]), [])]
        if isinstance(kid, Element) and kid.role == "Link":
            assert sorted(words) == sorted(nature), words  # the link's words, all and only
        read.append(sorted(order.index(w) for w in words if w in order))
    flat = [at for kid in read for at in kid]
    assert flat == sorted(flat) and len(flat) == len(order), read


@pytest.mark.parametrize("language, label", [("ar", "الهاتف:"), ("ur", "فون:")])
def test_a_contact_cards_label_comes_before_its_number_in_the_tree(catalogue, language, label):
    """The number is drawn first (left of its label), and the structure tree followed:
    a reader heard '020 7946 0410' and then 'الهاتف:'."""
    catalogue.leaflet(leaflet(language, "راجع المصدر."))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    import pikepdf

    from pdfcheck import Element, iter_elements, read_tree
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        cards = [e for e in iter_elements(read_tree(pdf)) if any(
            isinstance(k, Element) and k.role == "Link" and any(w.startswith("020") for r in k.kids if r[0] == "mcr"
                for w in shown.get((r[1], r[2]), [])) for k in e.kids)]
    assert cards
    for card in cards:
        read = [w for kid in card.kids for ref in (kid.kids if isinstance(kid, Element)
                                                   else [kid]) if ref[0] == "mcr"
                for w in shown.get((ref[1], ref[2]), [])]
        assert read.index(label) < read.index("020"), read


@pytest.mark.parametrize("paragraph", [
    "اقرأ [صفحة **المعلومات** الجديدة](https://www.nhs.uk/a/) اليوم.",  # a bold word
    "راجع [صفحة المعلومات الجديدة](https://www.nhs.uk/a/)[@nhs-sample] ثم اتصل",
    "راجع الموقع ([صفحة المعلومات الجديدة](https://www.nhs.uk/a/)) ثم اتصل",
])
def test_a_link_holds_its_words_whatever_is_typed_against_it(catalogue, paragraph):
    """Found by a review: a link with a bold word was three Links (the bold word's own
    Link empty, its word in the next); a citation or a bracket typed with no space
    after a link's last word made one word with it, and that word went whole to one
    element (shaping puts a right-to-left word's pieces in drawing order)."""
    catalogue.leaflet(leaflet("ar", paragraph))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    import pikepdf

    from pdfcheck import iter_elements, read_tree
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        elements = [e for e in iter_elements(read_tree(pdf)) if e.role in ("Link", "Reference")]
        held = [(e.role, [w for r in e.kids if isinstance(r, tuple) and r[0] == "mcr"
                          for w in shown.get((r[1], r[2]), [])])
                for e in elements]
    link = ["صفحة", "المعلومات", "الجديدة"]
    ours = [words for role, words in held if role == "Link" and set(words) & set(link)]
    assert len(ours) == 1 and sorted(ours[0]) == sorted(link), held
    assert not [w for role, words in held if role == "Reference" for w in words if w in link]


def tree_words(path, role: str) -> list[list[str]]:
    """The words each element of `role` holds, element by element, in the tree's order."""
    import pikepdf

    from pdfcheck import iter_elements, read_tree
    shown = marked_words(path)
    with pikepdf.open(path) as pdf:
        return [[w for k in e.kids if isinstance(k, tuple) and k[0] == "mcr"
                 for w in shown.get((k[1], k[2]), [])]
                for e in iter_elements(read_tree(pdf)) if e.role == role]


def test_a_wrapped_link_and_the_citation_typed_against_it_keep_their_words(catalogue):
    """Found by a second review: the line's first and last switches were read in drawing
    order, and a word holding a link's end and a citation has its switches in drawing
    order: the Link took in the whole next line ('ثم اتصل ... أسئلة')."""
    link = "صفحة المعلومات الجديدة عن الفحص في المستشفى العام للمدينة"
    paragraph = (f"اقرأ هذه الصفحة المهمة عن الفحص اليوم [{link}](https://www.nhs.uk/a/)"
                 "[@nhs-sample] ثم اتصل بنا غدا إذا كانت لديك أي أسئلة عن موعدك أو عن "
                 "التحضير للفحص أو عن النتائج في العيادة.")
    catalogue.leaflet(leaflet("ar", paragraph))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert len(link_rects(path, "https://www.nhs.uk/a/")) == 2  # the link is on two lines
    ours = [words for words in tree_words(path, "Link") if "المستشفى" in words]
    assert len(ours) == 1 and sorted(ours[0]) == sorted(link.split()), ours
    citations = [words for words in tree_words(path, "Reference") if "1" in "".join(words)
                 and len(words) <= 3]  # not the reference list's entry
    assert len(citations) == 2 and all(set("".join(w)) <= set("[1]") for w in citations), \
        tree_words(path, "Reference")


def test_a_right_to_left_header_link_repeated_on_each_page_is_read_once(catalogue):
    """A header cell whose words are all a link's had no sequence of its own once the
    empty one was taken back, so on every later page the repeated header was tagged
    again: the Link held 'رابط الصفحة' five times."""
    rows = "".join(f'    - ["صف رقم {n}", "نص الخلية في هذا الصف طويل بعض الشيء ليملأ السطر {n}"]\n'
                   for n in range(60))
    table = ('- table:\n    header: ["[رابط الصفحة](https://a.b/)", "[Dose]{lang=en}"]\n'
             f"    rows:\n{rows}")
    catalogue.leaflet(with_blocks(table, leaflet("ar", "راجع الجدول.")))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert len(pypdfium2.PdfDocument(str(path))) >= 3  # the header repeats
    header = [sorted(words) for words in tree_words(path, "Link") if "الصفحة" in words]
    assert header == [sorted(["رابط", "الصفحة"])], header
    assert [w for w in tree_words(path, "Span") if "Dose" in w] == [["Dose"]]


@pytest.mark.parametrize("language", ["ar", "fa", "prs", "ps", "ckb", "ur"])
def test_pdfium_reads_a_cards_label_before_its_english_value(catalogue, language):
    """pdfium reads a line with more Latin words than right-to-left ones left to right,
    taking its text operators in the order of where each starts: the Persian card's
    email line, drawn address first, was read 'clinic.team@... ایمیل:', and so was every
    card value in English. The label's operator now starts just left of its line
    (pdfiumorder.with_origin), drawn where it was. (A label with a vowel mark cannot be
    moved: the Urdu 'hours' label is written without its optional kasra, 'اوقات کار'.)"""
    address, where = "clinic.team@example.nhs.uk", "Riverside Hospital, 1 Embankment Road"
    hours = "Monday to Friday, 9am to 5pm"
    card = (f"- contact:\n    name: مرکز\n    email: {address}\n    address: {where}\n"
            f"    hours: {hours}\n")
    catalogue.leaflet(with_blocks(card, leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    lines = [" ".join(line.split()) for line in pdfium(catalogue.out / "sample.pdf").splitlines()]
    for value in (address, where, hours):
        line = next(line for line in lines if value in line)
        assert line.endswith(value) and not line[0].isascii(), line


# Sentences that end with an English word, address or name and its full stop
ENDING_IN_ENGLISH = {
    "ar": ["للمزيد راسلنا على info@nhs.uk.", "اقرأ المزيد على www.nhs.uk.",
           "تحدث مع Ahmed Khan."],
    "fa": ["به info@nhs.uk ایمیل بزنید یا بنویسید به clinic@nhs.uk.",
           "با دکتر Ahmed Khan."],
    "ckb": ["ئیمەیڵ بنێرە بۆ info@nhs.uk."],
}


@pytest.mark.parametrize("language", sorted(ENDING_IN_ENGLISH))
def test_pdfium_reads_a_sentence_ending_in_english_in_order(catalogue, language):
    """'تحدث مع Ahmed Khan.': the '.' is drawn at the paragraph's level, left of 'Khan',
    a piece of its own that shares its place in reading order with 'Khan', so the line
    (read left to right by pdfium: as many English runs as Arabic ones) was left as
    drawn and read '.Ahmed Khan تحدث مع'. Pieces that share a place are now ordered by
    their levels (lines._reading_ranks), and the line is moved: pdfium reads the words
    in order, with a space before the '.' (the space drawn after the English word,
    written with it)."""
    blocks = "".join(f"- paragraph: {json.dumps(s, ensure_ascii=False)}\n"
                     for s in ENDING_IN_ENGLISH[language])
    catalogue.leaflet(with_blocks(blocks, leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    lines = [" ".join(line.split()) for line in pdfium(catalogue.out / "sample.pdf").splitlines()]
    for sentence in ENDING_IN_ENGLISH[language]:
        assert sentence in [line.replace(" .", ".") for line in lines], (sentence, [
            line for line in lines if sentence.split()[-1].rstrip(".")[:6] in line])


def test_pdfium_reads_a_hebrew_cards_label_before_its_english_value(catalogue):
    """The same in Hebrew, whose font (DejaVu Sans) has a space 317.87 units wide: the
    move back after the slot's space would be a fraction of a unit, which pdfium, reading
    widths as whole numbers, got wrong, so such lines were left unmoved and read value
    first ('Riverside Hospital, 1 Embankment Road כתובת:', 'Test owner באחריות:'). The
    slot's space is now a code of the space glyph at a whole width (317)."""
    address, where = "clinic.team@example.nhs.uk", "Riverside Hospital, 1 Embankment Road"
    card = f"- contact:\n    name: המרכז\n    email: {address}\n    address: {where}\n"
    catalogue.leaflet(with_blocks(card, leaflet("he", "פנו אל המרכז.")))
    assert catalogue.build() == 0
    lines = [" ".join(line.split()) for line in pdfium(catalogue.out / "sample.pdf").splitlines()]
    for value in (address, where, "Test owner"):
        line = next(line for line in lines if value in line)
        assert line.endswith(value) and not line[0].isascii(), line
    moves = slot_moves(catalogue.out / "sample.pdf")
    assert moves and all(width.is_integer() and abs(there + back - width) < 1e-6
                         for there, width, back in moves), moves


def slot_moves(path) -> list[tuple[float, float, float]]:
    """(move, the slot glyph's width in /Widths, move back) of every text operator that
    starts at a slot left of its glyphs (pdfiumorder.with_origin: '[n (space) m ...] TJ',
    n > 0): the glyphs after the slot are drawn where they were when the two moves and
    the width cancel out. (A run written segments last first also opens with a number
    and a space, moving right: n < 0.)"""
    found = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            font = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    font = page.Resources.Font[operands[0]]
                elif str(operator) == "TJ" and font is not None:
                    items = list(operands[0])
                    if len(items) >= 3 and isinstance(items[0], (int, float, Decimal)) and \
                            items[0] > 0 and \
                            isinstance(items[1], pikepdf.String) and len(bytes(items[1])) == 1 \
                            and isinstance(items[2], (int, float, Decimal)):
                        code = bytes(items[1])[0]
                        width = float(font.Widths[code - int(font.FirstChar)])
                        found.append((float(items[0]), width, float(items[2])))
    return found


@pytest.mark.parametrize("language", ["ar", "fa", "ur"])
def test_pdfium_reads_a_label_before_a_value_of_as_many_english_words(catalogue, language):
    """The leaflet details' 'مصنف: Test department': one right-to-left run and two
    left-to-right ones, which pdfium reads left to right. A margin of two runs was asked
    of a line before it was moved, and these lines were read value first."""
    catalogue.leaflet(leaflet(language, "راجع المصدر."))
    assert catalogue.build() == 0
    lines = [" ".join(line.split()) for line in pdfium(catalogue.out / "sample.pdf").splitlines()]
    for value in ("Test department", "Test owner"):
        line = next(line for line in lines if value in line)
        assert line.endswith(value) and not line[0].isascii(), line


@pytest.mark.parametrize("language, see, today", [("ar", "راجع", "اليوم"),
                                                   ("fa", "ببینید", "امروز")])
def test_pdfium_reads_several_english_words_between_right_to_left_ones_in_order(
        catalogue, language, see, today):
    """A line pdfium reads left to right takes its operators by where each starts: the
    English words typed second, each its own operator, were read before the word typed
    first ('اليوم Patient Information Group راجع'). Each of them is now moved to a slot
    of its own, in reading order."""
    typed = f"{see} Patient Information Group {today}"
    catalogue.leaflet(with_blocks(f"- paragraph: {typed}\n", leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    lines = [" ".join(line.split()) for line in pdfium(catalogue.out / "sample.pdf").splitlines()]
    assert typed in lines, [line for line in lines if "Patient" in line]


@pytest.mark.parametrize("language, words", [("ar", "مَرْكَزُ الْمَعْلُومَاتِ"),
                                            ("he", "שָׁלוֹם עֲלֵיכֶם")])
def test_vowelled_words_on_a_line_pdfium_reads_left_to_right_stay_whole(catalogue, language,
                                                                         words):
    """Words with vowel marks among more English ones: a letter's text begins with its
    mark, and a change that cut runs into segments by each glyph's first character
    split these words at every marked letter, written last first ('تِامَولْمَعْلُا')."""
    typed = f"Please read {words} today with Riverside University Hospital"
    catalogue.leaflet(with_blocks(f'- paragraph: "{typed}"\n', leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    text = unicodedata.normalize("NFC", " ".join(pdfium(catalogue.out / "sample.pdf").split()))
    assert unicodedata.normalize("NFC", words) in text, text.split("Please")[1:2]


def test_pdfium_reads_an_address_before_the_arabic_words_after_it(catalogue):
    """The reference's address and the access date typed after it, on one line that
    pdfium reads left to right: it was read 'تاريخ (https://www.nhs.uk/...'."""
    catalogue.leaflet(reference_leaflet("NHS. Blood tests.", "https://www.nhs.uk/tests-and-treatments/blood-tests/"))
    assert catalogue.build() == 0
    text = " ".join(pdfium(catalogue.out / "sample.pdf").split())
    assert text.index("tests-and-treatments/blood-tests/") < text.index("تاريخ"), text


def test_pdfium_reads_runs_whose_letters_span_two_font_subsets_in_order(example_out):
    """A font subset holds 256 codes; igrt.ar's Arabic font needs more, so the letters
    first drawn late (on the contact page and in the references) have codes in a second
    subset. A run drawing letters of both was written as several operators, which pdfium
    read in drawing order ('الاطلاع تاريخ (' after the reference's address, the card's
    label ':الإلكتروني البريد' after its address). Such a run is now drawn with codes of
    one subset (pdfiumorder._in_one_subset), and its label moved before its value."""
    path = example_out / "igrt.ar.pdf"
    with pikepdf.open(path) as pdf:
        fonts = {str(font.BaseFont) for page in pdf.pages
                 for font in page.Resources.Font.values()}
    assert len({font for font in fonts if font.endswith("Arabic-Regular")}) >= 2, fonts
    lines = [" ".join(line.split()) for line in pdfium(path).splitlines()]
    assert "البريد الإلكتروني: radiotherapy@riverside.example.nhs.uk" in lines
    reference = next(line for line in lines if "nhs.uk/conditions/radiotherapy/" in line)
    assert reference.endswith("تاريخ الاطلاع"), reference


def test_pdfium_reads_a_wrapped_address_head_as_typed_in_a_right_to_left_line(catalogue):
    """A5 large print wraps a card's email address after its '@'. pdfium reverses the
    order of the segments of a line it calls right to left, and read the head
    'radiotherapy@', one letter segment and one of punctuation, '@radiotherapy'. It is
    now written '@' first, where it is drawn, so the reversal puts it back."""
    card = "- contact:\n    name: مرکز\n    email: radiotherapy@riverside.example.nhs.uk\n"
    catalogue.leaflet(with_blocks(card, leaflet("ar", "راجع المصدر.")))
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 0
    text = pdfium(catalogue.out / "sample.large-print.pdf")
    assert "radiotherapy@" in text and "@radiotherapy" not in text, text


@pytest.mark.parametrize("language", ["ar", "fa", "ur"])
def test_a_cards_phone_number_is_drawn_as_dialled(catalogue, language):
    """A right-to-left card's phone number with a bracketed area code: rule W2 made each
    digit group an Arabic number after the label, each its own run, and the Lakeside
    card was drawn '0142-555 (612)'. A value with digits and no letters runs left to
    right; the tel: link was right all along."""
    card = "- contact:\n    name: مرکز\n    phone: (612) 555-0142\n"
    catalogue.leaflet(with_blocks(card, leaflet(language, "راجع المصدر.")))
    assert catalogue.build("--template", "lakeside-clinic") == 0
    drawn = "".join(ch for ch, _ in sorted(line_boxes(catalogue.out / "sample.pdf", "555"),
                                          key=lambda box: box[1]))
    digits = "".join(ch for ch in drawn if ch.isdigit())
    assert digits == "6125550142", drawn


@pytest.mark.parametrize("language", ["ar", "fa", "ur"])
def test_a_phone_number_in_a_right_to_left_sentence_is_drawn_as_typed(catalogue, language):
    """Rule W2 made each digit group of '(612) 555-0142' an Arabic number, a run of its
    own, so UAX #9 drew the groups last first ('0142-555 (612)'), and an ISO date
    '12-01-2026'. A number of seven digits or more is a left-to-right isolate, as an
    address is; a range keeps the algorithm's order, which reads from the right."""
    catalogue.leaflet(leaflet(language, "اتصل على (612) 555-0142 أو 2026-01-12 من 10-12"))
    assert catalogue.build() == 0
    drawn = "".join(ch for ch, _ in sorted(line_boxes(catalogue.out / "sample.pdf", "555"),
                                          key=lambda box: box[1]))
    groups = "".join(ch if ch.isdigit() else " " for ch in drawn).split()
    # left to right: the citation and the range (last in the sentence, drawn '12-10', in
    # a span of its typed text, which pdfium lays out in the span's box), the date, then
    # the phone number
    assert groups == ["1", "10", "12", "2026", "01", "12", "612", "555", "0142"], drawn


# language: sentences, each with a number and its punctuation, and that number as typed
NUMBERS_WITH_PUNCTUATION = {
    "ar": {"في حالات الطوارئ اتصل بالرقم 999.": "999.",
           "يفتح القسم من 10-12 صباحا.": "10-12", "الموعد في الساعة 08:30.": "08:30."},
    "fa": {"در موارد اضطراری با شماره ۱۱۵.": "۱۱۵.",
           "بخش از ساعت ۱۰-۱۲ باز است.": "۱۰-۱۲", "نوبت شما ساعت ۰۸:۳۰.": "۰۸:۳۰."},
    "ur": {"ہنگامی حالت میں کال کریں 999.": "999.",
           "شعبہ 10-12 بجے کھلا ہے۔": "10-12", "آپ کا وقت 08:30.": "08:30."},
}


def drawing_order(typed: str) -> str:
    """How a reader that takes a number in drawing order reads it: '999.' as '.999',
    '10-12' as '12-10' (each digit group and each mark between them, last first)."""
    parts = re.findall(r"\d+|\D", typed)
    return "".join(reversed(parts))


@pytest.mark.parametrize("language", sorted(NUMBERS_WITH_PUNCTUATION))
def test_a_number_and_its_punctuation_read_as_typed_in_right_to_left_text(catalogue,
                                                                           language):
    """A number drawn apart from its punctuation in right-to-left text ('999.' ending a
    sentence, drawn '.' then '999'; a range '10-12' drawn '12' '-' '10'; a list's '1.')
    was read in drawing order by both readers: '.999', '12-10', '.1'. Such a run is now
    written in an ActualText span of its typed text; the page is drawn as before."""
    cases = NUMBERS_WITH_PUNCTUATION[language]
    blocks = "".join(f"- paragraph: {sentence}\n" for sentence in cases)
    steps = "- steps: [" + ", ".join(s.split()[0] for s in cases) + "]\n"
    # an item of several lines: its first line is drawn apart from the rest, a part
    # split off the paragraph (flowables.ListItem._first_line_apart)
    bullets = "- bullets: [" + " ".join(list(cases) * 3) + "]\n"
    catalogue.leaflet(with_blocks(blocks + steps + bullets, leaflet(language, "راجع المصدر.")))
    assert catalogue.build() == 0
    for name, read in (("poppler", poppler), ("pdfium", pdfium)):
        text = "".join(ch for ch in read(catalogue.out / "sample.pdf")
                       if not 0x202A <= ord(ch) <= 0x202E)  # poppler's embedding marks
        lines = [line.strip() for line in text.splitlines()]
        for typed in [*cases.values(), "1.", "2.", "3."]:
            assert typed in text and drawing_order(typed) not in text, (name, typed, [
                line for line in lines if typed[0] in line or typed[-1] in line][:4])


@pytest.mark.parametrize("language", ["ar", "fa", "ur"])
def test_an_english_items_label_is_read_before_it_in_a_right_to_left_list(catalogue,
                                                                           language):
    """An English reference in a right-to-left list: its label '1.' is drawn right of
    its first line, which pdfium reads left to right by where each text operator starts,
    so it read 'Tepper JE, ... Tepper's 1.', and poppler put every label of the list
    after the list. The label's operator now starts just left of the line."""
    citation = "Tepper JE, Foote RL, Michalski JM, eds. Gunderson and Tepper's Clinical " \
               "Radiation Oncology. 5th ed. Elsevier; 2021."
    text = reference_leaflet(citation, None).replace("language: ar", f"language: {language}")
    catalogue.leaflet(text)
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    lines = [line.strip() for line in pdfium(path).splitlines()]
    assert next(line for line in lines if "Tepper JE" in line).startswith("1. Tepper"), lines
    read = "".join(ch for ch in poppler(path) if not 0x202A <= ord(ch) <= 0x202E)
    assert re.search(r"1\.\s*Tepper JE", read), read[read.find("Tepper") - 80:][:200]


def test_reading_order_undoes_the_drawing_order():
    """bidi.reading_order finds the typed order of items drawn by rule L2 (a number and
    its punctuation, lines._typed_order): for every list of levels up to 7 items of
    levels 0 to 3, what visual_order draws comes back in typed order."""
    import itertools
    for count in range(8):
        for item_levels in itertools.product(range(4), repeat=min(count, 5)):
            item_levels = list(item_levels) + [1] * (count - len(item_levels))
            drawn = visual_order(item_levels)
            back = reading_order([item_levels[i] for i in drawn])
            assert [drawn[i] for i in back] == list(range(count)), item_levels


# Hebrew joins a prefix letter to a number with a hyphen ('ל-15': on the 15th); the
# third sentence has a prefix with no hyphen, so its number's run touches the letter
HEBREW_PREFIXES = ("המחלקה פתוחה בשעות 10-12 ו-14-16, והתור שלך בשעה 08:30. "
                   "התור נקבע ל-15 בינואר ונמשך כ-20 דקות. יש להגיע ב-8:00 או ו14-16, בבוקר. "
                   "אפשר גם ל–15 או ל\"15 בחודש.")  # a dash, a quote: pdfium read them right
# so that most of the page is Hebrew: poppler reads a page whose letters are mostly
# Latin (the English end matter of a short leaflet) left to right
HEBREW_PAGE = " ".join(["הטקסט הזה כתוב בעברית כדי שרוב העמוד ייקרא מימין לשמאל."] * 8)


def test_a_hebrew_prefix_and_its_hyphen_read_before_the_number(catalogue):
    """'ל-15' is drawn '15' then '-ל' (the hyphen is at the letter's level), and pdfium
    read the hyphen after the number: 'ל15-', 'ו,14-16-' (poppler: 'ו ,14-16-'). The
    hyphen is split from its letter into the span of the number's typed text
    (lines._head_split): pdfium reads each as typed, and poppler reads its
    characters in typed order, except the space after it, which it puts before the
    number as it does for every number in right-to-left text ('ל -15בינואר'). A run that
    touches a letter with no punctuation to take in ('ו14-16,') gets no span: pdfium
    moved such a span's punctuation ('ו14-16,-'), and neither does one after a dash or a
    quote, which pdfium reads in order, and read after the number in a span ('ל15–').
    '08:30.' beside them keeps its span."""
    catalogue.leaflet(leaflet("he", f"{HEBREW_PREFIXES} {HEBREW_PAGE}"))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    with pikepdf.open(path) as pdf:
        found = [m for page in pdf.pages
                 for m in re.findall(rb"/ActualText <FEFF([0-9A-F]*)>", page.Contents.read_bytes())]
    spans = [bytes.fromhex(m.decode()).decode("utf-16-be") for m in found]
    assert {"08:30.", "-14-16,", "-15", "-20", "-8:00"} <= set(spans), spans
    assert "14-16," not in spans, spans
    typed = ["ו-14-16,", "ל-15", "כ-20", "ב-8:00", "08:30.", "10-12"]
    text = pdfium(path)
    assert all(word in text.split() for word in [*typed, "ל–15", 'ל"15']), text
    unspaced = "".join(ch for ch in poppler(path)
                       if not ch.isspace() and not 0x202A <= ord(ch) <= 0x202E)
    assert all(word in unspaced for word in typed), unspaced
