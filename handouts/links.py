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


def _host(href: str) -> str | None:
    try:
        return urlsplit(href).hostname
    except ValueError:  # e.g. an unclosed '[' read as an IPv6 address: no usable host
        return None


# Names reserved for examples and tests (RFC 2606, RFC 6761): a source there is a placeholder.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net", "example", "test",
                       "invalid", "localhost")


def placeholder_host(href: str) -> str | None:
    """The reserved host name `href` points at, or None for a real address."""
    host = (_host(href) or "").rstrip(".").lower()
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
    if scheme in ("http", "https") and not _host(href):
        return f"link target {href!r} has no host name"
    if scheme == "mailto" and "@" not in rest:
        return f"link target {href!r} has no email address"
    if scheme == "tel" and not rest.strip("+"):
        return f"link target {href!r} has no phone number"
    return None


CONTACT_LINK_HINTS = {"url": "write the full web address, e.g. https://www.example.nhs.uk",
                      "email": "write just the address, e.g. team@example.nhs.uk"}


def contact_link_problem(key: str, value: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) with a contact card's `url` or `email`, or None.

    Both become links on the card (the email as mailto:), so they pass link_problem; a url
    must also be a web page and an email a bare address, not another kind of link.
    """
    if key == "url":
        problem = link_problem(value) or (None if link_scheme(value) in ("http", "https")
                                          else f"'{value}' is not a web address")
    else:
        problem = link_problem(f"mailto:{value}") or (
            f"{value!r} is not an email address" if ":" in value else None)
    return (problem, CONTACT_LINK_HINTS[key]) if problem else None
