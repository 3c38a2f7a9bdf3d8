"""Fonts and languages: each brand prints in its own font, whatever its file is called."""
from __future__ import annotations

import shutil
from pathlib import Path

import fontpkg
import pikepdf
import pytest

from handouts.cli import main

from conftest import MINIMAL


def _regular_file(family: str) -> Path:
    return Path(fontpkg.select_file(fontpkg.family(family), 400, "normal").path)


def _font_names(pdf_path: Path) -> set[str]:
    """Embedded font names without the subset prefix (ABCDEF+Name)."""
    names = set()
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                names.add(str(obj["/FontName"])[1:].split("+")[-1])
    return names


def test_two_brands_with_same_font_file_name_each_print_in_their_own(tmp_path):
    for brand, family in (("alpha", "Fira Sans"), ("beta", "Atkinson Hyperlegible")):
        folder = tmp_path / "templates" / brand
        folder.mkdir(parents=True)
        shutil.copy(_regular_file(family), folder / "Brand-Regular.ttf")
        (folder / "brand.yaml").write_text(
            f"extends: base\norganisation: {brand} clinic\nfonts:\n  body: Brand-Regular.ttf\n")
    shutil.copytree(Path(__file__).resolve().parents[1] / "templates" / "base",
                    tmp_path / "templates" / "base")
    leaflets = [MINIMAL.replace("id: sample", f"id: {b}\ntemplate: {b}") for b in ("alpha", "beta")]
    body = "".join("  - " + text.replace("\n", "\n    ").rstrip() + "\n" for text in leaflets)
    (tmp_path / "content.yaml").write_text(
        "defaults:\n  template: alpha\nleaflets:\n" + body)
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "content.yaml"), "--out", str(out)]) == 0
    alpha, beta = _font_names(out / "alpha.pdf"), _font_names(out / "beta.pdf")
    assert any("FiraSans" in n for n in alpha) and not any("Atkinson" in n for n in alpha)
    assert any("Atkinson" in n for n in beta) and not any("FiraSans" in n for n in beta)
    first = (out / "beta.pdf").read_bytes()
    assert main(["build", str(tmp_path / "content.yaml"), "--out", str(out)]) == 0
    assert (out / "beta.pdf").read_bytes() == first


@pytest.mark.parametrize("tag, hint", [
    ("en-UK", "did you mean en-GB?"), ("xx", "write a BCP 47 tag"), ("english", "write a BCP 47 tag"),
    ("zz-GB", "write a BCP 47 tag"),
])
def test_unregistered_language_tags_are_errors(catalogue, capsys, tag, hint):
    text = MINIMAL.replace("summary:", f"language: {tag}\nsummary:")
    catalogue.leaflet(text)
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert f"sample.yaml:3:11: '{tag}' is not a registered language tag - {hint}" in err


@pytest.mark.parametrize("tag", ["prs", "fa-AF", "ckb", "zh-Hant", "sr-Latn", "es-419", "en-GB"])
def test_registered_language_tags_pass(catalogue, tag):
    catalogue.leaflet(MINIMAL.replace("summary:", f"language: {tag}\nsummary:"))
    assert catalogue.validate() == 0


def test_span_language_tags_are_checked_too(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("A sample helps", "A sample [hola]{lang=sp} helps"))
    assert catalogue.validate() == 1
    assert "'sp' is not a registered language tag (in {lang=sp})" in capsys.readouterr().err
