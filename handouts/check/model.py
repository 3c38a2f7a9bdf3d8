"""Plain data the check modules share: Rule, Setting and Subject in; Finding, CheckReport out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..brand import Brand
from ..content import Catalogue
from ..model import Leaflet
from ..readability import LeafletReadability

SEVERITIES = ("error", "warning")


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
    """One setting a rule takes in `checks:`; `kind` says how settings.py reads it."""

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
