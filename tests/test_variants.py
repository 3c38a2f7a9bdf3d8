"""Other formats: large print, page sizes, A5 booklets, the QR code and greyscale output.

Each test builds only what it needs, through the command line, into a throwaway folder,
and reads the PDFs back: content-stream operators with pikepdf, text with pdfium.
"""
from __future__ import annotations

import re
from collections import Counter

import pikepdf
from PIL import Image
import pypdfium2
import pytest
import zxingcpp

from conftest import MINIMAL, REPO, operators, page_texts, squash, with_blocks
from handouts.brand import CONTRAST_PAIRS, MIN_CONTRAST, contrast_ratio, load_brand
from handouts.build import output_name
from handouts.variants import booklet_order, grey, grey_colours
from pdfcheck import check_pdf, iter_elements, read_tree

A4, A5, LETTER = (595.28, 841.89), (419.53, 595.28), (612.0, 792.0)
ONLINE = "https://www.riverside.example.nhs.uk/leaflets/PIL-9001"

# Enough content for several A5 pages: callouts, a table and a figure, so colours,
# images and boxes all show up in the output.
PARAGRAPH = """\
- paragraph: >-
    Paragraph {n}. You will be asked to wait in a quiet room for a short time before the
    nurse calls you. Bring a list of your medicines and a drink of water with you.
"""
RICH = with_blocks("""\
- callout: warning
  text: Tell us if you take blood thinners.
- callout: urgent
  bullets: [You have a high temperature, You feel very unwell]
- table:
    header: [When, What to do]
    rows: [[The day before, Eat light meals], [On the day, Drink only clear fluids]]
    caption: Getting ready
- figure: images/room.png
  alt: The room where the sample is taken
  caption: The sample room
""" + "".join(PARAGRAPH.format(n=n) for n in range(1, 19)))


@pytest.fixture
def rich(catalogue):
    (catalogue.root / "leaflets" / "images").mkdir()
    Image.new("RGB", (1200, 720), (30, 90, 160)).save(
        catalogue.root / "leaflets" / "images" / "room.png")  # a coloured picture
    catalogue.leaflet(RICH)
    return catalogue


def text_sizes(path) -> tuple[list[float], list[float]]:
    """The font size (from Tf) of every text-showing operator, in tagged content and in
    artifacts (page furniture)."""
    tagged, furniture, size = [], [], None
    for operands, name, stack in operators(path):
        if name == "Tf":
            size = float(operands[1])
        elif name in ("Tj", "TJ", "'", '"'):
            (furniture if "/Artifact" in stack else tagged).append(size)
    return tagged, furniture


def media_boxes(path) -> set[tuple[float, float]]:
    with pikepdf.open(path) as pdf:
        return {(round(float(p.mediabox[2]), 2), round(float(p.mediabox[3]), 2))
                for p in pdf.pages}


# ---- names -------------------------------------------------------------------------------

def test_output_names():
    assert output_name("igrt") == "igrt.pdf"
    assert output_name("igrt", variant="standard") == "igrt.pdf"
    assert output_name("igrt", "es") == "igrt.es.pdf"
    assert output_name("igrt", variant="large-print") == "igrt.large-print.pdf"
    assert output_name("igrt", "es", "large-print") == "igrt.es.large-print.pdf"
    assert output_name("igrt", variant="booklet") == "igrt.booklet.pdf"
    assert output_name("igrt", grayscale=True) == "igrt.grayscale.pdf"
    assert output_name("igrt", "ar", "booklet", grayscale=True) == "igrt.ar.booklet.grayscale.pdf"


# ---- large print -------------------------------------------------------------------------

def test_large_print_reflows_at_18_pt_and_names_itself_in_the_footer(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "large-print") == 0
    assert sorted(p.name for p in catalogue.out.glob("*.pdf")) == ["sample.large-print.pdf"]
    large = catalogue.out / "sample.large-print.pdf"
    tagged, furniture = text_sizes(large)
    assert min(tagged) >= 16, sorted(set(tagged))
    assert Counter(tagged).most_common(1)[0][0] == 18  # the body size
    assert max(tagged) > 18  # headings scaled up with it
    texts = [squash(t) for t in page_texts(large)]
    for number, text in enumerate(texts, start=1):
        assert "PIL-9001 v2 LP" in text and f"Page {number} of {len(texts)}" in text
    assert check_pdf(large) == []  # still tagged PDF/UA

    assert catalogue.build() == 0  # the plain build: brand size, no label
    tagged, standard_furniture = text_sizes(catalogue.out / "sample.pdf")
    assert Counter(tagged).most_common(1)[0][0] == 13
    assert min(furniture) > min(standard_furniture)  # the footer grew too
    assert "PIL-9001 v2 LP" not in squash(page_texts(catalogue.out / "sample.pdf")[0])


def test_large_print_size_comes_from_the_brand_and_is_never_below_16(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    original = brand.read_text()
    brand.write_text(original + "sizes:\n  large_print: 20\n")
    assert catalogue.build("--variant", "large-print") == 0
    tagged, _ = text_sizes(catalogue.out / "sample.large-print.pdf")
    assert Counter(tagged).most_common(1)[0][0] == 20

    brand.write_text(original + "sizes:\n  large_print: 14\n")
    capsys.readouterr()
    assert catalogue.build("--variant", "large-print") == 1
    assert "sizes.large_print: 14 is outside 16-30" in capsys.readouterr().err


# ---- page sizes ----------------------------------------------------------------------------

@pytest.mark.parametrize("size, box", [("A5", A5), ("Letter", LETTER), ("A4", A4)])
def test_page_size_from_the_command_line(catalogue, size, box):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--page-size", size) == 0
    assert media_boxes(catalogue.out / "sample.pdf") == {box}


def test_page_size_from_the_brand(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("-t", "lakeside-clinic") == 0  # page.size: Letter
    assert media_boxes(catalogue.out / "sample.pdf") == {LETTER}


def test_unknown_page_size_is_a_usage_error(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--page-size", "A3") == 2
    assert "invalid choice: 'A3'" in capsys.readouterr().err


# ---- booklet -------------------------------------------------------------------------------

def half_sheet_pages(path) -> list[tuple[int | None, int | None]]:
    """For each sheet side, the A5 page number ("Page N of M") on its left and right half."""
    pdf = pypdfium2.PdfDocument(str(path))
    sides = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            text = page.get_textpage()
            halves = [text.get_text_bounded(0, 0, width / 2, height),
                      text.get_text_bounded(width / 2, 0, width, height)]
            numbers = [re.findall(r"Page (\d+) of \d+", squash(h)) for h in halves]
            assert all(len(n) <= 1 for n in numbers), numbers
            sides.append(tuple(int(n[0]) if n else None for n in numbers))
    finally:
        pdf.close()
    return sides


def reading_order(sides) -> list:
    """Pages in the order a reader meets them after folding the stacked sheets in half:
    down the right halves of the fronts and the left halves of the backs, then back up."""
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    first = [page for front, back in sheets for page in (front[1], back[0])]
    second = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return first + second


def test_booklet_is_a5_pages_imposed_on_a4_sheets_in_folding_order(rich):
    assert rich.build("--variant", "booklet", "--variant", "standard") == 0
    booklet = rich.out / "sample.booklet.pdf"
    assert media_boxes(booklet) == {(A4[1], A4[0])}  # landscape A4
    sides = half_sheet_pages(booklet)
    assert len(sides) * 2 % 4 == 0  # a multiple of four A5 pages
    pages = max(n for side in sides for n in side if n)
    # the spare pages are lined Notes pages (test_a_booklets_spare_pages_are_lined_notes_pages)
    assert pages == len(sides) * 2
    assert reading_order(sides) == [*range(1, pages + 1)]
    # the A5 pages say which version they are
    assert "PIL-9001 v2 A5 booklet" in squash(page_texts(booklet)[0])
    # the standard PDF is still A4 and unimposed
    assert media_boxes(rich.out / "sample.pdf") == {A4}


def test_booklet_order_pads_at_the_end():
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet_order(5) == [(None, 1), (2, None), (None, 3), (4, 5)]
    assert booklet_order(1) == [(None, 1), (None, None)]


def test_right_to_left_booklet_opens_the_other_way(tmp_path):
    """The Arabic translation's cover is the left half of the outer sheet (spine on the
    right); the English one's is the right half."""
    from handouts.cli import main
    out = tmp_path / "out"
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--only", "igrt",
                 "--variant", "booklet"]) == 0
    assert booklet_order(5, right_to_left=True) == [(1, None), (None, 2), (3, None), (5, 4)]
    # the department line, printed in the first-page header only (in each leaflet's language)
    for name, cover, header in (("igrt.booklet.pdf", 1, "Patient information"),
                                ("igrt.ar.booklet.pdf", 0, "معلومات للمرضى")):
        pdf = pypdfium2.PdfDocument(str(out / name))
        try:
            width, height = pdf[0].get_size()
            text = pdf[0].get_textpage()
            halves = [squash(text.get_text_bounded(0, 0, width / 2, height)),
                      squash(text.get_text_bounded(width / 2, 0, width, height))]
        finally:
            pdf.close()
        assert header in halves[cover] and header not in halves[1 - cover], name


def test_booklet_keeps_title_and_language_but_claims_no_pdf_ua(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "booklet") == 0
    with pikepdf.open(catalogue.out / "sample.booklet.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == "Having a sample test"
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert "/StructTreeRoot" not in pdf.Root and "/Metadata" not in pdf.Root


# ---- per-leaflet variants -------------------------------------------------------------------

def test_leaflet_can_ask_for_variants_in_every_plain_build(catalogue):
    catalogue.leaflet(MINIMAL + "variants: [large-print, booklet]\n")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), "other")
    assert catalogue.build() == 0
    assert sorted(p.name for p in catalogue.out.glob("*.pdf")) == [
        "other.pdf", "sample.booklet.pdf", "sample.large-print.pdf", "sample.pdf"]


def test_unknown_variant_in_a_leaflet_is_an_error_with_a_suggestion(catalogue, capsys):
    catalogue.leaflet(MINIMAL + "variants: [large-prnt]\n")
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert re.search(r"sample\.yaml:\d+:\d+: unknown variant 'large-prnt' - "
                     r"did you mean 'large-print'\?", err), err


# ---- QR code ----------------------------------------------------------------------------------

def test_qr_code_beside_the_contact_card_links_to_the_online_copy(catalogue):
    """On A4 the code sits beside the brand's contact card (issue 10.5: not on a line, or
    a page, of its own at the end), with its address, read whole by the text layer."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    texts = page_texts(path)
    at = next(n for n, text in enumerate(texts)  # the label may wrap in its column
              if "Read this leaflet online" in " ".join(text.split()))
    lines = texts[at].replace("\r", "").split("\n")  # a long address wraps, adding nothing
    assert ONLINE.split("://")[1] in "".join(line.strip() for line in lines)
    assert "Riverside Hospital switchboard" in texts[at]  # the card beside it
    assert "Contact us" in texts[at]
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        image = pdf[at].render(scale=2).to_pil()
    finally:
        pdf.close()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [ONLINE]
    with pikepdf.open(path) as doc:
        uris = [str(a.A.URI) for a in doc.pages[at].get("/Annots", [])
                if a.Subtype == "/Link" and "/A" in a]
        assert ONLINE in uris
        figures = [e for e in iter_elements(read_tree(doc)) if e.role == "Figure"]
        assert [str(f.obj.Alt) for f in figures] == [f"QR code linking to {ONLINE}"]
    assert check_pdf(path) == []


def test_no_qr_code_without_an_online_url(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("-t", "lakeside-clinic") == 0
    path = catalogue.out / "sample.pdf"
    assert "Read this leaflet online" not in " ".join(page_texts(path))
    with pikepdf.open(path) as doc:
        assert not [e for e in iter_elements(read_tree(doc)) if e.role == "Figure"]


def test_online_url_pattern_is_checked(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("leaflets/{code}", "leaflets/{title}"))
    assert catalogue.build() == 1
    assert "online_url: '{title}' is not a field; use {code}, {id} or {name}" in \
        capsys.readouterr().err


# ---- greyscale --------------------------------------------------------------------------------

def test_grayscale_has_only_greys_and_grey_images(rich):
    assert rich.build("--grayscale") == 0
    path = rich.out / "sample.grayscale.pdf"
    assert sorted(p.name for p in rich.out.glob("*.pdf")) == ["sample.grayscale.pdf"]
    colours = [tuple(float(v) for v in operands) for operands, name, _ in operators(path)
               if name in ("rg", "RG")]
    assert colours and all(r == g == b for r, g, b in colours), set(colours)
    assert not [name for _, name, _ in operators(path) if name in ("k", "K", "sc", "scn")]
    with pikepdf.open(path) as pdf:
        images = [x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()
                  if x.get("/Subtype") == "/Image"]
        assert len(images) >= 2  # the logo and the figure
        assert {str(x.ColorSpace) for x in images} == {"/DeviceGray"}
    assert check_pdf(path) == []

    assert rich.build() == 0  # the colour build: not grey, so the check above means something
    colours = [tuple(float(v) for v in operands) for operands, name, _ in operators(
        rich.out / "sample.pdf") if name in ("rg", "RG")]
    assert any(not r == g == b for r, g, b in colours)


@pytest.mark.parametrize("template", ["riverside-trust", "lakeside-clinic"])
def test_greys_keep_luminance_and_contrast(template):
    brand = load_brand(REPO / "templates", template)
    colours = {key.split(".", 1)[1]: value for key, value in brand.values
               if key.startswith("colours.")}
    greys = grey_colours(colours)
    assert all(g[1:3] == g[3:5] == g[5:7] for g in greys.values())
    for text, back in CONTRAST_PAIRS:
        assert contrast_ratio(greys[text], greys[back]) >= MIN_CONTRAST, (text, back)
        # the same contrast as in colour, give or take rounding to 8 bits
        assert contrast_ratio(greys[text], greys[back]) == pytest.approx(
            contrast_ratio(colours[text], colours[back]), abs=0.1)


def test_greys_are_nudged_back_over_the_contrast_floor():
    # #0072f0 passes on white (4.50:1), but its grey of equal luminance rounds to #777777,
    # which does not (4.48:1); the text grey is darkened one step to #767676 (4.54:1)
    assert contrast_ratio("#0072f0", "#ffffff") >= MIN_CONTRAST
    assert grey("#0072f0") == "#777777"
    assert contrast_ratio("#777777", "#ffffff") < MIN_CONTRAST
    colours = {"text": "#0072f0", "link": "#0072f0", "background": "#ffffff",
               "accent": "#0072f0", "accent_text": "#ffffff"}
    greys = grey_colours(colours)
    assert greys["text"] == greys["link"] == "#767676"
    # white on the accent cannot get lighter, so the accent background gets darker
    assert greys["accent_text"] == "#ffffff" and greys["accent"] == "#767676"
    for text, back in CONTRAST_PAIRS:
        if text in greys and back in greys:
            assert contrast_ratio(greys[text], greys[back]) >= MIN_CONTRAST


# ---- determinism ------------------------------------------------------------------------------

@pytest.mark.parametrize("args, name", [
    (["--variant", "large-print"], "sample.large-print.pdf"),
    (["--variant", "booklet"], "sample.booklet.pdf"),
    (["--grayscale"], "sample.grayscale.pdf"),
    (["--page-size", "A5"], "sample.pdf"),
])
def test_every_variant_gives_the_same_bytes_twice(rich, args, name):
    assert rich.build(*args) == 0
    first = (rich.out / name).read_bytes()
    (rich.out / name).unlink()
    assert rich.build(*args) == 0
    assert (rich.out / name).read_bytes() == first


def test_large_print_everything_on_the_page_is_16_pt_or_more(catalogue):
    """Header, footer, page numbers and captions too, not only the body (UKAAF)."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "large-print") == 0
    sizes = set()
    with pikepdf.open(catalogue.out / "sample.large-print.pdf") as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    sizes.add(float(operands[1]))
    assert sizes and min(sizes) >= 16, sorted(sizes)


def _chars_too_close_to_the_edge(path, margin_pt=14.17):  # 5 mm: what printers can't reach
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        bad = []
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            text = page.get_textpage()
            for char in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(char)
                if right - left > 0 and (left < margin_pt or bottom < margin_pt or
                                         right > width - margin_pt or top > height - margin_pt):
                    bad.append((index + 1, text.get_text_range(char, 1)))
        return bad
    finally:
        pdf.close()


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_nothing_is_printed_within_5_mm_of_the_paper_edge(catalogue, variant):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", variant) == 0
    name = "sample.pdf" if variant == "standard" else "sample.large-print.pdf"
    assert _chars_too_close_to_the_edge(catalogue.out / name) == []


def test_a_booklets_spare_pages_are_lined_notes_pages(catalogue):
    """Issue 10.5: a booklet is a whole number of folded sheets; its spare pages were blank
    (three at the end of wound-care). Now each is a page headed 'Notes' with writing
    lines, counted in 'Page N of M'."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "booklet") == 0
    texts = page_texts(catalogue.out / "sample.booklet.pdf")
    assert len(texts) % 2 == 0 and all(text.strip() for text in texts)
    notes = [text for text in texts if "Notes" in text]
    assert notes, texts
    total = 2 * len(texts)
    assert all(f"of {total}" in text for text in notes)
