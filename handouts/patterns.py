"""Hyphenation patterns (pyphen), for breaking long words (layout/lines.py) and for
counting syllables where no pronouncing dictionary has the word (readability.py).

pyphen parses a language's pattern file when it is first asked for it: 42 ms for
English, most of a cold `check`. The parsed patterns are kept in the cache folder
(filecache.py) under pyphen's version, which fixes the files it ships, and put where
pyphen looks for a file it parsed before (its `hdcache`), so every Pyphen made for that
language, textstat's included, uses them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .filecache import installed_version, kept

if TYPE_CHECKING:
    import pyphen


@lru_cache(maxsize=None)
def patterns(language: str) -> pyphen.Pyphen:
    """pyphen's hyphenator for a pyphen language ('en_GB'), as Pyphen(lang=...) makes it."""
    import pyphen
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = _parsed(path)
    return pyphen.Pyphen(lang=language)


def _parsed(path: Path) -> pyphen.HyphDict:
    import pyphen
    name = f"patterns-pyphen-{installed_version('pyphen')}-{path.stem}.pickle"
    return kept(name, lambda: pyphen.HyphDict(path))
