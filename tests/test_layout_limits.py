"""Layout limits: text and names far longer than a page still build (issue 16 case 3);
what cannot fit (a table wider than the page, an address too long for a QR code) stops
with a message at its line, never a traceback (issues 16.3, 16.4, 9)."""
from __future__ import annotations

import pikepdf
import pytest

from conftest import MINIMAL, page_texts, squash, with_blocks


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
    (60, "standard", 12, "an A4", 13),  # was ReportLab's "negative availWidth" traceback
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
    catalogue.leaflet(_wide_table(12))
    assert catalogue.build() == 0
    text = squash(" ".join(page_texts(catalogue.out / "sample.pdf")))
    assert all(f"C{n}" in text and str(100 + n) in text for n in range(12))

