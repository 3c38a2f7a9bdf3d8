"""Cold start (issue 12.5): `handouts --help` loads none of the layout or PDF libraries."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("reportlab", "pikepdf", "pypdf", "pypdfium2", "uharfbuzz", "PIL", "fontTools",
         "textstat", "jinja2")


def test_help_imports_no_layout_or_pdf_library():
    probe = ("import sys\n"
             "from handouts.cli import main\n"
             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             f"print([m for m in {HEAVY!r} if m in sys.modules])\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert "usage: handouts" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"
