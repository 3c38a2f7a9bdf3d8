"""Layout limits: text and names far longer than a page still build (issue 16 case 3)."""
from __future__ import annotations

import pikepdf

from conftest import MINIMAL


def test_a_1000_character_title_word_builds_with_its_bookmark(catalogue):
    word = "y" * 1000
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test", f"title: {word}"))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), name="other")
    assert catalogue.build() == 0  # was "can't jump from outline level -1 to level 1"
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles[0] == word
    assert (catalogue.out / "other.pdf").is_file()
