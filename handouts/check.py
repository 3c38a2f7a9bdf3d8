"""`handouts check`: (catalogue, brand templates, today) -> Findings with stable rule codes.

Every rule is a small function listed in RULES with its severity and its settings (the
`checks:` block of content.yaml can change a threshold or turn a rule off). Problems found
while reading content and templates are findings too: see `_VALIDATION_RULES`. Nothing here
prints or exits: `format_text` and `as_json` turn a CheckReport into what cli.py prints.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .brand import CONTRAST_PAIRS, Brand, contrast_ratio
from .build import Brands, templates_dir_for, today
from .content import VAGUE_LINK_TEXT, Catalogue, add_months, load_catalogue
from .errors import HandoutsError, Problem, Problems
from .fields import Reader
from .load import Map, read_yaml
from .model import Contact, Figure, Leaflet, Where
from .readability import FORMULA_NAMES, LeafletReadability, Score, leaflet_readability

SEVERITIES = ("error", "warning")
ABBREVIATIONS_KNOWN = ("NHS", "UK", "US", "USA", "GP", "OK", "TV", "AM", "PM")
JARGON = {
    "administer": "give", "adverse reaction": "side effect", "analgesia": "pain relief",
    "analgesic": "painkiller", "commence": "start", "contraindicated": "not safe",
    "edema": "swelling", "haemorrhage": "bleeding", "hemorrhage": "bleeding",
    "hypertension": "high blood pressure", "mobilise": "move about", "mobilize": "move about",
    "nil by mouth": "nothing to eat or drink", "oedema": "swelling", "prior to": "before",
    "pyrexia": "fever", "subsequently": "later", "utilise": "use", "utilize": "use",
}
# Phrases that make link text vague wherever they stand in it; link text that is *only*
# "here" or "read more" is already a validation warning (content.VAGUE_LINK_TEXT).
VAGUE_LINK_PHRASES = ("click here", "click this", "click on", "this link", "follow this")
GENERIC_ALT = {"image", "picture", "photo", "photograph", "figure", "diagram", "graphic",
               "illustration", "img", "icon", "logo", "chart"}


@dataclass(frozen=True)
class Finding:
    """One thing a check found, at a place, with a one-line fix."""

    rule: str
    severity: str  # "error" or "warning"
    path: Path
    line: int
    column: int
    message: str
    fix: str
    leaflet_id: str | None = None  # None: about the catalogue or a template


@dataclass(frozen=True)
class Setting:
    default: object
    kind: str  # int | float | bool | choice | words | terms
    doc: str
    low: float = 0
    high: float = 0
    choices: tuple = ()


@dataclass(frozen=True)
class Rule:
    severity: str
    scope: str  # "leaflet" (runs per leaflet) or "brand" (once per template in use)
    run: Callable
    doc: str
    settings: dict = field(default_factory=dict)
    main: str | None = None  # the setting that `rule-code: NUMBER` sets
    needs_brand: bool = False


@dataclass
class Subject:
    """What a leaflet rule reads: the leaflet, its brand (None if it failed), today..."""

    leaflet: Leaflet
    brand: Brand | None
    today: dt.date
    readability: LeafletReadability
    settings: dict


# ---- review dates ------------------------------------------------------------------------

def _review_where(leaflet: Leaflet) -> Where:
    marks = leaflet.governance.marks
    key = "next_review" if leaflet.governance.next_review_given else "last_reviewed"
    line, column = marks.get(key) or marks.get("governance") or leaflet.where[1:]
    return leaflet.where[0], line, column


def review_overdue(s: Subject, opt: dict) -> Iterator:
    due = s.leaflet.governance.next_review
    if due < s.today:
        yield (_review_where(s.leaflet), f"overdue for review since {due} "
               f"({(s.today - due).days} days ago); 'handouts build' will not issue it",
               "review it and update last_reviewed and next_review (until then, build "
               "--allow-overdue prints it marked 'Review overdue')")


def review_due_soon(s: Subject, opt: dict) -> Iterator:
    due = s.leaflet.governance.next_review
    days = (due - s.today).days
    if 0 <= days <= opt["days"]:
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
        folder = folder.parent / str(root["extends"])
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


# ---- plain language ----------------------------------------------------------------------

def long_sentence(s: Subject, opt: dict) -> Iterator:
    for sentence in s.readability.sentences:
        if sentence.words > opt["words"]:
            yield (sentence.where, f"sentence of {sentence.words} words (over "
                   f"{opt['words']}): \"{_excerpt(sentence.text)}\"",
                   "split it into shorter sentences, one idea each")


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + "..."


# Not after a hyphen: "1-800-CDC-INFO" is a phone number spelled in letters.
_ABBREVIATION = re.compile(r"(?<![-\w])([A-Z][A-Z0-9]*[A-Z])s?\b")


def _all_texts(leaflet: Leaflet) -> list[tuple[str, Where]]:
    heads = [t for t in (leaflet.title, leaflet.subtitle, leaflet.summary) if t]
    return [(t, leaflet.where) for t in heads] + [(r.plain, w) for r, w in leaflet.rich_texts()]


def _spells_out(abbr: str, text: str) -> bool:
    a = re.escape(abbr)
    return bool(re.search(rf"\w[^()]*\(\s*{a}s?\s*\)|\b{a}s?(\s+\w+){{0,2}}\s*\([^)]*[a-z]"
                          rf"|\b{a}s? (stands for|means|is short for)\b", text))


def abbreviation(s: Subject, opt: dict) -> Iterator:
    texts = _all_texts(s.leaflet)
    # Lower-case words, leaving out web addresses: "vsafe.cdc.gov" does not make CDC a word.
    words = {w for text, _ in texts for w in re.findall(r"(?<![\w./-])[a-z]+(?![\w./-])", text)}
    known = {*ABBREVIATIONS_KNOWN, *opt["allow"]}
    seen = set()
    for text, where in texts:
        for abbr in _ABBREVIATION.findall(text):
            # A capitalised word that also appears in lower case is shouting, not an abbreviation.
            if abbr in seen or abbr in known or len(abbr) > 6 or abbr.lower() in words:
                continue
            seen.add(abbr)
            if not _spells_out(abbr, text):
                yield (where, f"'{abbr}' is used before it is spelled out",
                       f"at its first use write the words in full with ({abbr}) after them")


def jargon(s: Subject, opt: dict) -> Iterator:
    terms = {**(JARGON if opt["builtin"] else {}), **opt["terms"]}
    texts = _all_texts(s.leaflet)
    for term, plain in sorted(terms.items()):
        pattern = re.compile(rf"\b{re.escape(term)}(s|es)?\b", re.IGNORECASE)
        uses = [(m, t, w) for t, w in texts for m in pattern.finditer(t)
                if plain.lower() not in t.lower() and not _proper_noun(m, t)]
        if uses:
            _, _, where = uses[0]
            times = "once" if len(uses) == 1 else f"{len(uses)} times"
            yield (where, f"'{term}' is medical or formal language (used {times})",
                   f"write '{plain}', or explain '{term}' in plain words where it is first used")


def _proper_noun(match: re.Match, text: str) -> bool:
    """'Stop Hypertension' in a name: capitalised, and not starting a sentence."""
    before = text[:match.start()].rstrip()
    return match.group()[0].isupper() and bool(before) and before[-1] not in ".!?:"


def link_text(s: Subject, opt: dict) -> Iterator:
    phrases = [*VAGUE_LINK_PHRASES, *(p.lower() for p in opt["phrases"])]
    for text, where in s.leaflet.rich_texts():
        for span in text.links():
            words = span.text.strip().lower().rstrip(".")
            if words in VAGUE_LINK_TEXT:
                continue  # validation has already said so (see _VALIDATION_RULES)
            if re.match(r"(https?://|www\.)", words) or any(
                    re.search(rf"\b{re.escape(p)}\b", words) for p in phrases):
                yield (where, f"link text '{span.text}' does not say where it goes",
                       "use words that say where it goes, e.g. 'NHS page about blood tests'")


# ---- readability -------------------------------------------------------------------------

def _misses(score: Score, opt: dict) -> bool:
    if score.value is None:
        return False
    value = round(score.value, 1)  # as printed: "8.0" must not miss a target of 8
    return value > opt["smog"] if score.formula == "smog" else value < opt["spanish"]


def _target(formula: str, opt: dict) -> str:
    if formula == "smog":
        return f"SMOG grade {opt['smog']:g} or lower"
    return f"{FORMULA_NAMES[formula]} {opt['spanish']:g} or higher"


def _off_target(s: Subject) -> list[tuple[Where, Score, str]]:
    opt = s.settings.get("reading-level")
    if opt is None:
        return []
    r = s.readability
    found = [(s.leaflet.where, r.overall, "the whole leaflet")] if _misses(r.overall, opt) else []
    if opt["sections"]:
        found += [(section.where, score, f"section '{section.heading}'")
                  for section, score in r.sections
                  if score.words >= opt["section_min_words"] and _misses(score, opt)]
    return found


def reading_level(s: Subject, opt: dict) -> Iterator:
    for where, score, what in _off_target(s):
        grade = f", Flesch-Kincaid grade {score.flesch_kincaid:.1f}" \
            if score.flesch_kincaid is not None else ""
        yield (where, f"{what} reads at {score.label}{grade}; the target is "
               f"{_target(score.formula, opt)}", "start with the hardest sentences: shorter "
               "sentences and everyday words lower the score")


def hard_sentence(s: Subject, opt: dict) -> Iterator:
    if not _off_target(s):
        return
    for sentence in s.readability.hardest(opt["count"]):
        yield (sentence.where, f"one of the hardest sentences ({sentence.words} words, "
               f"{sentence.polysyllables} of 3+ syllables): \"{_excerpt(sentence.text)}\"",
               "split it, and swap long words for short everyday ones")


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
                                   choices=("fernandez-huerta", "szigriszt-pazos")),
        "spanish": _n(60, 0, 120, "Spanish: lowest score (higher is easier)", "float"),
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
    "alt-filename": Rule("warning", "leaflet", alt_filename, "alt text that repeats the file "
                         "name"),
    "contrast": Rule("warning", "brand", contrast, "colour pairs below a stricter contrast",
                     {"min": _n(4.5, 1, 21, "lowest contrast ratio", "float")}, "min"),
    "body-size": Rule("warning", "brand", body_size, "body text below a larger size",
                      {"min": _n(12, 8, 30, "smallest body size in points", "float")}, "min"),
}

# Problems that content and template validation already report, and the rule each one is.
# They stop the build, so `checks:` cannot turn them off (link-text, a warning, it can).
_VALIDATION_RULES = (("names no reference", "citation-unknown"), ("has no alt text", "alt-missing"),
                     ("does not make sense on its own", "link-text"),
                     ("has contrast", "contrast"), ("body text size", "body-size"))


# ---- settings: the `checks:` block of content.yaml ---------------------------------------

def default_settings() -> dict:
    return {code: {"severity": rule.severity, **{k: v.default for k, v in rule.settings.items()}}
            for code, rule in RULES.items()}


def read_settings(node: Map | None, problems: Problems) -> dict[str, dict | None]:
    """Rule code -> its settings, or None when turned off. Bad settings become problems."""
    settings = default_settings()
    if node is None:
        return settings
    reader = Reader(problems)
    reader.check_keys(node, RULES, (), "checks")
    for code, value in node.items():
        rule = RULES.get(code)
        if rule is None or value is True:
            continue
        if value is False:
            settings[code] = None
        elif isinstance(value, Map):
            _read_rule(reader, value, code, settings[code])
        elif rule.main and isinstance(value, (int, float)):
            number = _read_setting(reader, node, code, rule.settings[rule.main])
            settings[code][rule.main] = settings[code][rule.main] if number is None else number
        else:
            reader.error(node, code, f"checks.{code} should be on, off"
                         f"{', a number' if rule.main else ''} or settings indented below it",
                         f"write e.g. '{code}: off'; see docs/check.md")
    return settings


def _read_rule(reader: Reader, node: Map, code: str, into: dict) -> None:
    rule = RULES[code]
    reader.check_keys(node, {*rule.settings, "severity"}, (), f"checks.{code}")
    for key, spec in [("severity", Setting(None, "choice", "", choices=SEVERITIES)),
                      *rule.settings.items()]:
        value = _read_setting(reader, node, key, spec) if key in node else None
        into[key] = into[key] if value is None else value


def _read_setting(reader: Reader, node: Map, key: str, spec: Setting):
    if spec.kind in ("int", "float"):
        return reader.number(node, key, spec.low, spec.high, int if spec.kind == "int" else float)
    if spec.kind == "bool":
        return reader.typed(node, key, bool, "true or false")
    if spec.kind == "choice":
        return reader.choice(node, key, spec.choices)
    if spec.kind == "words":
        return reader.text_list(node, key)
    terms = reader.mapping(node, key, "'term: plainer words' lines")
    if terms is not None and all(reader.text(terms, k, "the plainer words") for k in terms):
        return {str(k).lower(): str(v) for k, v in terms.items()}
    return None


# ---- running the checks ------------------------------------------------------------------

@dataclass
class CheckReport:
    catalogue: Catalogue
    today: dt.date
    settings: dict
    findings: list[Finding] = field(default_factory=list)
    readability: dict[str, LeafletReadability] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def passed(self, strict: bool = False) -> bool:
        return not self.count("error") and not (strict and self.count("warning"))


def check(content: Path, on: dt.date | None = None) -> CheckReport:
    """Validate the catalogue and its templates, then run every rule that is on."""
    catalogue = load_catalogue(Path(content))
    problems = Problems()
    report = CheckReport(catalogue, today(on), read_settings(catalogue.checks, problems))
    owners = _file_owners(catalogue)
    findings = [_from_problem(p, owners) for p in catalogue.problems + problems.items]
    brands = _load_brands(catalogue, Brands(templates_dir_for(content)), findings)
    for brand in brands.values():
        if brand is not None:
            findings += _run_rules("brand", brand, report.settings, None)
    formula = (report.settings["reading-level"] or default_settings()["reading-level"])
    for leaflet in catalogue.leaflets:
        readability = leaflet_readability(leaflet, formula["spanish_formula"])
        report.readability[leaflet.id] = readability
        subject = Subject(leaflet, brands.get(leaflet.template), report.today, readability,
                          report.settings)
        findings += _run_rules("leaflet", subject, report.settings, leaflet.id)
    report.findings = [f for f in findings if _wanted(f, report.settings)]
    return report


def _run_rules(scope: str, subject, settings: dict, leaflet_id) -> list[Finding]:
    found = []
    for code, rule in RULES.items():
        opt = settings[code]
        if rule.scope != scope or opt is None or (rule.needs_brand and subject.brand is None):
            continue
        for (path, line, column), message, fix in rule.run(subject, opt):
            found.append(Finding(code, opt["severity"], Path(path), line, column, message, fix,
                                 leaflet_id))
    return found


def _load_brands(catalogue: Catalogue, brands: Brands, findings: list) -> dict:
    """Each template in use -> Brand, or None after adding its problems as findings."""
    loaded = {}
    for name in sorted({leaflet.template for leaflet in catalogue.leaflets}):
        try:
            loaded[name] = brands.get(name)
        except HandoutsError as exc:
            loaded[name] = None
            findings.extend(_from_problem(p, {}, "template") for p in exc.problems)
    return loaded


def _file_owners(catalogue: Catalogue) -> dict[Path, str]:
    """Leaflet files that hold exactly one good leaflet -> its id, to group findings."""
    ids: dict[Path, list[str]] = {}
    for leaflet in catalogue.leaflets:
        ids.setdefault(Path(leaflet.where[0]), []).append(leaflet.id)
    return {path: found[0] for path, found in ids.items() if len(found) == 1}


def _from_problem(problem: Problem, owners: dict, default: str = "invalid") -> Finding:
    rule = next((code for text, code in _VALIDATION_RULES if text in problem.message), default)
    return Finding(rule, problem.severity, Path(problem.path), problem.line, problem.column,
                   problem.message, problem.hint, owners.get(Path(problem.path)))


def _wanted(finding: Finding, settings: dict) -> bool:
    """Rules turned off drop their warnings; validation errors always stay."""
    return finding.severity == "error" or settings.get(finding.rule, True) is not None


# ---- reporting: text for people, JSON (docs/check.schema.json) for programs ---------------

def _groups(report: CheckReport) -> list[tuple[Leaflet | None, str, list[Finding]]]:
    """Findings grouped: files that hold no good leaflet (catalogue, templates, leaflets that
    failed validation) first, then each leaflet in catalogue order."""
    order = lambda f: (str(f.path), f.line, f.column, f.rule)  # noqa: E731
    loose: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.leaflet_id is None:
            loose.setdefault(str(finding.path), []).append(finding)
    groups = [(None, path, sorted(found, key=order)) for path, found in sorted(loose.items())]
    for leaflet in report.catalogue.leaflets:
        mine = [f for f in report.findings if f.leaflet_id == leaflet.id]
        groups.append((leaflet, str(leaflet.where[0]), sorted(mine, key=order)))
    return groups


def reading_summary(report: CheckReport, leaflet: Leaflet) -> str:
    score = report.readability[leaflet.id].overall
    if score.value is None:
        return f"no readability formula applies to '{leaflet.language}'; not scored"
    grade = f", Flesch-Kincaid grade {score.flesch_kincaid:.1f}" \
        if score.flesch_kincaid is not None else ""
    opt = report.settings["reading-level"] or default_settings()["reading-level"]
    return f"{score.label}{grade} (target: {_target(score.formula, opt)})"


def format_text(report: CheckReport, strict: bool = False, show=str) -> str:
    lines = []
    for leaflet, path, findings in _groups(report):
        if leaflet is None:
            lines.append(f"{show(path)}")
        else:
            lines += [f"{leaflet.id}: {leaflet.title} ({show(path)}, {leaflet.language})",
                      f"  reading level: {reading_summary(report, leaflet)}"]
        for f in findings:
            lines += [f"  {show(f.path)}:{f.line}:{f.column}: {f.severity} [{f.rule}] "
                      f"{f.message}", f"      fix: {f.fix}"]
        lines.append("")
    errors, warnings = report.count("error"), report.count("warning")
    verdict = "passed" if report.passed(strict) else "failed"
    lines.append(f"{len(report.catalogue.leaflets)} leaflets checked: {errors} errors, "
                 f"{warnings} warnings - {verdict}{' (--strict)' if strict else ''}")
    return "\n".join(lines)


def _finding_json(f: Finding, show) -> dict:
    return {"rule": f.rule, "severity": f.severity, "path": show(f.path), "line": f.line,
            "column": f.column, "message": f.message, "fix": f.fix, "leaflet": f.leaflet_id}


def _readability_json(report: CheckReport, leaflet: Leaflet) -> dict:
    r = report.readability[leaflet.id]
    opt = report.settings["reading-level"] or default_settings()["reading-level"]

    def score(s: Score) -> dict:
        return {"score": _round(s.value), "flesch_kincaid": _round(s.flesch_kincaid),
                "words": s.words, "sentences": s.sentences}

    return {"formula": r.overall.formula, **score(r.overall),
            "target": _target(r.overall.formula, opt) if r.overall.formula else None,
            "note": None if r.overall.value is not None else reading_summary(report, leaflet),
            "sections": [{"heading": sec.heading, "line": sec.where[1], **score(s)}
                         for sec, s in r.sections],
            "hardest": [{"text": s.text, "line": s.where[1], "words": s.words,
                         "polysyllables": s.polysyllables} for s in r.hardest(5)]}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def as_json(report: CheckReport, strict: bool = False, show=str) -> dict:
    leaflets, files = [], []
    for leaflet, path, findings in _groups(report):
        items = [_finding_json(f, show) for f in findings]
        if leaflet is None:
            files.append({"path": show(path), "findings": items})
        else:
            leaflets.append({"id": leaflet.id, "title": leaflet.title, "path": show(path),
                             "language": leaflet.language, "code": leaflet.governance.code,
                             "readability": _readability_json(report, leaflet),
                             "findings": items})
    return {"schema": "handouts-check/1", "today": report.today.isoformat(),
            "catalogue": show(report.catalogue.path), "strict": strict,
            "summary": {"leaflets": len(leaflets), "errors": report.count("error"),
                        "warnings": report.count("warning"), "passed": report.passed(strict)},
            "files": files, "leaflets": leaflets}
