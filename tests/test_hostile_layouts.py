"""Leaflets made to break layouts (issue 10): each builds inside the column and passes the
page audit, with every word read back as written. (A 40-letter drug name in a three-column
table and a table row taller than an A5 large-print page: test_tables_layout.py; a
120-character URL and a callout longer than a page: test_layout_limits.py.)"""
from __future__ import annotations

import subprocess
import textwrap

import pikepdf
import pytest

from conftest import MINIMAL, as_drawn, column, page_texts, squash, with_blocks
from test_figures import _elements
from test_zz_page_audit import audit

DRUG = "Pneumonoultramicroscopicsilicovolcanoconi"  # 40 letters, one word
HEADING = " ".join(f"word{n}" for n in range(1, 31))  # a 30-word heading


def _poppler(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from conftest import Catalogue
    catalogue = Catalogue(tmp_path_factory.mktemp("hostile"))
    (catalogue.root / "leaflets" / "wide.svg").write_text(textwrap.dedent("""\
        <svg xmlns="http://www.w3.org/2000/svg" xml:lang="en" width="1200pt" height="300pt"
             viewBox="0 0 1200 300" font-family="Arial" font-size="60">
          <rect x="0" y="0" width="1200" height="300" fill="var(--accent)"/>
          <text x="20" y="150">A figure three times the column</text>
        </svg>
        """), encoding="utf-8")
    blocks = (f"- table:\n    header: [Medicine, Dose, Notes]\n    rows:\n"
              f"      - [{DRUG}, 5 mg, Take with food]\n"
              f"      - [Aspirin, 75 mg, {DRUG} is a long name]\n"
              "- figure: wide.svg\n  alt: A wide test drawing\n")
    catalogue.leaflet(with_blocks(blocks).replace("heading: What is it?", f"heading: {HEADING}"))
    assert catalogue.build("--variant", "standard", "--variant", "large-print",
                           "--variant", "booklet") == 0
    return catalogue.out


def test_every_format_passes_the_page_audit(hostile):
    for name in ("sample.pdf", "sample.large-print.pdf", "sample.booklet.pdf"):
        assert audit(hostile / name) == [], name


def test_a_dose_keeps_its_unit_in_a_narrow_cell(hostile):
    """Seen: '75' at the end of a line and 'mg' below it in the booklet's Dose column."""
    for name in ("sample.pdf", "sample.large-print.pdf", "sample.booklet.pdf"):
        lines = [line.strip() for line in _poppler(hostile / name).splitlines()]
        assert "75" not in lines and "mg" not in lines, name
        assert any("75 mg" in line for line in lines), name


def test_a_30_word_heading_reads_whole_and_never_ends_a_page(hostile):
    for name in ("sample.pdf", "sample.large-print.pdf"):
        pages = [squash(text) for text in page_texts(hostile / name)]
        assert any(HEADING in page for page in pages), name
        holder = next(page for page in pages if "word30" in page)
        assert not holder.rstrip().split("Page")[0].rstrip().endswith("word30")


def test_a_figure_wider_than_the_column_is_scaled_into_it(hostile):
    left, right = column("riverside-trust")
    with pikepdf.open(hostile / "sample.pdf") as pdf:
        boxes = [[float(v) for v in e.A.BBox] for e in _elements(pdf.Root.StructTreeRoot)
                 if e.get("/S") == "/Figure" and "/A" in e
                 and not str(e.get("/Alt", "")).startswith("QR")]
    assert boxes and boxes[0][0] >= left - 1 and boxes[0][2] <= right + 1, boxes


@pytest.fixture(scope="module")
def a5_large_print(tmp_path_factory):
    """Large print on A5: the narrowest column there is (about 28 characters)."""
    from conftest import Catalogue
    catalogue = Catalogue(tmp_path_factory.mktemp("a5lp"))
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 0
    return catalogue.out / "sample.large-print.pdf"


def test_large_print_on_a5_passes_the_page_audit(a5_large_print):
    """Seen: the organisation's name ran over the logo and 14 pt off the column, and
    'patient.information@riverside.example.nhs.uk' was cut mid-word ('riversid/e')."""
    assert audit(a5_large_print) == []


def test_the_header_name_wraps_beside_the_logo_not_over_it(a5_large_print):
    import pypdfium2
    import pypdfium2.raw as raw
    pdf = pypdfium2.PdfDocument(str(a5_large_print))
    try:
        page = pdf[0]
        logo = next(obj.get_bounds() for obj in page.get_objects()
                    if obj.type == raw.FPDF_PAGEOBJ_IMAGE)
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    finally:
        pdf.close()
    over = [box for box in boxes if box[2] > box[0] and box[0] < logo[2] and box[2] > logo[0]
            and box[1] < logo[3] and box[3] > logo[1]]
    assert not over, over[:3]


def test_an_email_wider_than_the_column_breaks_like_a_url_and_reads_back_whole(a5_large_print):
    email = "patient.information@riverside.example.nhs.uk"
    drawn = [line.strip() for text in page_texts(as_drawn(a5_large_print))
             for line in text.splitlines()]
    assert any(line.endswith("patient.information@") for line in drawn)  # after the '@'
    # read whole, with no space where it breaks (test_url_breaks: the ActualText of its
    # first part is the whole address)
    words = " ".join(page_texts(a5_large_print)).split()
    assert sum(email in word for word in words) >= 3  # card, other formats, feedback
    assert "patient.information@" not in words and "riverside.example.nhs.uk" not in words


CJK_RUN = ("请发邮件至 patient.information@riverside.example.nhs.uk 或查看 PIL-0042 号单张。"
           "夜间请拨打 NHS 111。")


@pytest.fixture(scope="module")
def chinese_runs(tmp_path_factory):
    """An email address and a leaflet code at every position of a Chinese line."""
    from conftest import Catalogue
    catalogue = Catalogue(tmp_path_factory.mktemp("cjkruns"))
    blocks = "".join(f'- paragraph: "{"说" * n}{CJK_RUN}"\n' for n in range(1, 36))
    catalogue.leaflet(with_blocks(blocks).replace("summary:", "language: zh-Hans\nsummary:"))
    assert catalogue.build("--variant", "standard", "--variant", "large-print") == 0
    return [line for name in ("sample.pdf", "sample.large-print.pdf")
            for line in _poppler(catalogue.out / name).splitlines()]


def test_chinese_lines_never_break_an_email_address(chinese_runs):
    """Seen: 'patient.information' / '@riverside.example.nhs.uk' in igrt.zh-Hans."""
    email = "patient.information@riverside.example.nhs.uk"
    parts = [line for line in chinese_runs if "patient" in line or "@" in line]
    assert len(parts) >= 70 and all(email in line for line in parts), parts[:4]


def test_chinese_lines_never_split_an_emergency_number(chinese_runs):
    """Seen: '请拨打 NHS' / '111' in igrt.zh-Hans large print (the brand's contact note)."""
    assert not [line for line in chinese_runs if line.rstrip().endswith("NHS")]
    assert "".join(chinese_runs).count("NHS 111") >= 70


def test_chinese_lines_never_end_after_a_hyphen(chinese_runs):
    """Both readers drop a hyphen that ends a line: 'PIL-' / '0042' read 'PIL0042'."""
    assert not [line for line in chinese_runs if line.rstrip().endswith("-")]
    assert "".join(chinese_runs).count("PIL-0042") == 70


AR_RUN = "اتصل بنا على الرقم 020 7946 0199 في أي وقت من النهار."


def test_an_arabic_line_never_splits_a_phone_number(tmp_path_factory):
    """Seen on A5: 'على الرقم 020' / '7946 0199'. A run of digits keeps its no-break
    spaces in right-to-left text (only runs holding Arabic letters lose theirs)."""
    from conftest import Catalogue
    catalogue = Catalogue(tmp_path_factory.mktemp("arruns"))
    blocks = "".join(f'- paragraph: "{"كلمة " * n}{AR_RUN}"\n' for n in range(1, 16))
    catalogue.leaflet(with_blocks(blocks).replace("summary:", "language: ar\nsummary:"))
    assert catalogue.build("--page-size", "A5") == 0
    path = catalogue.out / "sample.pdf"
    lines = [line for line in _poppler(path).splitlines() if "0199" in line]
    assert len(lines) >= 15 and all("020 7946 0199" in line for line in lines), lines[:3]
    assert audit(path) == []


def baselines(text) -> list[int]:
    """A key for the drawn line of each character of a pdfium text page: the rounded
    bottom of the first character found on it. A character is on a line when the middle of
    its box is inside that first character's (an ActualText span's characters have the
    box of its glyphs' ink, not of the font's height: lines._typed_spans)."""
    found: list[tuple[float, float]] = []  # (bottom, top) of each line's first character
    keys = []
    for i in range(text.count_chars()):
        _, bottom, _, top = text.get_charbox(i, loose=True)
        middle = (bottom + top) / 2
        line = next((line for line in found if line[0] <= middle <= line[1]), None)
        if line is None:
            line = (bottom, top)
            found.append(line)
        keys.append(round(line[0]))
    return keys


def _pdfium_lines(path) -> list[str]:
    """Each drawn line's characters, as pdfium reads them, grouped by page and baseline."""
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        lines: dict[tuple[int, int], str] = {}
        for number, page in enumerate(pdf):
            text = page.get_textpage()
            keys = [(number, key) for key in baselines(text)]
            start = 0
            for i in range(1, len(keys) + 1):  # runs of characters on one baseline
                if i == len(keys) or keys[i] != keys[start]:
                    lines[keys[start]] = (lines.get(keys[start], "")
                                          + text.get_text_range(start, i - start))
                    start = i
        return list(lines.values())
    finally:
        pdf.close()


@pytest.mark.parametrize("run, last, first", [
    # Seen in the Arabic contact card on A5 and in the booklet: '6' at a line's end and
    # 'مساءً' (p.m.) below it. A time and its day period, as CLDR names them in the
    # leaflet's language, are one run.
    ("ساعات العمل من 8 صباحًا إلى 6 مساءً كل يوم.", "6", "مساء"),
    # Seen in the Arabic booklet: 'فاتصل بالرقم' and '999' alone below it. The run is
    # in two styles (the number bold), and a right-to-left piece lost the no-break
    # space at its end (typeset.plain_edge_joiners).
    ("إذا شعرت بألم في الصدر فاتصل بالرقم **999** فورًا.", "بالرقم", "999"),
])
def test_an_arabic_run_stays_on_one_line(tmp_path_factory, run, last, first):
    """Each line that draws the run's second part draws its first."""
    from conftest import Catalogue
    catalogue = Catalogue(tmp_path_factory.mktemp("arrun"))
    blocks = "".join(f'- paragraph: "{"كلمة " * n}{run}"\n' for n in range(1, 25))
    catalogue.leaflet(with_blocks(blocks).replace("summary:", "language: ar\nsummary:"))
    assert catalogue.build("--page-size", "A5") == 0
    seconds = [line for line in _pdfium_lines(catalogue.out / "sample.pdf") if first in line]
    assert len(seconds) >= 20, len(seconds)
    assert all(last in line for line in seconds), [line for line in seconds if last not in line]
