"""The glyph check: (Leaflet, Brand, Labels, Typeset) -> a Problem for every character
that the font chosen for it cannot draw, so no leaflet is written with empty boxes.

Body text may fall back to another script's font; page furniture (header, footer) is
drawn in the leaflet's own font only, so its characters must all be there.
"""
from __future__ import annotations

from typing import Iterable

from ..brand import online_url
from ..errors import Problem
from ..model import CONTACT_FIELDS, Callout, Contact, Figure, Leaflet, Table, block_texts
from ..outputs import leaflet_key
from .typeset import Typeset, check_text

BRAND_TEXTS = (*(f"contact.{name}" for name in CONTACT_FIELDS), "other_formats", "feedback",
               "disclaimer")
HEADING_TEXTS = ("callout_titles.info", "callout_titles.warning", "callout_titles.urgent")
FURNITURE_TEXTS = ("organisation", "department", "footer_text")  # drawn in the own font


def translated_brand(leaflet: Leaflet, brand):
    """The brand with its texts in the leaflet's language (the brand's `texts:`), so a
    translation prints the end matter of the brand it is built with, never its source's."""
    return brand.for_language(leaflet.language)


def brand_text(leaflet: Leaflet, brand, key: str):
    """A brand text as printed: `brand` is translated_brand, already in the language."""
    return brand.get(key)


def brand_text_where(leaflet: Leaflet, brand, key: str):
    """Where a brand text the leaflet prints is written: the template's `texts:` line for
    its language, else the template's own, else (a default) the leaflet itself."""
    return brand.where_text(leaflet.language, key) or leaflet.where


def printed_texts(leaflet: Leaflet, brand, labels, variant_labels: Iterable[str] = ()):
    """(text, where, what, heading, furniture) for everything the leaflet prints, in any
    of the formats whose footer labels ("LP", "A5 booklet") are `variant_labels`."""
    here = leaflet.where
    yield leaflet.title, here, "title", True, False
    yield leaflet.subtitle, here, "subtitle", False, False
    yield leaflet.summary, here, "summary", False, False
    for section in leaflet.walk_sections():
        yield section.heading, section.where, "heading", True, False
        for block in section.blocks:
            for text in block_texts(block):
                yield text.plain, block.where, "text", False, False
            yield from _block_extras(block)
    for ref in leaflet.references:
        yield ref.citation.plain + " " + (ref.url or ""), ref.where, "reference", False, False
    for key in BRAND_TEXTS + HEADING_TEXTS:
        yield brand_text(leaflet, brand, key), brand_text_where(leaflet, brand, key), \
            f"brand text '{key}'", key in HEADING_TEXTS, False
    for key in FURNITURE_TEXTS:
        yield brand.get(key), brand_text_where(leaflet, brand, key), f"brand text '{key}'", \
            key == "organisation", True
    if brand.get("online_url"):  # printed beside the QR code
        yield online_url(brand["online_url"], leaflet.governance.code, leaflet.id,
                         leaflet_key(leaflet)), \
            brand_text_where(leaflet, brand, "online_url"), "online address", False, False
    for label in variant_labels:
        yield label, here, "format label", False, True
    gov = leaflet.governance
    for key, value in labels.messages.items():
        yield value, here, f"label '{key}'", False, True
        yield value, here, f"label '{key}'", True, True
    if leaflet.translation:
        yield leaflet.translation.translator, here, "translator", False, False
    for day in (gov.published, gov.last_reviewed, gov.next_review, gov.approval_date):
        if day:
            yield labels.date(day), here, "date", False, True
    yield f"{gov.code} v{gov.version} {gov.author} {gov.owner} {gov.approved_by or ''}", \
        gov.marks.get("governance") and (here[0], *gov.marks["governance"]) or here, \
        "governance", False, True


def _block_extras(block):
    if isinstance(block, Callout) and block.title:
        yield block.title, block.where, "callout title", True, False
    if isinstance(block, (Table, Figure)) and block.caption:
        yield block.caption, block.where, "caption", isinstance(block, Table), False
    if isinstance(block, Figure) and block.svg:  # drawn in the leaflet's own fonts only
        for label in block.svg.labels:
            yield label.text, (block.svg.path, label.line, label.column), "figure label", \
                label.bold, True
    if isinstance(block, Contact):
        for key in ("name", "phone", "email", "hours", "address", "url", "note"):
            yield getattr(block, key), block.marks.get(key, block.where), "contact", False, \
                False


def glyph_problems(leaflet: Leaflet, brand, labels, typeset: Typeset,
                   variant_labels: Iterable[str] = ()) -> list[Problem]:
    problems: list[Problem] = []
    for text, where, what, heading, furniture in printed_texts(leaflet, brand, labels,
                                                               variant_labels):
        if text:
            found = check_text(typeset, str(text), where, f"leaflet '{leaflet.id}' "
                               f"({leaflet.language}), {what}", heading, furniture)
            problems.extend(p for p in found if p not in problems)
    return problems
