"""Rich inline text -> ReportLab paragraph markup, with links and citations tagged.

Text is escaped, so `<`, `>` and `&` print literally. Each link and citation becomes an
inline structure element (Link, Reference; Span with /Lang for a run in another
language), opened and closed inside the paragraph's text
object by the `ua` onDraw callback.

Runs a reader must see whole (a phone number, a date, a citation group, "call 999", a
dose with its unit, a postcode, a time) get no-break spaces (U+00A0) in the markup only: ReportLab never
breaks a line at one, and
its font subsets draw it with the code of a plain space, so the text layer (screen
readers, copy and paste, search) still reads the plain spaces the editor wrote.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from html import escape  # &, < and >, as xml.sax.saxutils did (it loads urllib: 7 ms)

import phonenumbers
from babel.core import Locale, UnknownLocaleError
from babel.dates import get_month_names
from babel.units import format_unit

from ..errors import Problem, RenderError
from ..inline import Rich
from ..links import link_problem
from ..pdf.tags import CALLBACK, Element, StructureLog, closing, owned_link


def _switch(label: str) -> str:
    return f'<onDraw name="{CALLBACK}" label="{label}"/>'


NBSP = "\u00a0"
# A run longer than this is left breakable: a line too short for it would otherwise be
# cut inside it, character by character.
LONGEST_RUN = 30  # characters
# Emergency and urgent-care numbers, kept with the word before them ("call 999", "NHS
# 111") unless punctuation ends that word ("in an emergency, 999").
EMERGENCY = re.compile(r"(?<![\w\u00a0])\w+ (?:999|111|112|911|988)(?![\w\u00a0])")
PHONE_DIGITS = 10  # a match of this many digits is a number even without a leading 0 or +
# A dose or a reading with its unit ('75 mg', '2.5 mL', '140/90 mmHg', '37.5 °C'): one unit
# to a reader, and '75' at a line's end with 'mg' below it was seen in a narrow table cell.
MEASUREMENT = re.compile(r"(?<![\w.,/])\d+(?:[.,/]\d+)* (?:mg|g|kg|mcg|µg|micrograms?|"
                         r"milligrams?|ml|mL|l|L|litres?|liters?|mmHg|mmol/L|mmol|cm|mm|"
                         r"IU|units?|°C|°F|kcal|%)(?![\w/])")
# Other units a reader takes in at once, seen broken at a line's end: a postcode ('SE1 /
# 0ZZ'), a US state and ZIP code ('MN / 55000'), a building number and its street ('1 /
# Embankment Road' in the A5 large-print card), a comparison ('> / 120' in a
# blood-pressure table). (A time with its day period: _clock_pattern.)
POSTCODE = re.compile(r"(?<!\w)[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}(?!\w)")
BUILDING = re.compile(r"(?<![\w.,:/\u00a0])\d{1,4}[A-Za-z]? [A-Z][a-z]+(?!\w)")
STATE_ZIP = re.compile(r"(?<!\w)[A-Z]{2} \d{5}(?:-\d{4})?(?!\w)")
COMPARISON = re.compile(r"(?<!\S)[<>≤≥]=? \d")
UNITS = (EMERGENCY, MEASUREMENT, POSTCODE, STATE_ZIP, BUILDING, COMPARISON)


@dataclass(frozen=True)
class RunKeeper:
    """Joins the runs of one text that must not break across lines with no-break spaces,
    for a leaflet's language (month names) and its brand's region (phone numbers)."""

    language: str = "en-GB"
    region: str = "GB"
    # The brand's texts (contact card, other formats, feedback, disclaimer) are the same
    # in every leaflet of a brand and language: their answers are kept for the process,
    # as libphonenumber's matcher took 3 ms of each leaflet's end matter.
    reused: bool = False

    def __call__(self, text: str) -> str:
        if " " not in text:
            return text
        return _kept_again(self, text) if self.reused else _kept(self, text)


def _kept(keeper: RunKeeper, text: str) -> str:
    """RunKeeper's answer for a text with a space."""
    if not any(map(str.isdigit, text)):
        return text  # every run kept together has a digit (and `\d` only matches isdigit's)
    spans = [*_phone_spans(text, keeper.region), *_date_spans(text, keeper.language),
             *(m.span() for pattern in UNITS for m in pattern.finditer(text)),
             *_duration_spans(text, keeper.language), *_clock_spans(text, keeper.language)]
    chars = list(text)
    for start, end in spans:
        if end - start <= LONGEST_RUN:
            chars[start:end] = [NBSP if ch == " " else ch for ch in chars[start:end]]
    return "".join(chars)


_kept_again = lru_cache(maxsize=1024)(_kept)


def _phone_spans(text: str, region: str) -> list[tuple[int, int]]:
    """Phone numbers as libphonenumber finds them (leniently, so a made-up number in a
    drama range counts), when they start like one (0, + or a bracket) or are long."""
    if sum(map(str.isdigit, text)) < 6:
        return []
    found = phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.POSSIBLE)
    return [(m.start, m.end) for m in found if m.raw_string[0] in "0+(" or
            sum(ch.isdigit() for ch in m.raw_string) >= PHONE_DIGITS]


def _date_spans(text: str, language: str) -> list[tuple[int, int]]:
    if not any(ch.isdigit() for ch in text):
        return []
    return [m.span() for m in _date_pattern(language).finditer(text)]


def _locales(language: str) -> list[Locale]:
    """The leaflet's language and English, as far as CLDR knows them."""
    found = []
    for code in {language, "en"}:
        try:
            found.append(Locale.parse(code.replace("-", "_")))
        except (ValueError, UnknownLocaleError):
            continue
    return found


def _any_of(names: set[str]) -> str:
    """A regex group matching any of `names`, the longest first (then in order, so the
    pattern is the same in every process)."""
    return "(?:" + "|".join(re.escape(n) for n in sorted(filter(None, names),
                                                         key=lambda n: (-len(n), n))) + ")"


@lru_cache(maxsize=None)
def _date_pattern(language: str) -> re.Pattern:
    """Dates written with a month name in the leaflet's language (and English): '12
    January 2026', '12 Jan', 'January 12, 2026', 'January 2026', '12 de enero de 2026'."""
    names = {str(n).rstrip(".") for locale in _locales(language)
             for width in ("wide", "abbreviated") for context in ("format", "stand-alone")
             for n in get_month_names(width, context, locale).values()}
    month = _any_of(names) + r"\.?"
    day, year, of = r"\d{1,2}(?:st|nd|rd|th|\.)?", r"\d{4}", r"(?:de |of )?"
    forms = [rf"{day} {of}{month}(?:,? {of}{year})?", rf"{month} {day}(?:, {year})?",
             rf"{month} {year}"]
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)", re.IGNORECASE)


def _clock_spans(text: str, language: str) -> list[tuple[int, int]]:
    if not any(ch.isdigit() for ch in text):
        return []
    return [m.span() for m in _clock_pattern(language).finditer(text)]


@lru_cache(maxsize=None)
def _clock_pattern(language: str) -> re.Pattern:
    """A time with its day period, as CLDR names the periods in the leaflet's language
    (and English), in any width, and as English writes them: '4:30 p.m.', '8 am', '6
    مساءً', '8 a. m.'. A time's '4:30' at a line's end with 'p.m.' below it was seen in
    English, '6' with 'مساءً' below it in the Arabic contact card (A5, booklet). Not a
    one-letter Latin name: Spanish 'de 8 a 10' is no time."""
    names = {str(name).replace("\u202f", " ").replace(NBSP, " ")
             for locale in _locales(language)
             for widths in locale.day_periods.values() for periods in widths.values()
             for key, name in periods.items() if key in ("am", "pm")}
    names = {n for n in names | {"a.m.", "p.m."} if not (len(n) == 1 and n.isascii())}
    period = _any_of(names).replace("\\ ", "[ \u00a0\u202f]?")
    return re.compile(rf"(?<![\w:.])\d{{1,2}}(?:[:.]\d{{2}})? {period}(?!\w)", re.IGNORECASE)


def _duration_spans(text: str, language: str) -> list[tuple[int, int]]:
    if not any(ch.isdigit() for ch in text):
        return []
    return [m.span() for m in _duration_pattern(language).finditer(text)]


_DURATIONS = ("second", "minute", "hour", "day", "week", "month", "year")
_COUNTS = (0, 1, 2, 3, 5, 11, 21, 100, 1.5)  # one of each plural form, in any language


@lru_cache(maxsize=None)
def _duration_pattern(language: str) -> re.Pattern:
    """A count and a unit of time, as CLDR names the units in the leaflet's language (and
    English), in each plural form: '24 hours', '1 hr', '20 minutos', '20 دقيقة', '3 дня'.
    '24' at a line's end with 'hours' below it was seen in every language the page
    reviews read. A range is one run with its unit ('20 to 45 minutes', '2 a 4 horas').
    The last group of a phone number is not a count."""
    shown = [format_unit(count, f"duration-{unit}", length=length, locale=locale)
             for locale in _locales(language)
             for unit, count in itertools.product(_DURATIONS, _COUNTS)
             for length in ("long", "short")]
    names = {re.sub(r"[\d.,\s\u00a0\u202f]+", " ", str(text)).strip() for text in shown}
    # not a one-letter Latin name: Spanish 'a' (año) joined '2 a' in 'de 2 a 4 horas'
    unit = _any_of({name for name in names if " " not in name
                    and not (len(name) == 1 and name.isascii())})
    # a range goes with its unit: '20 to' / '45 minutes' was seen (the connector a dash or
    # a short word: 'to', 'a', 'à', 'bis', 'до', 'إلى')
    count = r"\d{1,4}(?:[.,]\d+)?"
    range_start = rf"(?:{count} ?(?:[-\u2013]|[^\W\d_]{{1,4}}) ?)?"
    return re.compile(rf"(?<![\w.,/:\-])(?<!\d ){range_start}{count} {unit}(?!\w)")


def to_markup(text: Rich, parent: Element, log: StructureLog, numbers: dict[str, int],
              link_colour: str, typeset=None, keep: RunKeeper | None = None) -> str:
    """`typeset` (a layout.typeset.Typeset) wraps runs of another script in their font;
    `keep` joins the runs that must not break (by default, for English in the UK)."""
    keep = keep or RunKeeper()
    parts = []
    links: dict[int, str] = {}  # the first span of a link -> its Link's label
    texts = _split_like(keep(text.plain), text.spans)  # a run may cross styles: call **999**
    for index, span in enumerate(text.spans):
        if span.cites:
            label = log.inline_element(parent, "Reference")
            cited = ("," + NBSP).join(str(numbers[ref]) for ref in span.cites)
            parts.append(f"{_switch(label)}[{cited}]{_switch(closing(label))}")
            continue
        words = texts[index]
        if index + 1 < len(text.spans) and text.spans[index + 1].cites and words.endswith(" "):
            words = words[:-1] + NBSP  # a citation never starts a line: "health [1]"
        piece = (typeset.markup(words, joined_to_next=_untagged_pair(text.spans, index))
                 if typeset else escape(words, quote=False))
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.href:
            _refuse_unsafe(span.href)
            # one Link for the whole link, whatever styles its words have: a link with a
            # bold word was three Links, and all three annotations went to the last
            run = _same_link(text.spans, index)
            if run.start == index:
                links[run.start] = log.inline_element(
                    parent, "Link", url=span.href, lang=span.lang,
                    title="".join(text.spans[i].text for i in run))
            link = links[run.start]
            if run.start == index:  # one <a> around the run: the space between styles is underlined
                piece = (f'{_switch(link)}<a href="{escape(owned_link(span.href, link))}" '
                         f'color="{escape(link_colour)}" underline="1">{piece}')
            if run.stop == index + 1:
                piece += f"</a>{_switch(closing(link))}"
        elif span.lang:  # a run in another language: a Span element with /Lang
            label = log.inline_element(parent, "Span", lang=span.lang)
            piece = f"{_switch(label)}{piece}{_switch(closing(label))}"
        parts.append(piece)
    return "".join(parts)


def _same_link(spans, index: int) -> range:
    """The spans, next to each other, that are one link with span `index`: the same
    address in the same language (a name marked Spanish inside an English link keeps
    a Link of its own, with its /Lang)."""
    def same(other) -> bool:
        return other.href == spans[index].href and other.lang == spans[index].lang \
            and not other.cites
    start = index
    while start > 0 and same(spans[start - 1]):
        start -= 1
    stop = index + 1
    while stop < len(spans) and same(spans[stop]):
        stop += 1
    return range(start, stop)


def _untagged_pair(spans, index: int) -> bool:
    """Whether span `index` and the next are plain, bold or italic text, with no tag of a
    link, citation or language between them."""
    if index + 1 >= len(spans):
        return False
    return not any(span.cites or span.href or span.lang for span in spans[index:index + 2])


def _split_like(kept: str, spans) -> list[str]:
    """`kept` (the spans' text, joined; no-break spaces change no length) cut back into
    one piece per span."""
    pieces, start = [], 0
    for span in spans:
        pieces.append(kept[start:start + len(span.text)])
        start += len(span.text)
    return pieces


def plain_markup(text: str, typeset=None, heading: bool = False,
                 keep: RunKeeper | None = None) -> str:
    text = (keep or RunKeeper())(text)
    return typeset.markup(text, heading) if typeset else escape(text, quote=False)


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown punctuation, so data (a URL, a phone number) prints as is."""
    return "".join("\\" + ch if ch in "\\*_[]()`<>" else ch for ch in text)


def _refuse_unsafe(href: str) -> None:
    """Last guard: validation should have stopped this, but never write a dangerous link."""
    problem = link_problem(href)
    if problem:
        raise RenderError([Problem(Path("<layout>"), 0, 0, problem, "use an http(s), mailto or tel address")])
