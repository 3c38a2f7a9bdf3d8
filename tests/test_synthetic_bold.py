"""A font with one weight (the Chinese and Japanese fonts here) prints bold in synthetic
bold: the glyphs filled and stroked (text render mode 2). Inline **bold** used to print
as regular text in those scripts, so the editor's emphasis was lost (a page review of
igrt.zh-Hans: 纹身标记, 膀胱适度充盈); headings are emboldened the same way."""
from __future__ import annotations

import ctypes

import pypdfium2
import pypdfium2.raw as raw

from handouts.content import load_catalogue
from handouts.model import block_texts

from conftest import REPO


def text_objects(path, page_number: int) -> list[tuple[str, int]]:
    """(text, render mode) of each text object on a page, as pdfium reads them."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[page_number - 1]
        textpage = page.get_textpage()
        found = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = (ctypes.c_ushort * size)()
            raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size * 2)
            text = bytes(buffer).decode("utf-16-le").rstrip("\x00")
            found.append((text, raw.FPDFTextObj_GetTextRenderMode(obj.raw)))
        return found
    finally:
        pdf.close()


def bold_spans(leaflet) -> list[str]:
    """The texts the editor wrote in **bold**."""
    return [span.text for section in leaflet.walk_sections() for block in section.blocks
            for text in block_texts(block) for span in text.spans if span.bold]


def test_inline_bold_in_a_one_weight_font_is_drawn_bold(example_out):
    chinese = next(t for t in load_catalogue(REPO / "content.yaml").translations
                   if t.language == "zh-Hans")
    wanted = bold_spans(chinese)
    assert "纹身标记" in wanted
    pdf = pypdfium2.PdfDocument(str(example_out / "igrt.zh-Hans.pdf"))
    pages = len(pdf)
    pdf.close()
    drawn = [(text, mode) for n in range(1, pages + 1)
             for text, mode in text_objects(example_out / "igrt.zh-Hans.pdf", n)]
    bold = "".join(text for text, mode in drawn if mode == 2)
    regular = "".join(text for text, mode in drawn if mode == 0)
    han = [part for span in wanted for part in span.split() if part[0] >= "\u3000"]
    assert len(han) > 5  # a Latin word or number in a span ('CT', '999') is set in the
    assert [part for part in han if part not in bold] == []  # brand's real bold face
    assert "称为" in regular and "称为" not in bold  # the words round a bold span are not


def test_a_font_with_a_bold_face_uses_it(example_out):
    """English has Atkinson Hyperlegible Bold: nothing is stroked."""
    assert all(mode == 0 for n in (1, 2, 3)
               for _, mode in text_objects(example_out / "igrt.pdf", n))


def test_synthetic_bold_is_stroked_in_its_own_colour(example_out):
    """A white table header on its blue bar, a blue heading: the stroke that thickens
    the glyphs is the fill colour (a page review saw black outlines, hollow white text)."""
    pdf = pypdfium2.PdfDocument(str(example_out / "igrt.zh-Hans.pdf"))
    try:
        colours = set()
        for page in pdf:
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
                if raw.FPDFTextObj_GetTextRenderMode(obj.raw) != 2:
                    continue
                fill, stroke = [(ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(),
                                 ctypes.c_uint()) for _ in range(2)]
                raw.FPDFPageObj_GetFillColor(obj.raw, *(ctypes.byref(c) for c in fill))
                raw.FPDFPageObj_GetStrokeColor(obj.raw, *(ctypes.byref(c) for c in stroke))
                fill_rgb = tuple(c.value for c in fill[:3])
                assert fill_rgb == tuple(c.value for c in stroke[:3])
                colours.add(fill_rgb)
    finally:
        pdf.close()
    assert (255, 255, 255) in colours and len(colours) >= 3  # header, headings, body bold
