"""Dates every command agrees on: what "today" is, and a leaflet's review status.

One home for the rule, so build, check, register and the catalogue page can never
disagree: overdue past its next review date; due soon within the lead time that
`checks: review-due-soon` sets (off: never due soon); otherwise current.
"""
from __future__ import annotations

import datetime as dt
import os

OVERDUE, DUE_SOON, CURRENT = "overdue", "due-soon", "current"


def today(explicit: dt.date | None = None) -> dt.date:
    """'Today', fixed by --today or HANDOUTS_TODAY for reproducible runs and tests."""
    if explicit:
        return explicit
    value = os.environ.get("HANDOUTS_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def review_status(next_review: dt.date, on: dt.date, lead_days: int | None) -> str:
    """OVERDUE, DUE_SOON or CURRENT; `lead_days` None means nothing is ever due soon."""
    if next_review < on:
        return OVERDUE
    if lead_days is not None and (next_review - on).days <= lead_days:
        return DUE_SOON
    return CURRENT
