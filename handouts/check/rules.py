"""RULES: rule code -> Rule, whose function takes a Subject or Brand, yields (where, message, fix).

The review, governance, accessibility and citation rules live here; the plain-language and
readability rules in language.py.
"""
from __future__ import annotations

import re
from typing import Iterator

from babel import Locale, UnknownLocaleError

from ..brand import CONTRAST_PAIRS, EXPECTED_PER_LANGUAGE, Brand, contrast_ratio, file_to_edit, \
    template_folder
from ..content import add_months
from ..load import Map, read_yaml
from ..labels import Labels
from ..model import Contact, Figure, Leaflet, Where
from ..readability import SPANISH_FORMULAS
from ..review import DUE_SOON, OVERDUE, review_status
from ..svgfigure import fit, least_label
from .language import abbreviation, hard_sentence, jargon, link_text, long_sentence, reading_level
from .model import Rule, Setting, Subject

GENERIC_ALT = {"image", "picture", "photo", "photograph", "figure", "diagram", "graphic",
               "illustration", "img", "icon", "logo", "chart"}


# ---- review dates ------------------------------------------------------------------------

def _review_where(leaflet: Leaflet) -> Where:
    return leaflet.review_where()


def review_overdue(s: Subject, opt: dict) -> Iterator:
    due = s.leaflet.governance.next_review
    if review_status(due, s.today, None) == OVERDUE:
        yield (_review_where(s.leaflet), f"overdue for review since {due} "
               f"({(s.today - due).days} days ago); 'handouts build' will not issue it",
               "review it and update last_reviewed and next_review (until then, build "
               "--allow-overdue prints it marked 'Review overdue')")


def review_due_soon(s: Subject, opt: dict) -> Iterator:
    due = s.leaflet.governance.next_review
    days = (due - s.today).days
    if review_status(due, s.today, opt["days"]) == DUE_SOON:
        yield (_review_where(s.leaflet), f"review due on {due}, in {days} days",
               "start the review now: plan about 3 months for it")


def review_interval(s: Subject, opt: dict) -> Iterator:
    gov = s.leaflet.governance
    limit = add_months(gov.last_reviewed, opt["months"])
    if gov.next_review > limit:
        how = "" if gov.next_review_given else " (from defaults.review_interval_months)"
        yield (_review_where(s.leaflet), f"next review {gov.next_review}{how} is more than "
               f"{opt['months']} months after the last review ({gov.last_reviewed})",
               f"set next_review to {limit} or earlier")


# ---- governance --------------------------------------------------------------------------

def missing_reference(s: Subject, opt: dict) -> Iterator:
    if not s.leaflet.references:
        yield (s.leaflet.where, "the leaflet cites no evidence: it has no references",
               "list its sources under 'references:' and cite them with [@id]")


def missing_contact(s: Subject, opt: dict) -> Iterator:
    if s.brand is None:  # needs_brand: the rule does not run without one
        return
    cards = [b for sec in s.leaflet.walk_sections() for b in sec.blocks if isinstance(b, Contact)]
    if not any(c.phone or c.email for c in cards) and not (
            s.brand["contact.phone"] or s.brand["contact.email"]):
        yield (s.leaflet.where, "no phone number or email address for questions (neither a "
               f"contact block nor the '{s.brand.name}' template has one)",
               "add a contact block with a phone number, or contact.phone to the template")


def missing_approval(s: Subject, opt: dict) -> Iterator:
    gov = s.leaflet.governance
    missing = [k for k in ("approved_by", "approval_date") if not getattr(gov, k)]
    if missing:
        line, column = gov.marks["governance"]
        yield ((s.leaflet.where[0], line, column), "governance has no " + " or ".join(missing),
               "record who approved the leaflet and when (approved_by, approval_date)")


def missing_other_formats(brand: Brand, opt: dict) -> Iterator:
    if not (brand["other_formats"] or "").strip():
        yield (_brand_where(brand, "other_formats"), f"template '{brand.name}' has an empty "
               "'other formats and languages' statement", "write other_formats in brand.yaml")


def missing_feedback(brand: Brand, opt: dict) -> Iterator:
    if not brand["feedback"]:
        yield (_brand_where(brand, "feedback"), f"template '{brand.name}' gives patients no "
               "way to comment on its leaflets", "add 'feedback:' (how to send comments)")


# ---- accessibility -----------------------------------------------------------------------

def contrast(brand: Brand, opt: dict) -> Iterator:
    for text, back in CONTRAST_PAIRS:
        ratio = contrast_ratio(brand.colour(text), brand.colour(back))
        if ratio < opt["min"]:
            yield (_brand_where(brand, f"colours.{text}"), f"colours.{text} on colours.{back} "
                   f"has contrast {ratio:.2f}:1, below the {opt['min']:g}:1 set in checks",
                   f"darken colours.{text} or lighten colours.{back}")


def body_size(brand: Brand, opt: dict) -> Iterator:
    if brand.size("body") < opt["min"]:
        yield (_brand_where(brand, "sizes.body"), f"body text is {brand.size('body'):g} pt, "
               f"below the {opt['min']:g} pt set in checks", f"set sizes.body to {opt['min']:g}")


def _brand_where(brand: Brand, dotted: str) -> Where:
    """Where a template (or one it extends) sets a key; else the template's first line."""
    folder, (*parents, last) = brand.folder, dotted.split(".")
    for _ in range(10):  # brand.py has already refused loops in `extends`
        node = root = read_yaml(folder / "brand.yaml")
        for part in parents:
            node = node.get(part) if isinstance(node, Map) else None
        if isinstance(node, Map) and last in node:
            return (node.path, *node.mark_of(last))
        if not isinstance(root, Map) or "extends" not in root:
            break
        folder = template_folder(folder.parent, str(root["extends"]))  # base may be shipped
    return brand.folder / "brand.yaml", 1, 1


def alt_filename(s: Subject, opt: dict) -> Iterator:
    for section in s.leaflet.walk_sections():
        for figure in (b for b in section.blocks if isinstance(b, Figure)):
            alt = _words(figure.alt or "")
            names = {_words(figure.image.stem), _words(figure.image.name)}
            if not figure.decorative and (alt in names or alt in GENERIC_ALT or
                                          re.fullmatch(r"(img|image|dsc|photo|pic) ?\d+", alt)):
                yield (figure.where, f"alt text '{figure.alt}' only repeats the file name or "
                       "says it is an image", "describe what the image shows and why it is there")


def _figures(leaflet: Leaflet) -> Iterator[Figure]:
    for section in leaflet.walk_sections():
        yield from (b for b in section.blocks if isinstance(b, Figure))


# Each format a leaflet can be built in: (name, paper or None for the brand's, body size key)
FIGURE_FORMATS = (("standard", None, "body"), ("large print", None, "large_print"),
                  ("booklet", "A5", "body"), ("large print on A5", "A5", "large_print"))


def figure_text_size(s: Subject, opt: dict) -> Iterator:
    """An SVG label that would print under 12 pt (the large print body size in large print) in some format:
    layout's own sizing rule (svgfigure.fit) on each format's column."""
    if s.brand is None:
        return
    from ..layout.geometry import footer_parts, geometry  # each format's column, as laid out
    # The footer takes at most a line a part (page.fit_lines joins what fits), so the
    # column is never shorter than this: a figure said to fit here fits in the build.
    # Not so where a part is wider than the column and takes two lines (Somali's review
    # dates in A5 large print): there the estimate is a footer line too generous.
    footer_lines = len(footer_parts(s.leaflet, s.brand, Labels(s.leaflet.language), "-"))
    for figure in _figures(s.leaflet):
        svg = figure.svg
        label = svg.smallest_label if svg else None
        if svg is None or label is None:
            continue
        for name, paper, size_key in FIGURE_FORMATS:
            body = s.brand.size(size_key)
            geo = geometry(s.brand, paper, body, footer_lines)
            least = least_label(body)
            scale, _ = fit(svg, geo.frame_width, geo.frame_height(False), least)
            printed = label.size * scale
            if printed < least - 0.01:
                yield ((svg.path, label.line, label.column), f"figure label "
                       f"'{label.text}' prints at {printed:.1f} pt in {name} "
                       f"({paper or s.brand['page.size']}), below {least:g} pt",
                       f"make the SVG's font-size at least {least / scale:.1f} (its own "
                       f"units), or draw the figure narrower so it is not scaled down")
                break


def figure_raster(s: Subject, opt: dict) -> Iterator:
    """A PNG or JPEG figure: nothing can tell how big any text in it prints."""
    for figure in _figures(s.leaflet):
        if figure.svg is None and not figure.decorative:
            yield (figure.where, f"figure '{figure.image.name}' is a picture (PNG/JPEG): the "
                   "size of any text in it cannot be checked", "if it has labels, draw it as "
                   "SVG, so they print as live text at 12 pt or more (the body size, 18 pt by default, in large print)")


def figure_language(s: Subject, opt: dict) -> Iterator:
    """SVG labels in another language than the leaflet's (an English figure in a
    translation): the SVG's xml:lang says which language its text is in."""
    own = s.leaflet.language.lower().split("-")[0]
    for figure in _figures(s.leaflet):
        if not (figure.svg and figure.svg.labels):
            continue
        language = figure.svg.language
        if not language:
            yield ((figure.svg.path, 1, 1), f"figure '{figure.svg.path.name}' has text but "
                   "does not say its language", f"add xml:lang=\"{s.leaflet.language}\" to "
                   "its <svg> element")
        elif language.lower().split("-")[0] != own:
            yield (figure.where, f"figure '{figure.svg.path.name}' is labelled in "
                   f"{_english_name(language)} ({language}), the leaflet is in "
                   f"{_english_name(s.leaflet.language)}", "name a copy of the SVG with "
                   "translated labels (e.g. picture.es.svg) in this leaflet")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[-_.]+", " ", text.lower()).split())


# ---- citations ---------------------------------------------------------------------------

def reference_uncited(s: Subject, opt: dict) -> Iterator:
    cited = {ref for text, _ in s.leaflet.rich_texts() for ref in text.citations()}
    for ref in s.leaflet.references:
        if ref.id not in cited:
            yield (ref.where, f"reference '{ref.id}' is never cited in the text",
                   f"cite it where it supports the text with [@{ref.id}], or remove it")


def reference_accessed(s: Subject, opt: dict) -> Iterator:
    for ref in s.leaflet.references:
        if ref.url and not ref.accessed:
            yield (ref.where, f"reference '{ref.id}' has a web address but no accessed date",
                   "add 'accessed: YYYY-MM-DD' (the day you last read the page)")


def labels_missing(s: Subject, opt: dict) -> Iterator:
    """Fixed labels (page N of M, references, contact us...) that the leaflet's language
    has no text for print in English: say so, naming the language and each label."""
    language = s.leaflet.language
    if language.lower().split("-")[0] == "en":
        return
    labels = Labels(language)
    missing = labels.missing()
    name = f"{_english_name(language)} ({language})"
    if missing and not labels.has_catalogue():
        yield (s.leaflet.where, f"no message catalogue for {name}: all {len(missing)} fixed "
               "labels (page N of M, references, contact us...) print in English",
               f"add handouts/messages/{language}.yaml (copy en.yaml and translate the "
               "values), or build the leaflet in a language that has one")
        return
    for key in missing:
        yield (s.leaflet.where, f"label '{key}' has no {name} text and prints in English "
               f"('{labels[key]}')", f"add '{key}:' to the {language} message catalogue "
               "(handouts/messages/)")


def brand_text_missing(s: Subject, opt: dict) -> Iterator:
    """Brand texts (contact, other formats, feedback, disclaimer...) that the brand has no
    text for in the leaflet's language: they print as written, in the brand's language."""
    if s.brand is None:
        return
    language = s.leaflet.language
    printed = s.brand.for_language(language)
    for key in printed.english:
        if key not in EXPECTED_PER_LANGUAGE:
            continue
        yield (s.leaflet.where, f"brand '{s.brand.name}' has no {_english_name(language)} "
               f"({language}) text for '{key}', so it prints in its own language: "
               f"'{_short(s.brand[key])}'", f"add 'texts: {language}: {key}: ...' to "
               + file_to_edit(s.brand))


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[:most - 3].rstrip() + "..."


def _english_name(tag: str) -> str:
    try:
        return Locale.parse(tag, sep="-").get_display_name("en") or tag
    except (ValueError, UnknownLocaleError):
        return tag


# ---- the table ---------------------------------------------------------------------------

def _n(default, low, high, doc, kind="int"):
    return Setting(default, kind, doc, low, high)


RULES: dict[str, Rule] = {
    "review-overdue": Rule("error", "leaflet", review_overdue, "next review date has passed"),
    "review-due-soon": Rule("warning", "leaflet", review_due_soon, "review due within the lead "
                            "time", {"days": _n(90, 0, 3650, "lead time in days")}, "days"),
    "review-interval": Rule("warning", "leaflet", review_interval, "review interval longer than "
                            "policy", {"months": _n(36, 1, 120, "longest interval")}, "months"),
    "missing-reference": Rule("error", "leaflet", missing_reference, "no references"),
    "missing-contact": Rule("error", "leaflet", missing_contact, "no phone or email for "
                            "questions", needs_brand=True),
    "missing-approval": Rule("warning", "leaflet", missing_approval, "no approved_by or "
                             "approval_date"),
    "missing-other-formats": Rule("error", "brand", missing_other_formats,
                                  "empty other-formats statement"),
    "missing-feedback": Rule("warning", "brand", missing_feedback, "no feedback route"),
    "reading-level": Rule("warning", "leaflet", reading_level, "reading level above target", {
        "smog": _n(8, 1, 20, "English: highest SMOG grade", "float"),
        "spanish_formula": Setting("fernandez-huerta", "choice", "Spanish formula",
                                   choices=SPANISH_FORMULAS),
        "spanish": _n(60, 0, 120, "Spanish: lowest score (higher is easier)", "float"),
        "ease": _n(60, 0, 120, "French, German, Italian, Dutch, Russian: lowest score "
                   "(higher is easier)", "float"),
        "sections": Setting(True, "bool", "also score each top-level section"),
        "section_min_words": _n(100, 0, 10000, "sections shorter than this are not scored"),
    }, "smog"),
    "hard-sentence": Rule("warning", "leaflet", hard_sentence, "the hardest sentences, listed "
                          "when reading-level fires", {"count": _n(3, 1, 20, "how many")}, "count"),
    "long-sentence": Rule("warning", "leaflet", long_sentence, "sentence over N words",
                          {"words": _n(25, 5, 100, "most words in a sentence")}, "words"),
    "abbreviation": Rule("warning", "leaflet", abbreviation, "abbreviation used before it is "
                         "spelled out", {"allow": Setting([], "words", "abbreviations to allow")}),
    "jargon": Rule("warning", "leaflet", jargon, "jargon with a plainer word", {
        "terms": Setting({}, "terms", "more terms: 'term: plainer word'"),
        "builtin": Setting(True, "bool", "use the built-in list too")}),
    "link-text": Rule("warning", "leaflet", link_text, "link text that does not say where it "
                      "goes", {"phrases": Setting([], "words", "more vague phrases")}),
    "reference-uncited": Rule("warning", "leaflet", reference_uncited, "reference never cited"),
    "reference-accessed": Rule("warning", "leaflet", reference_accessed, "web reference "
                               "without an accessed date"),
    "labels-missing": Rule("warning", "leaflet", labels_missing, "fixed labels printed in "
                           "English for want of the leaflet's language"),
    "brand-text-missing": Rule("warning", "leaflet", brand_text_missing, "brand texts "
                               "printed in the brand's language for want of the leaflet's",
                               needs_brand=True),
    "alt-filename": Rule("warning", "leaflet", alt_filename, "alt text that repeats the file "
                         "name"),
    "figure-text-size": Rule("error", "leaflet", figure_text_size, "figure text that "
                             "prints under 12 pt (the body size in large print)", needs_brand=True),
    "figure-raster": Rule("warning", "leaflet", figure_raster, "PNG/JPEG figure whose text "
                          "size cannot be checked"),
    "figure-language": Rule("warning", "leaflet", figure_language, "SVG figure labelled in "
                            "another language"),
    "contrast": Rule("warning", "brand", contrast, "colour pairs below a stricter contrast",
                     {"min": _n(4.5, 1, 21, "lowest contrast ratio", "float")}, "min"),
    "body-size": Rule("warning", "brand", body_size, "body text below a larger size",
                      {"min": _n(12, 8, 30, "smallest body size in points", "float")}, "min"),
}
