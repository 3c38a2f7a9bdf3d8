"""Runs last (by name): the page audit over every PDF the suite has built (issue 10).

Looking at pages can be turned into checks; these are the ones that are exact:
- every glyph lies on the paper, at least 5 mm from its edge (a cut-off URL, a line that
  runs past the margin, a footer too close to the edge for a printer);
- no page of a leaflet is blank;
- body text keeps a real gap above the footer rule, and the footer's last line stays at
  least 10 mm from the paper's bottom edge (issue 10.10: they were 3 pt and about 6 mm).
"""
from __future__ import annotations

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


def _footer_rule(page) -> float | None:
    """The height of the footer rule: the lowest long thin horizontal path in the page's
    lower quarter (a booklet sheet has one per page, side by side, at one height)."""
    width, height = page.get_size()
    found = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if top - bottom < 2 and right - left > width * 0.3 and top < height / 4:
            found.append((bottom + top) / 2)
    return min(found) if found else None


def _glyph_boxes(page) -> list[tuple[float, float, float, float]]:
    text = page.get_textpage()
    boxes = [text.get_charbox(i) for i in range(text.count_chars())
             if raw.FPDFText_GetUnicode(text.raw, i) not in INVISIBLE]
    return [b for b in boxes if b[2] > b[0] and b[3] > b[1]]


def footer_problems(page) -> list[str]:
    """Body glyphs closer than RULE_GAP above the footer rule; footer glyphs closer than
    FOOTER_EDGE to the bottom edge."""
    rule = _footer_rule(page)
    if rule is None:
        return []
    boxes = _glyph_boxes(page)
    above = [b[1] - rule for b in boxes if b[1] > rule]
    below = [b[1] for b in boxes if b[3] < rule]
    found = []
    if above and min(above) < RULE_GAP - TOLERANCE:
        found.append(f"body text {min(above):.1f} pt above the footer rule (at least "
                     f"{RULE_GAP:g})")
    if below and min(below) < FOOTER_EDGE - TOLERANCE:
        found.append(f"footer text {min(below) / MM:.1f} mm from the paper's edge (at least "
                     "10)")
    return found


def glyphs_near_the_edge(page) -> list[str]:
    """Each visible character closer than EDGE to the paper's edge, with where it is."""
    width, height = page.get_size()
    text = page.get_textpage()
    found = []
    limit = EDGE - TOLERANCE
    for index in range(text.count_chars()):
        code = raw.FPDFText_GetUnicode(text.raw, index)
        if code in INVISIBLE:
            continue
        left, bottom, right, top = text.get_charbox(index)
        if right - left <= 0 or top - bottom <= 0:
            continue
        if left < limit or bottom < limit or right > width - limit or top > height - limit:
            found.append(f"{chr(code)!r} at x {left:.0f}-{right:.0f}, y {bottom:.0f}-{top:.0f}"
                         f" on a {width:.0f} x {height:.0f} page")
    return found


def audit(path) -> list[str]:
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return []  # a file a test planted as "not a PDF"
    problems = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            near = glyphs_near_the_edge(page)
            if near:
                problems.append(f"page {number + 1}: {len(near)} glyphs within 5 mm of the "
                                f"edge, first {near[0]}")
            problems.extend(f"page {number + 1}: {found}" for found in footer_problems(page))
            blank = page.get_textpage().count_chars() == 0 and not list(page.get_objects())
            if blank and "booklet" not in path.name:  # a booklet pads with blank pages
                problems.append(f"page {number + 1} is blank")
    finally:
        pdf.close()
    return problems


def test_every_page_of_every_pdf_keeps_its_text_on_the_paper(tmp_path_factory, example_out):
    pdfs = sorted(p for p in tmp_path_factory.getbasetemp().rglob("*.pdf") if p.is_file())
    assert len(pdfs) >= 7
    failures = {str(path): found for path in pdfs if (found := audit(path))}
    assert not failures, "\n".join(f"{path}: {'; '.join(found)}"
                                   for path, found in sorted(failures.items())[:20])


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_the_examples_pass_the_audit_in_every_variant(tmp_path, variant):
    out = tmp_path / "out"
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--variant",
                 variant]) == 0
    for path in sorted(out.glob("*.pdf")):
        assert audit(path) == [], path.name


def test_the_audit_finds_a_glyph_off_the_page(tmp_path):
    """The audit itself: a PDF with text drawn at the paper's edge fails it."""
    from reportlab.pdfgen.canvas import Canvas
    path = tmp_path / "edge.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.drawString(590, 400, "cut off")
    canvas.save()
    assert audit(path) and "within 5 mm" in audit(path)[0]


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
    assert "above the footer rule" in found and "from the paper's edge" in found
    path.unlink()  # the audit of every PDF the suite leaves would report it again
