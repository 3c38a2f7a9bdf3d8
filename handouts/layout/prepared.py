"""A personalised copy's page-1 block: "Prepared for <name>", the appointment, who to call,
and the nurse's notes in a "Your next steps" box.

The details are data, never markup: each line goes through the same escaping as any
label. The block is drawn with the contact card's and the info callout's boxes, so it
looks like the rest of the leaflet in every brand, size and direction. Nothing of it
reaches the structure tree's titles, the outline or the metadata: only the page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from babel.dates import format_time

from ..errors import Problem
from ..inline import parse_inline
from ..pdf.tags import Element
from ..phones import PhoneError, tel_target
from .blocks import plain, rich
from .flowables import CalloutBox
from .markup import escape_markdown


@dataclass(frozen=True)
class PreparedFor:
    """The details a nurse writes on a leaflet, already validated (personalise.py)."""

    name: str
    day: dt.date | None = None
    time: dt.time | None = None
    place: str = ""
    clinician: str = ""
    phone: str = ""
    notes: str = ""


def field_where(field: str) -> tuple[Path, int, int]:
    """Where a problem with a detail is 'written': the form field, by its name, so the
    form and the command line can each say which input to fix."""
    return Path(field), 1, 1


def printed(details: PreparedFor) -> Iterator[tuple[str, str, bool]]:
    """(text, field, heading) for each detail the block prints: the glyph check's input."""
    yield details.name, "name", True
    for field in ("place", "clinician", "phone", "notes"):
        if getattr(details, field):
            yield getattr(details, field), field, False


def phone_problems(details: PreparedFor, region: str) -> list[Problem]:
    """The number checked like every other phone number (phones.py), in the brand's region."""
    if not details.phone:
        return []
    try:
        tel_target(details.phone, region)
    except PhoneError as exc:
        return [Problem(*field_where("phone"), str(exc), exc.hint)]
    return []


def appointment_text(details: PreparedFor, labels) -> str:
    """'3 December 2026, 14:30, Radiotherapy Unit': date and time in the leaflet's language."""
    parts = [labels.date(details.day) if details.day else "",
             format_time(details.time, format="short", locale=labels.locale)
             if details.time else "", details.place]
    return labels["detail_separator"].join(part for part in parts if part)


def prepared_block(details: PreparedFor, root: Element, ctx) -> list:
    """The block's flowables: the details in a card, then the notes in an info box."""
    labels, styles, brand = ctx.labels, ctx.styles, ctx.brand
    group = root.add("Div")  # no /T title: the name stays on the page only
    content = [plain(ctx, labels.format("prepared_for", name=details.name), group,
                     styles.callout_title)]
    appointment = appointment_text(details, labels)
    if appointment:
        content.append(plain(ctx, labels.field("appointment", appointment), group, styles.card))
    if details.clinician:
        content.append(plain(ctx, labels.field("clinician", details.clinician), group,
                             styles.card))
    if details.phone:
        link = tel_target(details.phone, brand["region"])  # checked in checked_typeset
        content.append(rich(ctx, parse_inline(labels.field(
                                "phone", f"[{escape_markdown(details.phone)}]({link})")),
                            group, styles.card))
    content[-1].spaceAfter = 0
    padding = styles.body.fontSize * 0.6
    flowables = [CalloutBox(content, brand.colour("background"), brand.colour("accent"),
                            padding, ctx.frame_height, styles.space(0.9), rtl=ctx.typeset.rtl)]
    if details.notes:
        flowables.append(_notes(details.notes, root, ctx))
    return flowables


def _notes(notes: str, root: Element, ctx) -> CalloutBox:
    """'Your next steps': one paragraph per line the nurse wrote, in the info box."""
    group = root.add("Div")
    content = [plain(ctx, ctx.labels["next_steps"], group, ctx.styles.callout_title)]
    content += [plain(ctx, line.strip(), group, ctx.styles.body)
                for line in notes.splitlines() if line.strip()]
    content[-1].spaceAfter = 0
    return CalloutBox(content, ctx.brand.colour("info_background"),
                      ctx.brand.colour("info_bar"), ctx.styles.body.fontSize * 0.9,
                      ctx.frame_height, ctx.styles.space(0.9), rtl=ctx.typeset.rtl,
                      kind="info")
