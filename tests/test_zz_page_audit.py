"""Runs last (by name): the page audit over every PDF the suite has built (issue 10).

Looking at pages can be turned into checks; these are the ones that are exact:
- every glyph lies on the paper, at least 5 mm from its edge (a cut-off URL, a line that
  runs past the margin, a footer too close to the edge for a printer);
- no page of a leaflet is blank.
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
