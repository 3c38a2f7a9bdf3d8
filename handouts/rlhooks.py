"""Every ReportLab internal that layout and tagging rely on, in one place.

ReportLab has no public API for what tagging and shaping need (the content stream being
built, the text object's writer, a KeepTogether's flowables, paragraph line breaking), so
these hooks reach into private names of one pinned version. They are checked here, once,
at import: on another ReportLab version handouts stops with a message naming the version
and the fix, rather than drawing wrong text. tests/test_rlhooks.py exercises each hook.

Hooks: `code` (a text object's or canvas's `_code`), `text_out`/`set_text_out` (a text
object's `_textOut`), `keep_together_content` (`KeepTogether._content`),
`cjk_callbacks_breakable` (what breakLinesCJK reads of a frag), the `shapeFragWord`
patch (`install_shape_word`, `rl_shape_frag_word`), the `setRise`
fix, and `Paragraph.drawPara`/`Paragraph.breakLinesCJK`, which lines.py overrides.
"""
from __future__ import annotations

import reportlab
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import KeepTogether, Paragraph
from reportlab.platypus import paragraph as rl_paragraph

WRITTEN_FOR = "5.1.0"  # pyproject.toml pins this version; change both together


class UnsupportedReportLab(SystemExit):
    """ReportLab is not the version these hooks were written for. A SystemExit, so the
    message is printed as it is (no traceback) even though it is raised at import."""


def check_version(found: str) -> None:
    if found != WRITTEN_FOR:
        raise UnsupportedReportLab(
            f"handouts needs ReportLab {WRITTEN_FOR} but ReportLab {found} is installed: "
            f"its layout and PDF tagging use ReportLab internals of that version. "
            f"Fix: pip install reportlab=={WRITTEN_FOR} (or run ./dev, which installs the "
            f"pinned versions).")


def _check_internals() -> None:
    """The names the hooks use exist (a patched or partial install would lack them)."""
    missing = [name for owner, name in (
        (rl_paragraph, "shapeFragWord"), (PDFTextObject, "setRise"),
        (PDFTextObject, "_textOut"), (Paragraph, "drawPara"), (Paragraph, "breakLinesCJK"),
        (Paragraph, "_get_split_blParaFunc")) if not hasattr(owner, name)]
    if missing:
        raise UnsupportedReportLab(
            f"ReportLab {reportlab.Version} lacks {', '.join(missing)}, which handouts "
            f"uses. Fix: pip install --force-reinstall reportlab=={WRITTEN_FOR}")


check_version(reportlab.Version)
_check_internals()


# -- the content stream being built -------------------------------------------------------
def code(obj) -> list[str]:
    """The operators written so far by a text object or on a canvas's page (`_code`)."""
    return obj._code


def text_out(text_object):
    """The text object's writer of one line of text (`_textOut(text, TStar)`)."""
    return text_object._textOut


def set_text_out(text_object, write) -> None:
    text_object._textOut = write


# -- platypus ------------------------------------------------------------------------------
def keep_together_content(flowable: KeepTogether) -> list:
    """The flowables a KeepTogether holds (`_content`)."""
    return flowable._content


def cjk_callbacks_breakable(frags) -> None:
    """ReportLab's breakLinesCJK reads the first character of every frag, and an onDraw
    callback (our inline tags) has empty text: it gets a zero-width space, never drawn."""
    for frag in frags:
        if hasattr(frag, "cbDefn") and not getattr(frag, "text", ""):
            frag.text = "\u200b"


# -- patches -------------------------------------------------------------------------------
rl_shape_frag_word = rl_paragraph.shapeFragWord  # ReportLab's own, before our patch


def install_shape_word(shape_word) -> None:
    """Paragraphs shape their words with `shape_word` (shaping.py) instead of ReportLab's."""
    rl_paragraph.shapeFragWord = shape_word


_rl_set_rise = PDFTextObject.setRise


def _set_rise(text_object, rise):
    """ReportLab's setRise, safe as the first operator of a string: a word whose first
    glyph is a raised mark (the tanween of 'قليلًا') starts with one, and ReportLab 5.1
    then reads the last operator of an empty list."""
    if not text_object._code:
        text_object._code.append("")
    return _rl_set_rise(text_object, rise)


PDFTextObject.setRise = _set_rise
