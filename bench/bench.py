"""Benchmark: handouts per-leaflet cost against the floor of this stack, in the same run.

    ./dev bench [N]        (or: python bench/bench.py [N] [--rounds R])

Builds the example catalogue replicated to N leaflets three ways, interleaved leaflet by
leaflet so machine noise hits all three alike, and reports medians and ratios:
  floor     a minimal hand-written ReportLab script: same text, same TrueType font,
            paragraphs, bullets, tables, page numbers; no brand, no tagging
  untagged  our layout and page furniture on a plain canvas, no PDF/UA pass (no tagging)
  handouts  the real pipeline: layout, tagging canvas, PDF/UA pass, atomic write
Ratios are what to compare across machines; absolute times vary with load.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from functools import lru_cache, partial
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import BaseDocTemplate  # noqa: E402

from floor import floor_pdf, load_source  # noqa: E402

from handouts.brand import Brands, templates_dir_for  # noqa: E402
from handouts.build import build_leaflet  # noqa: E402
from handouts.content import load_catalogue  # noqa: E402
from handouts.layout import lay_out  # noqa: E402
from handouts.layout.styles import register_family  # noqa: E402


def replicated(n: int):
    leaflets = load_catalogue(REPO / "content.yaml").leaflets
    return [dataclasses.replace(leaflets[i % len(leaflets)], id=f"{leaflets[i % len(leaflets)].id}-{i}")
            for i in range(n)]


def floor_leaflet(leaflet, font: str, bold: str) -> bytes:
    """The floor (floor.py) from the YAML file the leaflet came from."""
    return floor_pdf(_source(Path(leaflet.where[0])), font, bold)


@lru_cache(maxsize=None)
def _source(path: Path) -> dict:
    return load_source(path)


class _PlainCanvas(Canvas):
    """Our layout without tagging: the same deferred footers ("Page N of M"), but inline
    tag switches do nothing and no content is marked."""

    def __init__(self, *args, furniture=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setNamedCB("ua", lambda *a: None)
        self._furniture, self._pages = furniture, []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self._pages:
            self.__dict__.update(state)
            self._furniture(self, self._pageNumber, len(self._pages))
            super().showPage()
        super().save()


def untagged_leaflet(leaflet, brand) -> bytes:
    story = lay_out(leaflet, brand)
    buffer = BytesIO()
    BaseDocTemplate(buffer, pagesize=story.geometry.size, pageTemplates=story.templates,
                    invariant=1, initialFontName=story.initial_font).build(
        story.flowables, canvasmaker=partial(_PlainCanvas, furniture=story.footer))
    return buffer.getvalue()


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=24, help="leaflets per round")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    args = parser.parse_args(argv)
    leaflets = replicated(args.n)
    brands = Brands(templates_dir_for(REPO / "content.yaml"))
    font = register_family(brands.get("riverside-trust").body_font)
    out = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    runs = {
        "floor": lambda l: floor_leaflet(l, font["regular"], font["bold"]),
        "untagged": lambda l: untagged_leaflet(l, brands.get(l.template)),
        "handouts": lambda l: build_leaflet(l, brands.get(l.template), out),
    }
    for leaflet in leaflets[:4]:  # warm up: font loading, imports, caches
        for work in runs.values():
            work(leaflet)
    # Interleaved leaflet by leaflet, so that a burst of load on this shared machine
    # hits all three alike; a round's sample is its total over the N leaflets.
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        totals = dict.fromkeys(runs, 0.0)
        for leaflet in leaflets:
            for name, work in runs.items():
                totals[name] += timed(lambda: work(leaflet))
        for name in runs:
            samples[name].append(totals[name] / args.n)
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{args.n} leaflets x {args.rounds} rounds (medians per leaflet)")
    for name, seconds in median.items():
        print(f"  {name:<9} {seconds * 1000:7.1f} ms/leaflet  {1 / seconds:6.1f} leaflets/s")
    print(f"  handouts / floor    = {median['handouts'] / median['floor']:.2f}x (goal <= 1.5x)")
    print(f"  tagging cost        = {median['handouts'] / median['untagged'] - 1:+.0%} "
          "(handouts vs the same layout untagged; goal < +25%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
