"""Benchmark: a catalogue-sized build, parallel and incremental, as ratios in one run.

    .venv/bin/python bench/catalogue.py [N]      (default N = 40 leaflets)

Copies the example leaflets N times (new ids, same text) into a temporary catalogue, then
times, interleaved over --rounds rounds so machine noise hits each alike:
  jobs-1      a full build on one process (the baseline)
  jobs-all    the same full build on every core (--jobs, default)
  no-change   a second build over the first one's output (nothing to rebuild)
  dask        the full build as Dask tasks on a local cluster of every core
              (--executor dask; needs `pip install -e '.[dask]'`)
and prints each as a ratio to jobs-1, with each build's cost in core-seconds per PDF and
what 12 million PDFs would take at that rate (the cluster estimate in docs/scale.md). The cost of imports and of the catalogue page is in
every figure, as a user sees it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HANDOUTS = [sys.executable, "-m", "handouts"]


def make_catalogue(root: Path, count: int) -> Path:
    """`count` leaflets: the examples copied under new ids, all on the example brands."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
    sources = sorted((REPO / "leaflets").glob("*.yaml"))
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        first_id = next(line for line in text.splitlines() if line.startswith("id:"))
        text = text.replace(first_id, f"{first_id}-{n}", 1)
        (root / "leaflets" / f"{source.stem}-{n}.yaml").write_text(text, encoding="utf-8")
    content = root / "content.yaml"
    content.write_text("defaults:\n  template: riverside-trust\n  language: en-GB\n"
                       "leaflets:\n  - leaflets/*.yaml\n", encoding="utf-8")
    return content


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([*HANDOUTS, *args], check=True, stdout=subprocess.DEVNULL, cwd=REPO)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    times: dict[str, list[float]] = {"jobs-1": [], "jobs-all": [], "no-change": [],
                                     "dask": []}
    with tempfile.TemporaryDirectory() as temp:
        content = make_catalogue(Path(temp), options.count)
        for round_ in range(options.rounds):
            for name in times:
                out = Path(temp) / f"out-{name}-{round_}"
                if name == "no-change":
                    out = Path(temp) / f"out-jobs-all-{round_}"  # built just before
                jobs = {"jobs-1": ["--jobs", "1"], "dask": ["--executor", "dask"]}.get(name, [])
                times[name].append(timed(["build", str(content), "--out", str(out), "-q",
                                          "--today", "2026-11-24", *jobs]))
        pdfs = len(list((Path(temp) / "out-jobs-1-0").glob("*.pdf")))
    base = statistics.median(times["jobs-1"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{options.count} leaflets, {options.rounds} rounds, {cores} cores; "
          "ratios to the one-process build in the same run")
    for name, values in times.items():
        used = 1 if name == "jobs-1" else cores or 1
        per_pdf = statistics.median(values) * used / pdfs
        print(f"  {name:<10} {statistics.median(values) / base:5.2f}x   "
              f"{per_pdf:6.3f} core-s per PDF, {per_pdf * 12e6 / 3600:8.0f} core-hours "
              "for 12 million")


if __name__ == "__main__":
    main()
