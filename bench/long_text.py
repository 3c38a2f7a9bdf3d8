"""Benchmark: layout time against the length of one unbroken string (issue 16 case 4).

    python bench/long_text.py [--sizes 37 74 148]

Builds a leaflet holding one paragraph of N thousand 'x' characters with no space (the
fuzzer's case) through the real CLI, for each size, and prints the time and the ratio to
the first size. Linear growth doubles the time when the text doubles; ReportLab on its
own breaks the rest of a paragraph again after every page break, which grows with the
square of the length.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from handouts.cli import main  # noqa: E402

LEAFLET = """\
id: long-text
title: One very long word
governance:
  code: PIL-9001
  version: "1"
  author: Bench
  owner: Bench
  published: 2026-01-10
  last_reviewed: 2026-01-10
sections:
  - heading: Text
    blocks:
      - paragraph: {text}
"""


def time_build(root: Path, kilobytes: int) -> float:
    (root / "leaflets" / "long-text.yaml").write_text(
        LEAFLET.format(text="x" * (kilobytes * 1000)), encoding="utf-8")
    start = time.perf_counter()
    code = main(["build", str(root / "content.yaml"), "--out", str(root / "out")])
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"build failed for {kilobytes} KB (exit {code})")
    return elapsed


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[37, 74, 148],
                        help="text lengths in thousands of characters")
    args = parser.parse_args()
    os.environ.setdefault("HANDOUTS_TODAY", "2026-11-24")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "leaflets").mkdir()
        shutil.copytree(REPO / "templates", root / "templates")
        (root / "content.yaml").write_text(
            "defaults:\n  template: riverside-trust\n  language: en-GB\nleaflets:\n"
            "  - leaflets/*.yaml\n", encoding="utf-8")
        time_build(root, 1)  # warm-up: imports, fonts
        times = {size: time_build(root, size) for size in args.sizes}
    first = args.sizes[0]
    print(f"{'size':>8} {'seconds':>8} {'x time':>7} {'x size':>7}")
    for size, seconds in times.items():
        print(f"{size:>6}KB {seconds:8.2f} {seconds / times[first]:7.2f} {size / first:7.2f}")


if __name__ == "__main__":
    main_bench()
