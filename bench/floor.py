"""The floor: what someone would hand-write with ReportLab alone for a leaflet's YAML.

Same text and TrueType font as handouts, with paragraphs, lists, callouts as lists,
tables, figures, references, a logo and page numbers; no brand, no tagging, no checks.
It imports nothing of handouts, so its cold build is ReportLab's own start-up and work.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Image, ListFlowable, Paragraph, SimpleDocTemplate, Table

LOGO = Path(__file__).resolve().parents[1] / "templates" / "riverside-trust" / "logo.png"


def load_source(path: Path) -> dict:
    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    source["folder"] = path.parent
    return source


def floor_pdf(source: dict, font: str, bold: str) -> bytes:
    body = ParagraphStyle("b", fontName=font, fontSize=13, leading=19)
    head = ParagraphStyle("h", fontName=bold, fontSize=19, leading=23, spaceBefore=12)
    story = [Paragraph(escape(source["title"]), ParagraphStyle("t", parent=head, fontSize=26,
                                                               leading=31))]
    for section in source["sections"]:
        _section(section, story, body, head, source["folder"])
    for number, ref in enumerate(source.get("references", ()), 1):
        story.append(Paragraph(f"{number}. {escape(ref['citation'])}", body))

    def page_number(canvas, doc):
        if doc.page == 1:
            canvas.drawImage(str(LOGO), 56, 780, 45, 45)
        canvas.setFont(font, 9)
        canvas.drawRightString(550, 30, f"Page {doc.page}")

    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1, initialFontName=font).build(
        story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()


def _section(section: dict, story: list, body, head, folder: Path) -> None:
    story.append(Paragraph(escape(section["heading"]), head))
    for block in section.get("blocks", ()):
        if "paragraph" in block:
            story.append(Paragraph(escape(block["paragraph"]), body))
        elif "bullets" in block or "steps" in block or "callout" in block:
            items = [block["text"]] if block.get("text") else []
            items += block.get("bullets") or block.get("steps") or []
            story.append(ListFlowable([Paragraph(escape(str(i)), body) for i in items],
                                      bulletType="bullet", bulletFontName=font_of(body)))
        elif "table" in block:
            table = block["table"]
            story.append(Table([[Paragraph(escape(str(c)), body) for c in row]
                                for row in (table["header"], *table["rows"])], repeatRows=1))
        elif "figure" in block:
            story.append(_figure(folder / block["figure"]))
    for sub in section.get("sections", ()):
        _section(sub, story, body, head, folder)


def font_of(style: ParagraphStyle) -> str:
    return style.fontName


def _figure(path: Path):
    """A raster through Image; an SVG through svglib, as a hand-written script would."""
    if path.suffix.lower() != ".svg":
        return Image(str(path), width=300, height=200)
    from svglib.svglib import svg2rlg
    drawing = svg2rlg(str(path))
    scale = 300 / drawing.width
    drawing.scale(scale, scale)
    drawing.width, drawing.height = 300, drawing.height * scale
    return drawing
