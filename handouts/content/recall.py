"""Leaflet files read and validated before, kept between runs in the file cache's folder
(filecache.py): reading and validating a thousand YAML files took about 4 s of a 6 s
rebuild with nothing changed.

A file's entry holds its validated Leaflet, its `variants:` list and its digest (the
leaflet's part of every output's key, outputs.leaflet_digest), under a key of the
file's bytes, the catalogue's defaults and the tool's version (its code included). It is
used only while every file the leaflet names (its figures) has the size and time it had,
and only a leaflet with no problem at all is kept, so a recalled leaflet says exactly
what reading it again would. Unlike font facts, entries hold the leaflet's text: the
cache is the user's own, like the output folder (leaflets hold no patient details).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from ..filecache import folder, identity
from ..model import Figure, Leaflet
from ..outputs import know_digest, leaflet_digest, tool_version
from ..write import OutputError, write_atomic
from .leaflet import Defaults

Recalled = tuple[Leaflet, tuple[str, ...]]  # the leaflet and its `variants:`


def recall(source: Path, defaults: Defaults) -> Recalled | None:
    entry = _entry(source)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as stream:
            kept = pickle.load(stream)
        if kept["key"] != _key(source, defaults):
            return None
        if any(identity(name) != known for name, known in kept["depends"]):
            return None
        know_digest(kept["leaflet"], kept["digest"])  # its figures are as they were
        return kept["leaflet"], kept["variants"]
    except Exception:  # noqa: BLE001 - a missing, damaged or older entry: read the file
        return None


def remember(source: Path, defaults: Defaults, leaflet: Leaflet,
             variants: tuple[str, ...]) -> None:
    entry = _entry(source)
    if entry is None:
        return
    kept = {"key": _key(source, defaults), "leaflet": leaflet, "variants": variants,
            "depends": [(str(path), identity(path)) for path in _files(leaflet)],
            "digest": leaflet_digest(leaflet)}
    try:
        write_atomic(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL), entry,
                     durable=False)
    except OutputError:
        pass  # a cache that cannot be written is only slower


def _entry(source: Path) -> Path | None:
    where = folder()
    if where is None:
        return None
    name = hashlib.sha256(os.path.realpath(source).encode("utf-8", "surrogatepass"))
    return where / "leaflets" / f"{name.hexdigest()[:32]}.pickle"


def _key(source: Path, defaults: Defaults) -> str:
    digest = hashlib.sha256(Path(source).read_bytes())
    digest.update(repr(defaults).encode("utf-8", "surrogatepass"))
    digest.update(tool_version().encode())
    return digest.hexdigest()


def _files(leaflet: Leaflet) -> list[Path]:
    """The files a leaflet names besides its own: its figures."""
    return [block.image for section in leaflet.walk_sections() for block in section.blocks
            if isinstance(block, Figure)]
