"""Problems found in input, and the exceptions that carry them.

The library raises; only cli.py turns these into messages and exit codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a place, with a way to fix it."""

    path: Path
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        fix = f" - {self.hint}" if self.hint else ""
        return f"{where}: {self.message}{fix}"


class HandoutsError(Exception):
    """Base class: one or more problems that stop a leaflet (or the run)."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(HandoutsError):
    """Bad leaflet or catalogue content."""


class TemplateError(HandoutsError):
    """Bad brand template."""


class RenderError(HandoutsError):
    """Content that is valid but cannot be laid out or written."""


class Problems:
    """Collects every problem in a file instead of stopping at the first."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path, mark, message: str, hint: str = "", severity: str = "error") -> None:
        line, column = mark if mark else (1, 1)
        self.items.append(Problem(Path(path), line, column, message, hint, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self, kind: type[HandoutsError] = ContentError) -> None:
        if self.errors:
            raise kind(self.errors)
