"""Every link the tool writes passes one check (issue 15.4): http, https, mailto, tel only."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL, link_uris
from handouts.links import link_problem


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd",
                                  "data:text/html,<b>x</b>", "vbscript:msgbox", "www.example.org",
                                  "https://", "mailto:", "https://exa mple.org", "tel:"])
def test_unsafe_targets_are_refused(href):
    assert link_problem(href)


@pytest.mark.parametrize("href", ["https://www.nhs.uk/a?b=1", "mailto:team@example.nhs.uk",
                                  "tel:+442079460000", "http://example.org"])
def test_safe_targets_pass(href):
    assert link_problem(href) is None


HOSTILE = [("url", "javascript:alert(1)"), ("url", "file:///etc/passwd"),
           ("url", "data:text/html,hello"), ("url", "vbscript:msgbox(1)"),
           ("url", "www.riverside.example.nhs.uk"), ("email", "javascript:alert(1)")]


@pytest.mark.parametrize("key, value", HOSTILE)
def test_hostile_brand_contact_fields_stop_only_that_brand(catalogue, capsys, key, value):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    lines = brand.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index("contact:\n") + 2  # a new key right under contact:
    lines.insert(line - 1, f"  {key}: '{value}'\n")
    if key == "email":
        lines = [ln for ln in lines if not ln.startswith("  email: patient")]
    brand.write_text("".join(lines), encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other\ntemplate: lakeside-clinic"),
                      "other")
    capsys.readouterr()
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"riverside-trust/brand.yaml:{line}:" in err and f"contact.{key}" in err
    assert not (catalogue.out / "sample.pdf").exists()
    uris = link_uris(catalogue.out / "other.pdf")
    assert uris and all(link_problem(uri) is None for uri in uris)
