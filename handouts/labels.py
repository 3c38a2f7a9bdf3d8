"""Fixed labels and dates in the leaflet's language: messages/<lang>.yaml, English fallback.

Message files are data; a key missing in a language falls back to English, so a partly
translated catalogue still builds, and `handouts check` names each such label (rule
labels-missing). Dates and language names come from CLDR through Babel, never from here.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date

from .languages import normalised
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


def every_label() -> list[str]:
    """Every label of every language, as written (layout/lines.py keeps the Chinese and
    Japanese ones whole at line ends)."""
    return [text for path in sorted(MESSAGES.glob("*.yaml"))
            for text in _catalogue(path.stem).values()]


def _candidates(language: str) -> list[str]:
    """es-MX -> ['es-MX', 'es']; zh-Hans-CN -> ['zh-Hans-CN', 'zh-Hans', 'zh']."""
    parts = language.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _locale(language: str) -> Locale:
    """Babel's locale for a tag, through its normalised form when CLDR files it under
    another code (Dari 'prs' is CLDR's 'fa-AF'); English only for a tag CLDR lacks."""
    for tag in dict.fromkeys((language, normalised(language))):
        try:
            return Locale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse("en_GB")


class Labels:
    """The labels and date format of one language."""

    def __init__(self, language: str):
        self.language = language
        self.messages = dict(_catalogue("en"))
        for code in reversed(_candidates(language)):
            self.messages.update(_catalogue(code))
        self.locale = _locale(language)

    def __getitem__(self, key: str) -> str:
        return self.messages[key]

    def has_own(self, key: str) -> bool:
        return any(key in _catalogue(code) for code in _candidates(self.language))

    def has_catalogue(self) -> bool:
        """Whether any catalogue is written for this language (es-MX: es.yaml counts)."""
        return any(_catalogue(code) for code in _candidates(self.language))

    def missing(self) -> list[str]:
        """The labels this language has no text for, which print in English."""
        return [key for key in self.messages if not self.has_own(key)]

    def format(self, key: str, **values) -> str:
        return self.messages[key].format(**values)

    def field(self, key: str, value: str) -> str:
        """A label and its value on one line: 'Phone: 020 7946 0100', '电话：020 7946 0100'."""
        return f"{self.messages[key]}{self.separator}{value}"

    @property
    def separator(self) -> str:
        return self.messages["field_separator"]

    def date(self, day: dt.date) -> str:
        if not self._has_month_names():  # CLDR's "M03" placeholders: no reader's date
            return day.isoformat()
        # No-break spaces: a date never splits across two lines ("1 / March 2025").
        return format_date(day, format="long", locale=self.locale).replace(" ", "\u00a0")

    def _has_month_names(self) -> bool:
        """False where CLDR holds only placeholder month names ('M01', Haitian Creole)."""
        wide = self.locale.months.get("format", {}).get("wide", {})
        return bool(wide) and wide.get(1) != "M01"

    def language_name(self, language: str) -> str:
        """A language's name in this language: 'en-GB' is 'inglés' in Spanish; where CLDR
        has no names in this language, the language's name in itself ('English')."""
        code = language.split("-")[0].lower()
        name = self.locale.languages.get(code)
        if name:
            return name
        own = _locale(code)
        return own.languages.get(code, language) if own.language == code else language
