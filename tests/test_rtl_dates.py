"""Issues 10.3 and 11.3: a date in right-to-left text never breaks across lines, and keeps
its day, month and year together beside Latin text.

A page review of igrt.ar found '2 / فبراير 2029' (standard, page 8) and '16 فبراير / 2026'
(large print and booklet) in the leaflet details: the no-break spaces of a date with an
Arabic month were made plain spaces, so that each word was shaped on its own. And
'اعتمدها: Patient Information Group, 22 يناير 2026' was drawn with '22' beside 'Group'
and the month and year far from it: rule W7 of UAX #9 makes a number after Latin letters
left to right. Lines are read back with poppler, and positions with its word boxes.
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from babel.dates import get_month_names

from conftest import MINIMAL, built_once, with_blocks
from test_scripts import words
from test_zz_page_audit import audit

MONTHS = {str(name) for name in get_month_names("wide", locale="ar").values()}
BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F), " ")  # the embedding marks poppler adds


def poppler_lines(path: Path) -> list[list[str]]:
    """The words of each line poppler reads, without punctuation or its embedding marks."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout.translate(BIDI_CONTROLS)
    return [words("ar", line) for line in text.splitlines()]


def broken_dates(lines: list[list[str]]) -> list[list[str]]:
    """Lines holding more month names than days or years: a date on them ends, or starts,
    on another line ('... 2' / 'فبراير 2029', '16 فبراير' / '2026')."""
    def count(line, pattern):
        return sum(bool(re.fullmatch(pattern, word)) for word in line)
    return [line for line in lines
            if count(line, "|".join(MONTHS)) > min(count(line, r"\d{1,2}"), count(line, r"\d{4}"))]


def month_count(lines: list[list[str]]) -> int:
    return sum(word in MONTHS for line in lines for word in line)


@pytest.fixture(scope="module")
def arabic_variants(tmp_path_factory) -> Path:
    return built_once(tmp_path_factory, "arabic-variants", "--only", "igrt", "--variant",
                      "standard", "--variant", "large-print", "--variant", "booklet")


@pytest.mark.parametrize("name", ["igrt.ar.pdf", "igrt.ar.large-print.pdf", "igrt.ar.booklet.pdf"])
def test_no_line_of_the_arabic_leaflet_ends_inside_a_date(arabic_variants, name):
    lines = poppler_lines(arabic_variants / name)
    # the details' four dates, the references' access dates and each page's footer
    assert month_count(lines) >= 10, name
    assert broken_dates(lines) == [], name


DATE_RUN = "موعدك القادم يوم 16 فبراير 2026 في العيادة"


@pytest.mark.parametrize("page_size", ["A5", "A4"])
def test_an_arabic_date_is_never_broken_at_any_place_on_its_line(catalogue, page_size):
    """The date placed at every point of a line, word by word, as the phone sweep does
    (test_hostile_layouts); with a label joined to its date the same way as the details'
    ('المراجعة القادمة: 2 فبراير 2029' broke after the day)."""
    blocks = "".join(f'- paragraph: "{"كلمة " * n}{DATE_RUN}."\n' for n in range(1, 16))
    catalogue.leaflet(with_blocks(blocks).replace("summary:", "language: ar\nsummary:"))
    assert catalogue.build("--page-size", page_size) == 0
    path = catalogue.out / "sample.pdf"
    lines = poppler_lines(path)
    assert sum("16" in line and "فبراير" in line and "2026" in line for line in lines) >= 15
    assert broken_dates(lines) == []
    assert audit(path) == []


def word_boxes(path: Path, needle: str) -> list[tuple[float, str]]:
    """(left edge, word as typed) of each word poppler finds on the first line holding
    `needle`, in drawing order: left to right."""
    xml = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    found = [(float(x), float(y), text) for x, y, text in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', xml)]
    top = next(y for _, y, text in found if needle in text)

    def as_typed(word: str) -> str:  # poppler gives a right-to-left word's letters drawn order
        rtl = any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in word)
        return word[::-1] if rtl else word
    return sorted((x, as_typed(text)) for x, y, text in found if abs(y - top) < 1)


@pytest.mark.parametrize("paragraph", [
    "اعتمدها: Patient Information Group, 22 يناير 2026.",
    "اعتمدها: Patient Information Group 22 يناير 2026",
])
def test_a_date_after_a_latin_name_keeps_its_day_month_and_year_together(catalogue, paragraph):
    """Drawn from the right: the label, the Latin name (left to right), then the date,
    whose day is read first: '2026 يناير 22' left to right, nothing between its words."""
    catalogue.leaflet(with_blocks(f'- paragraph: "{paragraph}"\n').replace(
        "summary:", "language: ar\nsummary:"))
    assert catalogue.build() == 0
    boxes = word_boxes(catalogue.out / "sample.pdf", "Information")
    drawn = [word.strip(",.:") for _, word in boxes]
    day = drawn.index("22")
    assert drawn[day - 2:day + 1] == ["2026", "يناير", "22"], drawn
    assert drawn[day + 1:day + 4] == ["Patient", "Information", "Group"], drawn
    assert drawn[-1] == "اعتمدها", drawn
