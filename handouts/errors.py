"""Problems found in input, and the exceptions that carry them.

The library raises; only cli.py turns these into messages and exit codes.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Bidirectional controls reorder a terminal line, so a message could show other words.
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                     "\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """text with every character that could break or fake a message line escaped.

    Control characters (ESC, newline), surrogates, unassigned code points, line
    separators and bidi controls become \\xNN or \\uNNNN, so a message stays one line.
    """
    out = []
    for char in str(text):
        if unicodedata.category(char) in ("Cc", "Cs", "Cn", "Co", "Zl", "Zp") \
                or char in _BIDI_CONTROLS:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                       if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a place, with a way to fix it."""

    path: Path
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"
    rule: str = ""  # the check rule it is (docs/check.md), so no code reads the wording

    def __str__(self) -> str:
        where = f"{printable(str(self.path))}:{self.line}:{self.column}"
        fix = f" - {printable(self.hint)}" if self.hint else ""
        return f"{where}: {printable(self.message)}{fix}"


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

    def add(self, path, mark, message: str, hint: str = "", severity: str = "error",
            rule: str = "") -> None:
        line, column = mark if mark else (1, 1)
        self.items.append(Problem(Path(path), line, column, message, hint, severity, rule))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self, kind: type[HandoutsError] = ContentError) -> None:
        if self.errors:
            raise kind(self.errors)
