"""An unfilled `handouts new` file is not a finished leaflet (issue 9.7)."""
from __future__ import annotations

import re

import pytest

from conftest import MINIMAL
from handouts.cli import main


def test_an_unfilled_new_leaflet_fails_validate_check_and_build(catalogue, capsys):
    assert main(["new", "knee-surgery", "--dir", str(catalogue.root / "leaflets")]) == 0
    catalogue.leaflet(MINIMAL)
    capsys.readouterr()
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert "code PIL-0000 is the placeholder of a new leaflet" in err
    assert "'Write the leaflet title here' is placeholder text from 'handouts new'" in err
    assert "'Your department' is placeholder text" in err
    assert "reference url 'https://www.example.org/source' is a placeholder" in err
    assert main(["check", str(catalogue.root / "content.yaml"), "--strict"]) == 1
    capsys.readouterr()
    assert catalogue.build() == 1
    assert not (catalogue.out / "knee-surgery.pdf").exists()
    assert (catalogue.out / "sample.pdf").is_file()


def test_filled_leaflets_pass(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 0


@pytest.mark.parametrize("url", ["https://www.example.org/samples", "http://example.com",
                                 "https://docs.example.net/a", "https://clinic.test/page",
                                 "https://EXAMPLE.ORG./x"])
def test_a_reference_to_a_reserved_example_domain_is_an_error(catalogue, capsys, url):
    catalogue.leaflet(MINIMAL.replace("https://www.nhs.uk/tests-and-treatments/blood-tests/",
                                      url))
    capsys.readouterr()
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert re.search(r"sample\.yaml:\d+:\d+: reference url .* is a placeholder", err)
    assert main(["check", str(catalogue.root / "content.yaml")]) == 1
    assert catalogue.build() == 1 and not (catalogue.out / "sample.pdf").exists()


def test_a_real_address_that_only_mentions_example_passes(catalogue):
    catalogue.leaflet(MINIMAL.replace("https://www.nhs.uk/tests-and-treatments/blood-tests/",
                                      "https://www.example-hospital.nhs.uk/leaflets"))
    assert catalogue.validate() == 0
