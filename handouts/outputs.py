"""Output files: their names, and out/manifest.json, the record of what the builds wrote.

The manifest is what the catalogue page and the register trust. A file is offered to a
nurse only when the manifest lists it, it is still on disk, and it was made from the
leaflet's current source: the same version and the same fingerprint of the validated
leaflet and its brand. So a file left by an older build is never offered as current,
whatever its name. Nothing here builds, prints or exits.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from . import __version__
from .errors import Problem
from .filecache import identity, installed_version, strict_identity
from .write import write_atomic

if TYPE_CHECKING:  # types only: `handouts --help` must not load the layout libraries
    from .brand import Brand, Brands
    from .model import Leaflet

STANDARD = "standard"  # the leaflet's own PDF, at the brand's size and paper
KINDS = (STANDARD, "large-print", "booklet")  # the order files are listed in
EXTRA_VARIANTS = ("large-print", "booklet")  # formats a leaflet can ask for besides its PDF
VARIANTS = (STANDARD, *EXTRA_VARIANTS)  # what `build --variant` may ask for
PAGE_SIZES = ("A4", "Letter", "A5")  # paper names a brand or `build --page-size` may use
MANIFEST = "manifest.json"
SCHEMA = "handouts-manifest/1"
ERROR, OVERDUE = "error", "overdue"  # why a leaflet was not built

# <id>[.<lang>][.large-print|.booklet][.grayscale].pdf, and the companions beside them:
# <id>[.<lang>][.large-print].html and .txt; ids never hold a dot, so the split is exact.
_LANG_TAG = r"[a-zA-Z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?"  # es, zh-Hans, es-419
_STEM = rf"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<lang>{_LANG_TAG}))?"
OUTPUT_NAME = re.compile(_STEM + r"(?:\.(?P<variant>large-print|booklet))?"
                         r"(?P<grey>\.grayscale)?\.pdf$")
COMPANION_NAME = re.compile(_STEM + r"(?:\.(?P<variant>large-print))?\.(?P<suffix>html|txt)$")
PDF = "pdf"
CATALOGUE_PAGE = "index.html"  # the catalogue page: never a leaflet's file


def output_name(leaflet_id: str, lang: str | None = None, variant: str | None = None, *,
                grayscale: bool = False, suffix: str = PDF) -> str:
    """The file name of one output: `<id>.pdf`, `<id>.<lang>.pdf` (a translation),
    `<id>.<variant>.pdf` (`igrt.large-print.pdf`) and `<id>.<lang>.<variant>.pdf`.
    `lang` is given only for translations; variant "standard" (or None) adds nothing.
    Greyscale output ends `.grayscale.pdf`, so it never replaces the colour file.
    `suffix` "html" or "txt" names a companion (companion/)."""
    parts = [leaflet_id, lang, None if variant == STANDARD else variant,
             "grayscale" if grayscale else None]
    return ".".join(part for part in parts if part) + "." + suffix


def leaflet_key(leaflet: Leaflet) -> str:
    """`<id>`, or `<id>.<lang>` for a translation: how a build names what it built or failed."""
    return f"{leaflet.id}.{leaflet.language}" if leaflet.translation else leaflet.id


# ---- fingerprints ------------------------------------------------------------------------

def fingerprint(leaflet: Leaflet, brand: Brand) -> str:
    """sha256 of everything the PDF is made from: the validated leaflet (not where its
    lines are, so a moved comment changes nothing) and the brand, files included."""
    digest = hashlib.sha256()
    digest.update(leaflet_digest(leaflet).encode())
    digest.update(brand_fingerprint(brand).encode())
    return digest.hexdigest()


# id(leaflet) -> (the leaflet, its digest): digests kept with leaflets read before
# (content/recall.py), as working one out walks the whole leaflet (4 ms each, most of a
# no-change rebuild of 1,000). The leaflet is held so its id is never reused.
_DIGESTS: dict[int, tuple[Leaflet, str]] = {}


def leaflet_digest(leaflet: Leaflet) -> str:
    """sha256 of the leaflet's canonical text, its figures' bytes included."""
    known = _DIGESTS.get(id(leaflet))
    if known and known[0] is leaflet:
        return known[1]
    return hashlib.sha256(_canonical(leaflet).encode("utf-8", "surrogatepass")).hexdigest()


def know_digest(leaflet: Leaflet, digest: str) -> None:
    _DIGESTS[id(leaflet)] = (leaflet, digest)


_BRANDS: dict[tuple, str] = {}  # brand values -> fingerprint: fonts are hashed once a run


def brand_fingerprint(brand: Brand) -> str:
    key = (brand.name, brand.values)
    if key not in _BRANDS:
        _BRANDS[key] = hashlib.sha256(_canonical(brand.values).encode()).hexdigest()
    return _BRANDS[key]


def _canonical(value) -> str:
    """A stable text for a model value: dataclass fields that take part in equality,
    sequences, dates, and files by the sha256 of their bytes."""
    if isinstance(value, str):  # the most common value by far: checked first
        return repr(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [f"{name}={_canonical(getattr(value, name))}" for name in _compared(type(value))]
        return f"{type(value).__name__}({','.join(fields)})"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_canonical(k)}:{_canonical(v)}"
                              for k, v in sorted(value.items(), key=str)) + "}"
    if isinstance(value, Path):
        return f"file:{_file_hash(value)}" if value.is_file() else f"path:{value.name}"
    if isinstance(value, (dt.date, str, int, float, bool)) or value is None:
        return repr(value)
    return type(value).__name__  # e.g. a loaded font object: its file is hashed above


@functools.lru_cache(maxsize=None)
def _compared(kind: type) -> tuple[str, ...]:
    """The names of a dataclass's fields that take part in equality."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.compare)


# Libraries whose version can change a PDF's bytes or what it says (tel: links, dates).
_LAYOUT_PACKAGES = ("reportlab", "uharfbuzz", "pikepdf", "pypdf", "pillow", "babel",
                    "markdown-it-py", "phonenumbers", "fonttools", "svglib", "lxml",
                    "zxing-cpp")
_PACKAGE = Path(__file__).parent


@functools.cache
def tool_version() -> str:
    """handouts' version and a hash of its own code and data, so a changed layout rule
    rebuilds everything even before the version number moves."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml", ".j2", ".css", ".js") and path.is_file():
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def build_key(source: str, options: dict) -> str:
    """sha256 of everything one output is made from: the source fingerprint, the options
    (variant, paper, greyscale, overdue mark) and the versions of the tool and its
    layout libraries. An output whose key is unchanged need not be built again."""
    made_with = {"handouts": tool_version(),
                 **{p: installed_version(p) for p in _LAYOUT_PACKAGES}}
    text = json.dumps({"source": source, "options": options, "with": made_with},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def build_stamp(key: str, leaflet: Leaflet) -> tuple[tuple[str, str], ...]:
    """What each PDF records of how it was made (its XMP and Info dictionary)."""
    return (("buildKey", key), ("leafletCode", leaflet.governance.code),
            ("leafletVersion", leaflet.governance.version), ("toolVersion", tool_version()))


def _file_hash(path: Path, seen: os.stat_result | None = None) -> str:
    """The file's SHA-256, read once a build for each version of it: planning, building
    and the catalogue page each ask about every output, and hashing 3,000 files took a
    quarter of a second each time. A file written or copied over since has another
    inode or change time (which no copy preserves), whatever its size and mtime.
    `seen`: its stat, when the caller has just made one."""
    version = strict_identity(seen) if seen is not None else identity(path, strict=True)
    if version is None or version not in _HASHED:
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        if version is None:
            return digest.hexdigest()
        _HASHED[version] = digest.hexdigest()
    return _HASHED[version]


_HASHED: dict[tuple, str] = {}  # filecache.identity(strict=True): SHA-256


def forget_hashes() -> None:
    """Each build hashes what it asks about afresh (a long `serve` would keep them all)."""
    _HASHED.clear()


# ---- the manifest ------------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """One file a build wrote, and what it was made from."""

    file: str  # a bare name in the output folder
    id: str
    language: str
    translation: bool
    variant: str
    grayscale: bool
    code: str
    version: str
    title: str
    source_file: str  # the leaflet's YAML, relative to content.yaml's folder
    source: str  # fingerprint(leaflet, brand)
    build_key: str  # build_key(source, options): the same key, the same bytes
    sha256: str  # of the file as written, so a file changed since is never trusted
    pages: int
    size: int

    def intact(self, out_dir: Path) -> bool:
        """The file on disk is still the one this record describes."""
        path = Path(out_dir) / self.file
        try:
            found = os.lstat(path)  # one look: a regular file, not a link, of its size
        except OSError:
            return False
        return (stat.S_ISREG(found.st_mode) and found.st_size == self.size
                and _file_hash(path, found) == self.sha256)

    @property
    def key(self) -> str:
        return f"{self.id}.{self.language}" if self.translation else self.id

    @property
    def suffix(self) -> str:
        """"pdf", or "html" / "txt" for a companion."""
        return self.file.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Failure:
    """A leaflet (or translation) that the last build covering it could not build."""

    key: str  # leaflet_key, or the file name when the file did not parse
    source_file: str
    reason: str  # ERROR or OVERDUE
    title: str | None = None  # from its last good build, for the catalogue page
    code: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class Manifest:
    files: tuple[Record, ...] = ()
    failed: tuple[Failure, ...] = ()

    def failure(self, key: str) -> Failure | None:
        return next((f for f in self.failed if f.key == key), None)

    @functools.cached_property
    def by_key(self) -> dict[str, tuple[Record, ...]]:
        """leaflet_key -> its files, found once: the page asks for each of a thousand."""
        found: dict[str, list[Record]] = {}
        for record in self.files:
            found.setdefault(record.key, []).append(record)
        return {key: tuple(records) for key, records in found.items()}

    def as_json(self) -> str:
        data = {"schema": SCHEMA,
                "files": [_fields(r) for r in sorted(self.files, key=_by_file)],
                "failed": [_fields(f) for f in sorted(self.failed, key=lambda f: f.key)]}
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    def same_as(self, other: Manifest) -> bool:
        """The same files and failures, in whatever order they were found."""
        return set(self.files) == set(other.files) and set(self.failed) == set(other.failed)


def _by_file(record: Record) -> str:
    return record.file


def _fields(item: Record | Failure) -> dict:
    """A record's fields (all plain values), as dataclasses.asdict gives them without
    its deep copy, which took 0.3 s for a thousand leaflets' files."""
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}


def read_manifest(out_dir: Path) -> tuple[Manifest, list[Problem]]:
    """The output folder's manifest; an empty one (with a warning) if it is unreadable,
    so an unknown file is never offered."""
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        return Manifest(), []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema is {data.get('schema')!r}, not {SCHEMA}")
        files = tuple(Record(**item) for item in data["files"])
        failed = tuple(Failure(**item) for item in data["failed"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        return Manifest(), [Problem(path, 1, 1, f"the output manifest cannot be read ({exc}); "
                                    "no earlier file in this folder is offered",
                                    "build every leaflet again (handouts build --clean)",
                                    "warning")]
    return Manifest(tuple(r for r in files if _is_output(r.file)), failed), []


def write_manifest(manifest: Manifest, out_dir: Path) -> Path:
    return write_atomic(manifest.as_json().encode("utf-8"), Path(out_dir) / MANIFEST)


def _is_output(name: str) -> bool:
    """A bare output name in the folder: a manifest can never name a file elsewhere."""
    return bool(OUTPUT_NAME.match(name) or COMPANION_NAME.match(name)) and "/" not in name \
        and "\\" not in name and name != CATALOGUE_PAGE


# ---- what a build keeps ------------------------------------------------------------------

Current = Callable[["Leaflet"], "str | None"]  # leaflet -> its fingerprint now (None: unknown)


class Fingerprints:
    """Each leaflet's fingerprint now, with the brand it is built with (the `--template`
    brand, else its own), worked out once: the page and the manifest ask again and again.
    None when the brand does not load. Build, register and the tests share it."""

    def __init__(self, brands: "Brands", template: str | None = None):
        self.brands, self.template = brands, template
        self._known: dict[str, str | None] = {}

    def learn(self, key: str, value: str | None) -> None:
        """What a worker process (--jobs) found for a leaflet: the page asks for it next."""
        self._known.setdefault(key, value)

    def found(self, key: str) -> str | None:
        return self._known.get(key)

    def __call__(self, leaflet: "Leaflet") -> str | None:
        key = leaflet_key(leaflet)
        if key not in self._known:
            brand = self.brands.quietly(self.template or leaflet.template)
            self._known[key] = fingerprint(leaflet, brand) if brand else None
        return self._known[key]


def is_current(record: Record, leaflet: Leaflet | None, current: Current) -> bool:
    """Made from this very source: same version, same fingerprint."""
    return (leaflet is not None and record.version == leaflet.governance.version
            and record.source == current(leaflet))


def next_manifest(old: Manifest, written: Iterable[Record], failed: Iterable[Failure],
                  leaflets: dict[str, Leaflet], covers: Callable[[str], bool],
                  current: Current, out_dir: Path) -> tuple[Manifest, list[str]]:
    """The manifest after a build, and the files it makes stale (to remove).

    An earlier file stays listed when it is still current, or when this build does not
    cover its leaflet (`--only`); a covered leaflet's file from an older source is stale.
    A leaflet that loaded but failed to build keeps its last files listed: they are not
    offered while it is failed, and a build that tried another brand (`--template`) and
    failed must not wipe the good ones. A failure is kept for the leaflets this build
    did not cover."""
    written, failed = list(written), list(failed)
    rewritten = {r.file for r in written}
    unbuilt = {f.key for f in failed if f.key in leaflets}
    kept, stale = [], []
    for record in old.files:
        if record.file in rewritten or not (Path(out_dir) / record.file).is_file():
            continue
        if covers(record.id) and record.key not in unbuilt and \
                not is_current(record, leaflets.get(record.key), current):
            stale.append(record.file)
        else:
            kept.append(record)
    new_failures = list(failed)
    known = {f.key for f in new_failures}
    for failure in old.failed:
        if failure.key not in known and not covers(failure.key.split(".")[0]):
            new_failures.append(failure)
    return Manifest(tuple(written + kept), tuple(new_failures)), stale


def offered(manifest: Manifest, leaflet: Leaflet, current: Current, out_dir: Path
            ) -> list[Record]:
    """The PDFs of this leaflet (or translation) a nurse may be given."""
    return [r for r in current_files(manifest, leaflet, current, out_dir) if r.suffix == PDF]


def current_files(manifest: Manifest, leaflet: Leaflet, current: Current, out_dir: Path
                  ) -> list[Record]:
    """Every file of this leaflet the manifest vouches for now: PDFs and companions."""
    return [r for r in manifest.by_key.get(leaflet_key(leaflet), ())
            if is_current(r, leaflet, current) and r.intact(out_dir)]


def unlisted_outputs(manifest: Manifest, out_dir: Path, ids: Iterable[str] = ()) -> list[Path]:
    """What `--clean` removes: files in the output folder that look like ours (leaflet
    PDFs, left-over .part files, thumbnails) and that the manifest does not list. An
    .html or .txt is a companion only when named for a leaflet (`ids`, or one the
    manifest knows): `notes.txt` and the catalogue page are never removed."""
    out_dir = Path(out_dir)
    listed = {r.file for r in manifest.files} | {CATALOGUE_PAGE}
    thumbs = {f"{r.id}.png" for r in manifest.files}
    known = {*ids, *(r.id for r in manifest.files), *(f.key.split(".")[0] for f in manifest.failed)}

    def companion(name: str) -> bool:
        match = COMPANION_NAME.match(name)
        return match is not None and match.group("id") in known
    found = [p for p in out_dir.glob("*") if (p.is_file() or p.is_symlink()) and (
        ((OUTPUT_NAME.match(p.name) or companion(p.name)) and p.name not in listed)
        or p.name.endswith(".part"))]
    found += [p for p in (out_dir / "thumbs").glob("*.png") if p.name not in thumbs]
    return sorted(found)
