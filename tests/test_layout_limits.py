"""Layout limits: text and names far longer than a page still build (issue 16 case 3);
what cannot fit (a table wider than the page, an address too long for a QR code) stops
with a message at its line, never a traceback (issues 16.3, 16.4, 9)."""
from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from reportlab.platypus import Paragraph

from conftest import MINIMAL, page_texts, squash, with_blocks
from handouts.brand import QR_MAX_BYTES
from handouts.layout.flowables import QR_LEVEL, QrCode
from pdfcheck import check_pdf


def test_a_1000_character_title_word_builds_with_its_bookmark(catalogue):
    word = "y" * 1000
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test", f"title: {word}"))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), name="other")
    assert catalogue.build() == 0  # was "can't jump from outline level -1 to level 1"
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles[0] == word
    assert (catalogue.out / "other.pdf").is_file()


def _wide_table(columns: int) -> str:
    header = ", ".join(f"C{n}" for n in range(columns))
    row = ", ".join(str(100 + n) for n in range(columns))
    return with_blocks(f"- table:\n    header: [{header}]\n    rows:\n      - [{row}]\n")


def _where_table(text: str) -> str:
    """file:line:col of the table key, as an editor's message names it."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() == "- table:":
            return f"leaflets/sample.yaml:{number}:{line.index('table') + 1}"
    raise AssertionError("no table")


@pytest.mark.parametrize("columns, variant, fit, paper, size", [
    (60, "standard", 10, "an A4", 13),  # was ReportLab's "negative availWidth" traceback
    (30, "large-print", 9, "an A4", 18),
    (10, "booklet", 8, "an A5", 13),  # fits A4, not the booklet's A5 pages
])
def test_a_table_too_wide_for_its_page_stops_at_the_table(catalogue, capsys, columns, variant,
                                                           fit, paper, size):
    text = catalogue.leaflet(_wide_table(columns)).read_text(encoding="utf-8")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), name="other")
    assert catalogue.build("--variant", variant) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (f"{_where_table(text)}: this table has {columns} columns; at most {fit} fit across "
            f"{paper} page at {size} pt - split it into smaller tables or use a list") in err
    other = "other.pdf" if variant == "standard" else f"other.{variant}.pdf"
    assert (catalogue.out / other).is_file()
    assert (catalogue.out / "index.html").is_file()


def test_a_table_at_the_column_limit_builds_with_every_cell(catalogue):
    catalogue.leaflet(_wide_table(10))  # A4 at 13 pt, in the brand's 70-character measure
    assert catalogue.build() == 0
    text = squash(" ".join(page_texts(catalogue.out / "sample.pdf")))
    assert all(f"C{n}" in text and str(100 + n) in text for n in range(10))


def _long_online_url(catalogue, path_length: int) -> str:
    """The riverside brand's online_url with a path of `path_length` letters before
    {code}; returns 'brand.yaml:line:col' of the key's value."""
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    text = brand.read_text(encoding="utf-8").replace("leaflets/{code}",
                                                     "leaflets/" + "p" * path_length + "/{code}")
    brand.write_text(text, encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("online_url:"):
            return f"brand.yaml:{number}:{line.index('https') + 1}"
    raise AssertionError("no online_url")


def _qr_texts(path) -> list[str]:
    """The QR codes of the leaflet's end matter (on its last two pages: beside the
    contact card or after the details), read from a 300 dpi print."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        images = [pdf[n].render(scale=300 / 72).to_pil() for n in range(max(0, len(pdf) - 2),
                                                                       len(pdf))]
    finally:
        pdf.close()
    return [code.text for image in images for code in zxingcpp.read_barcodes(image)]


def test_the_qr_capacity_is_version_15_at_level_m():
    """QR_MAX_BYTES is what fits in version 15 at level M (77 modules, a third of a
    millimetre each at 26 mm): one byte more needs a larger, finer code."""
    def side(length: int) -> int:
        return zxingcpp.create_barcode("https://x.org/" + "a" * (length - 14),
                                       zxingcpp.BarcodeFormat.QRCode,
                                       ec_level=QR_LEVEL).to_image(scale=1).shape[0]
    quiet = side(QR_MAX_BYTES) - 77  # to_image adds a quiet zone round the modules
    assert side(QR_MAX_BYTES + 1) - quiet == 81  # version 16
    assert len(QrCode("https://x.org/" + "a" * (QR_MAX_BYTES - 14), 10).modules) == 77
    with pytest.raises(ValueError):
        QrCode("https://x.org/" + "a" * (QR_MAX_BYTES - 13), 10)


def test_the_printed_qr_grid_decodes_to_its_address():
    """The module grid QrCode draws (not zxing's own image) reads back as the address."""
    from PIL import Image
    value = "https://riverside.example.nhs.uk/leaflets/PIL-0117?lang=zh-Hans"
    grid = QrCode(value, 10).modules
    scale, quiet = 4, 4
    image = Image.new("L", ((len(grid) + 2 * quiet) * scale,) * 2, 255)
    for y, row in enumerate(grid):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, ((x + quiet) * scale, (y + quiet) * scale,
                                (x + quiet + 1) * scale, (y + quiet + 1) * scale))
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [value]


def test_an_online_url_pattern_too_long_for_the_qr_code_stops_at_the_brand_key(catalogue,
                                                                               capsys):
    where = _long_online_url(catalogue, 420)  # was "code length overflow" from ReportLab
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other\ntemplate: lakeside-clinic"),
                      name="other")
    message = (f"{where}: online_url: without {{code}}, {{id}} and {{name}} the address is 467 "
               f"characters long; the printed QR code holds at most {QR_MAX_BYTES}")
    assert catalogue.validate() == 1
    assert message in capsys.readouterr().err
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert (catalogue.out / "other.pdf").is_file()
    assert (catalogue.out / "index.html").is_file()


def test_a_leaflet_code_that_makes_the_online_address_too_long_stops_that_leaflet(catalogue,
                                                                                 capsys):
    where = _long_online_url(catalogue, 350)  # 397 characters: room for a short code only
    catalogue.leaflet(MINIMAL.replace("code: PIL-9001", "code: PIL-9001-" + "Z" * 30))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), name="other")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert (f"{where}: online_url: the address of leaflet 'sample' is 436 characters long; the "
            f"printed QR code holds at most {QR_MAX_BYTES} - shorten the leaflet's governance "
            "code or the online_url pattern") in err
    assert "Traceback" not in err
    online = ("https://www.riverside.example.nhs.uk/leaflets/" + "p" * 350 + "/PIL-9001")
    assert _qr_texts(catalogue.out / "other.pdf") == [online]  # 405: still scans
    assert (catalogue.out / "index.html").is_file()


def _frag_text(frag) -> str:
    """A fragment's text; the rest of a split one-run paragraph holds it as words, and a
    paragraph broken once holds [width, (fragment, text), ...] words."""
    if isinstance(frag, list):
        return "".join(str(text) for _, text in frag[1:])
    return str(getattr(frag, "text", None) or " ".join(getattr(frag, "words", [])))


def _count_broken_characters(monkeypatch) -> list[int]:
    """Record how many characters each line-breaking pass of a paragraph measures."""
    counts: list[int] = []
    original = Paragraph.breakLines

    def counting(self, widths):
        counts.append(sum(len(_frag_text(frag)) for frag in self.frags))
        return original(self, widths)
    monkeypatch.setattr(Paragraph, "breakLines", counting)
    return counts


@pytest.mark.parametrize("text", [
    "Q" * 37_000,  # the fuzzer's case: one word, no spaces (issue 16.4)
    ("A long sentence about the clinic [with a link](https://www.example.org/a) that runs "
     "on. ") * 800,  # prose with links, broken across a dozen pages
])
def test_a_long_paragraph_is_broken_into_lines_once_not_again_on_every_page(
        catalogue, monkeypatch, text):
    """Layout time stays linear: the part of a paragraph after each page break keeps
    its lines instead of breaking the whole rest again (which grew with the square of the
    length: 148 KB took 5 times as long per KB as 37 KB)."""
    catalogue.leaflet(with_blocks(f"- paragraph: '{text}'\n"))
    counts = _count_broken_characters(monkeypatch)
    assert catalogue.build() == 0
    pages = page_texts(catalogue.out / "sample.pdf")
    assert len(pages) > 10
    long_runs = [n for n in counts if n > 10_000]
    assert sum(long_runs) < 2 * len(text), long_runs  # was one pass per page
    if text.startswith("Q"):  # every character printed, none lost at a page break
        assert sum(page.count("Q") for page in pages) == len(text)


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_a_table_row_taller_than_a_page_stops_at_the_table(catalogue, capsys, variant):
    """A 5,000-character cell: rows never break across pages. The message was ReportLab's
    (at line 1:1, with a memory address and cut off mid-word)."""
    text = catalogue.leaflet(with_blocks(
        f"- table:\n    header: [A, B]\n    rows:\n      - [short, {'y' * 5000}]\n")
    ).read_text(encoding="utf-8")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), name="other")
    assert catalogue.build("--variant", variant) == 1
    err = capsys.readouterr().err
    size = 18 if variant == "large-print" else 13
    assert (f"{_where_table(text)}: row 1 of this table (after the header) is taller than a "
            f"page at {size} pt, and a table row cannot break across pages - shorten its "
            "longest cell (5000 characters)") in err
    assert "Table@" not in err and "Traceback" not in err
    assert (catalogue.out / "index.html").is_file()


def test_a_tall_table_row_that_fits_a_page_still_builds(catalogue):
    catalogue.leaflet(with_blocks(
        f"- table:\n    header: [A, B]\n    rows:\n      - [short, {'word word word word. ' * 100}]\n"))
    # sentences, so the row may break across pages (flowables._cells_end_sentences)
    assert catalogue.build() == 0
    assert squash(" ".join(page_texts(catalogue.out / "sample.pdf"))).count("word") == 400


LONG_URL = ("https://www.heart.org/en/health-topics/high-blood-pressure/understanding-blood-"
            "pressure-readings/monitoring-your-blood-pressure-at-home-and-what-the-numbers-mean")


def _rightmost_character(path) -> tuple[float, float]:
    """(right edge of the rightmost character on any page, page width), in points."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        rightmost = 0.0
        for page in pdf:
            text = page.get_textpage()
            for index in range(text.count_chars()):
                rightmost = max(rightmost, text.get_charbox(index)[2])
        return rightmost, pdf[0].get_width()
    finally:
        pdf.close()


@pytest.mark.parametrize("where, url", [
    ("reference", LONG_URL), ("paragraph", LONG_URL),
    ("reference", "https://www.nhs.uk/" + "y" * 5000),  # was an IndexError mid-split
])
def test_a_url_longer_than_two_lines_stays_inside_the_margin(catalogue, where, url):
    """ReportLab splits a long URL once and let the rest run off the page (a reference in
    high-blood-pressure.yaml lost '-readings/monitoring-your-blood-pressure-at-home')."""
    if where == "reference":
        text = MINIMAL.replace("url: https://www.nhs.uk/tests-and-treatments/blood-tests/",
                               f"url: {url}")
    else:
        text = with_blocks(f"- paragraph: 'Read more at [{url}]({url}) today.'\n")
    catalogue.leaflet(text)
    assert catalogue.build() == 0
    rightmost, width = _rightmost_character(catalogue.out / "sample.pdf")
    # the brand's 20 mm right margin; ReportLab's space shrinking and glyph boxes may
    # reach a few points past it, a run-off URL goes hundreds
    assert rightmost <= width - 20 * 72 / 25.4 + 13
    pages = ["".join(page.split()) for page in page_texts(catalogue.out / "sample.pdf")]
    if len(url) < 1000:
        assert url in "".join(pages)
    else:  # over pages: every 'y' printed, between the footer and header of each page
        assert sum(len(run) for page in pages for run in re.findall("y{10,}", page)) == 5000


def test_a_table_header_taller_than_a_page_stops_at_the_table(catalogue, capsys):
    text = catalogue.leaflet(with_blocks(
        f"- table:\n    header: [{'y' * 5000}, B]\n    rows:\n      - [a, b]\n")
    ).read_text(encoding="utf-8")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert (f"{_where_table(text)}: the header row of this table is taller than a page at "
            "13 pt, and a table row cannot break across pages") in err
    assert "Table@" not in err


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
@pytest.mark.parametrize("block, letters", [
    ("- callout: urgent\n  text: " + "y" * 5000, 5000),
    ("- callout: info\n  bullets: [" + "y" * 5000 + ", Short point]", 5000),
    ("- contact:\n    name: " + "y" * 5000 + "\n    phone: 020 7946 0321", 5000),
    ("- callout: warning\n  text: '" + "Call us if the pain gets worse. " * 150 + "'", 0),
])
def test_a_callout_or_contact_card_longer_than_a_page_flows_on(catalogue, block, letters,
                                                              variant):
    """A box longer than a page breaks inside its paragraph (was ReportLab's 'CalloutBox
    ... too large' at 1:1 when one paragraph of it was taller than the page)."""
    catalogue.leaflet(with_blocks(block + "\n"))
    assert catalogue.build("--variant", variant) == 0
    name = "sample.pdf" if variant == "standard" else f"sample.{variant}.pdf"
    pages = ["".join(page.split()) for page in page_texts(catalogue.out / name)]
    if letters:
        assert sum(len(run) for page in pages for run in re.findall("y{10,}", page)) == letters
    else:
        assert "".join(pages).count("pain") == 150  # words, whichever page they are on
    if variant != "booklet":  # the booklet's imposed sheets are not tagged
        assert check_pdf(catalogue.out / name) == []
