"""Leaflet files read before are not read again (content/recall.py): a no-change rebuild
of 1,000 leaflets spent 4 of its 6 s reading and validating YAML. A recalled catalogue
must be exactly what reading the files gives."""
from __future__ import annotations

import os
import shutil

import pytest

import handouts.content.catalogue as catalogue_module
from handouts.content import load_catalogue

from conftest import MINIMAL, REPO


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE", str(folder))
    return folder


@pytest.fixture
def reads(monkeypatch):
    """The leaflet files read_yaml parses (content.yaml and translations are always read)."""
    seen: list[str] = []
    real = catalogue_module.read_yaml

    def counting(path, *args, **kwargs):
        if path.name != "content.yaml" and path.parent.name != "translations":
            seen.append(path.name)
        return real(path, *args, **kwargs)
    monkeypatch.setattr(catalogue_module, "read_yaml", counting)
    return seen


def examples(tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(REPO / "leaflets", root / "leaflets")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "content.yaml", root / "content.yaml")
    return root


def test_a_second_load_reads_no_leaflet_file_and_finds_the_same(tmp_path, cache, reads):
    root = examples(tmp_path)
    first = load_catalogue(root / "content.yaml")
    assert len(reads) == 4
    reads.clear()
    again = load_catalogue(root / "content.yaml")
    assert reads == []
    assert again.leaflets == first.leaflets
    assert [l.where for l in again.leaflets] == [l.where for l in first.leaflets]
    assert again.variants == first.variants and again.problems == first.problems
    assert [t.id for t in again.translations] == [t.id for t in first.translations]


def test_an_edited_leaflet_or_figure_is_read_again(tmp_path, cache, reads):
    root = examples(tmp_path)
    load_catalogue(root / "content.yaml")
    reads.clear()
    igrt = root / "leaflets" / "igrt.yaml"
    igrt.write_text(igrt.read_text(encoding="utf-8").replace(
        "Image-guided radiation therapy (IGRT)", "Image-guided radiotherapy (IGRT)", 1),
        encoding="utf-8")
    found = load_catalogue(root / "content.yaml")
    assert reads == ["igrt.yaml"]
    assert next(l for l in found.leaflets if l.id == "igrt").title == \
        "Image-guided radiotherapy (IGRT)"
    reads.clear()
    figure = root / "leaflets" / "images" / "wound-banner.svg"
    stat = figure.stat()
    os.utime(figure, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    load_catalogue(root / "content.yaml")
    assert reads == ["wound-care.yaml"]


def test_other_defaults_read_every_file_again(tmp_path, cache, reads):
    root = examples(tmp_path)
    load_catalogue(root / "content.yaml")
    reads.clear()
    content = root / "content.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace(
        "review_interval_months: 36", "review_interval_months: 24"), encoding="utf-8")
    load_catalogue(content)
    assert len(reads) == 4


def test_a_leaflet_with_something_to_say_is_read_every_time(catalogue, cache, reads):
    """Only a leaflet with no problem is kept, so its warnings are never lost."""
    catalogue.leaflet(MINIMAL.replace(
        "- bullets: [First point, Second point]",
        "- paragraph: Read more [here](https://www.nhs.uk/tests-and-treatments/)."))
    first = load_catalogue(catalogue.root / "content.yaml")
    assert first.problems
    load_catalogue(catalogue.root / "content.yaml")
    assert reads == ["sample.yaml", "sample.yaml"]
    assert load_catalogue(catalogue.root / "content.yaml").problems == first.problems


def test_no_cache_keeps_nothing(tmp_path, monkeypatch, reads):
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    root = examples(tmp_path)
    load_catalogue(root / "content.yaml")
    load_catalogue(root / "content.yaml")
    assert len(reads) == 8
