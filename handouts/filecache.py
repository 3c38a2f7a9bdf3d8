"""What was found in a font or image file (assets.py), measured in an SVG figure
(svgfigure.py), or measured of a font's running text (layout/geometry.py), kept on disk
between runs, as fontconfig keeps its own: a cold `validate` or `check` would otherwise
spend most of its time loading fontTools, ReportLab, Pillow and svglib to read files
whose answer cannot have changed.

An entry is keyed by the file's real path, size and modification time, and the file of
entries by a hash of the code that judged them (those modules, this one, and the versions
of the libraries they use), so a changed file or a changed rule is read again. Answers
that depend on no file are kept under their question: what the language registry says of
a tag (languages.py), what a phone number dials (phones.py), and which files an installed
font package holds (fonts.py, under a hash of what is installed). Only such facts are kept
here, never a leaflet's text (content/recall.py keeps leaflets). A large value that is
faster to load than to make (parsed hyphenation patterns, a dictionary's syllables, an SVG
figure's Drawing) is kept as a pickle file of its own (kept()), and jinja2 keeps its
compiled templates beside them (template_cache()). HANDOUTS_CACHE names the folder, or "off" keeps none;
the default is $XDG_CACHE_HOME/handouts (~/.cache/handouts). A cache that cannot be read
or written only makes a run slower.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import sys
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any, Callable, TypeVar

from .write import OutputError, write_atomic

T = TypeVar("T")
ENV = "HANDOUTS_CACHE"
JUDGES = ("assets.py", "svgfigure.py", "filecache.py", "layout/geometry.py",  # whose answers
          "languages.py", "phones.py", "fonts.py")  # are kept
_HERE = Path(__file__).parent
_entries: dict[str, Any] = {}  # this process's view: what it read and what it found
_loaded: set[Path] = set()


def folder() -> Path | None:
    chosen = os.environ.get(ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handouts"


# The libraries whose answers are kept
LIBRARIES = ("fonttools", "reportlab", "svglib", "lxml", "pillow", "langcodes", "language-data",
             "phonenumbers", "fontpkg")


@cache
def stamp() -> str:
    """A hash of the code that judges (JUDGES) and of the libraries it uses: it names the
    file of entries, and what is kept made by that code (svgfigure's drawings)."""
    digest = sha256()
    for name in JUDGES:
        digest.update((_HERE / name).read_bytes())
    for distribution in LIBRARIES:
        digest.update(f"{distribution} {installed_version(distribution)}".encode())
    return digest.hexdigest()[:16]


@cache
def installed_version(distribution: str) -> str:
    """A distribution's installed version ('none' if it is not installed), from the name
    of its dist-info folder on the import path ('fonttools-4.69.1.dist-info'): what
    importlib.metadata reports, without loading the email package (13 ms of a cold
    `validate`). The build's keys (outputs.py) use it too."""
    wanted = _normalised(distribution)
    for entry in sys.path:
        for name in _folder_names(entry or "."):
            stem, _, version = name.removesuffix(".dist-info").rpartition("-")
            if name.endswith(".dist-info") and _normalised(stem) == wanted:
                return version
    return "none"


@cache
def installed() -> str:
    """Which distributions are on the import path, as a hash of their dist-info folders'
    names: installing, upgrading or removing a package changes it."""
    digest = sha256()
    for entry in sys.path:
        for name in _folder_names(entry or "."):
            if name.endswith(".dist-info"):
                digest.update(f"{entry}/{name}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


@cache
def _folder_names(entry: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(entry)))
    except OSError:  # a zip file or a missing folder on the path
        return ()


def _file() -> Path | None:
    where = folder()
    return where / f"files-{stamp()}.json" if where else None


def _read(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def identity(path: Path | str, strict: bool = False) -> tuple[str | int, ...] | None:
    """A file as far as these caches can tell it from another: its real path, size and
    modification time; when `strict` its device and inode instead of its path (they name
    the file wherever it is linked from, and resolving the path cost a quarter of a
    no-change build), and its change time (which no copy keeps, as cp -p and rsync -t
    keep a time). None when it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if strict:
        return strict_identity(stat)
    return os.path.realpath(path), stat.st_size, stat.st_mtime_ns


def strict_identity(stat: os.stat_result) -> tuple[int, ...]:
    """identity(strict=True) from a stat already made."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def file_key(path: Path | str, what: str) -> str:
    found = identity(path)
    if found is None:
        raise FileNotFoundError(path)
    real, size, changed = found
    return f"{real}|{size}|{changed}|{what}"


def get(key: str) -> Any:
    target = _file()
    if target and target not in _loaded:
        _loaded.add(target)
        _entries.update(_read(target))
    return _entries.get(key)


def put(key: str, value: Any) -> None:
    """Keep `value`, and write the file with every entry other processes added since,
    whole or not at all (a reader never sees half a file)."""
    _entries[key] = value
    target = _file()
    if target is None:
        return
    merged = {**_read(target), **_entries}
    try:
        write_atomic(json.dumps(merged, sort_keys=True).encode("utf-8"), target, durable=False)
    except OutputError:
        pass


def answer(key: str, make: Callable[[], Any],
           holds: Callable[[Any], bool] = lambda known: True) -> Any:
    """The entry under `key` (a file_key, or a question that depends on no file) while
    `holds` accepts it, else what `make` answers (JSON), kept."""
    known = get(key)
    if known is None or not holds(known):
        known = make()
        put(key, known)
    return known


def kept(name: str, make: Callable[[], T]) -> T:
    """What `make` returns, kept in the cache folder as one pickle file (`name` holds every
    version the value depends on): read back while it is there and whole, else made again
    and written. For a large value that pickle loads faster than it is made."""
    where = folder()
    path = where / name if where else None
    if path is not None:
        try:
            with open(path, "rb") as stream:
                return pickle.load(stream)
        except Exception:  # noqa: BLE001 - missing, damaged or older: made again, below
            pass
    value = make()
    if path is not None:
        try:
            write_atomic(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), path,
                         durable=False)
        except OutputError:
            pass  # a cache that cannot be written is only slower
    return value


def template_cache(settings: dict):
    """A bytecode cache for the templates of a jinja2 Environment made with `settings`
    (its options but the loader), or None when the cache is off: a cold build compiled the
    web companion's and the catalogue page's templates on every run. Jinja keys a template
    by its path and the hash of its source, and writes by rename; the folder is named by
    jinja2's version and the settings, which shape the compiled code (autoescape)."""
    where = folder()
    if where is None:
        return None
    import jinja2  # only the commands that render a template get here

    class Quiet(jinja2.FileSystemBytecodeCache):
        """A cache that cannot be read or written only makes a run slower."""

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged entry: compiled again
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    shaped_by = f"{jinja2.__version__} {sorted((k, repr(v)) for k, v in settings.items())}"
    return Quiet(str(where / f"templates-{sha256(shaped_by.encode()).hexdigest()[:16]}"))


def ranges(points: frozenset[int]) -> list[list[int]]:
    """Code points as [first, last] runs: a CJK font's 30,000 are a few hundred runs."""
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return runs


def code_points(runs: list[list[int]]) -> frozenset[int]:
    return frozenset(point for first, last in runs for point in range(first, last + 1))
