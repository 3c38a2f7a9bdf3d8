"""handouts: patient leaflets written in YAML, built into branded, accessible PDF leaflets.

The pipeline, one module per stage: load (YAML with positions) -> content (validation)
-> model (frozen leaflets) -> layout (flowables and structure) -> render (tagged PDF
bytes) -> write (atomic). build.py runs it per leaflet; cli.py is the command line.

Python use: `handouts.build.build(content_path, out_dir)` returns a BuildReport; the stage
functions can be called one by one (see build.render_leaflet).
"""
from .errors import ContentError, HandoutsError, Problem, RenderError, TemplateError

# The package's version (pyproject.toml reads it from here). outputs.tool_version puts it
# in every key: read from the package's metadata, importlib.metadata cost a cold
# `validate` 20 ms.
__version__ = "0.1.0"

__all__ = ["HandoutsError", "ContentError", "TemplateError", "RenderError", "Problem",
           "__version__"]
