"""Hostile content stays inside the project (issue 15): files named by content must
resolve inside the content folder, and the other leaflets still build."""
from __future__ import annotations

import os

import pytest
from PIL import Image

from conftest import MINIMAL, with_blocks

SENTINEL_COLOUR = (1, 2, 3)


def _sentinel_png(folder):
    """An image outside the project whose pixels must never reach a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.png"
    Image.new("RGB", (7, 5), SENTINEL_COLOUR).save(path)
    return path


def _no_output_holds(out, data: bytes) -> None:
    for path in out.rglob("*"):
        if path.is_file():
            assert data not in path.read_bytes(), path


@pytest.mark.parametrize("how", ["absolute", "climb", "symlink"])
def test_a_figure_outside_the_content_folder_is_refused(tmp_path, catalogue, capsys, how):
    secret = _sentinel_png(tmp_path.parent / f"outside-{tmp_path.name}")
    name = {"absolute": str(secret),
            "climb": os.path.relpath(secret, catalogue.root / "leaflets"),
            "symlink": "link.png"}[how]
    if how == "symlink":
        (catalogue.root / "leaflets" / "link.png").symlink_to(secret)
    text = with_blocks(f"- figure: {name}\n  alt: A picture\n")
    catalogue.leaflet(text.replace("id: sample", "id: hostile"), "hostile")
    catalogue.leaflet(MINIMAL, "sample")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    line = text.splitlines().index(f"      - figure: {name}") + 1
    assert f"hostile.yaml:{line}:17: image '{name}' is outside the content folder" in err
    assert (catalogue.out / "sample.pdf").is_file()
    assert not (catalogue.out / "hostile.pdf").exists()
    _no_output_holds(catalogue.out, secret.read_bytes()[-40:])


def test_a_symlink_that_stays_inside_is_followed(catalogue):
    images = catalogue.root / "images"
    images.mkdir()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(images / "real.png")
    (catalogue.root / "leaflets" / "alias.png").symlink_to(images / "real.png")
    catalogue.leaflet(with_blocks("- figure: alias.png\n  alt: A red box\n"))
    assert catalogue.build() == 0


@pytest.mark.parametrize("name, message", [
    ("''", "figure has no file name"),
    ("x" * 300 + ".png", "not a usable file name"),
])
def test_figure_names_that_cannot_be_files_are_errors(catalogue, capsys, name, message):
    catalogue.leaflet(with_blocks(f"- figure: {name}\n  alt: A picture\n"))
    assert catalogue.validate() == 1
    assert message in capsys.readouterr().err


def test_a_device_is_not_read_as_a_leaflet(catalogue, capsys):
    (catalogue.root / "leaflets" / "zero.yaml").symlink_to("/dev/zero")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "is not a regular file" in err or "outside the content folder" in err
    assert (catalogue.out / "sample.pdf").is_file()


@pytest.mark.parametrize("pattern", ["/**/*.yaml", "../**/*.yaml", "/etc/*"])
def test_catalogue_globs_stay_inside_the_content_folder(catalogue, capsys, pattern):
    catalogue.leaflet(MINIMAL)
    catalogue.write_content(f"  - \"{pattern}\"\n")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"content.yaml:7:5: '{pattern}' reaches outside the content folder" in err
    assert (catalogue.out / "sample.pdf").is_file()


@pytest.mark.parametrize("name", ["../..", "/etc", "riverside-trust/../../x", "a" * 300])
def test_a_template_is_a_folder_name_under_templates(catalogue, capsys, name):
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: hostile").replace(
        "summary:", f"template: \"{name}\"\nsummary:"), "hostile")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "is not a folder name under templates/" in err
    assert (catalogue.out / "sample.pdf").is_file()


def test_extends_can_not_leave_templates(catalogue, capsys):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("extends: base", "extends: ../../outside"))
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    assert "template name '../../outside' is not a folder name" in capsys.readouterr().err


def test_a_long_chain_of_extends_is_a_clear_error(catalogue, capsys):
    templates = catalogue.root / "templates"
    for i in range(1200):
        (templates / f"t{i}").mkdir()
        parent = f"t{i + 1}" if i < 1199 else "riverside-trust"
        (templates / f"t{i}" / "brand.yaml").write_text(f"extends: {parent}\n")
    catalogue.leaflet(MINIMAL.replace("summary:", "template: t0\nsummary:"))
    assert catalogue.build() == 1
    assert "extend each other more than 8 deep" in capsys.readouterr().err


def _bomb(path, size=(30_000, 30_000)):
    """A small PNG that decodes to size pixels (mode '1' compresses to almost nothing)."""
    Image.new("1", size).save(path, optimize=True)


@pytest.mark.parametrize("kind", ["text", "truncated", "bomb"])
def test_a_bad_logo_fails_only_its_brand(catalogue, capsys, kind):
    logo = catalogue.root / "templates" / "riverside-trust" / "logo.png"
    if kind == "text":
        logo.write_text("not an image")
    elif kind == "truncated":
        logo.write_bytes(logo.read_bytes()[:200])
    else:
        _bomb(logo)
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "summary:", "template: lakeside-clinic\nsummary:"), "lakeside")
    assert catalogue.validate() == 1
    assert "riverside-trust/brand.yaml:" in capsys.readouterr().err
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "logo.file: 'logo.png' " in err and "Traceback" not in err and ": : None" not in err
    assert (catalogue.out / "lakeside.pdf").is_file()
    assert not (catalogue.out / "sample.pdf").exists()


@pytest.mark.parametrize("kind, message", [
    ("truncated", "is not a readable PNG or JPEG"),
    ("bomb", "megapixels"),
])
def test_a_bad_figure_fails_only_its_leaflet(catalogue, capsys, kind, message):
    images = catalogue.root / "leaflets"
    if kind == "bomb":
        _bomb(images / "picture.png")
    else:
        Image.new("RGB", (400, 300), (10, 120, 200)).save(images / "picture.png")
        data = (images / "picture.png").read_bytes()
        (images / "picture.png").write_bytes(data[:len(data) // 2])
    catalogue.leaflet(with_blocks("- figure: picture.png\n  alt: A picture\n").replace(
        "id: sample", "id: pictured"), "pictured")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "pictured.yaml:" in err and f"'picture.png' " in err and message in err
    assert (catalogue.out / "sample.pdf").is_file()


def test_a_very_long_id_is_a_clear_error(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: " + "a" * 300), "long")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    assert "id is 300 characters long; the limit is 64" in capsys.readouterr().err
    assert (catalogue.out / "sample.pdf").is_file()
