"""A leaflet mapping + Defaults -> frozen Leaflet (governance, sections, references) or None."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problems
from ..fields import Reader, did_you_mean
from ..inline import Rich, link_scheme, parse_inline
from ..links import link_problem, placeholder_host
from ..languages import language_problem
from ..load import Map, Seq, read_yaml
from ..model import Governance, Leaflet, Reference, Section
from .blocks import read_block

MAX_ID = 64  # an id is a file name: out/<id>.<lang>.large-print.grayscale.pdf
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VAGUE_LINK_TEXT = {"click here", "here", "this link", "link", "more", "read more", "this page",
                   "click", "this", "website"}

LEAFLET_KEYS = {"id", "title", "subtitle", "summary", "language", "template", "specialty",
                "keywords", "governance", "sections", "references", "variants"}
GOVERNANCE_KEYS = {"code", "version", "author", "owner", "approved_by", "approval_date",
                   "published", "last_reviewed", "next_review"}
GOVERNANCE_REQUIRED = ("code", "version", "author", "owner", "published", "last_reviewed")
SECTION_KEYS = {"heading", "blocks", "sections"}
REFERENCE_KEYS = {"id", "citation", "url", "accessed"}


@dataclass(frozen=True)
class Defaults:
    template: str
    language: str = "en-GB"
    review_interval_months: int = 36
    template_where: tuple | None = None  # file, line, column of defaults.template


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def read_leaflet(node, defaults: Defaults, problems: Problems) -> Leaflet | None:
    """Validate one leaflet mapping. Returns None when it is too broken to build."""
    reader = Reader(problems)
    if not isinstance(node, Map):
        problems.add(getattr(node, "path", Path("?")), getattr(node, "mark", None),
                     "a leaflet should be a mapping of keys", "start with 'id: my-leaflet'")
        return None
    reader.check_keys(node, LEAFLET_KEYS, ("id", "title", "governance", "sections"), "leaflet")
    leaflet_id = reader.text(node, "id")
    if leaflet_id and len(leaflet_id) > MAX_ID:
        reader.error(node, "id", f"id is {len(leaflet_id)} characters long; the limit is {MAX_ID}",
                     "use a short id, e.g. 'knee-surgery': it becomes the file name")
        leaflet_id = None
    if leaflet_id and not SLUG.match(leaflet_id):
        reader.error(node, "id", f"id '{leaflet_id}' is not a slug",
                     "use lower-case letters, digits and '-', e.g. 'igrt' or 'knee-surgery'")
    references = _references(reader, node)
    governance = _governance(reader, node, defaults)
    sections = _sections(reader, node, "sections", 2)
    ref_ids = {r.id for r in references}
    # Built even when governance is missing, so the texts are still checked below; such a
    # leaflet is never returned.
    leaflet = Leaflet(
        id=leaflet_id or "", title=reader.text(node, "title") or "",
        language=_language(reader, node, "language") or defaults.language,
        template=reader.text(node, "template") or defaults.template,
        governance=governance,  # type: ignore[arg-type]
        sections=tuple(sections), references=tuple(references),
        subtitle=reader.text(node, "subtitle"), summary=reader.text(node, "summary"),
        specialty=reader.text(node, "specialty"),
        keywords=tuple(reader.text_list(node, "keywords") or ()),
        where=(node.path, *node.mark),
        template_where=(node.path, *node.mark_of("template")) if "template" in node
        else defaults.template_where)
    for text, where in leaflet.rich_texts():
        _check_rich(problems, text, where, ref_ids)
    if leaflet.summary:  # inline text too, printed under the title
        _check_rich(problems, parse_inline(leaflet.summary), (node.path, *node.mark_of("summary")),
                    ref_ids)
    _reject_unfilled(reader, node)
    if problems.errors or governance is None or not leaflet_id:
        return None
    return leaflet


# What `handouts new` writes for an editor to replace (tests/test_unfinished.py keeps the
# two in step): a leaflet still holding any of it is not finished.
UNFILLED_TEXT = ("Write the leaflet title here", "Who this leaflet is for",
                 "One or two sentences on what the leaflet covers.", "Your department",
                 "The person responsible for keeping it current", "Write in short sentences.",
                 "Say when to get help, and how.", "Author A. Title of the source.")
UNFILLED_CODE = "PIL-0000"


def _reject_unfilled(reader: Reader, node: Map) -> None:
    gov = node.get("governance")
    if isinstance(gov, Map) and str(gov.get("code", "")).strip() == UNFILLED_CODE:
        reader.error(gov, "code", f"code {UNFILLED_CODE} is the placeholder of a new leaflet",
                     "write the leaflet's own reference code from your register")
    stack: list[Map | Seq] = [node]
    while stack:  # every text in the leaflet, with the mapping or list that holds it
        holder = stack.pop()
        items = holder.items() if isinstance(holder, Map) else enumerate(holder)
        for key, value in items:
            if isinstance(value, (Map, Seq)):
                stack.append(value)
            elif isinstance(value, str) and any(value.strip().startswith(p)
                                                for p in UNFILLED_TEXT):
                reader.error(holder, key, f"'{value.strip()[:60]}' is placeholder text from "
                             "'handouts new'", "replace it with the leaflet's own words")


def _language(reader: Reader, node: Map, key: str) -> str | None:
    value = reader.text(node, key)
    problem = language_problem(value) if value else None
    if problem:
        reader.error(node, key, *problem)
        return None
    return value


def _governance(reader: Reader, node: Map, defaults: Defaults) -> Governance | None:
    gov = reader.mapping(node, "governance")
    if gov is None:
        return None
    reader.check_keys(gov, GOVERNANCE_KEYS, GOVERNANCE_REQUIRED, "governance")
    texts = {k: reader.text(gov, k) for k in ("code", "version", "author", "owner", "approved_by")}
    dates = {k: reader.date(gov, k) for k in
             ("published", "last_reviewed", "next_review", "approval_date")}
    if not all(texts[k] for k in ("code", "version", "author", "owner")) or \
            not (dates["published"] and dates["last_reviewed"]):
        return None
    next_review = dates["next_review"] or add_months(dates["last_reviewed"],
                                                      defaults.review_interval_months)
    if next_review <= dates["last_reviewed"]:
        reader.error(gov, "next_review", "next_review is not after last_reviewed",
                     "set a next review date after the last review")
    marks = {k: gov.mark_of(k) for k in gov}
    marks["governance"] = gov.mark
    return Governance(code=texts["code"], version=texts["version"], author=texts["author"],
                      owner=texts["owner"], published=dates["published"],
                      last_reviewed=dates["last_reviewed"], next_review=next_review,
                      next_review_given=dates["next_review"] is not None,
                      approved_by=texts["approved_by"], approval_date=dates["approval_date"],
                      marks=marks)


def _sections(reader: Reader, node: Map, key: str, level: int) -> list[Section]:
    items = reader.seq(node, key) or []
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, Map):
            reader.error(items, index, "a section should be a mapping",
                         "write '- heading: ...' with 'blocks:' below it")
            continue
        allowed = SECTION_KEYS if level < 3 else SECTION_KEYS - {"sections"}
        reader.check_keys(item, allowed, ("heading",), "section")
        blocks = [b for b in (read_block(reader, item["blocks"], i, b)
                              for i, b in enumerate(reader.seq(item, "blocks") or []))
                  if b is not None]
        subsections = _sections(reader, item, "sections", level + 1) if level < 3 else []
        result.append(Section(reader.text(item, "heading") or "", level, tuple(blocks),
                              tuple(subsections), (item.path, *item.mark)))
    return result


def _references(reader: Reader, node: Map) -> list[Reference]:
    result, seen, citations = [], set(), []
    items = reader.seq(node, "references") or []
    for index, item in enumerate(items):
        if not isinstance(item, Map):
            reader.error(items, index, "a reference should be a mapping",
                         "write '- id: ...' with 'citation: ...' below it")
            continue
        reader.check_keys(item, REFERENCE_KEYS, ("id", "citation"), "reference")
        ref_id, url = reader.text(item, "id"), reader.text(item, "url")
        if ref_id in seen:
            reader.error(item, "id", f"reference id '{ref_id}' is used twice",
                         "give each reference its own id")
        seen.add(ref_id)
        if url and link_scheme(url) not in ("http", "https"):
            reader.error(item, "url", f"reference url '{url}' is not an http(s) address",
                         "write the full address, starting https://")
        elif url and link_problem(url):  # no host name, a space: it becomes a link
            reader.error(item, "url", f"reference url: {link_problem(url)}",
                         "write the full address, starting https://")
        elif url and placeholder_host(url):
            reader.error(item, "url", f"reference url '{url}' is a placeholder: "
                         f"{placeholder_host(url)} is reserved for examples",
                         "give the address of the source you actually used")
        citation = reader.text(item, "citation")
        if ref_id and citation:
            result.append(Reference(ref_id, parse_inline(citation), url,
                                    reader.date(item, "accessed"), (item.path, *item.mark)))
            citations.append((result[-1].citation, (item.path, *item.mark_of("citation"))))
    for text, where in citations:  # a citation's own links and [@ids] are printed too
        _check_rich(reader.problems, text, where, {r.id for r in result})
    return result


def _check_rich(problems: Problems, text: Rich, where, ref_ids: set[str]) -> None:
    path, line, col = where
    for href in text.empty_links:  # nothing to read or click: the link would vanish
        problems.add(path, (line, col), f"a link to '{href}' has no words to click",
                     "write what the link is between the brackets, e.g. "
                     f"[the clinic's page]({href})")
    for span in text.links():
        problem = link_problem(span.href or "")
        if problem:
            problems.add(path, (line, col), problem,
                         "links must start with https://, http://, mailto: or tel:")
        if span.text.strip().lower().rstrip(".") in VAGUE_LINK_TEXT:
            problems.add(path, (line, col), f"link text '{span.text}' does not make sense "
                         "on its own", "say where the link goes, e.g. 'RadiologyInfo IGRT page'",
                         severity="warning", rule="link-text")
    for lang in text.languages():
        language = language_problem(lang)
        if language:
            problems.add(path, (line, col), f"{language[0]} (in {{lang={lang}}})", language[1])
    for ref in text.citations():
        if ref not in ref_ids:
            problems.add(path, (line, col), f"citation [@{ref}] names no reference",
                         did_you_mean(ref, ref_ids) if ref_ids else
                         "add it under 'references:' with this id", rule="citation-unknown")



def load_leaflet_file(path: Path, defaults: Defaults) -> Leaflet:
    """Read one leaflet file on its own; raises ContentError listing every problem."""
    problems = Problems()
    leaflet = read_leaflet(read_yaml(path), defaults, problems)
    problems.raise_if_errors(ContentError)
    assert leaflet is not None  # no errors, so a leaflet was read
    return leaflet
