"""Inline Markdown (bold, italic, links, citations) -> a flat tuple of styled spans.

Uses markdown-it-py with only the inline rules editors need. Raw HTML is off, so `<`, `>`
and `&` are ordinary characters. Citations `[@id]` / `[@a; @b]` are a small markdown-it
rule of our own, because they are not Markdown.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .links import ALLOWED_SCHEMES, link_scheme  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Span:
    """A run of text with one style; `cites` marks a citation, `href` a link."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    href: str | None = None
    cites: tuple[str, ...] = ()
    lang: str | None = None  # marked by the editor: [Juan García]{lang=es}


@dataclass(frozen=True)
class Rich:
    """Inline text as written (`source`) and as parsed (`spans`)."""

    source: str
    spans: tuple[Span, ...] = field(default=())
    empty_links: tuple[str, ...] = ()  # the targets of links with no words ('[](url)')

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    def links(self) -> list[Span]:
        return [s for s in self.spans if s.href]

    def languages(self) -> list[str]:
        return [s.lang for s in self.spans if s.lang]

    def citations(self) -> list[str]:
        return [ref for s in self.spans for ref in s.cites]


def _citation_rule(state, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("[@", start):
        return False
    end = src.find("]", start)
    if end < 0:
        return False
    parts = [p.strip() for p in src[start + 1:end].split(";")]
    if not all(p.startswith("@") and len(p) > 1 for p in parts):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"ids": tuple(p[1:] for p in parts)}
    state.pos = end + 1
    return True


@cache  # made at the first parse: a leaflet recalled from the cache needs no parser (15 ms)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    md = MarkdownIt("zero").enable(["emphasis", "link", "escape", "newline"])
    md.inline.ruler.before("link", "citation", _citation_rule)
    # [text]{lang=es}: a span in another language (tagged with /Lang for screen readers)
    md.use(attrs_plugin, spans=True, after=("link_close",))
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we explain bad schemes
    return md



def parse_inline(source: str) -> Rich:
    """Parse one piece of inline text. Never raises for any input string."""
    spans: list[Span] = []
    bold = italic = 0
    href = None
    langs: list[str | None] = []
    empty: list[str] = []
    shown = False  # whether the open link shows anything yet
    for token in _parser().parseInline(source.strip())[0].children or []:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            target = token.attrGet("href")
            href, shown = None if target is None else str(target), False
        elif kind == "link_close":
            if href is not None and not shown:
                empty.append(href)
            href = None
        elif kind == "span_open":
            langs.append(str(token.attrs.get("lang", "")) or None)
        elif kind == "span_close":
            langs.pop()
        elif kind == "citation":
            spans.append(Span(cites=token.meta["ids"]))
        elif kind in ("softbreak", "hardbreak", "text", "code_inline"):
            text = " " if kind.endswith("break") else token.content
            lang = next((str(l) for l in reversed(langs) if l), None)
            if text:
                spans.append(Span(text, bold > 0, italic > 0, href, lang=lang))
                shown = shown or bool(href) and _visible(text)
    return Rich(source, tuple(_merge(spans)), tuple(empty))


def _visible(text: str) -> bool:
    """Whether `text` prints anything: not only spaces and invisible characters (a zero
    width space, a soft hyphen, a joiner, a control character)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs")
               for ch in text)


def _merge(spans: list[Span]):
    """Join neighbouring spans of the same style, so each link is one span."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        style = (span.bold, span.italic, span.href, span.lang)
        if last and not span.cites and not last.cites and \
                (last.bold, last.italic, last.href, last.lang) == style:
            merged[-1] = Span(last.text + span.text, *style[:3], lang=span.lang)
        else:
            merged.append(span)
    return merged
