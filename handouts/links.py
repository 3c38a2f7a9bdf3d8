"""The one check every link target the tool writes goes through (issue 15.4).

Only http, https, mailto and tel may become clickable in a PDF: a leaflet is emailed to
patients, so a `javascript:` or `file:` link must never reach it from any field.
"""
from __future__ import annotations

from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")


def link_scheme(href: str) -> str:
    head, sep, _ = href.partition(":")
    return head.lower() if sep else ""


# Names reserved for examples and tests (RFC 2606, RFC 6761): a source there is a placeholder.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net", "example", "test",
                       "invalid", "localhost")


def placeholder_host(href: str) -> str | None:
    """The reserved host name `href` points at, or None for a real address."""
    try:
        host = (urlsplit(href).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    return next((host for domain in PLACEHOLDER_DOMAINS
                 if host == domain or host.endswith("." + domain)), None)


def link_problem(href: str) -> str | None:
    """Why `href` may not be a link target, or None when it is safe."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in href):
        return f"link target {href!r} contains spaces or control characters"
    scheme = link_scheme(href)
    if scheme not in ALLOWED_SCHEMES:
        used = repr(scheme + ":") if scheme else "no scheme"
        return f"link '{href}' uses {used}, which is not allowed"
    rest = href.partition(":")[2]
    if scheme in ("http", "https") and not urlsplit(href).hostname:
        return f"link target {href!r} has no host name"
    if scheme == "mailto" and "@" not in rest:
        return f"link target {href!r} has no email address"
    if scheme == "tel" and not rest.strip("+"):
        return f"link target {href!r} has no phone number"
    return None
