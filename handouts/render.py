"""Stage 4, render: Story -> PDF bytes (deterministic, tagged, PDF/UA metadata).

ReportLab draws with the tagging canvas; pdfua.finish adds the structure tree, artifacts
and metadata. Dates in the file come from the content, never the clock.
"""
from __future__ import annotations

from functools import partial
from io import BytesIO

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate

from .layout import Story
from .model import Leaflet
from .pdf.pdfua import DocumentInfo, finish
from .pdf.tags import TaggingCanvas


# Binary streams: ReportLab's ASCII85 encoder is pure Python here and was the largest
# single cost of a build (images and fonts), and ASCII85 makes files 25% bigger.
rl_config.useA85 = 0


def document_info(leaflet: Leaflet, organisation: str,
                  stamp: tuple[tuple[str, str], ...] = ()) -> DocumentInfo:
    gov = leaflet.governance
    return DocumentInfo(
        title=leaflet.title, author=f"{gov.author}, {organisation}",
        subject=leaflet.summary or leaflet.subtitle or leaflet.title,
        keywords=", ".join([gov.code, *leaflet.keywords]), language=leaflet.language,
        created=gov.published, modified=max(gov.published, gov.last_reviewed), stamp=stamp)


def render(story: Story, info: DocumentInfo) -> bytes:
    buffer = BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=story.geometry.size, pageTemplates=story.templates,
                          invariant=1, initialFontName=story.initial_font, title=info.title,
                          author=info.author, subject=info.subject, keywords=info.keywords,
                          lang=info.language, creator="handouts", pageCompression=1)
    canvas_maker = partial(TaggingCanvas, log=story.log, furniture=story.footer)
    doc.build(list(story.flowables), canvasmaker=canvas_maker)
    return finish(buffer.getvalue(), story.log, info)
