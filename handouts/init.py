"""`handouts init [DIR]`: a working catalogue in a folder, from the starter shipped in the
package (handouts/starter/): content.yaml, one example leaflet, and templates/ with the
base brand and one example brand. Nothing here reaches the network or the source tree.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter"
TODAY_TOKEN = "@TODAY@"  # the example leaflet's dates: the day init runs, so it is current


class InitError(ValueError):
    """A folder init will not write into; the message says why and what to do."""


def starter_files() -> list[Path]:
    """Every starter file, relative to the starter folder, in a stable order."""
    return sorted(p.relative_to(STARTER) for p in STARTER.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def init_catalogue(folder: Path, today: dt.date) -> list[Path]:
    """Write the starter catalogue into `folder` (made if missing); the paths written.

    Refuses, before writing anything, a folder that already holds any starter file, so an
    editor's own content.yaml or brand is never overwritten.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder - name a new or empty folder")
    names = starter_files()
    taken = [name for name in names if (folder / name).exists()]
    if taken:
        raise InitError(f"{folder / taken[0]} already exists - run 'handouts init' in a new "
                        "or empty folder, e.g. 'handouts init clinic'")
    written = []
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (STARTER / name).read_bytes()
        if name.suffix == ".yaml":
            data = data.replace(TODAY_TOKEN.encode(), today.isoformat().encode())
        target.write_bytes(data)
        written.append(target)
    return written
