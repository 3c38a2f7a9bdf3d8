"""Layout tests without the PDF (issue 10): lay a leaflet out, let ReportLab place it on
pages (render.place: no tagging, no structure tree, nothing read back), and assert on
where each flowable lands. A layout change is checked here in seconds; the page audit
(test_zz_page_audit) checks the same rules on the PDFs themselves."""
from __future__ import annotations

import subprocess
from functools import lru_cache

import pytest

from conftest import MINIMAL, REPO, column
from handouts.brand import load_brand
from handouts.content.catalogue import load_catalogue
from handouts.layout import lay_out, variant_options
from handouts.layout.page import measure_width
from handouts.render import Placed, place

HEADINGS = {"H1", "H2", "H3"}
# A page may end early only before a block that cannot split at any line: a figure, a
# table (its rows are kept), a callout box, the end matter's card and details.
WHOLE_BLOCKS = {"Figure", "Table", "CalloutBox", "KeepTogether", "Div"}
MOSTLY_EMPTY = 1 / 3


@lru_cache(maxsize=None)
def _leaflets() -> dict:
    return {leaflet.id: leaflet for leaflet in load_catalogue(REPO / "content.yaml").leaflets}


@lru_cache(maxsize=None)
def _placed(leaflet_id: str, variant: str) -> tuple[tuple[Placed, ...], object]:
    leaflet = _leaflets()[leaflet_id]
    brand = load_brand(REPO / "templates", leaflet.template)
    story = lay_out(leaflet, brand, variant_options(variant, brand))
    return tuple(place(story)), story.geometry


CASES = [(leaflet_id, variant) for leaflet_id in ("igrt", "high-blood-pressure", "colonoscopy",
                                                  "wound-care")
         for variant in ("standard", "large-print", "booklet")]


def _pages(placed) -> dict[int, list[Placed]]:
    pages: dict[int, list[Placed]] = {}
    for item in placed:
        pages.setdefault(item.page, []).append(item)
    return pages


@pytest.mark.parametrize("leaflet_id, variant", CASES)
def test_no_heading_ends_a_page(leaflet_id, variant):
    placed, _ = _placed(leaflet_id, variant)
    for items in list(_pages(placed).values())[:-1]:
        assert items[-1].role not in HEADINGS, (items[-1], leaflet_id, variant)


@pytest.mark.parametrize("leaflet_id, variant", CASES)
def test_every_flowable_lies_inside_the_frame(leaflet_id, variant):
    placed, geo = _placed(leaflet_id, variant)
    for item in placed:
        assert item.width <= geo.frame_width + 0.5, item
        assert item.bottom >= geo.bottom - 0.5 and item.top <= geo.size[1] - geo.top + 0.5, item


@pytest.mark.parametrize("leaflet_id, variant", CASES)
def test_no_page_but_the_last_is_mostly_empty_before_running_text(leaflet_id, variant):
    placed, geo = _placed(leaflet_id, variant)
    pages = list(_pages(placed).values())
    for items, following in zip(pages, pages[1:]):
        top = max(item.top for item in items)
        fill = (top - min(item.bottom for item in items)) / (top - geo.bottom)
        assert fill >= MOSTLY_EMPTY or following[0].role in WHOLE_BLOCKS, \
            (f"page {items[0].page} is {fill:.0%} full before {following[0].role}", leaflet_id)


def test_a_table_caption_is_never_last_on_its_page():
    """A table's caption (above it) stays with its table; a figure's (below it) may end a
    page."""
    for leaflet_id in ("high-blood-pressure", "colonoscopy", "igrt"):
        for variant in ("standard", "large-print", "booklet"):
            pages = list(_pages(_placed(leaflet_id, variant)[0]).values())
            for items, following in zip(pages, pages[1:]):
                assert not (items[-1].role == "Caption" and following[0].role == "Table"), \
                    (leaflet_id, variant, items[-1])


def test_the_layer_sees_a_table_split_across_pages():
    """The layer itself: a table's parts are placed with their real size (ReportLab's
    Table keeps it as _width and _height), so the checks above see them."""
    tables = [item for item in _placed("high-blood-pressure", "booklet")[0]
              if item.role == "Table"]
    assert len({item.page for item in tables}) >= 2
    assert all(item.top - item.bottom > 20 and item.width > 100 for item in tables)


@pytest.mark.parametrize("template, paper", [("riverside-trust", "A4"),
                                             ("lakeside-clinic", "Letter")])
def test_the_column_is_the_brands_measure_and_centred(template, paper):
    """Issue 10.9: A4 and Letter lines ran to 85-90 characters at 13 pt; the column now
    holds the brand's measure (70 characters) and the spare width goes to both sides."""
    brand = load_brand(REPO / "templates", template)
    left, right = column(template, paper)
    width = brand.size("body") and right - left
    assert abs(width - measure_width(brand, brand.size("body"))) < 0.01
    page_width = {"A4": 595.2756, "Letter": 612.0}[paper]
    assert abs(left - (page_width - right)) < 0.01
    assert left > brand["page.margin_left_mm"] * 72 / 25.4 + 20  # really narrowed


def test_large_print_and_a5_keep_the_margins_when_the_measure_is_wider():
    brand = load_brand(REPO / "templates", "riverside-trust")
    margin = brand["page.margin_left_mm"] * 72 / 25.4
    assert column("riverside-trust", "A5")[0] == pytest.approx(margin)
    assert column("riverside-trust", None, brand.size("large_print"))[0] == pytest.approx(margin)


def test_a_measure_outside_45_to_90_is_a_clear_error(catalogue, capsys):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "  margin_right_mm: 20\n", "  margin_right_mm: 20\n  measure: 120\n"), encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "brand.yaml:" in err and "measure" in err and "Traceback" not in err


def test_body_lines_read_back_at_the_measure(example_out):
    """What a reader counts: igrt's body lines, as poppler reads them, run to about 70
    characters (they were 85-90)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(example_out / "igrt.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    lengths = sorted(len(line) for line in text.splitlines() if len(line) > 40)
    assert lengths[-1] <= 76 and 55 <= lengths[len(lengths) // 2] <= 72, lengths[-5:]
