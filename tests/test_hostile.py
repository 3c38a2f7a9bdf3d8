"""Hostile content stays inside the project (issue 15): files named by content must
resolve inside the content folder, and the other leaflets still build."""
from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import MINIMAL, Catalogue, assert_rest_built, page_texts, with_blocks

SENTINEL_COLOUR = (1, 2, 3)
SENTINEL_TEXT = "SENTINEL-XYZ"  # written only in files outside the project


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


def _no_output_says(out, messages: str, text: str = SENTINEL_TEXT) -> None:
    """text is in no message, no file in out/ and no PDF's extracted text (PDF streams are
    compressed, so their bytes alone would prove nothing)."""
    assert text not in messages
    _no_output_holds(out, text.encode())
    for pdf in out.glob("*.pdf"):
        assert text not in " ".join(page_texts(pdf)), pdf


def _pdf_image_sizes(out) -> set[tuple[int, int]]:
    """(width, height) of every image in every PDF in out/."""
    sizes = set()
    for path in out.glob("*.pdf"):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for image in page.get_images().values():
                    sizes.add((int(image.Width), int(image.Height)))
    return sizes


@pytest.fixture
def project(tmp_path) -> Catalogue:
    """A catalogue one folder down, so that files 'outside' it are still this test's own."""
    (tmp_path / "project").mkdir()
    return Catalogue(tmp_path / "project")


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every YAML file and image the loaders open, resolved, in order."""
    from handouts import assets, load
    seen: list[Path] = []

    def spying(real):
        def spy(path, *args, **kwargs):
            seen.append(Path(path).resolve())
            return real(path, *args, **kwargs)
        return spy
    monkeypatch.setattr(load, "read_text_file", spying(load.read_text_file))
    monkeypatch.setattr(assets, "image_problem", spying(assets.image_problem))
    return seen


def _sentinel_brand(folder: Path) -> Path:
    """A brand.yaml outside templates/ whose text must never be read or printed."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "brand.yaml"
    path.write_text(f"extends: riverside-trust\norganisation: {SENTINEL_TEXT}\n"
                    f"footer_text: {SENTINEL_TEXT}\n", encoding="utf-8")
    return path.resolve()


def _hostile(text: str = MINIMAL) -> str:
    """A leaflet with its own id, to stand beside the good `sample`."""
    return text.replace("id: sample", "id: hostile")


# 15.1: files named by content stay inside their folder

@pytest.mark.parametrize("how", ["absolute", "climb", "symlink"])
def test_a_figure_outside_the_content_folder_is_refused(tmp_path, catalogue, capsys, how):
    secret = _sentinel_png(tmp_path.parent / f"outside-{tmp_path.name}")
    name = {"absolute": str(secret),
            "climb": os.path.relpath(secret, catalogue.root / "leaflets"),
            "symlink": "link.png"}[how]
    if how == "symlink":
        (catalogue.root / "leaflets" / "link.png").symlink_to(secret)
    text = with_blocks(f"- figure: {name}\n  alt: A picture\n")
    catalogue.leaflet(_hostile(text), "hostile")
    catalogue.leaflet(MINIMAL, "sample")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    line = text.splitlines().index(f"      - figure: {name}") + 1
    assert f"hostile.yaml:{line}:17: image '{name}' is outside the content folder" in err
    assert_rest_built(catalogue.out)
    assert not (catalogue.out / "hostile.pdf").exists()
    _no_output_holds(catalogue.out, secret.read_bytes()[-40:])
    assert (7, 5) not in _pdf_image_sizes(catalogue.out)


def test_a_symlink_that_stays_inside_is_followed(catalogue):
    images = catalogue.root / "images"
    images.mkdir()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(images / "real.png")
    (catalogue.root / "leaflets" / "alias.png").symlink_to(images / "real.png")
    catalogue.leaflet(with_blocks("- figure: alias.png\n  alt: A red box\n"))
    assert catalogue.build() == 0
    assert (40, 30) in _pdf_image_sizes(catalogue.out)


@pytest.mark.parametrize("how", ["absolute", "climb", "symlink"])
def test_a_logo_outside_the_template_folder_is_refused(tmp_path, project, capsys, reads, how):
    secret = _sentinel_png(tmp_path).resolve()  # beside the project, not in it
    folder = project.root / "templates" / "riverside-trust"
    name = {"absolute": str(secret), "climb": "../../../secret.png", "symlink": "link.png"}[how]
    if how == "symlink":
        (folder / "link.png").symlink_to(secret)
    brand = folder / "brand.yaml"
    brand.write_text(brand.read_text().replace("  file: logo.png", f"  file: {name}"))
    project.leaflet(MINIMAL)
    project.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "summary:", "template: lakeside-clinic\nsummary:"), "lakeside")
    assert project.build() == 1
    err = capsys.readouterr().err
    assert f"riverside-trust/brand.yaml:6:9: logo.file: '{name}' is outside the template " \
        "folder" in err
    assert_rest_built(project.out, "lakeside")
    assert not (project.out / "sample.pdf").exists()
    assert secret not in reads
    assert (7, 5) not in _pdf_image_sizes(project.out)


@pytest.mark.parametrize("name, message", [
    ("''", "figure has no file name"),
    ("x" * 300 + ".png", "the figure's file name is not a usable file name"),
    ("é" * 140 + ".png", "the figure's file name is not a usable file name"),  # 284 bytes
    ('"a\\0b.png"', "the text holds the invisible character U+0000"),
])
def test_figure_names_that_cannot_be_files_are_errors(catalogue, capsys, name, message):
    text = with_blocks(f"- figure: {name}\n  alt: A picture\n")
    catalogue.leaflet(_hostile(text), "hostile")
    catalogue.leaflet(MINIMAL)
    where = f"hostile.yaml:{text.splitlines().index(f'      - figure: {name}') + 1}:17: "
    assert catalogue.validate() == 1
    assert where + message in capsys.readouterr().err
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert where + message in err and "Traceback" not in err
    assert_rest_built(catalogue.out)


def test_a_device_is_not_read_as_a_leaflet(catalogue, capsys):
    (catalogue.root / "leaflets" / "zero.yaml").symlink_to("/dev/zero")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "is not a regular file" in err or "outside the content folder" in err
    assert_rest_built(catalogue.out)


@contextlib.contextmanager
def _give_up_after(seconds: int):
    """Fail the test, instead of hanging the suite, if opening a pipe blocks."""
    def stop(signum, frame):
        raise TimeoutError("the build blocked reading a named pipe")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_named_pipe_inside_the_folder_is_not_read_as_a_leaflet(catalogue, capsys):
    """Inside the content folder, so the regular-file check (not containment) refuses it."""
    os.mkfifo(catalogue.root / "leaflets" / "pipe.yaml")
    catalogue.leaflet(MINIMAL)
    with _give_up_after(60):
        assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "pipe.yaml:1:1: this file is not a regular file (a device, pipe or socket)" in err
    assert_rest_built(catalogue.out)


# An image that exists but is a pipe was reported "not found": no hang, but a wrong fact.
@pytest.mark.parametrize("kind", ["figure", "logo"])
def test_a_named_pipe_image_is_not_called_missing(catalogue, capsys, kind):
    if kind == "figure":
        os.mkfifo(catalogue.root / "leaflets" / "pipe.png")
        catalogue.leaflet(_hostile(with_blocks("- figure: pipe.png\n  alt: A picture\n")),
                          "hostile")
    else:
        folder = catalogue.root / "templates" / "lakeside-clinic"
        os.mkfifo(folder / "pipe.png")
        brand = folder / "brand.yaml"
        brand.write_text(brand.read_text().replace("  file: logo.png", "  file: pipe.png"))
        catalogue.leaflet(_hostile().replace("summary:", "template: lakeside-clinic\nsummary:"),
                          "hostile")
    catalogue.leaflet(MINIMAL)
    with _give_up_after(60):
        assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert_rest_built(catalogue.out)
    assert "not found" not in err and "pipe.png' is not a regular file" in err, err


@pytest.mark.parametrize("folder, entry", [("sub.yaml", ""), ("sub", "  - leaflets/sub\n")])
def test_a_leaflets_entry_that_is_a_folder_says_so(catalogue, capsys, folder, entry):
    """A folder matched by leaflets/*.yaml, and a folder named on its own."""
    (catalogue.root / "leaflets" / folder).mkdir()
    catalogue.leaflet(MINIMAL)
    catalogue.write_content(entry)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"{folder}:1:1: this is a folder, not a file - name a YAML file, or the files in " \
        f"this folder with a glob such as 'leaflets/{folder}/*.yaml'" in err
    assert "permissions" not in err
    assert_rest_built(catalogue.out)


# 15.3: catalogue globs stay inside the content folder, and are bounded

@pytest.mark.parametrize("pattern", ["/**/*.yaml", "../**/*.yaml", "/etc/*",
                                     "leaflets/../../*.yaml"])
def test_catalogue_globs_stay_inside_the_content_folder(tmp_path, project, capsys, reads,
                                                        pattern):
    secret = tmp_path / "secret.yaml"  # beside the project: '../*.yaml' would match it
    secret.write_text(MINIMAL.replace("id: sample", "id: secret").replace(
        "title: Having a sample test", f"title: {SENTINEL_TEXT}"), encoding="utf-8")
    project.leaflet(MINIMAL)
    project.write_content(f"  - \"{pattern}\"\n")
    assert project.build() == 1
    captured = capsys.readouterr()
    assert f"content.yaml:7:5: '{pattern}' reaches outside the content folder" in captured.err
    assert_rest_built(project.out)
    assert secret.resolve() not in reads
    _no_output_says(project.out, captured.out + captured.err)


def test_a_glob_matching_more_than_2000_files_is_refused_unread(catalogue, capsys, reads):
    many = catalogue.root / "many"
    many.mkdir()
    for i in range(2001):  # empty: the cap is checked before any file is read
        (many / f"f{i:04}.yaml").touch()
    catalogue.leaflet(MINIMAL)
    catalogue.write_content("  - many/*.yaml\n")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "content.yaml:7:5: 'many/*.yaml' matches more than 2000 files - name the leaflet " \
        "folder more narrowly" in err
    assert len(err.splitlines()) == 1, err.splitlines()[:3]
    assert not any(path.parent.name == "many" for path in reads)
    assert_rest_built(catalogue.out)


# 15.2: template and extends names are folder names under templates/

@pytest.mark.parametrize("name", ["..", "../..", "/etc", "riverside-trust/../../x", "a" * 300])
def test_a_template_is_a_folder_name_under_templates(project, capsys, reads, name):
    templates = project.root / "templates"
    outside = (templates / name / "brand.yaml").resolve() if len(name) < 255 else None
    if outside and outside.is_relative_to(project.root.parent) and outside.parent != templates:
        _sentinel_brand(outside.parent)
    project.leaflet(_hostile(MINIMAL).replace("summary:", f"template: \"{name}\"\nsummary:"),
                    "hostile")
    project.leaflet(MINIMAL)
    assert project.build() == 1
    captured = capsys.readouterr()
    assert f"template name '{name}' is not a folder name under templates/" in captured.err
    assert_rest_built(project.out)
    assert not (project.out / "hostile.pdf").exists()
    assert outside not in reads
    _no_output_says(project.out, captured.out + captured.err)


@pytest.mark.parametrize("name", ["..", "../outside", "../../outside", "/abs"])
def test_extends_can_not_leave_templates(project, capsys, reads, name):
    templates = project.root / "templates"
    name = str(project.root.parent / "abs") if name == "/abs" else name
    outside = _sentinel_brand((templates / name).resolve())
    brand = templates / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("extends: base", f"extends: {name}"))
    project.leaflet(MINIMAL)
    project.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "summary:", "template: lakeside-clinic\nsummary:"), "lakeside")
    assert project.build() == 1
    captured = capsys.readouterr()
    assert f"template name '{name}' is not a folder name" in captured.err
    assert_rest_built(project.out, "lakeside")
    assert not (project.out / "sample.pdf").exists()
    assert outside not in reads
    _no_output_says(project.out, captured.out + captured.err)


def _chain_of_extends(catalogue, length: int) -> None:
    templates = catalogue.root / "templates"
    for i in range(length):
        (templates / f"t{i}").mkdir()
        parent = f"t{i + 1}" if i < length - 1 else "riverside-trust"
        (templates / f"t{i}" / "brand.yaml").write_text(f"extends: {parent}\n")


def test_a_long_chain_of_extends_is_a_clear_error(catalogue, capsys):
    _chain_of_extends(catalogue, 1200)
    catalogue.leaflet(MINIMAL.replace("summary:", "template: t0\nsummary:"))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "summary:", "template: lakeside-clinic\nsummary:"), "lakeside")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "templates extend each other more than 8 deep" in err  # where: see the test below
    assert_rest_built(catalogue.out, "lakeside")
    assert not (catalogue.out / "sample.pdf").exists()


# brand.py reported these at no line of any file (`templates:1:1`), and after a cut chain
# added follow-on "missing 'organisation'" errors.
@pytest.mark.parametrize("case", ["leaflet template", "extends", "chain"])
def test_a_bad_template_name_is_one_error_where_it_is_written(catalogue, capsys, case):
    if case == "leaflet template":
        catalogue.leaflet(MINIMAL.replace("summary:", "template: \"../..\"\nsummary:"))
        where = "leaflets/sample.yaml:3:11: template name '../..' is not a folder name"
    elif case == "extends":
        brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
        brand.write_text(brand.read_text().replace("extends: base", "extends: ../../outside"))
        catalogue.leaflet(MINIMAL)
        where = "riverside-trust/brand.yaml:2:10: template name '../../outside' is not a folder"
    else:
        _chain_of_extends(catalogue, 12)
        catalogue.leaflet(MINIMAL.replace("summary:", "template: t0\nsummary:"))
        where = "templates/t7/brand.yaml:1:10: templates extend each other more than 8 deep"
    assert catalogue.build() == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and where in lines[0], lines


# 15.6 and 16.3: bad images fail only their own brand or leaflet

def _bomb(path, size=(30_000, 30_000)):
    """A small PNG that decodes to size pixels (mode '1' compresses to almost nothing)."""
    Image.new("1", size).save(path, optimize=True)


@pytest.mark.parametrize("kind, message", [
    ("text", "is not a readable PNG or JPEG"),
    ("truncated", "is not a readable PNG or JPEG"),
    ("bomb", "megapixels"),  # 900 MP: Pillow's DecompressionBombError
    ("12000px", "megapixels"),  # 144 MP: only Pillow's DecompressionBombWarning
])
def test_a_bad_logo_fails_only_its_brand(catalogue, capsys, recwarn, kind, message):
    logo = catalogue.root / "templates" / "riverside-trust" / "logo.png"
    if kind == "text":
        logo.write_text("not an image")
    elif kind == "truncated":
        logo.write_bytes(logo.read_bytes()[:200])
    else:
        _bomb(logo, (12_000, 12_000) if kind == "12000px" else (30_000, 30_000))
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "summary:", "template: lakeside-clinic\nsummary:"), "lakeside")
    where = "riverside-trust/brand.yaml:6:9: logo.file: 'logo.png' "
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert where in err and message in err
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert where in err and message in err
    assert "Traceback" not in err and ": : None" not in err
    assert "DecompressionBomb" not in err
    assert not [w for w in recwarn if "DecompressionBomb" in w.category.__name__]
    assert_rest_built(catalogue.out, "lakeside")
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
    assert_rest_built(catalogue.out)



# 16.2 and 16.3: names and values no file system or calendar can hold

def test_a_very_long_id_is_a_clear_error(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: " + "a" * 300), "long")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    assert "long.yaml:1:5: id is 300 characters long; the limit is 64" \
        in capsys.readouterr().err
    assert_rest_built(catalogue.out)


@pytest.mark.parametrize("value, message", [
    ("[a, b]", "1:5: 'id' should be text, not a list"),
    ("{a: b}", "1:5: 'id' should be text, not a mapping"),
    ('"\\ud800x"', "1:8: this \\u escape is not a character"),
])
def test_an_id_that_is_not_text_is_a_clear_error(catalogue, capsys, value, message):
    catalogue.leaflet(MINIMAL.replace("id: sample", f"id: {value}"), "odd")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"odd.yaml:{message}" in err and "Traceback" not in err
    assert_rest_built(catalogue.out)


def test_a_date_no_calendar_reaches_is_a_clear_error(catalogue, capsys):
    catalogue.leaflet(_hostile(MINIMAL).replace("last_reviewed: 2026-01-10",
                                                "last_reviewed: 9999-12-01"), "far")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "far.yaml:10:18: last_reviewed '9999-12-01' is not a plausible date - write a " \
        "year from 1900 to 2199" in err
    assert "Traceback" not in err
    assert_rest_built(catalogue.out)
