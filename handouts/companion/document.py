"""What a companion says, worked out once for the HTML and the plain text: the leaflet as
the PDF prints it, with the same labels, brand texts (in the leaflet's language), contact
cards, references and footer facts, taken from layout/ rather than worked out again.

Nothing here writes markup: html.py and text.py render a Document.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import scripts
from ..brand import Brand, online_url
from ..inline import Rich, parse_inline
from ..labels import Labels
from ..layout import brand_card, contact_heading, footer_parts, governance_lines, reference_text
from ..layout.blocks import contact_lines
from ..layout.glyphs import brand_text, translated_brand
from ..model import Callout, Contact, Leaflet
from ..outputs import leaflet_key
from . import LARGE_PRINT


@dataclass(frozen=True)
class Notice:
    title: str
    text: str


@dataclass(frozen=True)
class EndMatter:
    contact_heading: str
    card: tuple[Rich, ...]  # the brand's contact card, one line each
    online_label: str | None  # "Read this leaflet online", with the address below
    online_url: str | None
    other_formats_heading: str
    other_formats: str
    feedback_heading: str | None
    feedback: str | None
    details_heading: str
    details: tuple[str, ...]  # code and version, author, owner, approval, dates...
    disclaimer: str | None


@dataclass(frozen=True)
class Document:
    leaflet: Leaflet
    brand: Brand  # in the leaflet's language
    labels: Labels
    lang: str
    rtl: bool
    variant: str  # "standard" or "large-print"
    numbers: dict[str, int]  # reference id -> its number, by first use
    references: tuple[tuple[int, Rich], ...]
    stale: Notice | None
    overdue: str | None  # "Review overdue", when built past its review date
    end: EndMatter
    footer: tuple[str, ...]  # code and version, review dates, the brand's footer text

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def callout_title(self, block: Callout) -> str:
        return block.title or brand_text(self.leaflet, self.brand,
                                         f"callout_titles.{block.kind}")

    def contact_lines(self, block: Contact) -> list[Rich]:
        return [parse_inline(line)
                for line in contact_lines(block, self.labels, self.brand["region"])]

    def link_dir(self, text: str) -> str | None:
        """'ltr' for a link that reads as a number on a right-to-left page: in the page's
        direction a browser, as UAX #9 does, drew '(612) 555-0142' as '0142-555 (612)'."""
        return "ltr" if self.rtl and scripts.reads_as_number(text) else None

    def span_dir(self, lang: str | None) -> str | None:
        """The direction of a span in another language, when it differs from the page's."""
        if not lang:
            return None
        try:
            rtl = scripts.table().for_language(lang).rtl
        except (ValueError, LookupError):  # an unknown tag: the browser's bidi decides
            return None
        return None if rtl == self.rtl else ("rtl" if rtl else "ltr")


def document(leaflet: Leaflet, brand: Brand, variant: str = "standard",
             overdue: bool = False) -> Document:
    brand = translated_brand(leaflet, brand)
    labels = Labels(leaflet.language)
    rtl = scripts.table().for_language(leaflet.language).rtl
    references = tuple((number, reference_text(ref, labels))
                       for number, ref in leaflet.ordered_references())
    variant_label = "LP" if variant == LARGE_PRINT else ""
    return Document(leaflet, brand, labels, leaflet.language, rtl, variant,
                    leaflet.citation_numbers(), references, _stale(leaflet, labels),
                    labels["review_overdue"] if overdue else None,
                    _end_matter(leaflet, brand, labels),
                    tuple(footer_parts(leaflet, brand, labels, variant_label)))


def _stale(leaflet: Leaflet, labels: Labels) -> Notice | None:
    translation = leaflet.translation
    if not translation or not translation.stale:
        return None
    return Notice(labels["stale_title"], labels.format(
        "stale_translation", translated=translation.source_version,
        current=translation.current_version,
        source_language=labels.language_name(translation.source_language)))


def _end_matter(leaflet: Leaflet, brand: Brand, labels: Labels) -> EndMatter:
    card = tuple(parse_inline(line) for line in
                 contact_lines(brand_card(leaflet, brand), labels, brand["region"]))
    pattern = brand["online_url"]
    address = (online_url(pattern, leaflet.governance.code, leaflet.id, leaflet_key(leaflet))
               if pattern else None)
    feedback = brand_text(leaflet, brand, "feedback") if brand["feedback"] else None
    disclaimer = brand_text(leaflet, brand, "disclaimer") if brand["disclaimer"] else None
    return EndMatter(contact_heading(leaflet, labels), card,
                     labels["read_online"] if address else None, address,
                     labels["other_formats"], brand_text(leaflet, brand, "other_formats"),
                     labels["feedback"] if feedback else None, feedback,
                     labels["about_leaflet"], tuple(governance_lines(leaflet, brand, labels)),
                     disclaimer)
