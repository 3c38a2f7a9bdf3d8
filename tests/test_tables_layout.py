"""Issue 10.2: table columns and words that do not fit them."""
from __future__ import annotations

import subprocess

import pytest

from conftest import page_texts, with_blocks

DRUG = "hydroxychloroquinesulfatemethylprednisol"  # 40 letters, one unbreakable word
assert len(DRUG) == 40


def _poppler_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_a_40_character_drug_name_in_a_three_column_table_reads_back_whole(catalogue,
                                                                            variant):
    """Every letter of the name is printed and read back in order, whether the word fits
    the column or is split over lines (line ends removed). pdfium reads a cell's lines
    together (poppler reads a row's lines across its cells) and marks a drawn line-end
    hyphen as U+FFFE."""
    catalogue.leaflet(with_blocks(
        f"- table:\n    header: [Medicine, Dose, When]\n    rows:\n"
        f"      - [{DRUG}, 200 mg twice a day, With food in the morning and evening]\n"))
    assert catalogue.build("--variant", variant) == 0
    name = "sample.pdf" if variant == "standard" else f"sample.{variant}.pdf"
    text = "".join(" ".join(page_texts(catalogue.out / name)).split())
    assert DRUG in text.replace("-", "").replace("\ufffe", "")


def test_a_table_row_taller_than_an_a5_large_print_page_stops_with_file_and_line(
        catalogue, capsys):
    text = catalogue.leaflet(with_blocks(
        f"- table:\n    header: [A, B, C]\n    rows:\n"
        f"      - [short, {'word ' * 900}, short]\n")).read_text(encoding="utf-8")
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 1
    err = capsys.readouterr().err
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "- table:" in row)
    assert f"sample.yaml:{line}:" in err
    assert "row 1 of this table (after the header) is taller than a page at 18 pt" in err
    assert "Traceback" not in err and "Table@" not in err


@pytest.mark.parametrize("variant", [
    "standard",
    # Seen today: 'hydroxychloroquinesulfa / temethylprednisol' (large print) and
    # 'hydroxychloroquines / ulfatemethylprednis / ol' (booklet), cut with no hyphen.
    "large-print",
    "booklet",
])
def test_a_drug_name_too_long_for_its_column_is_cut_only_with_a_hyphen(catalogue, variant):
    catalogue.leaflet(with_blocks(
        f"- table:\n    header: [Medicine, Dose, When]\n    rows:\n"
        f"      - [{DRUG}, 200 mg twice a day, With food in the morning and evening]\n"))
    assert catalogue.build("--variant", variant) == 0
    name = "sample.pdf" if variant == "standard" else f"sample.{variant}.pdf"
    first = next(line.split()[0] for line in _poppler_text(catalogue.out / name).splitlines()
                 if line.strip().startswith(DRUG[:10]))  # the cell's part of the line
    assert first == DRUG or first.endswith("-"), first


def _medicines_table_widths(variant: str) -> tuple[list[float], float]:
    from reportlab.platypus import Table as RLTable

    from conftest import REPO
    from handouts.brand import load_brand
    from handouts.content.catalogue import load_catalogue
    from handouts.layout import lay_out, variant_options
    leaflet = next(leaflet for leaflet in load_catalogue(REPO / "content.yaml").leaflets
                   if leaflet.id == "high-blood-pressure")
    brand = load_brand(REPO / "templates", leaflet.template)
    story = lay_out(leaflet, brand, variant_options(variant, brand))
    tables = [f for f in story.flowables if isinstance(f, RLTable)
              and "Things to know" in str(f._cellvalues[0][-1][0].flowable.text)]
    return list(tables[0]._colWidths), story.geometry.frame_width


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_the_medicines_table_fills_the_column_and_its_text_column_is_readable(variant):
    """On A5 the 'Things to know' column got one or two words a line (78 pt) while the
    names column held 'hydrochlorothiazide' whole: the spare width now goes where it makes
    the table shortest, and body cells are measured in the regular face, not the bold."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    widths, frame = _medicines_table_widths(variant)
    assert abs(sum(widths) - frame) < 0.5
    assert widths[2] >= stringWidth("0" * 14, "Helvetica", 12)  # 14 characters or more
    assert widths[1] >= stringWidth("hydrochlorothiazide", "Helvetica", 12)  # a name whole


def test_chinese_lines_never_end_with_an_opening_bracket_nor_start_with_closing_marks(
        tmp_path):
    """In the IGRT table's first column '（' stood alone on a line ('束 CT' / '（' /
    'CBCT）'): the column's narrowest width now holds '（CBCT）' whole, as an opening
    bracket goes with what follows it and closing marks with what precedes them."""
    from conftest import REPO
    from handouts.cli import main
    from handouts.layout.lines import CANNOT_END, CANNOT_START
    out = tmp_path / "out"
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--only", "igrt",
                 "--variant", "standard", "--variant", "large-print", "--variant",
                 "booklet"]) == 0
    paths = sorted(out.glob("igrt.zh-Hans*.pdf"))
    assert len(paths) == 3
    for path in paths:
        lines = [line.strip() for line in _poppler_text(path).splitlines() if line.strip()]
        assert "（CBCT）" in "".join(lines), path.name  # the cell's text, in order
        bad = [line for line in lines if line[-1] in CANNOT_END or line[0] in CANNOT_START]
        assert not bad, (path.name, bad)


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_every_header_word_of_the_example_tables_fits_its_column(variant):
    """'Bottom number' printed 'numbe' / 'r' in large print: a cell's widest piece is the
    widest in print, not the one with most letters ('Bottom' and 'number' have six)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table as RLTable

    from conftest import REPO
    from handouts.brand import load_brand
    from handouts.content.catalogue import load_catalogue
    from handouts.layout import lay_out, variant_options
    for leaflet in load_catalogue(REPO / "content.yaml").leaflets:
        brand = load_brand(REPO / "templates", leaflet.template)
        story = lay_out(leaflet, brand, variant_options(variant, brand))
        for table in (f for f in story.flowables if isinstance(f, RLTable) and
                      hasattr(getattr(f._cellvalues[0][0][0], "element", None), "role")):
            for cell, width in zip(table._cellvalues[0], table._colWidths):
                style = cell[0].flowable.style
                pad = 0.45 * style.fontSize  # blocks.table: the header is at body size
                words = str(cell[0].flowable.text).split()
                if "<" in " ".join(words):
                    continue  # markup: measured in the face it prints in
                assert all(stringWidth(word, style.fontName, style.fontSize) <= width - 2 * pad
                           + 0.5 for word in words), (leaflet.id, words, width)


def _tall_row_table(page: float = 600.0):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handouts.layout.flowables import BreakingTable
    style = ParagraphStyle("c", fontName="Helvetica", fontSize=12, leading=16)
    long_cell = " ".join(f"word{n}" for n in range(300))  # about 60 lines in 150 pt
    data = [[[Paragraph("Head", style)], [Paragraph("Notes", style)]],
            [[Paragraph("short", style)], [Paragraph("a row", style)]],
            [[Paragraph("tall", style)], [Paragraph(long_cell, style)]]]
    table = BreakingTable(data, colWidths=[100, 150], repeatRows=1)
    table.page_height, table.least_part = page, 2 * 16 + 10
    return table


def test_a_table_breaks_inside_a_tall_row_rather_than_leave_a_page_mostly_empty():
    """Rows broke only between them: a tall row moved whole to the next page, and the
    page before it was left with the header and one short row."""
    table = _tall_row_table()
    head, *rest = table.split(250, 400)
    assert rest and head.wrap(250, 400)[1] > 300  # the tall row starts on this page
    small = _tall_row_table()
    head, *rest = small.split(250, 100)  # a sixth of the page left: rows stay whole
    assert rest and head.wrap(250, 100)[1] < 60


def _sentence_table(cell: str):
    from handouts.layout.flowables import BreakingTable
    from handouts.layout.lines import LinearParagraph
    from reportlab.lib.styles import ParagraphStyle
    style = ParagraphStyle("c", fontName="Helvetica", fontSize=12, leading=16)
    data = [[[LinearParagraph("Head", style)], [LinearParagraph("Notes", style)]],
            [[LinearParagraph("short", style)], [LinearParagraph("a row", style)]],
            [[LinearParagraph("tall", style)], [LinearParagraph(cell, style)]]]
    table = BreakingTable(data, colWidths=[100, 150], repeatRows=1)
    table.page_height, table.least_part = 600.0, 2 * 16 + 10
    return table


def test_a_row_breaks_across_pages_only_at_the_end_of_a_sentence():
    """'You must not' / 'drive for 24 hours.' was printed either side of a page turn."""
    one_sentence = " ".join(f"word{n}" for n in range(60)) + "."  # 22 lines: fits a page
    head, *rest = _sentence_table(one_sentence).split(250, 300)
    assert rest and head.wrap(250, 300)[1] < 60  # the row goes over whole
    short = " ".join(f"Take tablet {n} with water." for n in range(40))  # a full stop a line
    head, *rest = _sentence_table(short).split(250, 300)
    assert rest and head.wrap(250, 300)[1] > 150  # broken after a full stop
    from handouts.rlhooks import table_cells
    first_part = table_cells(head)[-1][1][0].written
    assert first_part.rstrip().endswith(".")


def test_a_short_row_below_others_on_a_fresh_page_still_breaks_only_at_a_sentence_end():
    """A5 large-print colonoscopy: 'Some people choose to have the test without' /
    'any medicine.' either side of a page turn. The table part was at the top of its
    page, which let any row in it break anywhere; only a row taller than a page may."""
    from handouts.layout.flowables import BreakingTable
    from handouts.layout.lines import LinearParagraph
    from handouts.rlhooks import table_cells
    from reportlab.lib.styles import ParagraphStyle
    style = ParagraphStyle("c", fontName="Helvetica", fontSize=12, leading=16)
    above = " ".join(f"Take tablet {n} with water." for n in range(20))  # 320 pt
    row = " ".join(f"word{n}" for n in range(50)) + "."  # one sentence: 256 pt

    def cells(*texts):
        return [[LinearParagraph(text, style)] for text in texts]
    table = BreakingTable([cells("Head", "Notes"), cells("first", above), cells("last", row)],
                          colWidths=[100, 150], repeatRows=1)
    table.page_height, table.least_part = 600.0, 2 * 16 + 10
    head, *rest = table.split(250, 590)  # a fresh page, with too little room left for it
    assert rest, "the table was expected not to fit"
    assert head.wrap(250, 590)[1] < 400  # the header and the first row: the last went over
    assert "word0" not in " ".join(cell[0].written for row in table_cells(head) for cell in row)


def test_a_row_taller_than_a_page_still_breaks_mid_sentence_on_a_fresh_page():
    endless = " ".join(f"word{n}" for n in range(400))  # no full stop: 80 lines
    head, *rest = _sentence_table(endless).split(250, 590)
    assert rest and head.wrap(250, 590)[1] > 400


SPANISH_ROW = ("      - - '**TC de haz cónico en 3D (CBCT)**'\n"
               "        - Una TC que hace la propia máquina de tratamiento. Muestra tejidos"
               " blandos, como la vejiga o la próstata, además del hueso.\n"
               "        - Los brazos de imagen giran despacio a su alrededor, normalmente"
               " durante 1 minuto. Quédese quieto y respire con normalidad.\n")


@pytest.mark.parametrize("text", [
    "Los brazos de imagen giran despacio a su alrededor, normalmente durante 1 minuto.",
    "Una TC que hace la propia máquina de tratamiento. Muestra tejidos blandos.",
])
def test_a_word_wider_than_its_line_is_hyphenated_at_a_pattern_point_never_cut(text):
    """The A5 large-print review of igrt.es: in a 95 pt cell at 18 pt, ReportLab cut the
    words that fit nowhere on their line at any letter to fill it ('alrededor, n' /
    'ormalment' / 'e'), and 'tratamiento.' lost its full stop to the next line
    ('. Muestra'). Such a word is hyphenated at one of its language's points."""
    import pyphen
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from handouts.layout.lines import LinearParagraph
    style = ParagraphStyle("c", fontName="Helvetica", fontSize=18, leading=24)
    width = stringWidth("alrededor,", "Helvetica", 18) + 4  # 'normalmente' fits no line
    paragraph = LinearParagraph(text, style)
    paragraph.hyphenation = "es"
    paragraph.wrap(width, 1000)
    assert all(line[0] >= -0.01 for line in paragraph.blPara.lines)  # all inside the line
    lines = [" ".join(map(str, line[1])) for line in paragraph.blPara.lines]
    assert not any(line.startswith((".", ",")) for line in lines), lines
    points = pyphen.Pyphen(lang="es")
    for line, after in zip(lines, lines[1:]):
        if line.endswith("-"):
            head, tail = line.split()[-1][:-1], after.split()[0]
            word = (head + tail).strip(".,")
            assert len(head) in points.positions(word), (head, tail)
    words = " ".join(lines).replace("- ", "").split()
    assert words == text.split(), lines  # nothing cut, lost or added


def test_a_spanish_table_too_narrow_for_its_words_reads_back_whole_as_a_list(catalogue):
    """The same row in A5 large print: set as a list of its rows, each cell is a paragraph
    across the page, and every word reads back whole (pdfium marks a line-end hyphen with
    U+FFFE: there is none)."""
    catalogue.leaflet(with_blocks(
        "- table:\n    header: [Tipo, Qué es, Qué notará]\n    rows:\n" + SPANISH_ROW)
        .replace("summary:", "language: es\nsummary:"))
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 0
    text = " ".join(page_texts(catalogue.out / "sample.large-print.pdf"))
    assert "\ufffe" not in text
    words = text.split()
    for cell in SPANISH_ROW.replace("*", "").split("- ")[1:]:
        for word in cell.replace("'", "").split():
            assert word in words, word


ARABIC_TABLE = (  # igrt.ar's imaging table, its CBCT row
    "- table:\n    header: [النوع, ما هو, ما الذي تلاحظه]\n    rows:\n"
    "      - - '**تصوير مقطعي ثلاثي الأبعاد بالحزمة المخروطية (CBCT)**'\n"
    "        - صورة مقطعية يلتقطها جهاز العلاج نفسه، وتظهر الأنسجة الرخوة مثل المثانة أو"
    " البروستاتا، إضافة إلى العظام.\n"
    "        - تدور أذرع التصوير ببطء حولك، عادة لمدة دقيقة واحدة تقريبًا. ابق ثابتًا وتنفس"
    " بشكل طبيعي.\n")


def test_an_arabic_table_too_narrow_for_its_words_is_set_as_a_list_of_its_rows(catalogue):
    """igrt.ar on A5 large print: 'المخروطية' was cut between its letters in a 93 pt
    column, lost its joins and read back with U+FFFD; then the build stopped at the table.
    Arabic is never hyphenated, so where its words cannot fit the grid the table is set
    as a list of its rows, each cell under its column's header (tagged L > LI > LBody),
    and both readers read back every word in the order written. On A4 it stays a grid."""
    import re
    import unicodedata

    import pikepdf
    import pypdfium2

    from pdfcheck import iter_elements, read_tree
    catalogue.leaflet(with_blocks(ARABIC_TABLE).replace("summary:", "language: ar\nsummary:"))
    roles = {}
    for variant, paper in (("standard", "A4"), ("large-print", "A5")):
        assert catalogue.build("--variant", variant, "--page-size", paper) == 0
        path = catalogue.out / ("sample.pdf" if variant == "standard" else
                                f"sample.{variant}.pdf")
        with pikepdf.open(path) as pdf:
            roles[paper] = [e.role for e in iter_elements(read_tree(pdf))]
    assert "Table" in roles["A4"] and "TD" in roles["A4"]
    assert "Table" not in roles["A5"] and "LBody" in roles["A5"]
    header = ["النوع", "ما هو", "ما الذي تلاحظه"]
    cells = [line.lstrip(" -").strip("'*") for line in ARABIC_TABLE.splitlines()[3:]]
    assert len(cells) == 3 and cells[0].endswith("(CBCT)")
    pairs = [(h, c) for h, c in zip(header, cells)]
    pdf = pypdfium2.PdfDocument(str(path))
    readers = {"pdfium": "\n".join(page.get_textpage().get_text_range() for page in pdf),
               "poppler": _poppler_text(path)}
    pdf.close()
    for reader, text in readers.items():
        # both readers order the words of a line that mixes directions their own way
        # ('(CBCT) المخروطية'), so the words are compared as found, the order by lines
        words = re.findall(r"\w+", unicodedata.normalize("NFC", text))
        for h, c in pairs:
            for word in re.findall(r"\w+", f"{h} {c}"):
                assert word in words, (reader, word)
        lines = [" ".join(re.findall(r"\w+", line)) for line in text.splitlines()]
        firsts = [n for h, c in pairs for n in (lines.index(h), next(
            n for n, line in enumerate(lines) if line.startswith(c.split()[0])))]
        assert firsts == sorted(firsts), (reader, firsts)  # each header above its cell


def test_a_box_never_ends_a_page_with_a_header_kept_with_its_cell():
    """A stacked table's row, split at a page foot: its last column's header was left at
    the foot of one page and its cell began the next (igrt.ar, A5 large print)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handouts.layout.flowables import CalloutBox
    body = ParagraphStyle("b", fontName="Helvetica", fontSize=12, leading=15)
    header = ParagraphStyle("h", parent=body, fontName="Helvetica-Bold", keepWithNext=1)
    content = [Paragraph("Type", header), Paragraph("A long cell. " * 12, body),
               Paragraph("What you notice", header), Paragraph("Another long cell. " * 12, body)]
    box = CalloutBox(content, "#eeeeee", "#003087", 8, 500)
    _, full = box.wrap(200, 500)
    box.max_height = full - 1  # taller than a page: it must break somewhere
    heights = [f.wrap(box.inner_width(200), 500)[1] for f in content]
    room = 2 * 8 + heights[0] + heights[1] + heights[2] + 2  # up to the second header
    head, tail = box.split(200, room)
    assert head.content[-1] is not content[2], "the header ended the first part"
    assert tail.content[0] is content[2]
