"""Issue 10.3-10.4: runs that never break across lines, and lines kept with what follows.

Each test builds a leaflet made to break the layout (the run at a line end, the lead-in,
caption or heading at a page foot, over a range of positions) and reads the PDF back with
poppler (pdftotext) and pdfium.
"""
from __future__ import annotations

import shutil
import subprocess
import textwrap

import pikepdf
import pytest

from conftest import MINIMAL, page_texts, squash, with_blocks

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None and not __import__("os")
                                .environ.get("CI"), reason="needs poppler-utils (pdftotext)")

VARIANTS = range(1, 41)  # the words before a run grow by one character each time
FILLER = "Please read the part"  # short: at n 1-40 the runs cross every measure's line end


def _poppler(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _texts(path) -> dict[str, str]:
    """The whole document's text as poppler and as pdfium read it (lines kept)."""
    pdfium = "\n".join(page_texts(path)).replace("\r\n", "\n")
    return {"poppler": _poppler(path), "pdfium": pdfium}


def _splits(run: str) -> list[str]:
    """Every way `run` could be broken over two lines: at each space, and (a run of one
    word, an email address) between any two of its characters."""
    if " " in run:
        return [run[:i].rstrip() + "\n" + run[i + 1:] for i, ch in enumerate(run) if ch == " "]
    return [run[:i] + "\n" + run[i:] for i in range(1, len(run))]


def _paragraphs(kind: str, source_run: str) -> list[str]:
    return [f"Q{kind}{n:02d} {'a' * n} {FILLER} {source_run} and the words after it Z{kind}."
            for n in VARIANTS]


RUNS = {  # kind: (as written in the YAML, as printed)
    "phone": ("020 7946 0199", "020 7946 0199"),
    "email": ("patient.advice@riverside.nhs.uk", "patient.advice@riverside.nhs.uk"),
    "date": ("12 January 2026", "12 January 2026"),
    "cite": ("studies [@two; @three]", "studies [2, 3]"),
    "call": ("call 999", "call 999"),
    "nhs": ("NHS 111", "NHS 111"),
    "dose": ("75 mg", "75 mg"),
    "postcode": ("SE1 0ZZ", "SE1 0ZZ"),
    "clock": ("4:30 p.m.", "4:30 p.m."),
    "building": ("1 Embankment", "1 Embankment"),  # a building number and its street
    "compare": ("> 120", "> 120"),
    "duration": ("24 hours", "24 hours"),  # CLDR's names for units of time
}

REFERENCES = """\
  - id: two
    citation: Second source. Another page.
  - id: three
    citation: Third source. One more page.
"""


@pytest.fixture(scope="module")
def runs_pdf(tmp_path_factory):
    """One leaflet with 40 paragraphs per kind of run, each run a character further on."""
    from conftest import Catalogue
    catalogue = Catalogue(tmp_path_factory.mktemp("runs"))
    blocks = "".join(f"- paragraph: \"{text}\"\n" for kind, (source, _) in RUNS.items()
                     for text in _paragraphs(kind, source))
    leaflet = with_blocks(blocks) + REFERENCES
    catalogue.leaflet(leaflet)
    assert catalogue.build(*(f"--variant={v}" for v in VARIANT_NAMES)) == 0
    return catalogue.out / "sample.pdf"


VARIANT_NAMES = ("standard", "large-print", "booklet")  # three measures of line


@pytest.mark.parametrize("kind", RUNS)
def test_a_run_never_breaks_across_lines(runs_pdf, kind):
    _, printed = RUNS[kind]
    for pdf, (reader, text) in [(pdf, read) for pdf in sorted(runs_pdf.parent.glob("*.pdf"))
                                for read in _texts(pdf).items()]:
        reader = f"{reader} ({pdf.name})"
        broken = [s for s in _splits(printed) if s in text]
        assert not broken, f"{reader} reads {kind} run {printed!r} broken as {broken[0]!r}"
        # each paragraph's run is read whole, with the plain spaces the editor typed
        assert text.count(printed) >= len(VARIANTS), (reader, kind, text.count(printed))
        assert "\u00a0" not in text and "\u2060" not in text, reader


def test_the_runs_sit_at_line_ends(runs_pdf):
    """The leaflet really tests something: for each kind of run, some variants end a line
    with it (the run is the last thing on its line), so it was at a possible break."""
    text = _poppler(runs_pdf)
    for kind, (_, printed) in RUNS.items():
        at_end = sum(line.rstrip().endswith(printed) for line in text.splitlines())
        assert at_end >= 1, f"no {kind} run ends a line: the test needs other lengths"


def test_the_text_reads_as_written(runs_pdf):
    """Words read back equal the source words (paragraphs on one page, in both readers)."""
    paragraphs = [p.replace(source, printed) for kind, (source, printed) in RUNS.items()
                  for p in _paragraphs(kind, source)]
    for reader, pages in (("pdfium", page_texts(runs_pdf)),
                          ("poppler", _poppler(runs_pdf).split("\f"))):
        whole = [squash(page) for page in pages]
        found = sum(any(p in page for page in whole) for p in paragraphs)
        assert found >= len(paragraphs) - 12, (reader, found)  # the rest cross a page end


def test_a_phone_number_in_a_table_cell_stays_on_one_line(catalogue):
    """Column widths hold the whole number, as the cell prints it unbroken."""
    rows = "".join(f"      - [\"{'Clinic ' * (n % 4)}ward {n}\", \"Ring 020 7946 01{n:02d} "
                   f"any day\", \"Ask at reception for the nurse in charge of the ward\"]\n"
                   for n in range(12))
    catalogue.leaflet(with_blocks("- table:\n    header: [Ward, Number, Notes]\n    rows:\n"
                                  + rows))
    assert catalogue.build() == 0
    for reader, text in _texts(catalogue.out / "sample.pdf").items():
        for n in range(12):
            number = f"020 7946 01{n:02d}"
            assert not [s for s in _splits(number) if s in text], (reader, number)
            assert number in text, (reader, number)


def test_footer_dates_never_break(catalogue):
    """The footer's 'Last reviewed 10 January 2026' (a label's date) on a narrow page."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "booklet", "--variant", "large-print") == 0
    for pdf in catalogue.out.glob("sample*.pdf"):
        for reader, text in _texts(pdf).items():
            assert "Last reviewed 10 January 2026" in text, (pdf.name, reader)
            assert not [s for s in _splits("10 January 2026") if s in text], (pdf.name, reader)


# ---- 10.4: stranded lines ------------------------------------------------------------

FILL_RANGE = range(14, 30)  # list items before the block: its place on page 1 or 2


def _filled(count: int, blocks: str, sections: str = "") -> str:
    """MINIMAL with `count` lines of filler, then `blocks`, then more `sections` (YAML at
    the indentation of a section list)."""
    # list items: the smallest step a block's place can move by (one line and a little)
    fill = "- bullets:\n" + "".join(f"  - Line {n} of the text that fills the page.\n"
                                     for n in range(count))
    text = with_blocks(fill + "- paragraph: End of the filler.\n" + textwrap.dedent(blocks))
    return text.replace("references:", textwrap.indent(textwrap.dedent(sections), "  ") +
                        "references:")


def _build_each(catalogue, blocks: str, sections: str = "", counts=FILL_RANGE) -> dict:
    for count in counts:
        text = _filled(count, blocks, sections).replace("id: sample", f"id: fill{count}")
        text = text.replace("PIL-9001", f"PIL-{9100 + count}")
        catalogue.leaflet(text, f"fill{count}")
    assert catalogue.build() == 0
    return {count: catalogue.out / f"fill{count}.pdf" for count in counts}


def _page_of(pages: list[str], marker: str) -> int:
    found = [n for n, page in enumerate(pages) if marker in squash(page)]
    assert found, f"{marker!r} is not in the PDF"
    return found[0]


def _assert_together(pdfs: dict, first: str, then: str) -> None:
    """`first` is on the page where `then` starts, in every variant; and in some variant
    `first` would have fitted at the foot of the page before (so the case is tested)."""
    moved = 0
    for count, pdf in pdfs.items():
        pages = page_texts(pdf)
        here, there = _page_of(pages, first), _page_of(pages, then)
        assert here == there, f"{count} lines of filler: {first!r} on page {here + 1}, " \
                              f"{then!r} on page {there + 1}"
        moved += here > 0
    assert moved, "the block never reached page 2: the filler range needs to be longer"


def test_a_lead_in_stays_with_its_list(catalogue):
    pdfs = _build_each(catalogue, """\
        - paragraph: "Before the test you will need:"
        - bullets: ["FIRSTITEM a letter from your GP", "your medicines"]
        """)
    _assert_together(pdfs, "you will need:", "FIRSTITEM")


def test_a_lead_in_stays_with_a_table(catalogue):
    pdfs = _build_each(catalogue, """\
        - paragraph: "These are the times:"
        - table:
            header: [Day, FIRSTCELL]
            rows: [[Monday, 9am], [Tuesday, 10am], [Wednesday, 11am]]
        """)
    _assert_together(pdfs, "the times:", "FIRSTCELL")


def test_a_long_table_caption_stays_with_its_table(catalogue):
    # six lines: more than the old room of two caption lines and three rows
    caption = "CAPTIONSTART " + "A caption that runs over several lines of the page " * 7
    pdfs = _build_each(catalogue, f"""\
        - table:
            caption: "{caption.strip()}"
            header: [Day, FIRSTCELL]
            rows: [[Monday, 9am], [Tuesday, 10am], [Wednesday, 11am]]
        """)
    _assert_together(pdfs, "CAPTIONSTART", "FIRSTCELL")


def _image_pages(pdf) -> list[int]:
    with pikepdf.open(pdf) as doc:
        return [n for n, page in enumerate(doc.pages)
                if any(str(x.get("/Subtype")) == "/Image" and x.get("/Width") == 600
                       for x in page.Resources.get("/XObject", {}).values())]


def _assert_with_figure(pdfs: dict, marker: str) -> None:
    moved = 0
    for count, pdf in pdfs.items():
        page = _page_of(page_texts(pdf), marker)
        assert _image_pages(pdf) == [page], (count, _image_pages(pdf), page)
        moved += page > 0
    assert moved, "the figure never reached page 2: the filler range needs to be longer"


FIGURE = """\
    - figure: box.png
      alt: A blue box.
      caption: "FIGCAPTION The blue box."
    """


def _blue_box(catalogue) -> None:
    from PIL import Image
    Image.new("RGB", (600, 300), "#3070b0").save(catalogue.root / "leaflets" / "box.png")


def test_a_figure_caption_stays_with_its_figure(catalogue):
    _blue_box(catalogue)
    _assert_with_figure(_build_each(catalogue, FIGURE), "FIGCAPTION")


def test_a_lead_in_stays_with_a_figure(catalogue):
    _blue_box(catalogue)
    pdfs = _build_each(catalogue, '- paragraph: "LEADIN The picture shows the box:"\n' +
                       textwrap.dedent(FIGURE))
    _assert_with_figure(pdfs, "LEADIN")


def test_a_heading_stays_with_a_table_below_it(catalogue):
    """The heading's old room (two heading lines, three text lines) was less than the
    table's (its caption and first rows): the table moved on and left the heading."""
    pdfs = _build_each(catalogue, "- paragraph: End of the section.\n", """\
        - heading: HEADINGTABLE Times
          blocks:
            - table:
                caption: Opening times of the clinic
                header: [Day, FIRSTCELL]
                rows: [[Monday, 9am], [Tuesday, 10am], [Wednesday, 11am]]
        """)
    _assert_together(pdfs, "HEADINGTABLE", "FIRSTCELL")


def test_a_heading_stays_with_its_first_sub_heading(catalogue):
    """A section with no text of its own: its heading goes with the sub-section's."""
    pdfs = _build_each(catalogue, "- paragraph: End of the section.\n", """\
        - heading: OUTERHEADING Your stay
          sections:
            - heading: INNERHEADING The ward
              blocks:
                - paragraph: "FIRSTWORDS The ward has twelve beds and a day room."
        """)
    _assert_together(pdfs, "OUTERHEADING", "FIRSTWORDS")


def test_a_long_heading_stays_with_its_text(catalogue):
    """A heading of three lines needs room for three lines, not two."""
    heading = "LONGHEADING " + "What you need to know about the test " * 5
    pdfs = _build_each(catalogue, "- paragraph: End of the section.\n", f"""\
        - heading: "{heading.strip()}"
          blocks:
            - paragraph: "FIRSTWORDS {'The text of the section goes on. ' * 6}"
        """)
    _assert_together(pdfs, "LONGHEADING", "FIRSTWORDS")


@pytest.mark.parametrize("language, region, text, runs", [
    ("es", "ES", "Cita el 12 de enero de 2026: llame al 112.", ["12 de enero de 2026", "al 112"]),
    ("es", "ES", "Espere 20 minutos, de 2 a 4 horas.", ["20 minutos", "2 a 4 horas"]),
    ("ar", "GB", "انتظر 20 دقيقة ثم 3 ساعات.", ["20 دقيقة", "3 ساعات"]),
    ("en-US", "US", "Call 911 or (202) 555-0143 by January 12, 2026.",
     ["Call 911", "(202) 555-0143", "January 12, 2026"]),
    ("en-GB", "GB", "Ring +44 20 7946 0199 before 3 March.", ["+44 20 7946 0199", "3 March"]),
])
def test_runs_are_found_in_the_leaflets_language_and_region(language, region, text, runs):
    """Month names come from the leaflet's language and numbers from the brand's region;
    only the spaces inside a run change, so the text is otherwise as written."""
    from handouts.layout.markup import RunKeeper
    kept = RunKeeper(language, region)(text)
    assert kept.replace("\u00a0", " ") == text
    for run in runs:
        assert run.replace(" ", "\u00a0") in kept, (run, kept)
    assert kept.count("\u00a0") == sum(run.count(" ") for run in runs), kept


def test_words_that_are_no_run_stay_breakable():
    from handouts.layout.markup import RunKeeper
    text = "Take 2 tablets 3 times a day; readings of 10 20 30 40 are fine."
    assert RunKeeper()(text) == text
    assert RunKeeper()("for 14 days") == "for 14\u00a0days"  # a duration is a run
    assert RunKeeper()("In an emergency, 999.") == "In an emergency, 999."


@pytest.mark.parametrize("reader", ["pdfium", "poppler"])
def test_no_example_reads_back_a_replacement_character(example_out, reader):
    """A glyph whose text was lost reads as U+FFFD (or U+FFFF): igrt.ar broken twice read
    'مشيًا' with one in poppler, while 99.9% of its words still matched."""
    import subprocess

    import pypdfium2
    for path in sorted(example_out.glob("*.pdf")):
        if reader == "poppler":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout
        else:
            pdf = pypdfium2.PdfDocument(str(path))
            text = "".join(page.get_textpage().get_text_range() for page in pdf)
            pdf.close()
        assert "\ufffd" not in text and "\uffff" not in text, path.name


def test_a_range_stays_with_its_unit():
    """A5 large print printed 'takes 20 to' / '45 minutes' and '7 to' / '9 hours'."""
    from handouts.layout.markup import RunKeeper
    assert RunKeeper()("It takes 20 to 45 minutes.") == "It takes 20\u00a0to\u00a045\u00a0minutes."
    assert RunKeeper("es")("de 2 a 4 horas") == "de 2\u00a0a\u00a04\u00a0horas"
    assert RunKeeper("ru")("от 2 до 3 дней") == "от 2\u00a0до\u00a03\u00a0дней"
    assert RunKeeper()("Visits take 10-30 minutes") == "Visits take 10-30\u00a0minutes"
    # a number that is no count stays apart from a range after it
    assert RunKeeper()("Room 4 and 2 to 3 days") == "Room 4 and 2\u00a0to\u00a03\u00a0days"


def test_a_citation_never_starts_a_line_even_after_a_plain_space():
    """Right-to-left text joins a word and its citation with a plain space (see
    typeset.plain_edge_joiners), and igrt.ar printed '[4]' alone at the start of a line.
    The word before goes down with it, and the line it leaves keeps its alignment."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from handouts.layout.lines import LinearParagraph
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=12, leading=16,
                           alignment=TA_RIGHT)
    first = "It is safe to be close to people who are pregnant"
    width = stringWidth(first, "Helvetica", 12) + 2  # the citation would start line 2
    for citation in ("[4]", "[1, 2]"):
        source = f"{first} {citation} and more words after it, on the next line."
        paragraph = LinearParagraph(source, style)
        paragraph.wrap(width, 1000)
        lines = paragraph.blPara.lines
        texts = [" ".join(map(str, line[1])) for line in lines]
        assert texts[1].startswith(f"pregnant {citation}"), texts
        assert " ".join(texts).split() == source.split()
        assert all(line[0] >= -0.01 for line in lines), lines  # every line inside
        used = stringWidth(texts[0], "Helvetica", 12)
        assert abs(lines[0][0] - (width - used)) < 0.5, lines[0]  # drawn at the right edge


def test_no_example_starts_a_line_with_a_citation(example_out):
    """Arabic included: pdfium reads a right-to-left line's '[4].' as '.[4]', and igrt.ar
    printed it alone on a line (a plain space before it: typeset.plain_edge_joiners)."""
    import re

    import pypdfium2
    for path in sorted(example_out.glob("*.pdf")):
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            starts = [line.strip() for page in pdf
                      for line in page.get_textpage().get_text_range().splitlines()
                      if re.match(r"\s*[.\u060c]?\[\d", line)]
        finally:
            pdf.close()
        assert starts == [], (path.name, starts)


def test_a_reused_keeper_answers_as_a_fresh_one():
    """The brand's texts are kept once a process per language and region (RunKeeper
    reused): the same answers, and none carried to another region or language."""
    from handouts.layout.markup import RunKeeper
    texts = ["Call 020 7946 0410 from 8 am", "Open 12 January 2026", "Ring 0800 123 4567 now"]
    for language, region in (("en-GB", "GB"), ("en-US", "US"), ("es", "ES")):
        fresh, reused = RunKeeper(language, region), RunKeeper(language, region, reused=True)
        assert [reused(t) for t in texts] == [fresh(t) for t in texts]
        assert [reused(t) for t in texts] == [fresh(t) for t in texts]  # from the cache
    assert RunKeeper("en-GB", "GB", True)(texts[2]) == "Ring 0800\u00a0123\u00a04567 now"
    assert RunKeeper("en-US", "US", True)(texts[2]) == texts[2]  # no number in the US


def test_no_chinese_paragraph_ends_with_one_letter_alone(example_out, a5_large_print_out):
    """A paragraph's last line held a single letter and its full stop ('织。', '来。'; '时'
    of '24 小时' under A5 large print's opening hours): 21 lines in the zh-Hans builds.
    The letter before goes down with it."""
    import re

    import pypdfium2
    letter = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    alone = []
    for path in (example_out / "igrt.zh-Hans.pdf",
                 a5_large_print_out / "igrt.zh-Hans.large-print.pdf"):
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            alone += [(path.name, line.strip()) for page in pdf
                      for line in page.get_textpage().get_text_range().splitlines()
                      if len(letter.findall(line)) == 1 and len(line.strip()) <= 3]
        finally:
            pdf.close()
    assert alone == []


def test_a_footer_part_wider_than_the_column_breaks_outside_its_date():
    """Somali's 'Dib-u-eegiddii ugu dambeysay Janaayo 10, 2026' ran past the A5 large
    print column (the page audit's glyph check caught it): it goes on two lines now, its
    date whole on the second."""
    from handouts.layout.page import fit_lines
    parts = ["PIL-9001 v2 LP", "Dib-u-eegiddii ugu dambeysay Janaayo 10, 2026",
             "Dib-u-eegidda xigta Janaayo 10, 2029"]
    dates = ("Janaayo 10, 2026", "Janaayo 10, 2029")
    lines = fit_lines(parts, "Helvetica", 16, 180, dates, 300)
    assert lines == ["PIL-9001 v2 LP", "Dib-u-eegiddii ugu dambeysay", "Janaayo 10, 2026",
                     "Dib-u-eegidda xigta Janaayo 10, 2029"]
    assert fit_lines(parts, "Helvetica", 16, 180, dates, 180)[-2:] == \
        ["Dib-u-eegidda xigta", "Janaayo 10, 2029"]


def test_a_paragraph_wrapped_again_at_its_width_is_not_broken_again(monkeypatch):
    """A group kept together, a callout or a table cell is measured and then placed: the
    same width gives the same lines, so they are broken once (12% of a leaflet's time)."""
    from reportlab.lib.styles import ParagraphStyle

    from handouts.layout.lines import LinearParagraph
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=12, leading=16)
    paragraph = LinearParagraph("Drink a glass of water before you come. " * 6, style)
    broken: list[float] = []
    own = LinearParagraph.breakLines
    monkeypatch.setattr(LinearParagraph, "breakLines",
                        lambda self, width: broken.append(width) or own(self, width))
    first = paragraph.wrap(200, 1000)
    lines = [line[1] for line in paragraph.blPara.lines]
    assert paragraph.wrap(200, 500) == first and len(broken) == 1
    assert [line[1] for line in paragraph.blPara.lines] == lines
    narrower = paragraph.wrap(150, 1000)  # another width: broken again
    assert len(broken) == 2 and narrower[1] > first[1]
    assert paragraph.wrap(200, 1000) == first and len(broken) == 3
