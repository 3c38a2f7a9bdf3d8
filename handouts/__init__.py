"""handouts: patient leaflets written in YAML, built into branded, accessible PDF leaflets.

The pipeline, one module per stage: load (YAML with positions) -> content (validation)
-> model (frozen leaflets) -> layout (flowables and structure) -> render (tagged PDF
bytes) -> write (atomic). build.py runs it per leaflet; cli.py is the command line.

Python use: `handouts.build.build(content_path, out_dir)` returns a BuildReport; the stage
functions can be called one by one (see build.render_leaflet).
"""
from .errors import ContentError, HandoutsError, Problem, RenderError, TemplateError

__all__ = ["HandoutsError", "ContentError", "TemplateError", "RenderError", "Problem"]
