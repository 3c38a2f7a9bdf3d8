"""Language tags: checked against the IANA subtag registry (langcodes + language-data),
and their script from CLDR's likely subtags.

The one home of "is this a language tag", for leaflets, defaults, translations and
[text]{lang=..} spans. A tag that names no registered language, script or region is an
error, with the registry's own spelling offered ("en-UK": did you mean en-GB?); so is a
tag whose script CLDR does not know or no font here sets.

What the registry says of a tag is kept between runs (filecache.py, under the versions of
langcodes and language-data): loading its tables is 18 ms of a cold `validate`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import filecache

# several languages (a leaflet of taglines), no language: their frame (headings, labels)
# is left-to-right Latin, and each span in another language says its own
_FRAME_ONLY = frozenset({"mul", "zxx"})


def script_code(tag: str) -> str | None:
    """The ISO 15924 code of the script `tag` is written in: its own script subtag, else
    CLDR's likely one ("prs" -> Arab, "zh-TW" -> Hant, "ja" -> Jpan); None if unknown."""
    return _registry(tag)["script"]


def normalised(tag: str) -> str:
    """The registry's own form of a tag ('prs' -> 'fa-AF', 'iw' -> 'he'); the tag as
    written when the registry cannot read it."""
    return _registry(tag)["normalised"]


def language_problem(tag: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a tag that is not a registered one, or whose
    script is unknown or has no font here, else None."""
    facts = _registry(tag)
    if not facts["valid"]:
        if facts["suggestion"]:
            return (f"'{tag}' is not a registered language tag",
                    f"did you mean {facts['suggestion']}?")
        return (f"'{tag}' is not a registered language tag",
                "write a BCP 47 tag such as en-GB, en-US, es, ar, fa-AF, prs or zh-Hans")
    return _script_problem(tag)


@lru_cache(maxsize=None)
def _registry(tag: str) -> dict[str, Any]:
    return filecache.answer(f"language|{tag}", lambda: _read_registry(tag))


def _read_registry(tag: str) -> dict[str, Any]:
    """What the registry says of a tag, as JSON: whether it is valid, the registered
    spelling to offer, its script and its normalised form."""
    import langcodes
    try:
        valid = langcodes.Language.get(tag, normalize=False).is_valid()
        suggestion = langcodes.standardize_tag(tag)
    except (ValueError, LookupError):
        valid, suggestion = False, None
    if not (suggestion and suggestion != tag and langcodes.tag_is_valid(suggestion)):
        suggestion = None
    try:
        language = langcodes.Language.get(tag)  # normalised: prs -> fa-AF, iw -> he
    except (ValueError, LookupError):
        return {"valid": valid, "suggestion": suggestion, "script": None, "normalised": tag}
    return {"valid": valid, "suggestion": suggestion, "script": _likely_script(language),
            "normalised": str(language)}


def _likely_script(language) -> str | None:
    if language.script:
        return language.script
    if language.language in _FRAME_ONLY:
        return "Latn"
    if (language.language or "und") not in _likely_known():
        return None
    return language.maximize().script


@lru_cache(maxsize=1)
def _likely_known() -> frozenset[str]:
    """Languages CLDR gives a likely script for ("fa", "zh-TW"'s "zh"): any other tag
    must name its script, or its direction and font would be a guess."""
    from langcodes.data_dicts import LIKELY_SUBTAGS
    return frozenset(key.split("-")[0] for key in LIKELY_SUBTAGS)


def _script_problem(tag: str) -> tuple[str, str] | None:
    from .scripts import table  # scripts.py asks this module for a tag's script
    code = script_code(tag)
    if code is None:
        return (f"'{tag}' names no language whose script is known (CLDR has no likely "
                "script for it)", f"add its script subtag, e.g. {tag}-Latn")
    if table().for_code(code) is None:
        known = ", ".join(sorted(table().codes))
        return (f"'{tag}' is written in the {code} script, which no font here sets",
                f"handouts sets the scripts {known}")
    return None
