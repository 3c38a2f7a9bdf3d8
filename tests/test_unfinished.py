"""An unfilled `handouts new` file is not a finished leaflet (issue 9.7)."""
from __future__ import annotations

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
    assert main(["check", str(catalogue.root / "content.yaml"), "--strict"]) == 1
    capsys.readouterr()
    assert catalogue.build() == 1
    assert not (catalogue.out / "knee-surgery.pdf").exists()
    assert (catalogue.out / "sample.pdf").is_file()


def test_filled_leaflets_pass(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 0
