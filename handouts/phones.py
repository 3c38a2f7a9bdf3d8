"""Phone numbers: the one place a printed number becomes its tel: link.

Numbers are printed exactly as the editor wrote them; the link is the number in E.164
(`tel:+442079460000`), parsed with Google's libphonenumber data in the brand's region, so
'020 7946 0000' and '1-800-4-CANCER' dial correctly from any phone. Short codes (111,
999, 911) link as written. A field holding two numbers, or a number that is not valid
for the region, is refused rather than linked to digits run together.

Each answer is kept between runs (filecache.py, under libphonenumber's version): loading
its tables is 12 ms of a cold `validate`, for a brand's few numbers.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from . import filecache

DEFAULT_REGION = "GB"
MAX_SHORT_CODE = 6  # digits


class PhoneError(ValueError):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def region_problem(region: str) -> str | None:
    """What is wrong with a brand's region code, or None."""
    if not filecache.answer(f"region|{region}", lambda: {"known": _known_region(region)})["known"]:
        return f"'{region}' is not a two-letter region code that phone numbers know"
    return None


@lru_cache(maxsize=1024)  # a brand's numbers are in every leaflet's contact card
def tel_target(text: str, region: str) -> str:
    """The tel: link for a phone number as written; raises PhoneError with a fix."""
    found = filecache.answer(f"phone|{region}|{text}", lambda: _dialled(text, region))
    if "problem" in found:
        raise PhoneError(*found["problem"])
    return found["tel"]


def _known_region(region: str) -> bool:
    import phonenumbers
    return region in phonenumbers.SUPPORTED_REGIONS


def _dialled(text: str, region: str) -> dict[str, Any]:
    """{'tel': link} or {'problem': [message, hint]}: JSON, as the file cache keeps it."""
    try:
        return {"tel": _tel_target(text, region)}
    except PhoneError as exc:
        return {"problem": [str(exc), exc.hint]}


def _tel_target(text: str, region: str) -> str:
    import phonenumbers
    from phonenumbers import shortnumberinfo
    dialled = phonenumbers.convert_alpha_characters_in_number(text)  # 4-CANCER -> 4-226237
    found = phonenumbers.PhoneNumberMatcher(dialled, region, phonenumbers.Leniency.POSSIBLE)
    if len(list(found)) > 1:
        raise PhoneError(f"'{text}' holds more than one phone number",
                         "write one number per field; give the other in a separate "
                         "contact block or in 'note'")
    digits = re.sub(r"\D", "", dialled)
    if re.fullmatch(r"[\d\s]+", text.strip()) and len(digits) <= MAX_SHORT_CODE:
        short = phonenumbers.parse(digits, region)
        if shortnumberinfo.is_valid_short_number_for_region(short, region):
            return f"tel:{digits}"
        raise PhoneError(f"'{text}' is not a short number in use in {region}",
                         "write the full number with its area code")
    number: phonenumbers.PhoneNumber | None
    try:
        number = phonenumbers.parse(dialled, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PhoneError(f"'{text}' is not a valid phone number in {region}",
                         "check the digits; write only the number (extra words go in "
                         "'note'), with +country code for a number abroad")
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
