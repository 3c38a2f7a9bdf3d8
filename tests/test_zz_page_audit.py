"""The page audit (issue 10), over every PDF the suite has built (conftest.suite_pdfs).

Looking at pages can be turned into checks; these are the ones that are exact:
- every glyph lies on the paper, at least 5 mm from its edge (a cut-off URL, a line that
  runs past the margin, a footer too close to the edge for a printer);
- every glyph lies inside the text column, whose edges the PDF itself records: the
  footer rule runs from the column's left edge to its right (a Chinese full stop hung
  past the margin, a URL ran into the fold of a booklet);
- no two lines of text overlap (their glyphs' ink boxes never cross);
- no page of a leaflet is blank (nor half a booklet sheet), and none but the last is less
  than 60% full before running text, nor less than 40% full before a figure, table or
  box that did not fit (issue 10.5);
- body text keeps a real gap above the footer rule, and the footer's last line stays at
  least 10 mm from the paper's bottom edge (issue 10.10: they were 3 pt and about 6 mm).
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pypdfium2
import pypdfium2.raw as raw
import pytest

from conftest import REPO
from handouts.cli import main

MM = 72 / 25.4
EDGE = 5 * MM
TOLERANCE = 1.0  # pt: glyph boxes come from font metrics, not ink
INVISIBLE = {0x20, 0x0A, 0x0D, 0xA0, 0xFFFE, 0xFFFF, 0x2028}
RULE_GAP = 6.0  # pt at least between body text and the footer rule (layout leaves 8)
FOOTER_EDGE = 10 * MM
T = TypeVar("T")


# Issue 10.5: no page but the last is less than 60% full before running text (it was a
# third: large print pages were left 60% empty before a callout, or the end matter's
# details, kept whole), nor less than a third full before a figure, table or box that did
# not fit (a figure takes at most 60% of a page: svgfigure.HEIGHT_SHARE; an urgent box is
# never split, and moved whole left A5 igrt's page 11 35% full). The PDF does not say
# which box is urgent: test_layout_geometry.py holds other boxes to 60% from the layout.
# Before a heading, half: a heading never ends a page without its lead-in and the first
# two lines of what follows, and in A5 large print that can ask for 40% of a page (a
# two-line Arabic heading, its lead-in and a list item: igrt.ar page 4 was 59% full).
MOSTLY_EMPTY = 0.6
LAST_PAGE_LEAST = 0.15  # a leaflet's last page: igrt.es left its disclaimer alone on one 4% full
BEFORE_A_HEADING = 0.5
BEFORE_A_BLOCK = 1 / 3
HEADING_SIZE = 1.15  # a first line this much larger than the page's usual text: a heading
SAME_LINE = 0.2  # of the font size: a mark or a raised citation still rides on its line


@dataclass(frozen=True)
class Rule:
    left: float
    right: float
    height: float


def _once(read: Callable[[Any], T]) -> Callable[[Any], T]:
    """`read(page)`, kept on the page object: the audit asks each page for its glyphs and
    rules several times, and reading them was most of the suite's longest test. (A new
    page object for each `pdf[n]`, and no caller changes what it is given.)"""
    name = f"_audit_{read.__name__}"

    @functools.wraps(read)
    def kept(page) -> T:
        found = getattr(page, name, None)
        if found is None:
            found = read(page)
            setattr(page, name, found)
        return found
    return kept


@_once
def footer_rules(page) -> list[Rule]:
    """The footer rules: long thin horizontal paths in the page's lower quarter (a booklet
    sheet has one per page, side by side, at one height). Each spans its text column."""
    width, height = page.get_size()
    found = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if top - bottom < 2 and right - left > width * 0.3 and top < height / 4:
            found.append(Rule(left, right, (bottom + top) / 2))
    return found


def _footer_rule(page) -> float | None:
    rules = footer_rules(page)
    return min(rule.height for rule in rules) if rules else None


@dataclass(frozen=True)
class Glyph:
    char: str
    box: tuple[float, float, float, float]  # left, bottom, right, top: the ink, not the advance
    baseline: float
    size: float


@_once
def glyphs(page) -> list[Glyph]:
    text = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    found = []
    for index in range(text.count_chars()):
        code = raw.FPDFText_GetUnicode(text.raw, index)
        box = text.get_charbox(index)
        if code in INVISIBLE or box[2] <= box[0] or box[3] <= box[1]:
            continue
        raw.FPDFText_GetCharOrigin(text.raw, index, x, y)
        found.append(Glyph(chr(code), box, y.value, raw.FPDFText_GetFontSize(text.raw, index)))
    return found


def _column_of(glyph: Glyph, rules: list[Rule]) -> Rule:
    middle = (glyph.box[0] + glyph.box[2]) / 2
    return min(rules, key=lambda rule: max(rule.left - middle, middle - rule.right, 0))


def glyphs_outside_the_column(page, found: list[Glyph]) -> list[str]:
    """Each glyph that sticks out of its column (header and footer included: they align
    with the column too)."""
    rules = footer_rules(page)
    problems = []
    for glyph in found if rules else ():
        column = _column_of(glyph, rules)
        left, _, right, _ = glyph.box
        if left < column.left - TOLERANCE or right > column.right + TOLERANCE:
            problems.append(f"{glyph.char!r} at x {left:.1f}-{right:.1f}, outside the column "
                            f"{column.left:.1f}-{column.right:.1f}")
    return problems


CELL = 8.0  # pt: glyphs are bucketed on a grid so only neighbours are compared (a cell
# smaller than a line keeps the pairs per cell few; boxes that cross share a cell at any size)


def overlapping_lines(found: list[Glyph]) -> list[str]:
    """Pairs of glyphs on different lines whose ink boxes cross by more than TOLERANCE."""
    grid: dict[tuple[int, int], list[int]] = {}
    for index in _may_cross(found):
        left, bottom, right, top = found[index].box
        for gx in range(int(left // CELL), int(right // CELL) + 1):
            for gy in range(int(bottom // CELL), int(top // CELL) + 1):
                grid.setdefault((gx, gy), []).append(index)
    pairs = {(a, b) for cell in grid.values() for a in cell for b in cell if a < b}
    problems = []
    for a, b in sorted(pairs):
        one, other = found[a], found[b]
        if abs(one.baseline - other.baseline) <= SAME_LINE * min(one.size, other.size):
            continue
        across = min(one.box[2], other.box[2]) - max(one.box[0], other.box[0])
        up = min(one.box[3], other.box[3]) - max(one.box[1], other.box[1])
        if across > TOLERANCE and up > TOLERANCE:
            problems.append(f"{one.char!r} and {other.char!r} overlap at x "
                            f"{max(one.box[0], other.box[0]):.0f}, y "
                            f"{max(one.box[1], other.box[1]):.0f}")
    return problems


def _may_cross(found: list[Glyph]) -> list[int]:
    """The indexes of the glyphs of lines whose ink's height range overlaps another
    line's by more than TOLERANCE, or whose baselines spread wider than SAME_LINE. A line
    here is a run of glyphs by baseline, each within SAME_LINE of the one before. Two
    glyphs that overlap_lines reports are among these: in two lines, their boxes cross,
    so the lines' ranges do; in one line, their baselines are further apart than
    SAME_LINE. On most pages no two lines' ranges meet, and nothing is compared."""
    order = sorted(range(len(found)), key=lambda i: found[i].baseline)
    lines: list[list[int]] = []
    for index in order:
        glyph = found[index]
        if lines and glyph.baseline - found[lines[-1][-1]].baseline <= SAME_LINE * glyph.size:
            lines[-1].append(index)
        else:
            lines.append([index])
    spans = [(min(found[i].box[1] for i in line), max(found[i].box[3] for i in line))
             for line in lines]
    suspect = set()
    for n, line in enumerate(lines):
        baselines = [found[i].baseline for i in line]
        if max(baselines) - min(baselines) > SAME_LINE * min(found[i].size for i in line):
            suspect.add(n)
        for m in range(n + 1, len(lines)):
            if min(spans[n][1], spans[m][1]) - max(spans[n][0], spans[m][0]) > TOLERANCE:
                suspect.update((n, m))
    return sorted(i for n in suspect for i in lines[n])


def body_fill(page) -> float | None:
    """How full the body of a page is: the height its content spans over the height from
    that content's top (the top of the frame) down to the footer rule."""
    rule = _footer_rule(page)
    if rule is None:
        return None
    spans = [(top, bottom) for obj in page.get_objects(max_depth=1)
             for _, bottom, _, top in [obj.get_bounds()] if bottom > rule + TOLERANCE]
    if not spans:
        return 0.0
    top = max(t for t, _ in spans)
    return (top - min(b for _, b in spans)) / (top - rule)


def blank_pages(page, found: list[Glyph], booklet: bool) -> list[str]:
    """A page with nothing on it; on a booklet sheet, a half with no text (its spare
    pages are lined Notes pages, issue 10.5: three blank pages ended wound-care's)."""
    if not booklet:
        return [] if found or list(page.get_objects()) else ["blank"]
    middle = page.get_size()[0] / 2
    halves = {"left": any(g.box[2] <= middle for g in found),
              "right": any(g.box[0] >= middle for g in found)}
    return [f"the {side} half of the sheet is blank" for side, full in halves.items()
            if not full]


def starts_with_a_block(page) -> bool:
    """The page starts with a picture or a drawn box (a figure, table or callout that did
    not fit on the page before), or with a heading kept with one: a box starts in the
    top HEADING_ROOM of the body, not running text."""
    rule = _footer_rule(page) or 0
    objects = [obj for obj in page.get_objects(max_depth=1) if obj.get_bounds()[1] > rule]
    if not objects:
        return False
    top = max(obj.get_bounds()[3] for obj in objects)
    boxes = [obj for obj in objects if obj.type in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH)
             and obj.get_bounds()[3] - obj.get_bounds()[1] > 20]
    return any(obj.get_bounds()[3] >= top - HEADING_ROOM * (top - rule) for obj in boxes)


HEADING_ROOM = 0.15  # of the body's height: a heading (even two lines of it) above a box


def mostly_empty_pages(pages: list) -> list[str]:
    """Pages but the last less than MOSTLY_EMPTY full when the next page starts with text,
    or less than BEFORE_A_BLOCK full when it starts with a block. Booklet sheets hold two
    pages in imposed order, so they are skipped here; the same A5 layout is audited page
    by page in test_the_examples_pass_the_audit_on_a5."""
    problems = []
    for number in range(len(pages) - 1):
        fill = body_fill(pages[number])
        following = pages[number + 1]
        if starts_with_a_block(following):
            least, what = BEFORE_A_BLOCK, "a figure, table or box"
        elif starts_with_a_heading(following):
            least, what = BEFORE_A_HEADING, "a heading"
        else:
            least, what = MOSTLY_EMPTY, "running text"
        if fill is not None and fill < least:
            problems.append(f"page {number + 1} is {fill:.0%} full and the next page starts "
                            f"with {what}")
    return problems


def starts_with_a_heading(page) -> bool:
    """The body's first line is set larger than most of the page's text."""
    rule = _footer_rule(page) or 0
    found = [g for g in glyphs(page) if g.box[1] > rule]
    if not found:
        return False
    usual = Counter(round(g.size, 1) for g in found).most_common(1)[0][0]
    top = max(g.baseline for g in found)
    first_line = [g for g in found if top - g.baseline <= SAME_LINE * g.size]
    return min(g.size for g in first_line) >= HEADING_SIZE * usual


def footer_problems(page, found: list[Glyph] | None = None) -> list[str]:
    """Body glyphs closer than RULE_GAP above the footer rule; footer glyphs closer than
    FOOTER_EDGE to the bottom edge."""
    rule = _footer_rule(page)
    if rule is None:
        return []
    boxes = [glyph.box for glyph in (glyphs(page) if found is None else found)]
    above = [b[1] - rule for b in boxes if b[1] > rule]
    below = [b[1] for b in boxes if b[3] < rule]
    problems = []
    if above and min(above) < RULE_GAP - TOLERANCE:
        problems.append(f"body text {min(above):.1f} pt above the footer rule (at least "
                        f"{RULE_GAP:g})")
    if below and min(below) < FOOTER_EDGE - TOLERANCE:
        problems.append(f"footer text {min(below) / MM:.1f} mm from the paper's edge (at "
                        "least 10)")
    return problems


def glyphs_near_the_edge(page, found: list[Glyph] | None = None) -> list[str]:
    """Each visible character closer than EDGE to the paper's edge, with where it is."""
    width, height = page.get_size()
    limit = EDGE - TOLERANCE
    return [f"{glyph.char!r} at x {left:.0f}-{right:.0f}, y {bottom:.0f}-{top:.0f} on a "
            f"{width:.0f} x {height:.0f} page"
            for glyph in (glyphs(page) if found is None else found)
            for left, bottom, right, top in [glyph.box]
            if left < limit or bottom < limit or right > width - limit or top > height - limit]


def audit(path) -> list[str]:
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return []  # a file a test planted as "not a PDF"
    problems = []
    try:
        pages = [pdf[number] for number in range(len(pdf))]  # each read once: _once
        for number, page in enumerate(pages):
            found = glyphs(page)
            near = glyphs_near_the_edge(page, found)
            if near:
                problems.append(f"page {number + 1}: {len(near)} glyphs within 5 mm of the "
                                f"edge, first {near[0]}")
            problems.extend(f"page {number + 1}: {problem}"
                            for problem in footer_problems(page, found))
            problems.extend(f"page {number + 1}: {half}" for half in
                            blank_pages(page, found, "booklet" in path.name))
            outside = glyphs_outside_the_column(page, found)
            if outside:
                problems.append(f"page {number + 1}: {len(outside)} glyphs outside the text "
                                f"column, first {outside[0]}")
            crossing = overlapping_lines(found)
            if crossing:
                problems.append(f"page {number + 1}: lines overlap, {crossing[0]}")
        if "booklet" not in path.name:
            problems.extend(mostly_empty_pages(pages))
    finally:
        pdf.close()
    return problems


def stub_last_page(path) -> list[str]:
    """The examples' last page is never a stub of the page before (a disclaimer or a
    name and a disclaimer alone: 4% and 10% full were seen). Not for every PDF the suite
    builds: a test's one-paragraph leaflet may end as short as it likes."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        fill = body_fill(pdf[len(pdf) - 1]) if len(pdf) > 1 and "booklet" not in path.name \
            else None
    finally:
        pdf.close()
    if fill is not None and fill < LAST_PAGE_LEAST:
        return [f"the last page is {fill:.0%} full"]
    return []


def examples_audit(path) -> list[str]:
    return audit(path) + stub_last_page(path)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.after_all
def test_every_page_of_every_pdf_keeps_its_text_on_the_paper(suite_pdfs):
    assert len(suite_pdfs) >= 7
    seen: set[str] = set()  # many tests build the same leaflet: audit each file once
    unique = [p for p in suite_pdfs if not ((digest := _digest(p)) in seen or seen.add(digest))]
    # on every core: this was the suite's longest test (100 s of 660 on one)
    with ProcessPoolExecutor(max_workers=len(os.sched_getaffinity(0)),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        found_all = list(pool.map(audit, unique, chunksize=8))
    failures = {str(path): found for path, found in zip(unique, found_all) if found}
    assert not failures, "\n".join(f"{path}: {'; '.join(found)}"
                                   for path, found in sorted(failures.items())[:20])


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_the_examples_pass_the_audit_in_every_variant(tmp_path, variant):
    out = tmp_path / "out"
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--variant",
                 variant]) == 0
    for path in sorted(out.glob("*.pdf")):
        assert examples_audit(path) == [], path.name


def test_the_examples_pass_the_audit_on_a5(tmp_path):
    """A booklet's pages are the A5 layout, imposed two to a sheet: audited here unimposed,
    where page order and fill can be read."""
    out = tmp_path / "out"
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--page-size",
                 "A5"]) == 0
    for path in sorted(out.glob("*.pdf")):
        assert examples_audit(path) == [], path.name


def test_the_examples_pass_the_audit_in_large_print_on_a5(a5_large_print_out):
    """The smallest column with the largest text: where keep rules cost the most."""
    pdfs = sorted(a5_large_print_out.glob("*.pdf"))
    assert len(pdfs) == 7
    for path in pdfs:
        assert examples_audit(path) == [], path.name


def _furnished_page(path, draw) -> None:
    """A one-page PDF with a footer rule across a column from x 57 to 538, and whatever
    `draw` puts on it."""
    from reportlab.pdfgen.canvas import Canvas
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setLineWidth(0.6)
    canvas.line(57, 60, 538, 60)
    canvas.setFont("Helvetica", 12)
    draw(canvas)
    canvas.save()


def test_the_audit_finds_text_outside_the_column_and_lines_that_overlap(tmp_path):
    path = tmp_path / "column.pdf"

    def draw(canvas):
        canvas.drawString(57, 700, "a line inside the column")
        canvas.drawString(500, 600, "a line that runs past the margin")
        canvas.drawString(57, 400, "first line")
        canvas.drawString(57, 405, "second line drawn over it")
    _furnished_page(path, draw)
    found = " ".join(audit(path))
    path.unlink()
    assert "outside the text column" in found and "lines overlap" in found
    assert "'i' at x" not in found.split("outside the text column")[1][:40]


def test_the_audit_passes_raised_citations_and_a_tidy_page(tmp_path):
    path = tmp_path / "tidy.pdf"

    def draw(canvas):
        text = canvas.beginText(57, 700)
        text.textOut("a claim with its citation")
        text.setRise(4)
        text.textOut("[1]")
        canvas.drawText(text)
        canvas.drawString(57, 683, "the next line, at a leading of 17 pt")
    _furnished_page(path, draw)
    found = audit(path)
    path.unlink()
    assert found == []


def _pages_of_lines(path, counts: tuple[int, ...]) -> None:
    """A PDF whose pages hold these counts of lines of running text, over a footer rule."""
    from reportlab.pdfgen.canvas import Canvas
    canvas = Canvas(str(path), pagesize=(595, 842))
    for lines in counts:
        canvas.setLineWidth(0.6)
        canvas.line(57, 60, 538, 60)
        canvas.setFont("Helvetica", 12)
        for line in range(lines):
            canvas.drawString(57, 780 - 17 * line, f"line {line + 1} of running text")
        canvas.showPage()
    canvas.save()


def test_the_audit_finds_a_stub_of_a_last_page(tmp_path):
    path = tmp_path / "stub.pdf"
    _pages_of_lines(path, (40, 2))  # a full page, then two lines
    assert stub_last_page(path) == ["the last page is 4% full"]
    assert audit(path) == []  # any other PDF may end short


def test_the_audit_finds_a_mostly_empty_page_before_running_text(tmp_path):
    path = tmp_path / "empty.pdf"
    _pages_of_lines(path, (3, 40, 40))  # page 1: three lines, then a page of text
    found = audit(path)
    path.unlink()
    assert found == ["page 1 is 6% full and the next page starts with running text"]


def test_the_audit_lets_a_page_end_at_half_before_a_heading_and_no_sooner(tmp_path):
    from reportlab.pdfgen.canvas import Canvas
    found = {}
    for lines in (26, 18):  # 59% and 41% full, then a heading and its text
        path = tmp_path / f"heading-{lines}.pdf"
        canvas = Canvas(str(path), pagesize=(595, 842))
        for page in (lines, 40):
            canvas.setLineWidth(0.6)
            canvas.line(57, 60, 538, 60)
            top = 780
            if page == 40:
                canvas.setFont("Helvetica-Bold", 20)
                canvas.drawString(57, top, "A heading")
                top -= 30
            canvas.setFont("Helvetica", 12)
            for line in range(page):
                canvas.drawString(57, top - 17 * line, f"line {line + 1} of running text")
            canvas.showPage()
        canvas.save()
        found[lines] = audit(path)
        path.unlink()
    assert found[26] == []
    assert found[18] == ["page 1 is 41% full and the next page starts with a heading"]


def test_the_audit_lets_a_page_end_early_before_a_figure_that_did_not_fit(tmp_path):
    from reportlab.pdfgen.canvas import Canvas
    path = tmp_path / "figure.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setLineWidth(0.6)
    canvas.line(57, 60, 538, 60)
    for line in range(20):  # 45% of the page: a figure taller than the rest moves on
        canvas.drawString(57, 780 - 17 * line, f"line {line + 1} before a tall figure")
    canvas.showPage()
    canvas.setLineWidth(0.6)
    canvas.line(57, 60, 538, 60)
    canvas.rect(57, 200, 481, 590, stroke=1, fill=0)
    canvas.showPage()
    canvas.save()
    found = audit(path)
    path.unlink()
    assert found == []


def test_the_audit_finds_a_page_left_mostly_empty_before_a_box(tmp_path):
    """A box (a callout kept whole) that left 70% of the page before it empty: it breaks
    across the pages instead (issue 10.5, the large print pages)."""
    from reportlab.pdfgen.canvas import Canvas
    path = tmp_path / "box.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    for lines in (12, 0):
        canvas.setLineWidth(0.6)
        canvas.line(57, 60, 538, 60)
        for line in range(lines):
            canvas.drawString(57, 780 - 17 * line, f"line {line + 1} of running text")
        if not lines:
            canvas.rect(57, 300, 481, 490, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    found = audit(path)
    path.unlink()
    assert found == ["page 1 is 27% full and the next page starts with a figure, table or "
                     "box"]


def test_the_audit_finds_a_glyph_off_the_page(tmp_path):
    """The audit itself: a PDF with text drawn at the paper's edge fails it."""
    from reportlab.pdfgen.canvas import Canvas
    path = tmp_path / "edge.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.drawString(590, 400, "cut off")
    canvas.save()
    found = audit(path)
    path.unlink()  # the audit of every PDF the suite leaves would report it again
    assert found and "within 5 mm" in found[0]


def test_the_audit_finds_text_crowding_the_footer(tmp_path):
    """The audit itself: body text 3 pt above a footer rule, a footer line 6 mm from the
    paper's edge (what large print and booklets had)."""
    from reportlab.pdfgen.canvas import Canvas
    path = tmp_path / "crowded.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setLineWidth(0.6)
    canvas.line(57, 60, 538, 60)
    canvas.drawString(57, 65, "body text sits on the rule")
    canvas.drawString(57, 6 * MM, "footer line")
    canvas.save()
    found = " ".join(audit(path))
    path.unlink()  # the audit of every PDF the suite leaves would report it again
    assert "above the footer rule" in found and "from the paper's edge" in found


def test_the_audit_finds_a_blank_half_of_a_booklet_sheet(tmp_path):
    from reportlab.pdfgen.canvas import Canvas
    path = tmp_path / "sample.booklet.pdf"
    canvas = Canvas(str(path), pagesize=(842, 595))
    canvas.drawString(500, 300, "the right-hand page has text, the left-hand one none")
    canvas.save()
    found = audit(path)
    path.unlink()
    assert found == ["page 1: the left half of the sheet is blank"]
