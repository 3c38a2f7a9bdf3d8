"""Every check that would stop a leaflet's layout, made without laying it out and without
ReportLab: a glyph for each character it prints and a dialable number in each contact
block. `build` runs them first; `validate` and `check` run only them, so they fail
exactly where `build` would, and start in a fraction of its time.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..errors import ContentError, HandoutsError, Problem, RenderError
from ..labels import Labels
from ..model import Contact, Leaflet
from ..phones import PhoneError, tel_target
from .glyphs import glyph_problems, printed_texts, translated_brand
from .typeset import Typeset, check_text

if TYPE_CHECKING:
    from ..brand import Brand
    from .prepared import PreparedFor


def checked_typeset(leaflet: Leaflet, brand: Brand, labels: Labels,
                    variant_labels: Iterable[str] = (),
                    prepared: PreparedFor | None = None) -> Typeset:
    """The leaflet's fonts, once every check that would stop its layout has passed: a
    glyph for each character it prints (in every format named by `variant_labels`) and a
    dialable number in each contact block. Raises ContentError listing every problem, or
    TemplateError for a script's font that is not installed. `brand` is translated_brand.
    A personalised copy's details (`prepared`) are checked the same way."""
    personal = _personal_texts(prepared)
    typeset = Typeset(leaflet.language, brand, [str(t[0]) for t in printed_texts(
        leaflet, brand, labels, variant_labels) if t[0]] + [t[0] for t in personal])
    # never write a leaflet with empty boxes for characters, or a number that dials nothing
    problems = glyph_problems(leaflet, brand, labels, typeset, variant_labels)
    problems += phone_problems(leaflet, brand["region"])
    if prepared:
        problems += _personal_problems(prepared, personal, typeset, brand)
    if problems:
        raise ContentError(problems)
    return typeset


def _personal_texts(prepared: PreparedFor | None) -> list[tuple[str, str, bool]]:
    if not prepared:
        return []
    from .prepared import printed  # only build and serve make personalised copies
    return list(printed(prepared))


def _personal_problems(prepared: PreparedFor, personal: list[tuple[str, str, bool]],
                       typeset: Typeset, brand: Brand) -> list[Problem]:
    from .prepared import field_where, phone_problems as prepared_phone_problems
    problems = [problem for text, field, heading in personal
                for problem in check_text(typeset, text, field_where(field), field, heading)]
    return problems + prepared_phone_problems(prepared, brand["region"])


def preflight(leaflet: Leaflet, brand: Brand, variant_labels: Iterable[str] = ()) -> list[Problem]:
    """Every problem that would stop lay_out for this leaflet, found without laying it
    out: what `handouts validate` and `check` run, so they fail where `build` would."""
    try:
        checked_typeset(leaflet, translated_brand(leaflet, brand), Labels(leaflet.language),
                        tuple(variant_labels))
    except HandoutsError as exc:
        return exc.problems
    return []


def contact_tel(block: Contact, region: str) -> str:
    """The tel: target of a contact block's number, in the brand's region."""
    try:
        return tel_target(block.phone or "", region)
    except PhoneError as exc:  # the brand's own number was checked when it loaded
        path, line, column = block.marks.get("phone") or block.where or (Path("brand.yaml"), 1, 1)
        raise RenderError(Problem(path, line, column, f"contact phone: {exc}",
                                  exc.hint)) from None


def phone_problems(leaflet: Leaflet, region: str) -> list[Problem]:
    """What contact_tel would stop the layout for, in each of the leaflet's contact
    blocks: a number needs the brand's region to become a tel: link."""
    problems = []
    for section in leaflet.walk_sections():
        for block in section.blocks:
            if isinstance(block, Contact) and block.phone:
                try:
                    contact_tel(block, region)
                except RenderError as exc:
                    problems.extend(exc.problems)
    return problems
