"""The command summaries: counted nouns in the right number, and a quiet end when the
reader of stdout (`| head -1`) goes away early."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import MINIMAL, assert_rest_built
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


@pytest.mark.parametrize("buffered", [True, False])
def test_a_closed_stdout_pipe_ends_a_build_quietly_and_complete(catalogue, buffered):
    """`handouts build | head -1`: the reader is gone before the first line. Unbuffered,
    the very first progress line fails; the build still finishes every leaflet and the
    catalogue page, and says nothing about the pipe."""
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: second"), "second")
    env = dict(os.environ, PYTHONUNBUFFERED="" if buffered else "1")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "handouts.cli", "build",
                               str(catalogue.root / "content.yaml"), "--out",
                               str(catalogue.out)],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=env,
                              timeout=180)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0
    assert_rest_built(catalogue.out, "sample", "second")


@pytest.mark.parametrize("command", ["build", "validate", "check"])
def test_a_closed_stdout_pipe_keeps_the_errors_and_the_exit_code(catalogue, command):
    """`handouts build | grep -q built`: the reader may go before the first line. The
    problems still reach stderr and the exit code still says the run failed."""
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: broken").replace(
        "summary:", "sumary:"), "broken")
    read_end, write_end = os.pipe()
    os.close(read_end)
    extra = ["--out", str(catalogue.out)] if command == "build" else []
    try:
        done = subprocess.run([sys.executable, "-m", "handouts.cli", command,
                               str(catalogue.root / "content.yaml"), *extra],
                              stdout=write_end, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONUNBUFFERED="1"), timeout=180)
    finally:
        os.close(write_end)
    if command != "check":  # check reports its problems on stdout, with the rest
        assert "broken.yaml:3:1: unknown key 'sumary'" in done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.returncode == 1
    if command == "build":
        assert_rest_built(catalogue.out)
