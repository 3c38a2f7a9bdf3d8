"""The jinja2 environment the pages this tool writes are rendered in (the web companion,
the catalogue page): one home for its settings, with its compiled templates kept between
runs (filecache.template_cache)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .filecache import template_cache


def environment(folder: Path) -> jinja2.Environment:
    """An environment for the templates in `folder`. Everything is autoescaped: titles,
    summaries and content are editors' text (and can be hostile), never markup."""
    settings: dict[str, Any] = dict(autoescape=True, undefined=jinja2.StrictUndefined,
                                    trim_blocks=True, lstrip_blocks=True,
                                    keep_trailing_newline=True)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder),
                              bytecode_cache=template_cache(settings), **settings)
