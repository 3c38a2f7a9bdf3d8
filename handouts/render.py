"""Stage 4, render: Story -> PDF bytes (deterministic, tagged, PDF/UA metadata).

ReportLab draws with the tagging canvas; pdfua.finish adds the structure tree, artifacts
and metadata. Dates in the file come from the content, never the clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from io import BytesIO

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from .layout import Story
from .model import Leaflet
from .pdf.pdfua import DocumentInfo, finish
from .pdf.tags import CALLBACK, TaggingCanvas, link_target
from .rlhooks import frame_cursor


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


@dataclass(frozen=True)
class Placed:
    """Where a flowable of the story landed: its page, structure role, and its top and
    bottom in points from the page's bottom edge."""
    page: int
    role: str
    top: float
    bottom: float
    width: float
    kind: str | None = None  # a callout box's kind ("urgent"...), else None


class _PlacingDoc(BaseDocTemplate):
    """Lays the story out like render does, and notes where each flowable lands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placed: list[Placed] = []

    def afterFlowable(self, flowable):
        frame = getattr(self, "frame", None)
        if frame is None or isinstance(flowable, (ActionFlowable, CondPageBreak, Spacer)):
            return  # a page break, a template switch, a gap: nothing drawn
        bottom = frame_cursor(frame) + flowable.getSpaceAfter()
        # a ReportLab Table keeps its size as _width and _height
        width = getattr(flowable, "width", 0) or getattr(flowable, "_width", 0)
        height = getattr(flowable, "height", 0) or getattr(flowable, "_height", 0)
        element = getattr(flowable, "element", None)
        role = element.role if element is not None else type(flowable).__name__
        self.placed.append(Placed(self.page, role, bottom + height, bottom, width,
                                  getattr(flowable, "kind", None)))


class _UntaggedCanvas(Canvas):
    """A plain canvas that skips the tag switches paragraphs call while drawing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setNamedCB(CALLBACK, lambda *_: None)

    def linkURL(self, url, rect, *args, **kwargs):
        return super().linkURL(link_target(url)[0], rect, *args, **kwargs)


def place(story: Story) -> list[Placed]:
    """The layout without the PDF: where every flowable lands, for tests that check page
    geometry in seconds (no tagging, no structure tree, nothing read back)."""
    doc = _PlacingDoc(BytesIO(), pagesize=story.geometry.size, pageTemplates=story.templates,
                      invariant=1, initialFontName=story.initial_font)
    doc.build(list(story.flowables), canvasmaker=_UntaggedCanvas)
    return doc.placed
