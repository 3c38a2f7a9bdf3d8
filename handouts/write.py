"""Stage 5, write: PDF bytes -> out/<name>.pdf, atomically.

The bytes go to a temporary file in the same folder, are flushed to disk, and then
replace the target in one step, so out/ never holds a half-written PDF, even if the build
is killed part way.
"""
from __future__ import annotations

import os
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be written: the whole run stops, naming the folder."""

    def __init__(self, folder: Path, reason: str):
        super().__init__(f"cannot write to the output folder {folder}: {reason}")
        self.folder, self.reason = folder, reason


def write_atomic(data: bytes, target: Path, durable: bool = True) -> Path:
    """`durable`: flushed to disk before it replaces the target (outputs); a cache's
    entry, which is only ever made again if lost, need not wait for the disk."""
    target = Path(target)
    try:
        return _write(data, target, durable)
    except OSError as exc:  # read-only, not a folder, disk full: say so of the folder
        blocker = next((p for p in (target.parent, *target.parent.parents)
                        if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror or str(exc)
        raise OutputError(target.parent, reason) from None


def write_if_changed(data: bytes, target: Path) -> Path:
    """write_atomic, unless the file already holds exactly `data`: an output that would be
    the same is neither rebuilt nor rewritten."""
    try:
        if target.read_bytes() == data:
            return target
    except OSError:
        pass
    return write_atomic(data, target)


def _write(data: bytes, target: Path, durable: bool) -> Path:
    import tempfile  # only when writing: 3 ms of a cold `validate`, which writes nothing
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
