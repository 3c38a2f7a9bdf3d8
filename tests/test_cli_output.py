"""The command summaries: counted nouns in the right number, and a quiet end when the
reader of stdout (`| head -1`) goes away early."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import MINIMAL
from handouts.words import counted


def test_counted_says_one_in_the_singular():
    assert [counted(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]


def test_check_summary_uses_the_singular_for_one(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    from handouts.cli import main
    main(["check", str(catalogue.root / "content.yaml")])
    summary = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert summary.startswith("1 leaflet checked: ")
    assert "1 leaflets" not in summary and "1 errors" not in summary \
        and "1 warnings" not in summary


def test_a_closed_stdout_pipe_ends_quietly(catalogue):
    """`handouts validate | head -0`: the reader has gone before anything is written. The
    read end is closed first, so every write fails the same way on every run."""
    catalogue.leaflet(MINIMAL)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "handouts.cli", "validate",
                               str(catalogue.root / "content.yaml")],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert done.stderr == ""  # no traceback, no "Exception ignored ... BrokenPipeError"
    assert done.returncode == 0
