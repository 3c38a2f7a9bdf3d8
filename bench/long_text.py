"""Benchmark: layout time against the length of long content (issues 16.4 and 9).

    python bench/long_text.py [--sizes 37 74 148] [--repeat 3]

Builds leaflets through the real CLI and prints each case's time as a ratio to the first
case measured in the same run (one unbroken 37 KB paragraph), never absolute seconds, so
runs on different machines compare. Cases:

- `unbroken N KB`: one paragraph of N thousand 'x' with no space (the fuzzer's case);
- `prose N KB`: one paragraph of sentences with links, N thousand characters;
- `5000-char word in ...`: one 5,000-character word in a paragraph, bullet, heading and
  table caption (in a table cell it is a clean "does not fit its pages" error);
- `table N rows`: a two-column table of N rows.

Linear growth doubles the time when the length doubles ("x size"); ReportLab on its own
breaks the rest of a paragraph again after every page break, which grows with the square
of the length. Each case is timed `--repeat` times and the fastest kept (the machine is
shared; the fastest run is the least disturbed).
"""
from __future__ import annotations

import argparse
import contextlib
import io
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
title: {title}
governance:
  code: PIL-9001
  version: "1"
  author: Bench
  owner: Bench
  published: 2026-01-10
  last_reviewed: 2026-01-10
sections:
  - heading: {heading}
    blocks:
{blocks}
"""
SENTENCE = ("A long sentence about the clinic [with a link](https://www.example.org/a) "
            "that runs on. ")
WORD = "y" * 5000


def leaflet(blocks: str = "      - paragraph: short", heading: str = "Text",
            title: str = "Long content") -> str:
    return LEAFLET.format(title=title, heading=heading, blocks=blocks)


def table(rows: int, caption: str = "") -> str:
    lines = ["      - table:"]
    if caption:
        lines.append(f"          caption: {caption}")
    lines += ["          header: [When, What]", "          rows:"]
    lines += [f"            - [Day {n}, Take one tablet with water]" for n in range(rows)]
    return "\n".join(lines)


def cases(sizes: list[int]) -> dict[str, tuple[str, float | None]]:
    """name -> (leaflet text, size relative to the first case, or None)."""
    first = sizes[0]
    out: dict[str, tuple[str, float | None]] = {}
    for size in sizes:
        out[f"unbroken {size} KB"] = (leaflet(f"      - paragraph: {'x' * size * 1000}"),
                                      size / first)
    for size in sizes:
        prose = SENTENCE * (size * 1000 // len(SENTENCE))
        out[f"prose {size} KB"] = (leaflet(f"      - paragraph: '{prose}'"), size / first)
    out["5000-char word in a paragraph"] = (leaflet(f"      - paragraph: {WORD}"), None)
    out["5000-char word in a bullet"] = (leaflet(f"      - bullets: [{WORD}]"), None)
    out["5000-char word in a heading"] = (leaflet(heading=WORD), None)
    out["5000-char word in a caption"] = (leaflet(table(2, caption=WORD)), None)
    for rows in (1000, 2000):
        out[f"table {rows} rows"] = (leaflet(table(rows)), None)
    return out


def time_build(root: Path, text: str, repeat: int) -> tuple[float, int]:
    """The fastest of `repeat` builds, and the exit code."""
    (root / "leaflets" / "long-text.yaml").write_text(text, encoding="utf-8")
    best, code = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["build", str(root / "content.yaml"), "--out", str(root / "out")])
        best = min(best, time.perf_counter() - start)
    return best, code


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[37, 74, 148],
                        help="text lengths in thousands of characters")
    parser.add_argument("--repeat", type=int, default=3, help="builds per case (fastest kept)")
    args = parser.parse_args()
    os.environ.setdefault("HANDOUTS_TODAY", "2026-11-24")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "leaflets").mkdir()
        shutil.copytree(REPO / "templates", root / "templates")
        (root / "content.yaml").write_text(
            "defaults:\n  template: riverside-trust\n  language: en-GB\nleaflets:\n"
            "  - leaflets/*.yaml\n", encoding="utf-8")
        time_build(root, leaflet(), 1)  # warm-up: imports, fonts
        results = {name: (*time_build(root, text, args.repeat), size)
                   for name, (text, size) in cases(args.sizes).items()}
    base = next(iter(results.values()))[0]
    print(f"{'case':<32} {'x time':>7} {'x size':>7}  exit")
    for name, (seconds, code, size) in results.items():
        size_text = f"{size:7.2f}" if size is not None else " " * 7
        print(f"{name:<32} {seconds / base:7.2f} {size_text}  {code}")
    print(f"(x time: against '{next(iter(results))}' in this run; x size: against the "
          "first size of the same kind)")


if __name__ == "__main__":
    main_bench()
