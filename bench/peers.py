"""Benchmark: handouts against its floor and its peers, as ratios from one run.

    ./dev bench peers [--rounds R] [--counts 100,1000]
    (or: .venv/bin/python bench/peers.py ...; typst and WeasyPrint: pip install -e '.[bench]')

Every figure is a ratio to a baseline measured in the same run, interleaved so that noise
on a shared machine hits each engine alike:
  warm      the anchor leaflet (IGRT's first three sections and its references) made in
            one warm process by: handouts (tagged, with its end matter, written to disk),
            the floor (a hand-written ReportLab script, bench.floor_leaflet), typst
            (PyPI `typst`, tagged, from typst markup of the same text) and WeasyPrint
            (tagged PDF/UA-1, from the HTML companion handouts writes beside each PDF)
  size      the bytes of each engine's anchor PDF
  catalogue the example leaflets copied to each count, built by `handouts build` on every
            core, against typst compiling the same leaflets on as many processes
  no-change `handouts build` run again over that output
  cold      each command in a new Python process, against the floor's whole cold build
  memory    the largest resident size of any process of the biggest catalogue build
The README's performance table is `--markdown` of a run.
"""
from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from catalogue import make_catalogue  # noqa: E402
from floor import floor_pdf, load_source  # noqa: E402

from handouts.brand import Brands, templates_dir_for  # noqa: E402
from handouts.build import build_leaflet  # noqa: E402
from handouts.content import load_catalogue  # noqa: E402
from handouts.layout.styles import register_family  # noqa: E402
from handouts.model import (Bullets, Callout, Figure, Leaflet, Paragraph, Steps,  # noqa: E402
                            Table)

TODAY = "2026-11-24"  # the examples are in date then: no leaflet is overdue


SECTIONS = 3


def anchor() -> Leaflet:
    """IGRT's first three sections: about two pages of body text in each engine."""
    igrt = next(l for l in load_catalogue(REPO / "content.yaml").leaflets if l.id == "igrt")
    return dataclasses.replace(igrt, sections=igrt.sections[:SECTIONS])


def anchor_source() -> dict:
    """The same three sections as the floor reads them, from the YAML file."""
    source = load_source(REPO / "leaflets" / "igrt.yaml")
    return {**source, "sections": source["sections"][:SECTIONS]}


# ---- typst ------------------------------------------------------------------------------

def _text(value: str) -> str:
    """A typst string literal shown as text: no markup in the editor's words is read."""
    flat = " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'#"{flat}"'


def _typst_block(block, lines: list[str]) -> None:
    if isinstance(block, Paragraph):
        lines += [_text(block.text.plain), ""]
    elif isinstance(block, (Bullets, Steps)):
        mark = "+" if isinstance(block, Steps) else "-"
        lines += [f"{mark} {_text(item.plain)}" for item in block.items] + [""]
    elif isinstance(block, Callout):
        body = [_text(block.text.plain)] if block.text else []
        body += [f"- {_text(item.plain)}" for item in block.items]
        lines += ["#block(stroke: 1pt, inset: 8pt, width: 100%)[", *body, "]", ""]
    elif isinstance(block, Table):
        cells = ", ".join(f"[{_text(c.plain)}]" for row in (block.header, *block.rows)
                          for c in row)
        lines += [f"#table(columns: {len(block.header)}, {cells})", ""]
    elif isinstance(block, Figure):
        image = str(Path(block.image).resolve())  # typst's root is "/"
        lines += [f'#figure(image("{image}", width: 60%), caption: [{_text(block.caption or "")}])',
                  ""]


def _typst_section(section, lines: list[str]) -> None:
    lines += ["=" * section.level + " " + _text(section.heading), ""]
    for block in section.blocks:
        _typst_block(block, lines)
    for sub in section.sections:
        _typst_section(sub, lines)


def typst_source(leaflet: Leaflet, font: str) -> str:
    lines = [
        f'#set document(title: {_text(leaflet.title)[1:]})',
        f'#set text(font: "{font}", size: 13pt, lang: "{leaflet.language[:2]}")',
        '#set page(paper: "a4", margin: 2cm, footer: context [#h(1fr) Page '
        '#counter(page).display() of #counter(page).final().first()])',
        f'#image("{REPO / "templates" / "riverside-trust" / "logo.png"}", width: 16mm)',
        "= " + _text(leaflet.title), ""]
    for section in leaflet.sections:
        _typst_section(section, lines)
    lines += ["== References", ""]
    lines += [f"+ {_text(ref.citation.plain)}" for _, ref in leaflet.ordered_references()]
    return "\n".join(lines) + "\n"


def typst_pdf(source: str, font_dir: str) -> bytes:
    import typst
    return typst.compile(source.encode("utf-8"), root="/", font_paths=[font_dir],
                         ignore_system_fonts=True, timestamp=0)


# ---- WeasyPrint -------------------------------------------------------------------------

def weasyprint_pdf(leaflet: Leaflet, brand, font_file: Path) -> bytes:
    import logging
    import weasyprint
    for name in ("weasyprint", "svglib.svglib"):  # what they skip, e.g. var() colours in SVG
        logging.getLogger(name).setLevel(logging.ERROR)
    from handouts.companion import companion_files
    html = companion_files(leaflet, brand, "standard", False)["html"].decode("utf-8")
    face = (f"@font-face {{ font-family: 'Atkinson Hyperlegible'; "
            f"src: url('{font_file.as_uri()}'); }}")
    return weasyprint.HTML(string=html, base_url=str(REPO)).write_pdf(
        stylesheets=[weasyprint.CSS(string=face)], pdf_variant="pdf/ua-1")


# ---- measuring --------------------------------------------------------------------------

def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def interleaved(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds of each run, the runs taking turns round by round."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, work in runs.items():
            samples[name].append(timed(work))
    return {name: statistics.median(values) for name, values in samples.items()}


def warm_runs(out: Path) -> tuple[dict[str, Callable[[], object]], dict[str, int]]:
    leaflet = anchor()
    brand = Brands(templates_dir_for(REPO / "content.yaml")).get(leaflet.template)
    font = register_family(brand.body_font)
    font_file = Path(brand.body_font.regular)
    source_dict = anchor_source()
    source = typst_source(leaflet, "Atkinson Hyperlegible")
    runs: dict[str, Callable[[], object]] = {
        "floor": lambda: floor_pdf(source_dict, font["regular"], font["bold"]),
        "handouts": lambda: build_leaflet(leaflet, brand, out),
        "typst": lambda: typst_pdf(source, str(font_file.parent)),
        "weasyprint": lambda: weasyprint_pdf(leaflet, brand, font_file),
    }
    sizes = {}
    for name, work in runs.items():  # warm up, and keep each engine's bytes
        made = work()
        sizes[name] = (made.path.stat().st_size if name == "handouts" else len(made))
    return runs, sizes


def _typst_one(job: tuple[str, str, str]) -> None:
    source, font_dir, target = job
    Path(target).write_bytes(typst_pdf(source, font_dir))


def typst_catalogue(content: Path, out: Path, font_dir: str, jobs: int) -> None:
    """typst compiling the catalogue's leaflets, from markup made beforehand (typst's
    users write markup; making it is not typst's cost), on `jobs` processes."""
    leaflets = load_catalogue(content).leaflets
    out.mkdir()
    work = [(typst_source(l, "Atkinson Hyperlegible"), font_dir, str(out / f"{l.id}.pdf"))
            for l in leaflets]
    start = time.perf_counter()  # the pool's start is typst's cost, as handouts' is its own
    # spawn: typst's threads, started in this process by the warm runs, do not survive a fork
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.map(_typst_one, work, chunksize=8)
    return time.perf_counter() - start


# A new process as on a user's machine: Python keeps each module's bytecode (pip compiles
# an installed package's), so a machine that sets PYTHONDONTWRITEBYTECODE would otherwise
# time handouts compiling its own source on every start, and the floor (whose ReportLab
# was compiled at install) not.
COLD_ENV = {name: value for name, value in os.environ.items()
            if name != "PYTHONDONTWRITEBYTECODE"}


def handouts_command(*args: str) -> float:
    def run() -> None:
        done = subprocess.run([sys.executable, "-m", "handouts", *args], cwd=REPO,
                              env=COLD_ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if done.returncode or "Traceback" in done.stderr:
            raise SystemExit(f"handouts {' '.join(args)} failed:\n{done.stderr}")
    return timed(run)


def one_leaflet(root: Path) -> Path:
    """A catalogue of igrt alone, on the example brands: what a cold command reads."""
    shutil.copytree(REPO / "templates", root / "templates")  # copies: links out of a
    shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")  # catalogue
    shutil.copy(REPO / "leaflets" / "igrt.yaml", root / "leaflets" / "igrt.yaml")  # are errors
    content = root / "content.yaml"
    content.write_text("defaults:\n  template: riverside-trust\n  language: en-GB\n"
                       "leaflets:\n  - leaflets/igrt.yaml\n", encoding="utf-8")
    return content


FLOOR_COLD = """
import sys; sys.path.insert(0, {bench!r})
from pathlib import Path
from floor import floor_pdf, load_source
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont("Body", {regular!r}))
pdfmetrics.registerFont(TTFont("Bold", {bold!r}))
Path({target!r}).write_bytes(floor_pdf(load_source(Path({source!r})), "Body", "Bold"))
"""


def cold_runs(temp: Path, rounds: int) -> dict[str, float]:
    """Each command in a new process, one leaflet (the anchor's source, igrt)."""
    brand = Brands(templates_dir_for(REPO / "content.yaml")).get("riverside-trust")
    content = one_leaflet(temp / "one")
    floor = FLOOR_COLD.format(bench=str(REPO / "bench"), regular=str(brand.body_font.regular),
                              bold=str(brand.body_font.bold),
                              source=str(REPO / "leaflets" / "igrt.yaml"),
                              target=str(temp / "floor-cold.pdf"))
    counter = iter(range(10 ** 6))
    runs = {
        "floor": lambda: timed(lambda: subprocess.run([sys.executable, "-c", floor],
                                                      env=COLD_ENV, check=True,
                                                      stderr=subprocess.DEVNULL)),
        "--help": lambda: handouts_command("--help"),
        "validate": lambda: handouts_command("validate", str(content)),
        "build": lambda: handouts_command("build", str(content),
                                          "--out", str(temp / f"cold-{next(counter)}"),
                                          "-q", "--today", TODAY),
        "check": lambda: handouts_command("check", str(content), "--today", TODAY),
    }
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(rounds + 1):  # the first round writes bytecode and the file cache
        for name, work in runs.items():
            took = work()
            if round_:
                samples[name].append(took)
    return {name: statistics.median(values) for name, values in samples.items()}


def catalogue_runs(temp: Path, count: int, font_dir: str, jobs: int) -> dict[str, float]:
    content = make_catalogue(temp / f"catalogue-{count}", count)
    out = temp / f"out-{count}"
    build = ["build", str(content), "--out", str(out), "-q", "--today", TODAY]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures = {"handouts": handouts_command(*build)}
    figures["peak-MiB"] = max(before, resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    figures["no-change"] = handouts_command(*build)
    figures["typst"] = typst_catalogue(content, temp / f"typst-{count}", font_dir, jobs)
    figures["pdfs"] = len(list(out.glob("*.pdf")))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (warm, cold)")
    parser.add_argument("--counts", default="100,1000", help="catalogue sizes")
    parser.add_argument("--markdown", action="store_true", help="the README's table")
    args = parser.parse_args(argv)
    jobs = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="handouts-peers-") as name:
        temp = Path(name)
        runs, sizes = warm_runs(temp)
        warm = interleaved(runs, args.rounds)
        cold = cold_runs(temp, args.rounds)
        font_dir = str(Path(Brands(templates_dir_for(REPO / "content.yaml")).get(
            "riverside-trust").body_font.regular).parent)
        catalogues = {count: catalogue_runs(temp, count, font_dir, jobs)
                      for count in map(int, args.counts.split(","))}
    rows = report(warm, sizes, cold, catalogues, jobs)
    if args.markdown:
        print("| measure | handouts | baseline in the same run |\n|---|---|---|")
        print("\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows))
    else:
        print(f"{args.rounds} rounds, {jobs} cores, medians; ratios are to the baseline")
        print("\n".join(f"  {a:<34} {b:<22} {c}" for a, b, c in rows))
    return 0


def report(warm: dict, sizes: dict, cold: dict, catalogues: dict, jobs: int) -> list:
    floor = warm["floor"]
    rows = [("warm, per leaflet (anchor)",
             f"{warm['handouts'] / floor:.2f}x the floor",
             ", ".join(f"{name} {warm[name] / floor:.2f}x" for name in ("typst", "weasyprint"))
             + f"; floor {floor * 1000:.0f} ms"),
            ("PDF size (anchor)", f"{sizes['handouts'] / 1024:.1f} KB",
             ", ".join(f"{name} {sizes[name] / 1024:.1f} KB"
                       for name in ("typst", "weasyprint", "floor")))]
    for count, figures in catalogues.items():
        rows.append((f"{count} leaflets ({figures['pdfs']} PDFs), {jobs} cores",
                     f"{figures['handouts'] / figures['typst']:.2f}x typst",
                     f"handouts {figures['handouts']:.1f} s, typst {figures['typst']:.1f} s"))
        rows.append((f"no-change rebuild of {count}", f"{figures['no-change']:.2f} s",
                     f"{figures['no-change'] / figures['handouts']:.2f}x its full build"))
    biggest = catalogues[max(catalogues)]
    rows.append((f"peak memory, {max(catalogues)}-leaflet build",
                 f"{biggest['peak-MiB']:.0f} MiB", "largest single process"))
    for command in ("--help", "validate", "build", "check"):
        rows.append((f"cold `handouts {command}`", f"{cold[command] / cold['floor']:.2f}x the "
                     "floor's cold build", f"{cold[command] * 1000:.0f} ms; floor "
                     f"{cold['floor'] * 1000:.0f} ms"))
    return rows


if __name__ == "__main__":
    sys.exit(main())
