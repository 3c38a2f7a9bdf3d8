"""`handouts check`: (content.yaml, today) -> CheckReport; validate(): content.yaml -> Problems.

Every rule is a small function listed in rules.RULES with its severity and its settings (the
`checks:` block of content.yaml, read by settings.py, can change a threshold or turn a rule
off). Problems found while reading content, `checks:` and templates are findings too, under
their own rule code (Problem.rule) or "invalid"; `validate` gives those problems alone, for `handouts validate`. Nothing
here prints or exits: report.py turns a CheckReport into what cli.py prints.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..brand import Brand, Brands, templates_dir_for
from ..layout import variant_options
from ..outputs import VARIANTS
from ..content import Catalogue, load_catalogue
from ..errors import HandoutsError, Problem, Problems
from ..layout import preflight
from ..readability import leaflet_readability
from ..review import today
from .language import JARGON
from .model import SEVERITIES, CheckReport, Finding, Rule, Setting, Subject
from .report import as_json, format_text, reading_summary
from .rules import RULES
from .settings import default_settings, read_settings, reading_options

__all__ = ["JARGON", "RULES", "SEVERITIES", "CheckReport", "Finding", "Rule", "Setting",
           "Subject", "as_json", "check", "default_settings", "format_text", "read_settings",
           "reading_options", "reading_summary", "validate"]

# Problems that content and template validation report carry their rule code (Problem.rule:
# citation-unknown, alt-missing, link-text, contrast, body-size); errors stop the build, so
# `checks:` cannot turn them off (link-text, a warning, it can). Others are "invalid".


def validate(content: Path) -> tuple[Catalogue, list[Problem]]:
    """The catalogue, and every problem in it, in its `checks:` block and in the templates
    its leaflets use: what `handouts validate` reports and `handouts check` starts from."""
    catalogue = load_catalogue(Path(content))
    problems = Problems()
    read_settings(catalogue.checks, problems)
    brands, failures = _load_brands(catalogue, content)
    return catalogue, [*catalogue.problems, *problems.items, *failures,
                       *_layout_problems(catalogue, brands)]


def check(content: Path, on: dt.date | None = None) -> CheckReport:
    """Validate the catalogue and its templates, then run every rule that is on."""
    catalogue = load_catalogue(Path(content))
    problems = Problems()
    report = CheckReport(catalogue, today(on), read_settings(catalogue.checks, problems))
    owners = _file_owners(catalogue)
    findings = [_from_problem(p, owners) for p in catalogue.problems + problems.items]
    brands, failures = _load_brands(catalogue, content)
    findings += [_from_problem(p, {}, "template") for p in failures]
    findings += [_from_problem(p, owners) for p in _layout_problems(catalogue, brands)]
    for brand in brands.values():
        if brand is not None:
            findings += _run_rules("brand", brand, report.settings, None)
    formula = reading_options(report.settings)["spanish_formula"]
    for leaflet in catalogue.leaflets:
        readability = leaflet_readability(leaflet, formula)
        report.readability[leaflet.id] = readability
        subject = Subject(leaflet, brands.get(leaflet.template), report.today, readability,
                          report.settings)
        findings += _run_rules("leaflet", subject, report.settings, leaflet.id)
    for translation in catalogue.translations:
        subject = Subject(translation, brands.get(translation.template), report.today,
                          leaflet_readability(translation, formula), report.settings)
        findings += _run_rules("leaflet", subject, report.settings, translation.id,
                               TRANSLATION_RULES)
    report.findings = [f for f in findings if _wanted(f, report.settings)]
    return report


# The leaflet rules a translation is checked by: it has its source's governance and
# references; its own words get the text rules in its own language, and the figures it
# names get the figure rules.
TRANSLATION_RULES = ("labels-missing", "brand-text-missing", "reading-level", "hard-sentence",
                     "long-sentence", "abbreviation", "jargon", "link-text", "alt-filename",
                     "figure-text-size", "figure-raster", "figure-language")


def _run_rules(scope: str, subject, settings: dict, leaflet_id,
               only: tuple[str, ...] | None = None) -> list[Finding]:
    found = []
    for code, rule in RULES.items():
        if only is not None and code not in only:
            continue
        opt = settings[code]
        if rule.scope != scope or opt is None or (rule.needs_brand and subject.brand is None):
            continue
        for (path, line, column), message, fix in rule.run(subject, opt):
            found.append(Finding(code, opt["severity"], Path(path), line, column, message, fix,
                                 leaflet_id))
    return found


def _load_brands(catalogue: Catalogue, content: Path) -> tuple[dict, list[Problem]]:
    """Each template in use -> Brand, or None if it failed; and the problems of those that did."""
    brands, failures = Brands(templates_dir_for(content)), []
    loaded: dict[str, Brand | None] = {}
    first_use: dict[str, tuple | None] = {}
    for leaflet in catalogue.leaflets:
        first_use.setdefault(leaflet.template, leaflet.template_where)
    for name in sorted(first_use):
        try:
            loaded[name] = brands.get(name, first_use[name])
        except HandoutsError as exc:
            loaded[name] = None
            failures += exc.problems
    return loaded, failures


def _layout_problems(catalogue: Catalogue, brands: dict) -> list[Problem]:
    """What would stop `handouts build` at layout (a character no font has, a contact
    number that dials nothing...), from the same checks build runs, without laying out:
    for every leaflet and translation whose template loaded, in every format."""
    problems: list[Problem] = []
    for leaflet in [*catalogue.leaflets, *catalogue.translations]:
        brand = brands.get(leaflet.template)
        if brand is not None:
            labels = [variant_options(v, brand).variant_label for v in VARIANTS]
            problems += preflight(leaflet, brand, labels)
    return problems


def _file_owners(catalogue: Catalogue) -> dict[Path, str]:
    """Leaflet files that hold exactly one good leaflet -> its id, to group findings."""
    ids: dict[Path, list[str]] = {}
    for leaflet in catalogue.leaflets:
        ids.setdefault(Path(leaflet.where[0]), []).append(leaflet.id)
    return {path: found[0] for path, found in ids.items() if len(found) == 1}


def _from_problem(problem: Problem, owners: dict, default: str = "invalid") -> Finding:
    return Finding(problem.rule or default, problem.severity, Path(problem.path), problem.line, problem.column,
                   problem.message, problem.hint, owners.get(Path(problem.path)))


def _wanted(finding: Finding, settings: dict) -> bool:
    """Rules turned off drop their warnings; validation errors always stay."""
    return finding.severity == "error" or settings.get(finding.rule, True) is not None
