"""Shared fixtures: the example catalogue built once, and small catalogues made per test."""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from handouts.cli import main

REPO = Path(__file__).resolve().parents[1]
# What handouts learns of font and figure files (filecache.py) is kept for this session
# only, never in the user's cache; commands the tests run in subprocesses inherit it.
os.environ.setdefault("HANDOUTS_CACHE", tempfile.mkdtemp(prefix="handouts-test-cache-"))
TODAY = "2026-11-24"  # fixed "today": review status never depends on the clock

# A small valid leaflet; tests change pieces of it with str.replace.
MINIMAL = textwrap.dedent("""\
    id: sample
    title: Having a sample test
    summary: What happens when you give a sample.
    governance:
      code: PIL-9001
      version: "2"
      author: Test department
      owner: Test owner
      published: 2026-01-10
      last_reviewed: 2026-01-10
    sections:
      - heading: What is it?
        blocks:
          - paragraph: A sample helps us check your health [@nhs-sample].
          - bullets: [First point, Second point]
    references:
      - id: nhs-sample
        citation: Example source. A page about samples.
        url: https://www.nhs.uk/tests-and-treatments/blood-tests/
        accessed: 2026-01-05
    """)


def with_blocks(blocks: str, leaflet: str = MINIMAL) -> str:
    """MINIMAL with more blocks (YAML, any indentation) after its bullet list."""
    anchor = "      - bullets: [First point, Second point]\n"
    assert anchor in leaflet
    return leaflet.replace(anchor, anchor + textwrap.indent(textwrap.dedent(blocks), "      "))


def pytest_collection_modifyitems(items):
    """The tests marked after_all run after all the others, whatever their files' names."""
    items.sort(key=lambda item: item.get_closest_marker("after_all") is not None)


@pytest.fixture(autouse=True, scope="session")
def fixed_today():
    os.environ["HANDOUTS_TODAY"] = TODAY
    yield
    os.environ.pop("HANDOUTS_TODAY", None)


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Held by one process at a time (pytest-xdist's workers): an install or a build
    that several would otherwise run into one folder at once."""
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def made_once(tmp_path_factory, name: str, make: Callable[[Path], int]) -> tuple[int, Path]:
    """`make(folder)` (a build into an empty folder, giving its exit code) run once for
    the whole run, and its exit code and folder. Under pytest-xdist the workers share one
    folder and the first that needs it makes it under a file lock: a module fixture runs
    on every worker that takes one of the module's tests, and the 34 languages of
    test_scripts were built twice at once (42 s each)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        return make(folder), folder
    shared = tmp_path_factory.getbasetemp().parent  # the run's; each worker has a folder in it
    folder, done = shared / name, shared / f"{name}.done"
    with exclusive(shared / f"{name}.lock"):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            done.write_text(str(make(folder)))
    return int(done.read_text()), folder


def built_once(tmp_path_factory, name: str, *options: str) -> Path:
    """The example catalogue built with `options` once for the whole run (made_once)."""
    code, out = made_once(tmp_path_factory, name, lambda out: main(
        ["build", str(REPO / "content.yaml"), "--out", str(out), *options]))
    assert code == 0
    return out


@pytest.fixture(scope="session")
def example_out(tmp_path_factory) -> Path:
    """The example catalogue (content.yaml) built once for the whole run."""
    return built_once(tmp_path_factory, "example-out")


@pytest.fixture(scope="session")
def suite_pdfs(request, tmp_path_factory) -> list[Path]:
    """Every PDF the suite has built, for the tests marked after_all. `./dev test` runs
    the suite on every core first, then these over the folder it built in (named by
    HANDOUTS_SUITE_PDFS); a plain `pytest` runs them last (pytest_collection_modifyitems),
    over its own."""
    folder = os.environ.get("HANDOUTS_SUITE_PDFS")
    if folder:
        base = Path(folder)
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        if os.environ.get("CI") == "true":
            pytest.fail("in CI the suite runs through ./dev test, which runs this after it")
        pytest.skip("on one of several workers, the others' PDFs are out of sight: "
                    "./dev test runs this after the suite")
    else:
        request.getfixturevalue("example_out")  # the examples are among them
        base = tmp_path_factory.getbasetemp()
    return sorted(path for path in base.rglob("*.pdf") if path.is_file())


@pytest.fixture(scope="session")
def a5_large_print_out(tmp_path_factory) -> Path:
    """The example catalogue in large print on A5 (the smallest column with the largest
    text), built once for the whole run."""
    return built_once(tmp_path_factory, "a5-large-print-out", "--variant", "large-print",
                      "--page-size", "A5")


class Catalogue:
    """A throwaway catalogue folder: content.yaml, leaflet files, the repo's templates."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "out"
        (root / "leaflets").mkdir()
        shutil.copytree(REPO / "templates", root / "templates")
        self.write_content()

    def write_content(self, extra: str = "") -> Path:
        path = self.root / "content.yaml"
        path.write_text("defaults:\n  template: riverside-trust\n  language: en-GB\n"
                        "  review_interval_months: 36\nleaflets:\n  - leaflets/*.yaml\n" + extra,
                        encoding="utf-8")
        return path

    def leaflet(self, text: str, name: str = "sample") -> Path:
        path = self.root / "leaflets" / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str) -> int:
        return main(["build", str(self.root / "content.yaml"), "--out", str(self.out), *args])

    def validate(self) -> int:
        return main(["validate", str(self.root / "content.yaml")])


@pytest.fixture
def catalogue(tmp_path) -> Catalogue:
    return Catalogue(tmp_path)


def page_texts(path: Path) -> list[str]:
    """The text of each page, as a reader's text extraction sees it."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def squash(text: str) -> str:
    """Whitespace folded, so line breaks in extraction don't matter."""
    return " ".join(text.split())


def link_uris(path: Path) -> list[str]:
    """Every /URI of every link annotation in the PDF, in page order ."""
    uris = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
    return uris


def page_as_built(out: Path, on, built=(), manifest=None, current=None, catalogue=None):
    """The catalogue page's data for out/ as `handouts build` makes it: the manifest in
    out/ (or `manifest`), fingerprints with each leaflet's own brand (or `current`), the
    default 90-day lead time."""
    from handouts.brand import Brands, templates_dir_for
    from handouts.catalogue_page import page_data
    from handouts.content import load_catalogue
    from handouts.outputs import Fingerprints, read_manifest
    content = out.parent / "content.yaml"
    catalogue = catalogue or load_catalogue(content)
    return page_data(catalogue, out, on, manifest or read_manifest(out)[0],
                     current or Fingerprints(Brands(templates_dir_for(content))), built, 90)


def assert_rest_built(out: Path, *names: str) -> None:
    """Issue 16's bar: beside a bad leaflet, each good leaflet's PDF is still written and the
    catalogue page (out/index.html) is written and offers it."""
    page = out / "index.html"
    assert page.is_file(), f"{page} was not written"
    html = page.read_text(encoding="utf-8")
    for name in names or ("sample",):
        assert (out / f"{name}.pdf").is_file(), f"{name}.pdf was not built"
        assert f"{name}.pdf" in html, f"index.html does not offer {name}.pdf"


def operators(path):
    """(operands, operator, marked-content stack) for every operator of every page and of
    every form XObject the pages draw."""
    with pikepdf.open(path) as pdf:
        streams = []
        for page in pdf.pages:
            streams.append(page)
            streams.extend(x for x in page.Resources.get("/XObject", {}).values()
                           if x.get("/Subtype") == "/Form")
        for stream in streams:
            stack = []
            for operands, operator in pikepdf.parse_content_stream(stream):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    stack.append(str(operands[0]))
                elif name == "EMC":
                    stack.pop()
                yield operands, name, tuple(stack)


def column(template: str, page_size: str | None = None,
           body_size: float | None = None) -> tuple[float, float]:
    """The left and right edges (pt) of a brand's text column, as layout sets it (the
    side margins grow to hold the brand's measure)."""
    from handouts.brand import load_brand
    from handouts.layout.geometry import geometry
    geo = geometry(load_brand(REPO / "templates", template), page_size, body_size)
    return geo.left, geo.size[0] - geo.right


def as_drawn(path: Path) -> Path:
    """A copy of the PDF without its ActualText spans: what its glyphs say, line by line,
    for tests of where lines break (the spans make readers read a word broken across two
    lines whole, tags.py)."""
    copy = path.with_name(path.stem + ".as-drawn.pdf")
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            kept, dropped = [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    spans = (name == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                             and "/ActualText" in operands[1])
                    dropped.append(spans)
                    if spans:
                        continue
                elif name == "EMC" and dropped.pop():
                    continue
                kept.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(copy)
    return copy
