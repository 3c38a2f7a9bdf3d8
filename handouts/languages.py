"""Language tags: checked against the IANA subtag registry (langcodes + language-data).

The one home of "is this a language tag", for leaflets, defaults, translations and
[text]{lang=..} spans. A tag that names no registered language, script or region is an
error, with the registry's own spelling offered ("en-UK": did you mean en-GB?).
"""
from __future__ import annotations

import langcodes


def language_problem(tag: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a tag that is not a registered one, else None."""
    try:
        valid = langcodes.Language.get(tag, normalize=False).is_valid()
        suggestion = langcodes.standardize_tag(tag)
    except (ValueError, LookupError):
        valid, suggestion = False, None
    if valid:
        return None
    if suggestion and suggestion != tag and langcodes.tag_is_valid(suggestion):
        return (f"'{tag}' is not a registered language tag", f"did you mean {suggestion}?")
    return (f"'{tag}' is not a registered language tag",
            "write a BCP 47 tag such as en-GB, en-US, es, ar, fa-AF, prs or zh-Hans")
