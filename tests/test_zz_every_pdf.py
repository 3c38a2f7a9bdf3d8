"""Runs after the rest of the suite (conftest.suite_pdfs): reads back every PDF it built.

No PDF may carry program text (a Python repr such as "{'bullets': [...]}" or "None") in
its text layer (issue 9.3), or a link other than http, https, mailto or tel (issue 15.4).
"""
from __future__ import annotations

import re

import pypdfium2
import pytest

from conftest import link_uris
from handouts.links import link_problem

PROGRAM_TEXT = re.compile(r"\{'|\['|\bNone\b|\bTrue\b|\bFalse\b")


def _text(path) -> str | None:
    """The text layer, or None for a file that is not a PDF (tests plant fake ones)."""
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return None
    try:
        return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.after_all
def test_no_pdf_holds_program_text_or_a_dangerous_link(suite_pdfs):
    assert len(suite_pdfs) >= 7  # the example build at least: 4 leaflets, 3 translations
    readable = [(path, text) for path in suite_pdfs if (text := _text(path)) is not None]
    assert len(readable) >= len(suite_pdfs) // 2
    for path, text in readable:
        found = PROGRAM_TEXT.search(text)
        assert found is None, f"{path}: program text {found.group(0)!r}"
        for uri in link_uris(path):
            assert link_problem(uri) is None, f"{path}: link {uri!r}"
