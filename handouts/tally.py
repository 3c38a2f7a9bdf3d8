"""Who was given what, with no patient data: copies given out, counted per leaflet, version,
language, variant and day, in an SQLite file beside the output (out/given-out.sqlite).

What the Accessible Information Standard and a governance committee ask for: which
leaflets are handed out, in which languages and formats. No names and no times finer
than a day are ever stored; a row is only (day, leaflet, version, language, variant,
count). Each copy adds one in a single UPSERT, so parallel requests never lose a count
(SQLite serialises the writers; a busy one waits instead of failing). On by default; a
catalogue's `count_given_out: false` switches it off.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

FILE = "given-out.sqlite"
WAIT_SECONDS = 30.0  # a writer waits this long for another to finish before failing
WINDOW_DAYS = 90  # `handouts register`: given out in the last 90 days

_SCHEMA = """
CREATE TABLE IF NOT EXISTS given_out (
    day TEXT NOT NULL,          -- YYYY-MM-DD: never a finer time
    leaflet TEXT NOT NULL,      -- the leaflet's id
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    variant TEXT NOT NULL,      -- standard, large-print or booklet
    copies INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, leaflet, version, language, variant)
)"""


def path_in(out_dir: Path) -> Path:
    return Path(out_dir) / FILE


def _connect(out_dir: Path) -> sqlite3.Connection:
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path_in(out_dir), timeout=WAIT_SECONDS,
                                 isolation_level=None)  # autocommit: one statement each
    connection.execute(_SCHEMA)
    return connection


def add_copy(out_dir: Path, leaflet: str, version: str, language: str, variant: str,
             day: dt.date) -> None:
    """One more copy of this leaflet given out on `day`."""
    with closing(_connect(out_dir)) as connection:
        connection.execute(
            "INSERT INTO given_out (day, leaflet, version, language, variant, copies) "
            "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (day, leaflet, version, language, variant) "
            "DO UPDATE SET copies = copies + 1",
            (day.isoformat(), leaflet, version, language, variant))


def given_out(out_dir: Path, on: dt.date, days: int = WINDOW_DAYS) -> dict[str, int]:
    """Leaflet id -> copies given out in the `days` days up to and including `on`. An out
    folder with no counts (never served, or counting switched off) gives {}."""
    if not path_in(out_dir).is_file():
        return {}
    since = on - dt.timedelta(days=days - 1)
    with closing(_connect(out_dir)) as connection:
        rows = connection.execute(
            "SELECT leaflet, SUM(copies) FROM given_out WHERE day BETWEEN ? AND ? "
            "GROUP BY leaflet", (since.isoformat(), on.isoformat())).fetchall()
    return {leaflet: int(total) for leaflet, total in rows}


def rows(out_dir: Path) -> list[tuple[str, str, str, str, str, int]]:
    """Every count, oldest day first: what a committee's report (or a test) reads."""
    if not path_in(out_dir).is_file():
        return []
    with closing(_connect(out_dir)) as connection:
        return [tuple(row) for row in connection.execute(
            "SELECT day, leaflet, version, language, variant, copies FROM given_out "
            "ORDER BY day, leaflet, language, variant, version")]
