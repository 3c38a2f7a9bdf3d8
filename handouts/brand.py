"""Stage 2, validate: templates/<name>/brand.yaml (+ `extends:`) -> frozen Brand.

Every key is declared once in SCHEMA with its type, default and meaning. Nested YAML
mappings are flattened to dotted keys ("colours.text"), so inheritance is a plain per-key
override and an unknown key anywhere gets a "did you mean". Files (logo, fonts) are found
relative to the template folder that named them. No ReportLab here.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .errors import HandoutsError, Problem, Problems, TemplateError
from .fields import as_number, did_you_mean
from .links import contact_link_problem, link_problem
from .load import Map, Mark, inside, read_yaml
from . import assets, fonts, phones
from .model import CONTACT_FIELDS
from .outputs import PAGE_SIZES

WhereOf = Callable[[str], "tuple[Path, Mark | None]"]  # dotted key -> where it was set

_CONTACT_DOCS = (  # brand contact.* keys, in model.Contact's order
    "the standard contact block: who to contact",
    "phone number, printed as written and linked in international form (one number; 111 "
    "and 999 as they are)", "email address", "opening hours", "postal address", "website",
    "e.g. out-of-hours advice")

REQUIRED = object()
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_BODY_PT = 12.0
MIN_CONTRAST = 4.5
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # a folder, never a path
MAX_EXTENDS = 8


@dataclass(frozen=True)
class Field:
    kind: str  # text | number | colour | file | choice | bool
    default: object
    doc: str
    low: float = 0
    high: float = 0
    choices: tuple = ()


def _colour(default, doc):
    return Field("colour", default, doc)


SCHEMA: dict[str, Field] = {
    "organisation": Field("text", REQUIRED, "organisation name, printed in the first-page header"),
    "department": Field("text", None, "optional line under the organisation name"),
    "logo.file": Field("file", None, "PNG or JPEG logo, relative to the template folder"),
    "logo.alt": Field("text", None, "alt text when the logo carries meaning; empty = decorative"),
    "logo.height_mm": Field("number", 16, "logo height on the page", 6, 40),
    "page.size": Field("choice", "A4", "paper size", choices=PAGE_SIZES),
    "region": Field("text", phones.DEFAULT_REGION, "two-letter region of the phone numbers "
                    "(GB, US...): '020 7946 0000' is read as a London number"),
    "page.margin_top_mm": Field("number", 16, "top margin", 8, 40),
    "page.margin_bottom_mm": Field("number", 22, "bottom margin (the footer sits in it)", 14, 40),
    "page.margin_left_mm": Field("number", 20, "left margin", 8, 40),
    "page.margin_right_mm": Field("number", 20, "right margin", 8, 40),
    "page.measure": Field("number", 70, "longest body line in characters; the side margins "
                          "grow to keep lines this short (clear print: 60-75)", 45, 90),
    "fonts.body": Field("text", "Atkinson Hyperlegible",
                        "body font: an installed font package family, or a folder of TTFs "
                        "(Regular/Bold/Italic/BoldItalic) relative to the template"),
    "fonts.heading": Field("text", None, "heading font, same forms as fonts.body; default body"),
    "sizes.body": Field("number", 13, "body text size in points (at least 12)", 8, 30),
    "sizes.leading": Field("number", 1.45, "line height as a multiple of the size", 1.2, 2.2),
    "sizes.title": Field("number", 26, "leaflet title size", 14, 48),
    "sizes.h2": Field("number", 19, "section heading size", 12, 36),
    "sizes.h3": Field("number", 15.5, "subsection heading size", 12, 30),
    "sizes.footer": Field("number", 9.5, "footer text size", 7, 14),
    "sizes.large_print": Field("number", 18, "body size of the large-print variant (RNIB: 16 "
                               "at least, 18 preferred)", 16, 30),
    "colours.text": _colour("#1b1b1b", "body text"),
    "colours.background": _colour("#ffffff", "page background"),
    "colours.heading": _colour("#1b1b1b", "headings and title"),
    "colours.accent": _colour("#1b1b1b", "rules, bars and table header background"),
    "colours.accent_text": _colour("#ffffff", "text on the accent colour (table headers)"),
    "colours.link": _colour("#1b1b1b", "links"),
    "colours.muted": _colour("#4a4a4a", "footer and captions"),
    "colours.info_background": _colour("#eef4fb", "info callout background"),
    "colours.info_bar": _colour("#1b1b1b", "info callout bar"),
    "colours.warning_background": _colour("#fff6d6", "warning callout background"),
    "colours.warning_bar": _colour("#8a6100", "warning callout bar"),
    "colours.urgent_background": _colour("#fde8e8", "urgent callout background"),
    "colours.urgent_bar": _colour("#b00020", "urgent callout bar"),
    "colours.table_stripe": _colour("#f2f2f2", "alternate table row background"),
    "callout_titles.info": Field("text", "Good to know", "default title of info callouts"),
    "callout_titles.warning": Field("text", "Important", "default title of warning callouts"),
    "callout_titles.urgent": Field("text", "Get help urgently if",
                                   "default title of urgent callouts"),
    # the standard contact block: one key per field of model.Contact, in its order
    **{f"contact.{name}": Field("text", REQUIRED if name == "name" else None, doc)
       for name, doc in zip(CONTACT_FIELDS, _CONTACT_DOCS, strict=True)},
    "other_formats": Field("text", REQUIRED, "'available in other formats and languages' text"),
    "feedback": Field("text", None, "how patients can give feedback on the leaflet"),
    "disclaimer": Field("text", None, "disclaimer printed at the end"),
    "footer_text": Field("text", None, "extra footer text, e.g. the organisation's short name"),
    "online_url": Field("text", None, "address of each leaflet online, with {code}, {id} and/or "
                        "{name}, e.g. https://example.org/leaflets/{code} or "
                        ".../{name}.html (its web page); adds a QR code at the end"),
}

# Pairs of (text colour, background colour) that must reach MIN_CONTRAST (WCAG 2.x AA).
CONTRAST_PAIRS = [
    ("text", "background"), ("heading", "background"), ("link", "background"),
    ("muted", "background"), ("accent_text", "accent"), ("text", "info_background"),
    ("text", "warning_background"), ("text", "urgent_background"), ("link", "info_background"),
    ("link", "warning_background"), ("link", "urgent_background"), ("text", "table_stripe"),
    ("link", "table_stripe"),
]


@dataclass(frozen=True)
class Brand:
    name: str
    folder: Path
    values: tuple  # sorted (dotted key, value) pairs: hashable and deterministic
    body_font: fonts.FontFamily
    heading_font: fonts.FontFamily
    marks: tuple = field(default=(), compare=False)  # (dotted key, (file, line, column))
    texts: tuple = ()  # sorted (language tag, dotted key, text): `texts:` in brand.yaml
    language: str = "en"  # the language of its plain (untranslated) texts
    english: tuple = ()  # the keys for_language left in the brand's own language

    def __getitem__(self, key: str):
        return dict(self.values)[key]

    def where(self, key: str) -> tuple[Path, int, int] | None:
        """The file, line and column where the template (or one it extends) sets `key`,
        for a problem found after loading; None for a key left at its default."""
        return dict(self.marks).get(key)

    def get(self, key: str, default=None):
        return dict(self.values).get(key, default)

    def text_in(self, language: str, key: str) -> str | None:
        """The brand's own text for `key` in `language` (es-MX falls back to es), or None."""
        own = {(tag.lower(), k): v for tag, k, v in self.texts}
        parts = language.lower().split("-")
        for n in range(len(parts), 0, -1):
            found = own.get(("-".join(parts[:n]), key))
            if found is not None:
                return found
        return None

    def writes_in(self, language: str) -> bool:
        """Whether a leaflet in `language` reads the brand's plain texts as they are."""
        return language.lower().split("-")[0] == self.language.lower().split("-")[0]

    def for_language(self, language: str) -> "Brand":
        """The brand as a leaflet in `language` prints it: each translatable text in that
        language (its own `texts:`, else the message catalogue's for a standard label);
        a text with neither stays as written and is listed in `english`."""
        if self.writes_in(language):
            return self
        from .labels import Labels  # labels.py reads YAML only; no cycle at import time
        values, plain = dict(self.values), Labels(self.language)
        labels, english = Labels(language), []
        for key in TRANSLATABLE:
            value = values.get(key)
            if not value:
                continue
            label = STANDARD_LABELS.get(key)
            own = self.text_in(language, key)
            if own is not None:
                values[key] = own
            elif label and value == plain[label] and labels.has_own(label):
                values[key] = labels[label]
            else:
                english.append(key)
        return dataclasses.replace(self, values=tuple(sorted(values.items(), key=str)),
                                   english=tuple(english))

    def where_text(self, language: str, key: str) -> tuple[Path, int, int] | None:
        """Where the text printed for `key` in `language` is written."""
        parts = language.lower().split("-")
        for n in range(len(parts), 0, -1):
            for tag, k, _ in self.texts:
                if k == key and tag.lower() == "-".join(parts[:n]):
                    return self.where(f"texts.{tag}.{key}")
        return self.where(key)

    def colour(self, role: str) -> str:
        return self[f"colours.{role}"]

    def size(self, role: str) -> float:
        return float(self[f"sizes.{role}"])


@dataclass(frozen=True)
class _Entry:
    value: object
    path: Path
    mark: Mark | None
    folder: Path
    depth: int = 0  # 0: the template named; 1: the one it extends...


# The brand texts a template may give per language under `texts: {<tag>: {...}}`, in the
# shape of the English keys. Names, numbers and addresses for links are facts, not text.
TRANSLATABLE = ("department", "contact.name", "contact.hours", "contact.address",
                "contact.note", "other_formats", "feedback", "disclaimer",
                "callout_titles.info", "callout_titles.warning", "callout_titles.urgent")
# ... and those a leaflet in another language should not print in English (check warns)
EXPECTED_PER_LANGUAGE = tuple(k for k in TRANSLATABLE if k != "contact.address")
# A brand text written exactly as a standard label needs no translation of its own: the
# message catalogue's is used ('department: Patient information', the callout titles).
STANDARD_LABELS = {"department": "patient_information", "callout_titles.info": "callout_info",
                   "callout_titles.warning": "callout_warning",
                   "callout_titles.urgent": "callout_urgent"}


def _flatten(node: Map, folder: Path, prefix: str, out: dict, problems: Problems) -> None:
    for key, value in node.items():
        dotted = f"{prefix}{key}"
        if dotted == "texts":
            _flatten_texts(node, value, folder, out, problems)
            continue
        if isinstance(value, Map) and not any(k == dotted for k in SCHEMA):
            if any(k.startswith(dotted + ".") for k in SCHEMA):
                _flatten(value, folder, dotted + ".", out, problems)
            else:  # a mistyped section: one message for it, not one per key inside
                sections = {k[len(prefix):].split(".")[0] for k in SCHEMA
                            if k.startswith(prefix) and "." in k[len(prefix):]}
                problems.add(node.path, node.key_mark(key), f"unknown section '{dotted}' in "
                             "brand template", did_you_mean(key, sections))
            continue
        if dotted not in SCHEMA and dotted != "extends":
            siblings = {k[len(prefix):].split(".")[0] for k in SCHEMA if k.startswith(prefix)}
            problems.add(node.path, node.key_mark(key), f"unknown key '{dotted}' in brand "
                         "template", did_you_mean(key, siblings | ({"extends", "texts"}
                                                                  if not prefix else set())))
            continue
        out[dotted] = _Entry(value, node.path, node.mark_of(key), folder)


def _flatten_texts(node: Map, texts, folder: Path, out: dict, problems: Problems) -> None:
    """`texts: {es: {other_formats: ..., contact: {name: ...}}}` -> entries
    'texts.es.other_formats', each checked here: a known language, a translatable key,
    text."""
    from .languages import language_problem
    if not isinstance(texts, Map):
        problems.add(node.path, node.mark_of("texts"), "texts: should be a mapping of "
                     "language tags to the brand's texts in that language",
                     "write e.g. 'texts:' then '  es:' then '    other_formats: ...'")
        return
    for tag, block in texts.items():
        tag = str(tag)
        wrong = language_problem(tag)
        if wrong:
            problems.add(texts.path, texts.key_mark(tag), f"texts.{tag}: {wrong[0]}", wrong[1])
            continue
        if not isinstance(block, Map):
            problems.add(texts.path, texts.mark_of(tag), f"texts.{tag}: should be the brand's "
                         "texts in that language, indented below", "write e.g. "
                         "'other_formats: ...', 'contact:' then '  name: ...'")
            continue
        for key, value, where, name in _text_items(block):
            if key not in TRANSLATABLE:
                problems.add(where.path, where.key_mark(name), f"texts.{tag}.{key}: not a "
                             "brand text that has a language",
                             did_you_mean(key, TRANSLATABLE) if did_you_mean(
                                 key, TRANSLATABLE) else "translatable: " + ", ".join(
                                 TRANSLATABLE))
            elif not isinstance(value, str) or not value.strip():
                problems.add(where.path, where.mark_of(name), f"texts.{tag}.{key}: should "
                             "be text", "write the text in that language after the key")
            else:
                out[f"texts.{tag}.{key}"] = _Entry(value.strip(), where.path,
                                                   where.mark_of(name), folder)


def _text_items(block: Map):
    """(dotted key, value, the mapping it is in, its own key) for one language's texts."""
    for key, value in block.items():
        if isinstance(value, Map):
            for inner, text in value.items():
                yield f"{key}.{inner}", text, value, inner
        else:
            yield str(key), value, block, key


def _read_chain(templates_dir: Path, name: str, problems: Problems, seen: tuple = (),
                named_at: tuple[Path, Mark | None] | None = None) -> dict:
    """The flattened entries of a template and everything it extends (child wins).
    `named_at` is where the name is written: a leaflet's `template:`, or the `extends:` of
    the template before it; problems with the name are reported there."""
    named_at = named_at or (templates_dir, None)
    if not TEMPLATE_NAME.match(name):
        problems.add(*named_at, f"template name '{name}' is not a folder name under "
                     "templates/", "write the name of a folder in templates/, e.g. "
                     "riverside-trust (letters, digits, '-' and '_', at most 64)")
        return {}
    if len(seen) >= MAX_EXTENDS:
        problems.add(*named_at, f"templates extend each other more than {MAX_EXTENDS} deep",
                     "extend a template that extends base directly")
        return {}
    folder = template_folder(templates_dir, name)
    path = folder / "brand.yaml"
    if name in seen:
        problems.add(path, None, f"template '{name}' extends itself through "
                     + " -> ".join(seen), "remove the loop in 'extends'")
        return {}
    if not path.is_file():
        known = known_templates(templates_dir)
        problems.add(path, None, f"brand template '{name}' not found",
                     did_you_mean(name, known) if known else f"create {path}")
        return {}
    node = read_yaml(path)
    if not isinstance(node, Map):
        problems.add(path, None, "brand.yaml should be a mapping",
                     "write one 'key: value' per line, e.g. 'extends: base' and "
                     "'organisation: ...'")
        return {}
    own: dict = {}
    _flatten(node, folder, "", own, problems)
    parent = own.pop("extends", None)
    inherited = _read_chain(templates_dir, str(parent.value), problems, (*seen, name),
                            (parent.path, parent.mark)) if parent else {}
    inherited = {k: dataclasses.replace(e, depth=e.depth + 1) for k, e in inherited.items()}
    return {**inherited, **own}


def load_brand(templates_dir: Path, name: str, where: tuple | None = None) -> Brand:
    """Load and validate a brand template; raises TemplateError listing every problem.
    `where` (file, line, column) is the line that names it, for problems with the name."""
    problems = Problems()
    try:
        entries = _read_chain(Path(templates_dir), name, problems,
                              named_at=(where[0], where[1:]) if where else None)
    except HandoutsError as exc:
        raise TemplateError(exc.problems) from None
    if problems.errors and not entries:  # no template was read: nothing more to report
        raise TemplateError(problems.items)
    values = {}
    main = template_folder(Path(templates_dir), name) / "brand.yaml"
    for key, spec in SCHEMA.items():
        entry = entries.get(key)
        if entry is None:
            if spec.default is REQUIRED:
                problems.add(main, None, f"brand template is missing '{key}'",
                             f"add '{key}' ({spec.doc})")
            values[key] = None if spec.default is REQUIRED else spec.default
            continue
        values[key] = _check_value(key, spec, entry, problems)
    _check_rules(values, entries, main, problems)
    texts = _texts(entries, problems)
    body = _font(values, entries, "fonts.body", problems)
    heading = _font(values, entries, "fonts.heading", problems) if values["fonts.heading"] \
        else body
    problems.raise_if_errors(TemplateError)
    marks = tuple(sorted((k, (e.path, *(e.mark or (1, 1)))) for k, e in entries.items()))
    return Brand(name, main.parent, tuple(sorted(values.items(), key=str)),
                 body, heading, marks, texts)


def _texts(entries: dict, problems: Problems) -> tuple:
    """The per-language texts that translate the English text in use. A translation set
    further up the `extends` chain than the English text it translates is of another
    text (base's contact name, not the clinic's), so it is dropped, never printed."""
    texts = []
    for dotted, entry in entries.items():
        if not dotted.startswith("texts."):
            continue
        tag, key = dotted[len("texts."):].split(".", 1)
        english = entries.get(key)
        if english is None and SCHEMA[key].default is None:
            problems.add(entry.path, entry.mark, f"texts.{tag}.{key} translates '{key}', "
                         "which the brand does not set", f"add '{key}:' in the brand's own "
                         "language, or remove this text")
        elif english is None or entry.depth <= english.depth:
            texts.append((tag, key, entry.value))
    return tuple(sorted(texts))


def _check_value(key: str, spec: Field, entry: _Entry, problems: Problems):
    value = entry.value

    def bad(message, hint):
        problems.add(entry.path, entry.mark, f"{key}: {message}", hint)

    if spec.kind == "number":
        number = as_number(str(value)) if isinstance(value, str) else None
        if number is None:
            return bad(f"'{value}' is not a number", f"write a number in digits ({spec.doc})")
        value = number
        if not spec.low <= value <= spec.high:
            return bad(f"{value:g} is outside {spec.low:g}-{spec.high:g}",
                       f"use a value from {spec.low:g} to {spec.high:g}")
        return float(value)
    if value is None or isinstance(value, (Map, list)):
        return bad("should be a single value", f"write {spec.doc}")
    value = str(value).strip()
    if spec.kind == "colour" and not HEX.match(value):
        return bad(f"'{value}' is not a colour", "write it as #rrggbb, e.g. #005eb8 (quote it)")
    if spec.kind == "choice" and value not in spec.choices:
        return bad(f"'{value}' is not one of {', '.join(spec.choices)}",
                   did_you_mean(value, spec.choices))
    if spec.kind == "file":
        path = inside(entry.folder / value, entry.folder)
        if path is None:
            return bad(f"'{value}' is outside the template folder {entry.folder}",
                       "copy the file into the template folder and name it from there")
        if path.exists() and not path.is_file():  # a folder, pipe or device: never read
            return bad(f"'{value}' is not a regular file", "name a PNG or JPEG file")
        if not path.is_file():
            return bad(f"file '{value}' not found in {entry.folder}",
                       "put the file in the template folder or fix the name")
        problem = assets.image_problem(path)
        if problem:
            return bad(f"'{value}' {problem}", "save the logo as a PNG or JPEG of a "
                       "sensible size (a few hundred pixels high)")
        return str(path)
    return value


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour, 0 (black) to 1 (white)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _check_rules(values: dict, entries: dict, main: Path, problems: Problems) -> None:
    def where(key: str) -> tuple[Path, Mark | None]:
        entry = entries.get(key)
        return (entry.path, entry.mark) if entry else (main, None)

    _check_phone(values, where, problems)

    if values["sizes.body"] is not None and values["sizes.body"] < MIN_BODY_PT:
        path, mark = where("sizes.body")
        problems.add(path, mark, f"body text size {values['sizes.body']:g} pt is below "
                     f"{MIN_BODY_PT:g} pt", "set sizes.body to 12 or more (14 is recommended)",
                     rule="body-size")
    for text, back in CONTRAST_PAIRS:
        fg, bg = values[f"colours.{text}"], values[f"colours.{back}"]
        if not fg or not bg:
            continue
        ratio = contrast_ratio(fg, bg)
        if ratio < MIN_CONTRAST:
            path, mark = where(f"colours.{text}")
            problems.add(path, mark, f"colours.{text} {fg} on colours.{back} {bg} has contrast "
                         f"{ratio:.2f}:1, below {MIN_CONTRAST}:1 (WCAG AA)",
                         f"darken colours.{text} or lighten colours.{back}", rule="contrast")
    large, body = values["sizes.large_print"], values["sizes.body"]
    if large is not None and body is not None and large < body:
        path, mark = where("sizes.large_print")
        problems.add(path, mark, f"sizes.large_print {large:g} pt is smaller than sizes.body "
                     f"{body:g} pt", "set sizes.large_print to at least sizes.body (18 is usual)")
    if values["online_url"]:
        _check_online_url(values["online_url"], where, problems)
    _check_contact_links(values, where, problems)


def _check_online_url(pattern: str, where: WhereOf, problems: Problems) -> None:
    problem = online_url_problem(pattern)
    if problem:
        problems.add(*where("online_url"), f"online_url: {problem}",
                     "write e.g. https://www.example.org/leaflets/{code}")
        return
    too_long = online_url_length_problem(pattern)
    if too_long:
        problems.add(*where("online_url"), f"online_url: {too_long}",
                     "use a shorter address for the leaflets' pages, e.g. "
                     "https://www.example.org/leaflets/{code}")


def _check_contact_links(values: dict, where: WhereOf, problems: Problems) -> None:
    """contact.url and contact.email become links: they pass the one link check at load time."""
    for key in ("url", "email"):
        value = values.get(f"contact.{key}")
        found = contact_link_problem(key, value) if value else None
        if found:
            problems.add(*where(f"contact.{key}"), f"contact.{key}: {found[0]}", found[1])


def _check_phone(values: dict, where: WhereOf, problems: Problems) -> None:
    region = values["region"]
    problem = phones.region_problem(region) if region else None
    if problem:
        problems.add(*where("region"), f"region: {problem}", "write e.g. GB or US")
        return
    if values["contact.phone"]:
        try:
            phones.tel_target(values["contact.phone"], region)
        except phones.PhoneError as exc:
            problems.add(*where("contact.phone"), f"contact.phone: {exc}", exc.hint)


URL_FIELDS = ("code", "id", "name")  # name: <id> or <id>.<lang>, as the files in out/


def online_url_problem(pattern: str) -> str | None:
    """What is wrong with an online_url pattern, or None when it is usable."""
    if not re.match(r"^https?://[^\s/{}]+", pattern):
        return f"'{pattern}' should start with https:// and a host name"
    fields = re.findall(r"\{([^{}]*)\}", pattern)
    unknown = sorted(set(fields) - set(URL_FIELDS))
    if unknown:
        return f"'{{{unknown[0]}}}' is not a field; use {{code}}, {{id}} or {{name}}"
    if not fields:
        return "has no {code}, {id} or {name}, so every leaflet would link to the same page"
    rest = re.sub(r"\{(code|id|name)\}", "", pattern)
    if "{" in rest or "}" in rest or re.search(r"\s", pattern):
        return f"'{pattern}' has a stray brace or a space"
    return link_problem(online_url(pattern, "PIL-0001", "leaflet"))  # every address a link


# The online address is printed as a QR code 26 mm wide (layout/online.py), error
# correction level M. Up to version 15 (77 modules across) each module is a third of a
# millimetre or more, about the smallest a phone camera reads from paper; version 15 at
# level M holds 412 bytes. (ReportLab's encoder fails with "code length overflow" past
# version 39, and larger codes print too fine to scan.)
QR_MAX_BYTES = 412


def qr_length_problem(value: str) -> str | None:
    """Why `value` cannot be printed as the QR code (too long), or None when it can."""
    size = len(value.encode("utf-8"))
    if size <= QR_MAX_BYTES:
        return None
    unit = "characters" if value.isascii() else "bytes (UTF-8)"
    return f"is {size} {unit} long; the printed QR code holds at most {QR_MAX_BYTES}"


def online_url_length_problem(pattern: str) -> str | None:
    """Whether a (well-formed) pattern is too long for the QR code before any leaflet's
    code or id is put in; layout checks each leaflet's filled-in address."""
    too_long = qr_length_problem(re.sub(r"\{(code|id|name)\}", "", pattern))
    return f"without {{code}}, {{id}} and {{name}} the address {too_long}" if too_long else None


def online_url(pattern: str, code: str, leaflet_id: str, name: str | None = None) -> str:
    """The leaflet's own address from the brand's pattern (checked by online_url_problem).
    `name` is the leaflet's file name without its format and extension (`igrt`,
    `igrt.es` for a translation), so `{name}.html` is the address of its web page."""
    values = {"code": quote(code, safe="-._~"), "id": leaflet_id, "name": name or leaflet_id}
    return re.sub(r"\{(code|id|name)\}", lambda m: values[m.group(1)], pattern)


def _font(values: dict, entries: dict, key: str, problems: Problems):
    entry = entries.get(key)
    folder = entry.folder if entry else Path(".")
    if entry and _names_a_path(values[key], folder) and \
            inside(folder / values[key], folder) is None:
        problems.add(entry.path, entry.mark, f"{key}: '{values[key]}' is outside the template "
                     f"folder {folder}", "copy the font into the template's folder and name "
                     "it relative to brand.yaml, or name an installed font package")
        return None
    try:
        return fonts.resolve_family(values[key], folder, needed=fonts.BRAND_CHARACTERS)
    except fonts.FontError as exc:
        path, mark = (entry.path, entry.mark) if entry else (Path("brand.yaml"), None)
        problems.add(path, mark, f"{key}: {exc}", exc.hint)
        return None


def _names_a_path(spec: str, folder: Path) -> bool:
    """A font file or folder (not the family name of an installed font package)."""
    return "/" in spec or "\\" in spec or spec.lower().endswith((".ttf", ".ttc")) \
        or spec.startswith(".") or (folder / spec).exists() or (folder / spec).is_symlink()


# ---- loading brands for a run -------------------------------------------------------------

class Brands:
    """Loads each brand template once per run and remembers failures."""

    def __init__(self, templates_dir: Path):
        self.templates_dir = templates_dir
        self._cache: dict[str, Brand | HandoutsError] = {}

    def get(self, name: str, where: tuple | None = None) -> Brand:
        """The brand; raises its problems the first time, later an empty TemplateError,
        so a broken template is reported once however many leaflets use it."""
        if name not in self._cache:
            try:
                self._cache[name] = self._load(name, where)
            except HandoutsError as exc:
                self._cache[name] = exc
                raise
        result = self._cache[name]
        if isinstance(result, HandoutsError):
            raise TemplateError([])
        return result

    def quietly(self, name: str) -> Brand | None:
        """The brand, or None if it does not load (its problems are reported elsewhere)."""
        try:
            return self.get(name)
        except HandoutsError:
            return None

    def _load(self, name: str, where: tuple | None) -> Brand:
        folder = template_folder(self.templates_dir, name)
        if where and TEMPLATE_NAME.match(name) and not (folder / "brand.yaml").is_file():
            known = known_templates(self.templates_dir)
            guess = did_you_mean(name, known) if known else ""
            guess = f"{guess} " if guess.startswith("did") else ""
            path, line, column = where
            raise TemplateError(Problem(
                path, line, column, f"brand template '{name}' not found in {self.templates_dir}",
                f"{guess}templates: {', '.join(known) or 'none'}"))
        return load_brand(self.templates_dir, name, where)


def templates_dir_for(content: Path) -> Path:
    return Path(content).resolve().parent / "templates"


# The base brand ships inside the package (the starter `handouts init` copies), so a
# catalogue with no templates/ folder, or a brand that extends base without a copy of it,
# still builds. A templates/base/ beside content.yaml wins: it is the clinic's own.
SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "starter" / "templates"
SHIPPED_BASE = "base"


def template_folder(templates_dir: Path, name: str) -> Path:
    """The folder of template `name`: templates/<name>/, or the shipped base when the
    catalogue has no base of its own."""
    folder = Path(templates_dir) / name
    if name == SHIPPED_BASE and not (folder / "brand.yaml").is_file():
        return SHIPPED_TEMPLATES / SHIPPED_BASE
    return folder


def file_to_edit(brand: Brand) -> str:
    """Where an editor changes the brand, as a hint: the shipped base is never edited in
    place (it lives in the installed package), so the hint says how to get a copy."""
    if brand.folder == SHIPPED_TEMPLATES / SHIPPED_BASE:
        return (f"templates/{brand.name}/brand.yaml (a copy of the shipped base: "
                "'handouts init' in an empty folder writes one)")
    return f"templates/{brand.name}/brand.yaml"


def known_templates(templates_dir: Path) -> list[str]:
    """The template names a catalogue can use: its own folders, and the shipped base."""
    own = {p.parent.name for p in Path(templates_dir).glob("*/brand.yaml")}
    return sorted(own | {SHIPPED_BASE})
