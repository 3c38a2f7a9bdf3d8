"""An output folder that cannot be written is one clear message naming it (issue 16.2)."""
from __future__ import annotations

import errno
import os

import pytest

from conftest import MINIMAL
import handouts.write


def _message(capsys) -> str:
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1, lines
    return lines[0]


def test_out_being_a_file(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.out.write_text("not a folder")
    assert catalogue.build() == 1
    message = _message(capsys)
    assert f"cannot write to the output folder {catalogue.out}: {catalogue.out} is a file, " \
        "not a folder" in message
    assert ".part" not in message and "--out" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_out(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.out.mkdir()
    catalogue.out.chmod(0o500)
    try:
        assert catalogue.build() == 1
    finally:
        catalogue.out.chmod(0o700)
    message = _message(capsys)
    assert f"cannot write to the output folder {catalogue.out}: Permission denied" in message


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_full_or_read_only_disk(catalogue, capsys, monkeypatch, code):
    def refuse(data, target, durable=True):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(handouts.write, "_write", refuse)
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    message = _message(capsys)
    assert message == (f"handouts: cannot write to the output folder {catalogue.out}: "
                       f"{os.strerror(code)} - make it writable, free some space, or choose "
                       "another folder with --out")
