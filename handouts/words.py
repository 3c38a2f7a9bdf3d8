"""Counted nouns for summaries: one home so every command says "1 error", "2 errors"."""
from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 leaflet', '2 leaflets'; plural given when adding an s is wrong."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
