"""Rich inline text -> ReportLab paragraph markup, with links and citations tagged.

Text is escaped, so `<`, `>` and `&` print literally. Each link and citation becomes an
inline structure element (Link, Reference; Span with /Lang for a run in another
language), opened and closed inside the paragraph's text
object by the `ua` onDraw callback.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..errors import Problem, RenderError
from ..inline import Rich
from ..links import link_problem
from ..pdf.tags import CALLBACK, Element, StructureLog


def _switch(label: str) -> str:
    return f'<onDraw name="{CALLBACK}" label="{label}"/>'


def to_markup(text: Rich, parent: Element, log: StructureLog, numbers: dict[str, int],
              link_colour: str, typeset=None) -> str:
    """`typeset` (a layout.typeset.Typeset) wraps runs of another script in their font."""
    parts = []
    for span in text.spans:
        if span.cites:
            label = log.inline_element(parent, "Reference")
            cited = ", ".join(str(numbers[ref]) for ref in span.cites)
            parts.append(f"{_switch(label)}[{cited}]{_switch('end:' + label)}")
            continue
        piece = typeset.markup(span.text) if typeset else escape(span.text)
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.href:
            _refuse_unsafe(span.href)
            label = log.inline_element(parent, "Link", url=span.href, title=span.text,
                                       lang=span.lang)
            piece = (f"{_switch(label)}<a href={quoteattr(span.href)} color={quoteattr(link_colour)}"
                     f" underline=\"1\">{piece}</a>{_switch('end:' + label)}")
        elif span.lang:  # a run in another language: a Span element with /Lang
            label = log.inline_element(parent, "Span", lang=span.lang)
            piece = f"{_switch(label)}{piece}{_switch('end:' + label)}"
        parts.append(piece)
    return "".join(parts)


def plain_markup(text: str, typeset=None, heading: bool = False) -> str:
    return typeset.markup(text, heading) if typeset else escape(text)


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown punctuation, so data (a URL, a phone number) prints as is."""
    return "".join("\\" + ch if ch in "\\*_[]()`<>" else ch for ch in text)


def _refuse_unsafe(href: str) -> None:
    """Last guard: validation should have stopped this, but never write a dangerous link."""
    problem = link_problem(href)
    if problem:
        raise RenderError([Problem(Path("<layout>"), 0, 0, problem, "use an http(s), mailto or tel address")])
