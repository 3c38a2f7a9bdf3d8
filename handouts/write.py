"""Stage 5, write: PDF bytes -> out/<name>.pdf, atomically.

The bytes go to a temporary file in the same folder, are flushed to disk, and then
replace the target in one step, so out/ never holds a half-written PDF, even if the build
is killed part way.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(data: bytes, target: Path) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
