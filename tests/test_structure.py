"""Structure that keeps one home for each rule (issue 9): `check` and `register` judge
leaflets without the build pipeline, so they can never depend on what a build did."""
from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["handouts.check", "handouts.register"])
def test_check_and_register_do_not_import_the_build(module):
    """A fresh interpreter, so no other test's imports count."""
    probe = (f"import sys, {module}; "
             "print(' '.join(sorted(m for m in sys.modules if m.startswith('handouts'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    loaded = done.stdout.split()
    assert module in loaded  # the probe saw the package at all
    assert "handouts.build" not in loaded, loaded
