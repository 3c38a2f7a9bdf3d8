"""Language tags: checked against the IANA subtag registry (langcodes + language-data),
and their script from CLDR's likely subtags.

The one home of "is this a language tag", for leaflets, defaults, translations and
[text]{lang=..} spans. A tag that names no registered language, script or region is an
error, with the registry's own spelling offered ("en-UK": did you mean en-GB?); so is a
tag whose script CLDR does not know or no font here sets.
"""
from __future__ import annotations

from functools import lru_cache

import langcodes
from langcodes.data_dicts import LIKELY_SUBTAGS

# languages CLDR gives a likely script for ("fa", "zh-TW"'s "zh"): any other tag must
# name its script, or its direction and font would be a guess
_KNOWN = frozenset(key.split("-")[0] for key in LIKELY_SUBTAGS)
# several languages (a leaflet of taglines), no language: their frame (headings, labels)
# is left-to-right Latin, and each span in another language says its own
_FRAME_ONLY = frozenset({"mul", "zxx"})


@lru_cache(maxsize=None)
def script_code(tag: str) -> str | None:
    """The ISO 15924 code of the script `tag` is written in: its own script subtag, else
    CLDR's likely one ("prs" -> Arab, "zh-TW" -> Hant, "ja" -> Jpan); None if unknown."""
    try:
        language = langcodes.Language.get(tag)  # normalised: prs -> fa-AF, iw -> he
    except (ValueError, LookupError):
        return None
    if language.script:
        return language.script
    if language.language in _FRAME_ONLY:
        return "Latn"
    if (language.language or "und") not in _KNOWN:
        return None
    return language.maximize().script


def language_problem(tag: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a tag that is not a registered one, or whose
    script is unknown or has no font here, else None."""
    try:
        valid = langcodes.Language.get(tag, normalize=False).is_valid()
        suggestion = langcodes.standardize_tag(tag)
    except (ValueError, LookupError):
        valid, suggestion = False, None
    if not valid:
        if suggestion and suggestion != tag and langcodes.tag_is_valid(suggestion):
            return (f"'{tag}' is not a registered language tag", f"did you mean {suggestion}?")
        return (f"'{tag}' is not a registered language tag",
                "write a BCP 47 tag such as en-GB, en-US, es, ar, fa-AF, prs or zh-Hans")
    return _script_problem(tag)


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
