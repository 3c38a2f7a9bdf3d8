"""Issue 10.5: the end matter flows compactly. On A4 and Letter the QR code sits beside
the contact card, the leaflet's details go in two columns (read in column order by both
readers), and the details never go to a page of their own or leave the QR code alone on
the last page. (The notices 'Other formats' and 'Your feedback' stay one below the other:
side by side, poppler read both headings before either text.)"""
from __future__ import annotations

import subprocess

import pypdfium2
import pytest

from conftest import MINIMAL, page_texts


def _poppler_pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


def _in_order(text: str, *parts: str) -> bool:
    at = [text.find(part) for part in parts]
    return -1 not in at and at == sorted(at)


def test_the_details_share_the_last_page_with_the_rest_of_the_end_matter(example_out):
    """Seen before: high-blood-pressure's 8th page held only 'Leaflet details' (23% full);
    igrt's last page held the details and the QR code alone."""
    for name in ("high-blood-pressure.pdf", "igrt.pdf"):
        last = page_texts(example_out / name)[-1]
        assert "Leaflet details" in last and "Your feedback" in last, name


def _wide_measure(catalogue, characters: int = 90) -> None:
    """The riverside brand with a longer measure: its A4 column is the full width."""
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("  margin_right_mm: 20\n",
                                  f"  margin_right_mm: 20\n  measure: {characters}\n"),
                     encoding="utf-8")


def test_two_columns_read_in_column_order_in_both_readers(catalogue):
    """The details go in two columns where a half column holds 40 characters (a brand
    whose measure is 90): both readers read the first column, then the second."""
    _wide_measure(catalogue)
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    for text in (page_texts(path)[-1], _poppler_pages(path)[-2]):
        assert _in_order(text, "Your feedback", "Leaflet details", "Leaflet code", "Written by", "Owner",
                         "Published", "Last reviewed", "Next review"), text
        lines = [line.strip() for line in text.splitlines()]
        assert "Last reviewed: 10 January 2026" in lines  # its own line: a column


def test_at_the_default_measure_the_details_are_one_column_of_whole_lines(example_out):
    """One column, each date whole with its label (seen: 'Last reviewed:' ending a line
    with its date below it, and '· Next' / 'review: ...'), and a line broken between two
    dates without the '·' between them."""
    text = page_texts(example_out / "high-blood-pressure.pdf")[-1]
    lines = [line.strip() for line in text.splitlines()]
    assert "Leaflet code: PIL-0388 · Version: 2" in lines
    assert "Published: October 1, 2026 · Last reviewed: October 1, 2026" in lines
    assert "Next review: October 1, 2027" in lines


def test_the_qr_code_sits_beside_the_contact_card_on_a4(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    pdf = pypdfium2.PdfDocument(str(catalogue.out / "sample.pdf"))
    try:
        pages = [pdf[n].get_textpage() for n in range(len(pdf))]
        text = next(t for t in pages if "Read this" in t.get_text_range())
        whole = text.get_text_range()
        card = text.get_charbox(whole.index("Riverside Hospital switchboard"))
        read = text.get_charbox(whole.index("Read this"))  # 'leaflet online' may wrap
    finally:
        pdf.close()
    assert read[0] > card[2] + 100  # to the right of the card, not below it
    assert read[1] < card[3] and read[3] > card[1] - 100  # and level with it


def test_in_large_print_the_qr_code_is_never_alone_on_the_last_page(catalogue):
    """Seen: igrt and igrt.zh-Hans in large print ended on a page holding only the QR
    code (6% and 8% full). Now the code stays with the details."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "large-print") == 0
    last = page_texts(catalogue.out / "sample.large-print.pdf")[-1]
    assert "Read this leaflet online" in last and "Leaflet details" in last


def test_the_card_beside_the_qr_code_keeps_its_email_whole(catalogue):
    """Seen with the 70-character measure: the card beside the code was too narrow for
    'patient.information@riverside.example.nhs.uk', which broke mid-word. The code goes
    beside the card only when every word of the card fits it whole."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    email = "patient.information@riverside.example.nhs.uk"
    for pages in (page_texts(path), _poppler_pages(path)):
        lines = [line for page in pages for line in page.splitlines()
                 if "patient.information@" in line]
        assert lines and all(email in line for line in lines), lines


def test_the_details_never_cut_a_date_nor_start_a_line_with_their_dot(catalogue):
    """A5 large print in Spanish: '· Próxima revisión: 2 de febrero de 20' / '29'. Each
    date was joined to its label by no-break spaces, too wide together for the line, and
    cut inside the year; and the dot between the dates started a line."""
    import re
    import subprocess
    catalogue.leaflet(MINIMAL.replace("summary:", "language: es\nsummary:"))
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 0
    text = subprocess.run(["pdftotext", "-enc", "UTF-8",
                           str(catalogue.out / "sample.large-print.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert sum("de 2029" in line for line in lines) >= 1, lines  # the next review date
    assert not any(line.startswith("·") for line in lines), lines
    cut = [(a, b) for a, b in zip(lines, lines[1:])
           if re.search(r"\bde \d{1,3}$", a) and re.match(r"\d", b)]  # '... de 20' / '29'
    assert cut == [], cut


def test_no_details_line_starts_or_ends_with_its_separator(example_out, a5_large_print_out):
    """The details' facts are packed a line at a time, so a line breaks only between two
    facts, where the '·' between them is left out: every end page of every example had a
    line ending in '·' ('Published: 2 February 2026 · Last reviewed: 2 February 2026 ·')."""
    import pypdfium2
    found = []
    for path in [*sorted(example_out.glob("*.pdf")), *sorted(a5_large_print_out.glob("*.pdf"))]:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            found += [(path.name, line.strip()) for page in pdf
                      for line in page.get_textpage().get_text_range().splitlines()
                      if line.strip().endswith("·") or line.strip().startswith("·")]
        finally:
            pdf.close()
    assert found == []


def _lines(part) -> int:
    return len(part.flowable.blPara.lines)


def _end_splits(words: int, space: float = 0.0, code: float = 60.0) -> tuple[int, list[tuple[int, int]]]:
    """(the text's lines, (lines that stay, lines that go on) at each height where an end
    of a text of `words` words and a QR code `code` points tall broke, from 20 points to
    all of it)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    from handouts.layout.flowables import KeepEndTogether
    from handouts.pdf.tags import Element, Tagged

    style = ParagraphStyle("body", fontSize=10, leading=12, allowWidows=0, allowOrphans=0,
                           spaceBefore=space, spaceAfter=space)
    text = Tagged(Element("P"), Paragraph("word " * words, style))
    width = 150
    lines = round(text.wrap(width, 1000)[1] / 12)
    page = 300  # moving the end whole would leave more than 105 points (SPLIT_GAP) empty
    splits = []
    for room in range(20, 12 * lines + int(code), 3):
        end = KeepEndTogether([text, Spacer(100, code)], page)
        end.canv = None  # ReportLab's own split wraps on the canvas; these need none
        parts = end.split(width, room)
        if len(parts) < 2 or not isinstance(parts[0], Tagged):
            continue  # kept whole, or moved whole
        parts[0].wrap(width, room)
        went = parts[1]._content[0]
        went.wrap(width, page)
        splits.append((_lines(parts[0]), _lines(went)))
    return lines, splits


@pytest.mark.parametrize("space", [0.0, 13.0], ids=["no-space", "space-around"])
def test_the_text_kept_with_the_qr_code_keeps_two_lines_each_side(space):
    """Seen: the Hebrew A5 large-print stress leaflet's last page started with the
    disclaimer's last line, 'your own situation.', alone above the QR code. Where the end
    breaks, at least two of the text's lines go on with it, and at least two stay (also
    with space around the text, which is not lines)."""
    lines, splits = _end_splits(60, space)
    assert lines >= 6
    assert len(splits) >= 5  # the end did break, at many heights
    assert all(stay >= 2 and went >= 2 for stay, went in splits), splits


def test_a_three_line_text_still_breaks_before_its_last_line():
    """Too short for two lines each side, a three-line disclaimer keeps two lines on the
    page rather than move whole with the QR code (moved whole, the Italian and Tagalog
    disclaimers left an A5 large-print page 59% full)."""
    words = next(n for n in range(5, 40) if _end_splits(n)[0] == 3)
    _, splits = _end_splits(words, code=100)  # tall enough that moving whole leaves a gap
    assert splits and set(splits) == {(2, 1)}, splits
