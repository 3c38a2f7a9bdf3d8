"""From content to PDF, checked by reading the PDFs back."""
from __future__ import annotations

import re

import pikepdf
from PIL import Image
import pytest

from conftest import MINIMAL, REPO, page_texts, squash, with_blocks
from handouts.content import load_catalogue

EXAMPLES = ["igrt", "colonoscopy", "high-blood-pressure", "wound-care"]


def leaflets():
    return {l.id: l for l in load_catalogue(REPO / "content.yaml").leaflets}


def test_every_example_leaflet_is_built(example_out):
    standard = {p.stem for p in example_out.glob("*.pdf") if "." not in p.stem}
    assert standard == set(EXAMPLES)  # (translations and variants are <id>.<more>.pdf)
    assert not list(example_out.glob(".*.part")), "temporary files were left behind"


def test_title_and_headings_appear_on_the_pages(example_out):
    leaflet = leaflets()["igrt"]
    text = squash(" ".join(page_texts(example_out / "igrt.pdf")))
    assert squash(leaflet.title) in text
    for section in leaflet.walk_sections():
        assert squash(section.heading) in text, section.heading
    assert "References" in text and "Contact us" in text


def test_footer_on_every_page(example_out):
    for leaflet_id, leaflet in leaflets().items():
        gov = leaflet.governance
        pages = page_texts(example_out / f"{leaflet_id}.pdf")
        for number, text in enumerate(pages, start=1):
            text = squash(text)
            assert f"{gov.code} v{gov.version}" in text, (leaflet_id, number)
            assert f"Page {number} of {len(pages)}" in text, (leaflet_id, number)
            assert "Last reviewed" in text and "Next review" in text, (leaflet_id, number)


def test_footer_dates_come_from_the_content(example_out):
    text = squash(page_texts(example_out / "high-blood-pressure.pdf")[0])
    # en-US leaflet: US date style; next_review given explicitly in the file
    assert "Next review October 1, 2027" in text
    igrt = leaflets()["igrt"].governance
    assert not igrt.next_review_given  # computed: last reviewed + 36 months
    assert f"Next review {igrt.next_review.day} " in squash(page_texts(example_out / "igrt.pdf")[0])


def test_one_leaflet_runs_to_three_pages_or_more(example_out):
    assert max(len(page_texts(example_out / f"{i}.pdf")) for i in EXAMPLES) >= 3


def test_citations_numbered_in_order_of_first_use_and_match_references(example_out):
    leaflet = leaflets()["igrt"]
    text = squash(" ".join(page_texts(example_out / "igrt.pdf")))
    body, _, references = text.rpartition("References")
    cited = [int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", body)
             for n in group.split(", ")]
    first_use = list(dict.fromkeys(cited))
    assert first_use == list(range(1, len(first_use) + 1))
    for number, ref in leaflet.ordered_references():
        entry = squash(ref.citation.plain)[:40]
        assert f"{number}. {entry}" in references, (number, entry)


def test_reference_urls_are_clickable(example_out):
    with pikepdf.open(example_out / "igrt.pdf") as pdf:
        uris = {str(a.A.URI) for page in pdf.pages for a in page.obj.get("/Annots", [])
                if "/A" in a and "/URI" in a.A}
    assert "https://www.radiologyinfo.org/en/info/igrt" in uris
    assert any(u.startswith("tel:") for u in uris) and any(u.startswith("mailto:") for u in uris)


def test_fonts_embedded_subset_truetype_and_no_standard_14(example_out):
    for leaflet_id in EXAMPLES:
        with pikepdf.open(example_out / f"{leaflet_id}.pdf") as pdf:
            fonts = {f.objgen: f for page in pdf.pages
                     for f in page.obj.Resources.get("/Font", {}).values()}
            assert fonts
            for font in fonts.values():
                assert font.Subtype == "/TrueType"
                assert re.match(r"^/[A-Z]{6}\+", str(font.BaseFont)), font.BaseFont
                assert "/FontFile2" in font.FontDescriptor
                assert "/ToUnicode" in font
            raw = open(example_out / f"{leaflet_id}.pdf", "rb").read()
            assert b"Helvetica" not in raw and b"Times-Roman" not in raw


def test_metadata_title_author_subject_keywords_language(example_out):
    leaflet = leaflets()["igrt"]
    with pikepdf.open(example_out / "igrt.pdf") as pdf:
        info = pdf.docinfo
        assert str(info.Title) == leaflet.title
        assert leaflet.governance.author in str(info.Author)
        assert str(info.Subject) == leaflet.summary
        assert leaflet.governance.code in str(info.Keywords)
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(info.CreationDate).startswith("D:" + leaflet.governance.published.strftime("%Y%m%d"))


def test_same_input_gives_identical_bytes(catalogue, tmp_path):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    first = (catalogue.out / "sample.pdf").read_bytes()
    (catalogue.out / "sample.pdf").unlink()
    assert catalogue.build() == 0
    assert (catalogue.out / "sample.pdf").read_bytes() == first


def test_markup_characters_print_literally(catalogue):
    text = "Keep it < 120 & > 80, not <b>bold</b> &amp; never <script>x</script>."
    catalogue.leaflet(MINIMAL.replace("A sample helps us check your health", text))
    assert catalogue.build() == 0
    page = squash(page_texts(catalogue.out / "sample.pdf")[0])
    assert "Keep it < 120 & > 80, not <b>bold</b> &amp; never <script>x</script>." in page


def test_bold_and_italic_use_the_bold_and_italic_faces(catalogue):
    catalogue.leaflet(MINIMAL.replace("paragraph: A sample helps",
                                      'paragraph: "**Strong** and *slanted* words help'
                                      ).replace("[@nhs-sample].", '[@nhs-sample]."'))
    assert catalogue.build() == 0
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        names = {str(f.BaseFont).split("+")[1] for f in pdf.pages[0].obj.Resources.Font.values()}
    assert {"AtkinsonHyperlegible-Bold", "AtkinsonHyperlegible-Italic"} <= names


def test_every_block_type_renders(catalogue):
    blocks = """
          - steps: [Undress, Lie down]
          - callout: urgent
            text: You feel **very** unwell.
          - callout: info
            title: Did you know?
            bullets: [Tea is fine, So is water]
          - table:
              caption: Your week
              header: [Day, What happens]
              rows: [[Monday, Scan], [Tuesday, "First visit [@nhs-sample]"]]
          - contact:
              name: Sample clinic
              phone: 020 7946 0123
              email: sample@example.nhs.uk
"""
    catalogue.leaflet(with_blocks(blocks))
    assert catalogue.build() == 0
    text = squash(" ".join(page_texts(catalogue.out / "sample.pdf")))
    for expected in ("1. Undress", "2. Lie down", "Get help urgently if", "You feel very unwell.",
                     "Did you know?", "Tea is fine", "Your week", "Day What happens",
                     "Tuesday First visit [1]", "Sample clinic", "Phone: 020 7946 0123",
                     "Email: sample@example.nhs.uk"):
        assert expected in text, expected


def test_long_table_repeats_its_header_row_on_the_next_page(catalogue):
    rows = "".join(f"      - [Day {n}, Something happens on day {n}]\n" for n in range(70))
    table = "- table:\n    header: [When, What happens]\n    rows:\n" + rows
    catalogue.leaflet(with_blocks(table))
    assert catalogue.build() == 0
    pages = [squash(t) for t in page_texts(catalogue.out / "sample.pdf")]
    table_pages = [p for p in pages if "Something happens" in p]
    assert len(table_pages) >= 2
    assert all("When What happens" in p for p in table_pages)


def test_figure_is_embedded(catalogue):
    (catalogue.root / "leaflets" / "images").mkdir()
    Image.new("RGB", (600, 300), (30, 90, 160)).save(catalogue.root / "leaflets" / "images"
                                                      / "pic.png")
    figure = "- figure: images/pic.png\n  alt: Three waves\n  caption: Waves\n"
    catalogue.leaflet(with_blocks(figure))
    assert catalogue.build() == 0
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        images = [k for k, v in pdf.pages[0].obj.Resources.XObject.items() if v.Subtype == "/Image"]
    assert len(images) == 2  # the brand logo and the figure
    assert "Waves" in squash(page_texts(catalogue.out / "sample.pdf")[0])


@pytest.mark.parametrize("template, width", [("riverside-trust", 595), ("lakeside-clinic", 612)])
def test_template_sets_page_size(catalogue, template, width):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--template", template) == 0
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        assert round(float(pdf.pages[0].mediabox[2])) == width
    organisation = {"riverside-trust": "Riverside University Hospitals NHS Trust",
                    "lakeside-clinic": "Lakeside Community Health Clinic"}[template]
    assert organisation in squash(" ".join(page_texts(catalogue.out / "sample.pdf")))


def test_readme_documents_every_brand_key():
    from handouts.brand import SCHEMA
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [key for key in SCHEMA if f"| `{key}` |" not in readme] == []
