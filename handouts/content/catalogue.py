"""content.yaml path -> Catalogue: the defaults, the good leaflets, and every problem found."""
from __future__ import annotations

import gc
import glob
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HandoutsError, Problem, Problems
from ..fields import Reader, did_you_mean
from ..load import Map, Seq, inside, read_yaml
from ..model import Leaflet
from ..outputs import EXTRA_VARIANTS
from .leaflet import Defaults, _language, read_leaflet
from .recall import Recalled, recall, remember

CATALOGUE_KEYS = {"defaults", "leaflets", "translations", "checks", "count_given_out"}
DEFAULT_KEYS = {"template", "language", "review_interval_months"}
MAX_FILES = 2000  # leaflet or translation files one glob may name


@dataclass
class Catalogue:
    """The result of reading content: the good leaflets and every problem found."""

    path: Path
    defaults: Defaults | None
    leaflets: list[Leaflet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # ids (or files) left out for errors
    checks: Map | None = None  # the raw `checks:` settings, read by check.py
    translations: list[Leaflet] = field(default_factory=list)  # each with .translation set
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> `variants:`
    unreadable: list[str] = field(default_factory=list)  # files that did not parse
    rejected: dict[str, Path] = field(default_factory=dict)  # failed name -> its file
    count_given_out: bool = True  # tally.py: copies given out per day (no patient data)

    def reject(self, name: str, path: Path) -> None:
        """Leave a leaflet out for its errors, remembering which file it came from."""
        self.failed.append(name)
        self.rejected.setdefault(name, Path(path))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_catalogue(path: Path) -> Catalogue:
    """Read content.yaml and every leaflet it names; never raises for bad content."""
    with _collector_paused():
        return _load_catalogue(Path(path))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A catalogue is many small objects that live as long as the run. The cycle
    collector passed over all of them again and again as they were read: 1.4 s of the
    1.7 s it took to recall 1,000 leaflets (recall.py), 0.3 s with it paused. What was
    read then goes straight to the oldest generation (freeze, then unfreeze), which is
    looked at again only once it has grown by a quarter: a first pass over the new
    objects took another 0.45 s."""
    was_enabled = gc.isenabled()
    gc.disable()  # for the whole process, for as long as reading takes
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _load_catalogue(path: Path) -> Catalogue:
    try:
        root = read_yaml(path)
    except HandoutsError as exc:
        return Catalogue(path, None, problems=exc.problems, failed=[str(path)])
    problems = Problems()
    reader = Reader(problems)
    if not isinstance(root, Map):
        problems.add(path, None, "content.yaml should be a mapping with 'defaults' and "
                     "'leaflets'", "start it with 'defaults:' (then '  template: base') and "
                     "'leaflets:' (then '  - leaflets/*.yaml'); 'handouts init' writes one")
        return Catalogue(path, None, problems=problems.items, failed=[str(path)])
    reader.check_keys(root, CATALOGUE_KEYS, ("defaults", "leaflets"), "content.yaml")
    defaults = _read_defaults(reader, root)
    catalogue = Catalogue(path, defaults, checks=reader.mapping(root, "checks"))
    catalogue.count_given_out = reader.typed(root, "count_given_out", bool, "true or false") \
        is not False
    entries = reader.seq(root, "leaflets") or Seq(path, (1, 1))
    if defaults is None:
        catalogue.problems = problems.items
        catalogue.failed.append(str(path))
        return catalogue
    for index, entry in enumerate(entries):
        _load_entry(reader, entries, index, entry, catalogue)
    _reject_duplicates(catalogue, problems)
    from ..translations import load_translations  # it imports this package's readers
    load_translations(reader, reader.seq(root, "translations") or Seq(path, (1, 1)),
                      catalogue)
    catalogue.problems = problems.items + catalogue.problems
    return catalogue


def _read_defaults(reader: Reader, root: Map) -> Defaults | None:
    node = reader.mapping(root, "defaults")
    if node is None:
        return None
    reader.check_keys(node, DEFAULT_KEYS, ("template",), "defaults")
    language = _language(reader, node, "language") or "en-GB"
    interval = reader.number(node, "review_interval_months", 1, 60, int) or 36
    template = reader.text(node, "template")
    where = (node.path, *node.mark_of("template"))
    return Defaults(template, language, interval, where) if template else None


def _load_entry(reader: Reader, entries: Seq, index: int, entry, catalogue: Catalogue):
    if isinstance(entry, Map):
        _add_leaflet(entry, catalogue)
    elif isinstance(entry, str):
        for node in read_matching(reader, entries, index, catalogue, "leaflet"):
            if isinstance(node, tuple):  # read and validated before (recall.py)
                _add_recalled(node, catalogue)
            else:
                _add_leaflet(node, catalogue, keep=True)
    else:
        reader.error(entries, index, "each item of 'leaflets' should be a file path, a glob "
                     "or a leaflet mapping", "write '- leaflets/*.yaml'")


def read_matching(reader: Reader, entries: Seq, index: int, catalogue: Catalogue,
                  kind: str) -> Iterator:
    """The YAML root of each file the glob entries[index] names, relative to content.yaml.

    A glob that matches nothing is an error at the entry; a file that will not parse is
    left out, its problems and name kept in the catalogue.
    """
    pattern = entries[index]
    root = catalogue.path.parent
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts or "\0" in pattern:
        reader.error(entries, index, f"'{pattern}' reaches outside the content folder {root}",
                     "name files relative to content.yaml, inside its folder")
        return
    found = glob.iglob(pattern, root_dir=root, recursive=True)
    matches = sorted(itertools.islice(found, MAX_FILES + 1))
    if len(matches) > MAX_FILES:
        reader.error(entries, index, f"'{pattern}' matches more than {MAX_FILES} files",
                     "name the leaflet folder more narrowly, e.g. leaflets/*.yaml")
        return
    if not matches:
        reader.error(entries, index, f"no {kind} file matches '{pattern}'",
                     "check the path; it is relative to content.yaml")
    for name in matches:
        match = inside(root / name, root)
        if match is None:
            reader.error(entries, index, f"'{name}' (matched by '{pattern}') is a link to "
                         "a file outside the content folder", "copy the file into the folder")
            catalogue.failed.append(name)
            continue
        known = recall(match, catalogue.defaults) if kind == "leaflet" and \
            catalogue.defaults else None
        if known:
            yield known
            continue
        try:
            node = read_yaml(match, root)
        except HandoutsError as exc:
            catalogue.problems.extend(exc.problems)
            if kind == "leaflet":  # listed on the catalogue page as not available
                catalogue.reject(name, match)
            else:
                catalogue.failed.append(name)
            catalogue.unreadable.append(name)
            continue
        yield node


def _add_leaflet(node, catalogue: Catalogue, keep: bool = False) -> None:
    """`keep`: the node is a whole leaflet file's, which recall.py may keep."""
    problems = Problems()
    assert catalogue.defaults is not None  # leaflets are read only once defaults are
    leaflet = read_leaflet(node, catalogue.defaults, problems)
    variants = read_variants(node, problems) if isinstance(node, Map) else ()
    if keep and leaflet is not None and not problems.items:  # nothing to say: keep it
        remember(node.path, catalogue.defaults, leaflet, variants)
    catalogue.problems.extend(problems.items)
    if leaflet is None or problems.errors:
        name = node.get("id") if isinstance(node, Map) else None
        path = getattr(node, "path", catalogue.path)
        catalogue.reject(name if isinstance(name, str) and name else str(path), path)
    else:
        catalogue.leaflets.append(leaflet)
        if variants:
            catalogue.variants.setdefault(leaflet.id, variants)


def _add_recalled(known: Recalled, catalogue: Catalogue) -> None:
    leaflet, variants = known
    catalogue.leaflets.append(leaflet)
    if variants:
        catalogue.variants.setdefault(leaflet.id, variants)


def read_variants(node: Map, problems: Problems) -> tuple[str, ...]:
    """A leaflet's `variants:` list: the extra formats built with every plain build."""
    reader = Reader(problems)
    names = reader.text_list(node, "variants") or []
    wanted: list[str] = []
    for index, name in enumerate(names):
        if name == "standard":
            reader.error(node["variants"], index, "'standard' is always built",
                         "list only the extra formats: " + ", ".join(EXTRA_VARIANTS))
        elif name not in EXTRA_VARIANTS:
            hint = did_you_mean(name, EXTRA_VARIANTS)
            if not hint.startswith("did you mean"):
                hint = "the variants are " + " and ".join(EXTRA_VARIANTS)
            reader.error(node["variants"], index, f"unknown variant '{name}'", hint)
        elif name not in wanted:
            wanted.append(name)
    return tuple(wanted)


def _reject_duplicates(catalogue: Catalogue, problems: Problems) -> None:
    """Two leaflets that would write the same file: both are refused."""
    seen: dict[str, Leaflet] = {}
    keep = []
    for leaflet in catalogue.leaflets:
        key = leaflet.id.lower()  # out/Igrt.pdf and out/igrt.pdf collide on some disks
        if key in seen:
            first = seen[key]
            path, line, col = leaflet.where
            problems.add(path, (line, col), f"duplicate leaflet id '{leaflet.id}': "
                         f"{first.where[0]}:{first.where[1]} also writes out/{key}.pdf",
                         "give each leaflet its own id")
            catalogue.failed.append(leaflet.id)
        else:
            seen[key] = leaflet
            keep.append(leaflet)
    catalogue.leaflets = keep

