"""Greyscale keeps urgency (issue 10.7): urgent, warning and info callouts differ without
colour, by outline (width, dashes) and a vector icon in the bar, drawn as artifacts so a
screen reader hears only the title and text."""
from __future__ import annotations

import pikepdf
import pypdfium2

from conftest import page_texts, squash, with_blocks
from test_variants import operators

CALLOUTS = """
    - callout: urgent
      text: Call 999 if you cannot breathe.
    - callout: warning
      text: Call us the same day if the wound bleeds.
    - callout: info
      text: Most people go home the same day.
"""


def strokes(path) -> list[tuple[float, tuple, tuple]]:
    """(line width, dash array, marked-content stack) of every stroked path."""
    found, width, dash = [], 1.0, ()
    for operands, name, stack in operators(path):
        if name == "w":
            width = float(operands[0])
        elif name == "d":
            dash = tuple(float(v) for v in operands[0])
        elif name in ("S", "s", "B", "b", "B*", "b*"):
            found.append((width, dash, stack))
    return found


def test_each_callout_kind_has_its_own_outline_in_greyscale(catalogue):
    catalogue.leaflet(with_blocks(CALLOUTS))
    assert catalogue.build("--grayscale") == 0
    path = catalogue.out / "sample.grayscale.pdf"
    outlines = {(width, dash) for width, dash, _ in strokes(path) if width in (2.4, 1.2)}
    assert (2.4, ()) in outlines  # urgent: a heavy solid outline
    assert (1.2, (4.0, 2.5)) in outlines  # warning: a dashed one; info has none
    assert all("/Artifact" in stack for width, _, stack in strokes(path)
               if width in (2.4, 1.2))


def test_callout_icons_are_artifacts_not_text(catalogue):
    catalogue.leaflet(with_blocks(CALLOUTS))
    assert catalogue.build("--grayscale") == 0
    path = catalogue.out / "sample.grayscale.pdf"
    text = squash(" ".join(page_texts(path)))
    for sentence in ("Call 999 if you cannot breathe.", "Most people go home the same day."):
        assert sentence in text
    assert "!" not in text  # the icons' marks are paths, not characters
    fills_outside_tags = [stack for operands, name, stack in operators(path)
                          if name in ("f", "F", "f*", "B", "b") and not stack]
    assert not fills_outside_tags  # every shape is tagged content or an artifact
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        paths = sum(1 for obj in pdf[0].get_objects()
                    if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH)
    finally:
        pdf.close()
    assert paths >= 3 * 3  # each box: background, bar, icon (and its mark)
