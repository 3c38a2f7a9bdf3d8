"""`checks:` of content.yaml (Map or None) + Problems -> rule code -> its settings (None: off).

Every bad rule code or value is added to Problems at its position, with a fix.
"""
from __future__ import annotations

from ..errors import Problems
from ..fields import Reader, as_number
from ..load import Map
from .model import SEVERITIES, Setting
from .rules import RULES


def default_settings() -> dict:
    return {code: {"severity": rule.severity, **{k: v.default for k, v in rule.settings.items()}}
            for code, rule in RULES.items()}


def reading_options(settings: dict) -> dict:
    """The reading-level settings, the defaults when it is off: scores are shown regardless."""
    return settings["reading-level"] or default_settings()["reading-level"]


def review_lead_days(node: Map | None) -> int | None:
    """The `review-due-soon` lead time in days (None: the rule is off). Bad settings are
    `handouts check`'s to report; here they fall back to the default."""
    rule = read_settings(node, Problems())["review-due-soon"]
    return None if rule is None else int(rule["days"])


def read_settings(node: Map | None, problems: Problems) -> dict[str, dict | None]:
    """Rule code -> its settings, or None when turned off. Bad settings become problems."""
    settings = default_settings()
    if node is None:
        return settings
    reader = Reader(problems)
    reader.check_keys(node, RULES, (), "checks")
    for code, value in node.items():
        rule = RULES.get(code)
        switch = SWITCHES.get(value.strip().lower()) if isinstance(value, str) else None
        if rule is None or switch is True:
            continue
        if switch is False:
            settings[code] = None
        elif isinstance(value, Map):
            _read_rule(reader, value, code, settings[code])
        elif rule.main and as_number(value) is not None:
            number = _read_setting(reader, node, code, rule.settings[rule.main])
            settings[code][rule.main] = settings[code][rule.main] if number is None else number
        else:
            reader.error(node, code, f"checks.{code} should be on, off"
                         f"{', a number' if rule.main else ''} or settings indented below it",
                         _setting_forms(code, rule))
    return settings


def _setting_forms(code: str, rule) -> str:
    """Every way a rule can be set, spelled out: the hint has to stand on its own."""
    forms = [f"'{code}: on'", f"'{code}: off'"] + ([f"'{code}: NUMBER'"] if rule.main else [])
    if rule.settings:
        forms.append(f"its settings ({', '.join(rule.settings)}) indented below it")
    return "write " + ", ".join(forms[:-1]) + " or " + forms[-1]


SWITCHES = {"on": True, "true": True, "off": False, "false": False}


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
