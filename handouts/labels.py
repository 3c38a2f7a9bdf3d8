"""Fixed labels and dates in the leaflet's language: messages/<lang>.yaml, English fallback.

Message files are data; a missing key in a language falls back to English, so a partly
translated catalogue still builds. Dates are formatted by Babel for the language.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date

from .load import read_yaml

MESSAGES = Path(__file__).parent / "messages"


@lru_cache(maxsize=None)
def _catalogue(code: str) -> dict[str, str]:
    """One language's labels, read like every other YAML file: each value as the text
    written (a label "no" or "1.10" is never turned into false or 1.1)."""
    path = MESSAGES / f"{code}.yaml"
    if not path.is_file():
        return {}
    root = read_yaml(path)
    return {str(key): str(value) for key, value in root.items()} if root else {}


def _candidates(language: str) -> list[str]:
    """es-MX -> ['es-MX', 'es']; zh-Hans-CN -> ['zh-Hans-CN', 'zh-Hans', 'zh']."""
    parts = language.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


class Labels:
    """The labels and date format of one language."""

    def __init__(self, language: str):
        self.language = language
        self.messages = dict(_catalogue("en"))
        for code in reversed(_candidates(language)):
            self.messages.update(_catalogue(code))
        try:
            self.locale = Locale.parse(language.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale.parse("en_GB")

    def __getitem__(self, key: str) -> str:
        return self.messages[key]

    def has_own(self, key: str) -> bool:
        return any(key in _catalogue(code) for code in _candidates(self.language))

    def format(self, key: str, **values) -> str:
        return self.messages[key].format(**values)

    def date(self, day: dt.date) -> str:
        # No-break spaces: a date never splits across two lines ("1 / March 2025").
        return format_date(day, format="long", locale=self.locale).replace(" ", "\u00a0")

    def language_name(self, language: str) -> str:
        """A language's name in this language: 'en-GB' is 'inglés' in Spanish."""
        return self.locale.languages.get(language.split("-")[0].lower(), language)
