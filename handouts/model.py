"""The validated leaflet: plain frozen dataclasses that every later stage reads.

content/ builds these from YAML; layout reads them. No ReportLab here. Each part keeps
`where` (file, line, column) so checks can point editors back to their source.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Union

from .inline import Rich

if TYPE_CHECKING:
    from .svgfigure import SvgFigure

Where = tuple[Path, int, int]
CALLOUT_KINDS = ("info", "warning", "urgent")


@dataclass(frozen=True)
class Paragraph:
    text: Rich
    where: Where = field(compare=False)


@dataclass(frozen=True)
class Bullets:
    items: tuple[Rich, ...]
    where: Where = field(compare=False)


@dataclass(frozen=True)
class Steps:
    items: tuple[Rich, ...]
    where: Where = field(compare=False)


@dataclass(frozen=True)
class Callout:
    kind: str  # one of CALLOUT_KINDS
    title: str | None  # None: the brand's default title for the kind
    text: Rich | None
    items: tuple[Rich, ...]
    where: Where = field(compare=False)
    text_after: bool = False  # the editor wrote `bullets:` before `text:`: print them so


@dataclass(frozen=True)
class Table:
    header: tuple[Rich, ...]
    rows: tuple[tuple[Rich, ...], ...]
    caption: str | None
    where: Where = field(compare=False)


@dataclass(frozen=True)
class Figure:
    image: Path
    alt: str | None  # None only when decorative
    caption: str | None
    decorative: bool
    where: Where = field(compare=False)
    svg: "SvgFigure | None" = None  # a vector figure: its size and labels (svgfigure.py)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    address: str | None = None
    url: str | None = None
    note: str | None = None
    where: Where | None = field(default=None, compare=False)
    marks: dict = field(default_factory=dict, compare=False)  # key -> where its value is


# The contact fields, listed once: a contact block's keys and the brand's contact.* keys.
CONTACT_FIELDS = tuple(f.name for f in fields(Contact) if f.compare)  # not where or marks


Block = Union[Paragraph, Bullets, Steps, Callout, Table, Figure, Contact]


@dataclass(frozen=True)
class Section:
    heading: str
    level: int  # 2 for sections, 3 for subsections
    blocks: tuple[Block, ...]
    sections: tuple["Section", ...]
    where: Where = field(compare=False)


@dataclass(frozen=True)
class Reference:
    id: str
    citation: Rich
    url: str | None
    accessed: dt.date | None
    where: Where = field(compare=False)


@dataclass(frozen=True)
class Governance:
    code: str
    version: str
    author: str
    owner: str
    published: dt.date
    last_reviewed: dt.date
    next_review: dt.date
    next_review_given: bool  # False: computed from last_reviewed + the review interval
    approved_by: str | None = None
    approval_date: dt.date | None = None
    marks: dict = field(default_factory=dict, compare=False)  # key -> (line, column)


@dataclass(frozen=True)
class Translation:
    """What a translated leaflet knows about the leaflet it was translated from."""

    source_language: str
    source_version: str  # the source's version the translation was made from
    current_version: str  # the source's version now
    translator: str
    translated: dt.date
    stale: bool  # the source has changed since: print a notice, list it in the summary
    source_file: Path | None = field(default=None, compare=False)  # holds the governance


@dataclass(frozen=True)
class Leaflet:
    id: str
    title: str
    language: str
    template: str
    governance: Governance
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    subtitle: str | None = None
    summary: str | None = None
    specialty: str | None = None
    keywords: tuple[str, ...] = ()
    where: Where = field(default=(Path("."), 1, 1), compare=False)
    translation: Translation | None = None  # set when this is a translation of another
    template_where: Where | None = field(default=None, compare=False)  # the line naming it

    def governance_where(self, key: str) -> Where:
        """Where a governance key (e.g. next_review) was written: a translation shares
        its source's governance, so that is in the source's file, not the translation's."""
        path = self.translation.source_file if self.translation and \
            self.translation.source_file else self.where[0]
        marks = self.governance.marks
        line, column = marks.get(key) or marks.get("governance") or self.where[1:]
        return path, line, column

    def review_where(self) -> Where:
        """The line that sets the next review: next_review, or last_reviewed when the
        date is computed from it."""
        given = self.governance.next_review_given
        return self.governance_where("next_review" if given else "last_reviewed")

    def walk_sections(self) -> Iterator[Section]:
        """Every section and subsection, in reading order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.sections))

    def rich_texts(self) -> Iterator[tuple[Rich, Where]]:
        """Every piece of inline text in the body, in reading order."""
        for section in self.walk_sections():
            for block in section.blocks:
                for text in block_texts(block):
                    yield text, block.where or section.where

    def citation_numbers(self) -> dict[str, int]:
        """Reference id -> number, by first use in the text; uncited ones follow."""
        numbers: dict[str, int] = {}
        cited = (ref for text, _ in self.rich_texts() for ref in text.citations())
        for ref in [*cited, *(r.id for r in self.references)]:
            numbers.setdefault(ref, len(numbers) + 1)
        return numbers

    def ordered_references(self) -> list[tuple[int, Reference]]:
        numbers = self.citation_numbers()
        return sorted(((numbers[r.id], r) for r in self.references), key=lambda p: p[0])


def block_texts(block: Block) -> list[Rich]:
    """The inline texts a block holds, in reading order."""
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, (Bullets, Steps)):
        return list(block.items)
    if isinstance(block, Callout):
        return ([block.text] if block.text else []) + list(block.items)
    if isinstance(block, Table):
        return list(block.header) + [cell for row in block.rows for cell in row]
    return []
