"""Typed reading of located YAML values, reporting every problem with its position.

Shared by model.py (content) and brand.py (templates): each getter returns a clean value or
None, and records what was wrong and how to fix it instead of raising.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re

from .errors import Problems
from .load import Map, Seq

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_BOOLEANS = {"true": True, "false": False}
_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               Map: "a mapping (key: value lines)", Seq: "a list"}
YEARS = (1900, 2199)  # dates outside these are typing mistakes


def as_number(text: str, kind=float):
    """A number written in plain digits ('12', '1.45'), or None.

    Only decimal digits: '0x1A', '1e3', '.inf' and '1_000' are not numbers here, so no
    value is read differently from how it looks.
    """
    pattern = _INTEGER if kind is int else _DECIMAL
    if not isinstance(text, str) or not pattern.match(text.strip()):
        return None
    return kind(text.strip())


def as_bool(text: str) -> bool | None:
    """true or false (any case), else None: 'yes', 'on' and 'no' are not guessed at."""
    return _BOOLEANS.get(text.strip().lower()) if isinstance(text, str) else None


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed keys: " + ", ".join(sorted(choices))


def describe(value) -> str:
    if value is None:
        return "empty"
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind or (kind is Map and isinstance(value, Map)) or (
                kind is Seq and isinstance(value, Seq)):
            return name
    return type(value).__name__


class Reader:
    """Reads fields of one file's mappings into typed values, collecting problems."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def error(self, where, key_or_index, message: str, hint: str = "", *, key: bool = False,
              rule: str = ""):
        mark = where.mark
        if isinstance(where, Map) and key_or_index is not None:
            mark = where.key_mark(key_or_index) if key else where.mark_of(key_or_index)
        elif isinstance(where, Seq) and key_or_index is not None:
            mark = where.mark_of(key_or_index)
        self.problems.add(where.path, mark, message, hint, rule=rule)

    def warn(self, where, key, message: str, hint: str = ""):
        mark = where.mark_of(key) if key is not None else where.mark
        self.problems.add(where.path, mark, message, hint, severity="warning")

    def check_keys(self, m: Map, allowed, required=(), what: str = "this mapping") -> None:
        for key in m:
            if key not in allowed:
                self.error(m, key, f"unknown key '{key}' in {what}",
                           did_you_mean(key, allowed), key=True)
        for key in required:
            if key not in m or m[key] in (None, ""):
                self.problems.add(m.path, m.mark, f"{what} is missing '{key}'",
                                  f"add a line '{key}: ...'")

    def typed(self, m: Map, key: str, kind, what: str):
        """The value of m[key] as `kind` (text, a number, true/false, a mapping or a list).

        Scalars arrive as the text the editor wrote (load.py); numbers and true/false are
        parsed from it here, and anything else is an error at the value's position.
        """
        value = m.get(key)
        if value is None:
            return None
        if kind in (int, float, bool) and isinstance(value, str):
            parsed = as_bool(value) if kind is bool else as_number(value, kind)
            if parsed is None:
                self.error(m, key, f"'{key}' should be {_TYPE_NAMES[kind]}, not '{value}'",
                           f"write {what}")
            return parsed
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.error(m, key, f"'{key}' should be {_TYPE_NAMES.get(kind, kind)}, not "
                       f"{describe(value)}", f"write {what}")
            return None
        return value

    def text(self, m: Map, key: str, what: str = "some text"):
        value = self.typed(m, key, str, what)
        return value.strip() if isinstance(value, str) else value

    def mapping(self, m: Map, key: str, what: str = "key: value lines, indented below"):
        return self.typed(m, key, Map, what)

    def seq(self, m: Map, key: str, what: str = "a list, one '- item' per line"):
        return self.typed(m, key, Seq, what)

    def number(self, m: Map, key: str, low: float, high: float, kind=float):
        value = self.typed(m, key, kind, f"a number from {low:g} to {high:g}")
        if value is not None and not low <= value <= high:
            self.error(m, key, f"'{key}' is {value:g}, outside {low:g}-{high:g}",
                       f"use a value from {low:g} to {high:g}")
            return None
        return value

    def date(self, m: Map, key: str):
        value = m.get(key)
        if value is None:
            return None
        text = str(value).strip()
        if not _DATE.match(text):
            self.error(m, key, f"{key} '{text}' is not a date", "write it as YYYY-MM-DD")
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError as exc:
            self.error(m, key, f"{key} '{text}' is not a date ({exc})",
                       "write a real calendar date as YYYY-MM-DD")
            return None
        if not YEARS[0] <= day.year <= YEARS[1]:
            self.error(m, key, f"{key} '{text}' is not a plausible date",
                       f"write a year from {YEARS[0]} to {YEARS[1]}")
            return None
        return day

    def choice(self, m: Map, key: str, choices):
        value = self.text(m, key)
        if value is not None and value not in choices:
            self.error(m, key, f"'{key}' is '{value}', which is not one of: "
                       + ", ".join(choices), did_you_mean(value, choices))
            return None
        return value

    def text_list(self, m: Map, key: str):
        items = self.seq(m, key)
        if items is None:
            return None
        result = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                result.append(item)
            else:
                self.error(items, i, f"item {i + 1} of '{key}' should be text, not "
                           f"{describe(item)}", "write each item as '- some text'")
        return result
