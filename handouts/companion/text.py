"""The plain-text companion: a Document -> text for the body of an email or a message.

Not wrapped (a phone's mail app wraps to its own width; hard breaks at 72 characters
make ragged lines there). Headings are underlined, lists keep their bullets and
numbers, a table is written row by row as "header: cell" lines (columns do not survive
a narrow screen), callouts are quoted with "> ", links show their address, citations
keep their numbers, and the references, end matter and footer facts follow the text.
"""
from __future__ import annotations

from ..inline import Rich, parse_inline
from ..model import Block, Bullets, Callout, Contact, Figure, Paragraph, Section, Steps, Table
from .document import Document


def inline(text: Rich, doc: Document) -> str:
    parts = []
    for span in text.spans:
        if span.cites:
            parts.append("[" + ", ".join(str(doc.numbers[ref]) for ref in span.cites) + "]")
        elif span.href and span.href.startswith(("http://", "https://")) and \
                span.text.strip() not in (span.href, span.href.split("://", 1)[1]):
            parts.append(f"{span.text} ({span.href})")
        else:
            parts.append(span.text)
    return "".join(parts).strip()


def heading(text: str, underline: str) -> list[str]:
    return [text, underline * max(3, len(text))]


def _block(block: Block, doc: Document) -> list[str]:
    if isinstance(block, Paragraph):
        return [inline(block.text, doc)]
    if isinstance(block, Bullets):
        return [f"- {inline(item, doc)}" for item in block.items]
    if isinstance(block, Steps):
        return [f"{n}. {inline(item, doc)}" for n, item in enumerate(block.items, 1)]
    if isinstance(block, Callout):
        text = [inline(block.text, doc)] if block.text else []
        items = [f"- {inline(item, doc)}" for item in block.items]
        body = items + text if block.text_after else text + items
        return [f"> {line}" for line in [doc.callout_title(block), *body]]
    if isinstance(block, Table):
        rows = [block.caption] if block.caption else []
        for row in block.rows:
            rows.append("\n".join(inline(head, doc) + doc.labels.separator + inline(cell, doc)
                                  for head, cell in zip(block.header, row)))
        return rows
    if isinstance(block, Figure):
        said = [] if block.decorative else [f"[{block.alt}]"]
        return said + ([block.caption] if block.caption else [])
    if isinstance(block, Contact):
        return ["\n".join(inline(line, doc) for line in doc.contact_lines(block))]
    return []


def _section(section: Section, doc: Document) -> list[str]:
    lines = ["\n".join(heading(section.heading, "-" if section.level == 2 else "~"))]
    for block in section.blocks:
        lines.append("\n".join(_block(block, doc)))
    for sub in section.sections:
        lines.extend(_section(sub, doc))
    return lines


def render_text(doc: Document) -> str:
    """The whole leaflet as text: paragraphs apart by a blank line."""
    leaflet, end = doc.leaflet, doc.end
    parts = ["\n".join(heading(leaflet.title, "="))]
    if doc.overdue:
        parts.insert(0, f"*** {doc.overdue} ***")
    parts += [leaflet.subtitle or "", inline(parse_inline(leaflet.summary or ""), doc)]
    if doc.stale:
        parts.append(f"> {doc.stale.title}\n> {doc.stale.text}")
    for section in leaflet.sections:
        parts.extend(_section(section, doc))
    if doc.references:
        parts.append("\n".join(heading(doc.labels["references"], "-")))
        parts.append("\n".join(f"{n}. {inline(text, doc)}" for n, text in doc.references))
    parts.append("\n".join(heading(end.contact_heading, "-")))
    parts.append("\n".join(inline(line, doc) for line in end.card))
    if end.online_url:
        parts.append(f"{end.online_label}{doc.labels.separator}{end.online_url}")
    parts += ["\n".join(heading(end.other_formats_heading, "~")), end.other_formats]
    if end.feedback and end.feedback_heading:
        parts += ["\n".join(heading(end.feedback_heading, "~")), end.feedback]
    parts += ["\n".join(heading(end.details_heading, "~")), "\n".join(end.details)]
    if end.disclaimer:
        parts.append(end.disclaimer)
    parts.append("-" * 20 + "\n" + " | ".join(doc.footer))
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"
