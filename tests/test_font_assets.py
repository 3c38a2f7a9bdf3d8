"""A brand's font files are read when the brand loads (issue 15.6).

A text file renamed .ttf, a font cut short by a copy or download, a collection (.ttc) cut
short, an empty file, a font with no Latin letters, or one whose licence forbids
embedding: each is one `brand.yaml:line:col` message at the `fonts:` key naming the file
and what is wrong, in `validate` and `build`; the leaflets of another brand still build,
and the catalogue page is written. Every hostile font is made here, from the packaged
Atkinson Hyperlegible.
"""
from __future__ import annotations

from pathlib import Path

import fontpkg
import pytest
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from conftest import MINIMAL

BRAND = "riverside-trust"


def atkinson(weight: int = 400) -> Path:
    family = fontpkg.family("Atkinson Hyperlegible")
    return Path(fontpkg.select_file(family, weight, "normal", nearest=True).path)


def text_file(path: Path) -> None:
    path.write_text("This is a note about the font, saved with the wrong name.\n")


def truncated(path: Path) -> None:
    data = atkinson().read_bytes()
    path.write_bytes(data[:len(data) // 3])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def collection(path: Path, keep: float = 1.0) -> None:
    """A .ttc of the regular and bold faces, cut to `keep` of its length."""
    ttc = TTCollection()
    ttc.fonts = [TTFont(atkinson(400)), TTFont(atkinson(700))]
    ttc.save(path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])


def no_latin_letters(path: Path) -> None:
    font = TTFont(atkinson())
    options = subset.Options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in "0123456789 .,"])
    subsetter.subset(font)
    font.save(path)


def no_embedding(path: Path) -> None:
    font = TTFont(atkinson())
    font["OS/2"].fsType = 0x0002  # restricted licence
    font.save(path)


def bad_magic(path: Path) -> None:
    font = TTFont(atkinson())
    font["head"].magicNumber = 0  # fontTools reads it; ReportLab refuses it
    font.save(path)


CASES = {
    "text": ("Brand.ttf", text_file, "is not a font file: it starts with 'This'"),
    "truncated-ttf": ("Brand.ttf", truncated, "is truncated: its '"),
    "empty": ("Brand.ttf", empty, "is empty (0 bytes)"),
    "truncated-ttc-header": ("Brand.ttc", lambda p: collection(p, 0.0005),
                             "is cut short or damaged: its header cannot be read"),
    "ttc-of-8-bytes": ("Brand.ttc", lambda p: p.write_bytes(b"ttcf\x00\x01\x00\x00"),
                       "is cut short or damaged: its header cannot be read"),
    "truncated-ttc": ("Brand.ttc", lambda p: collection(p, 0.5), "is truncated: its '"),
    "no-latin": ("Brand.ttf", no_latin_letters,
                 "has no glyph for 52 of the characters every leaflet needs (abcdefghijkl...)"),
    "bad-head": ("Brand.ttf", bad_magic,
                 "has a damaged 'head' table (its magic number is wrong)"),
    "no-embedding": ("Brand.ttf", no_embedding,
                     "has a licence setting (OS/2 fsType 0x0002) that forbids embedding it"),
}


def use_font(catalogue, name: str, key: str = "body") -> tuple[Path, int, int]:
    """Give the brand (not base, which the other brand extends too) its own fonts.<key>;
    returns its brand.yaml and the place of the value."""
    brand = catalogue.root / "templates" / BRAND / "brand.yaml"
    text = brand.read_text(encoding="utf-8").rstrip("\n") + f"\nfonts:\n  {key}: {name}\n"
    brand.write_text(text, encoding="utf-8")
    return brand, len(text.splitlines()), len(f"  {key}: ") + 1


def two_brands(catalogue) -> None:
    """'sample' in the brand under test, 'lakeside' in another brand."""
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "PIL-9001", "PIL-9002").replace("summary:", "template: lakeside-clinic\nsummary:"),
        "lakeside")


def assert_one_message(err: str, where: str, file_name: str, problem: str) -> None:
    lines = err.strip().splitlines()  # nothing else: no fontTools log lines, no traceback
    assert len(lines) == 1 and file_name in lines[0], err
    assert lines[0].startswith(where), lines[0]
    assert f": fonts.body: {file_name} {problem}" in lines[0], lines[0]
    hint = ("use a font with the Latin letters and digits" if "has no glyph" in problem
            else "use a complete TrueType font file")
    assert f" - {hint}" in lines[0], lines[0]
    assert "Traceback" not in err and "struct.error" not in err


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_brand_font_fails_only_its_brand(catalogue, capsys, case):
    name, make, problem = CASES[case]
    brand, line, column = use_font(catalogue, name)
    make(brand.parent / name)
    two_brands(catalogue)
    where = f"{brand}:{line}:{column}: "

    assert catalogue.validate() == 1
    assert_one_message(capsys.readouterr().err, where, name, problem)

    assert catalogue.build() == 1
    assert_one_message(capsys.readouterr().err, where, name, problem)
    assert (catalogue.out / "lakeside.pdf").is_file()
    assert not (catalogue.out / "sample.pdf").exists()
    assert (catalogue.out / "index.html").is_file()


def test_a_bad_style_in_a_font_folder_is_named(catalogue, capsys):
    """A folder family whose bold file is cut short: the message names that file."""
    brand, line, column = use_font(catalogue, "brandfont")
    folder = brand.parent / "brandfont"
    folder.mkdir()
    (folder / "Brand-Regular.ttf").write_bytes(atkinson(400).read_bytes())
    truncated(folder / "Brand-Bold.ttf")
    two_brands(catalogue)
    assert catalogue.build() == 1
    assert_one_message(capsys.readouterr().err, f"{brand}:{line}:{column}: ",
                       "Brand-Bold.ttf", "is truncated: its '")
    assert (catalogue.out / "lakeside.pdf").is_file()
    assert (catalogue.out / "index.html").is_file()


def test_a_bad_heading_font_is_reported_at_its_own_key(catalogue, capsys):
    brand, line, column = use_font(catalogue, "Heading.ttf", key="heading")
    text_file(brand.parent / "Heading.ttf")
    two_brands(catalogue)
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert f"{brand}:{line}:{column}: fonts.heading: Heading.ttf is not a font file" in err


@pytest.mark.parametrize("name, make", [("Brand.ttf", lambda p: p.write_bytes(
    atkinson().read_bytes())), ("Brand.ttc", collection)])
def test_a_good_font_file_builds(catalogue, name, make):
    """The same files, whole, pass the check and print."""
    brand, _, _ = use_font(catalogue, name)
    make(brand.parent / name)
    two_brands(catalogue)
    assert catalogue.build() == 0
    assert (catalogue.out / "sample.pdf").is_file()


def test_a_font_the_check_misses_still_fails_only_its_brand(catalogue, capsys, monkeypatch):
    """Should a damaged font pass the load-time check, the refusal when its characters are
    read is still one clear message, and the other brand's leaflet is built."""
    from handouts import assets
    monkeypatch.setattr(assets, "font_problem", lambda *args, **kwargs: None)
    brand, _, _ = use_font(catalogue, "Brand.ttf")
    text_file(brand.parent / "Brand.ttf")
    two_brands(catalogue)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "Brand.ttf:1:1: font Brand cannot be read: " in err, err
    assert "Traceback" not in err
    assert (catalogue.out / "lakeside.pdf").is_file()
    assert not (catalogue.out / "sample.pdf").exists()
    assert (catalogue.out / "index.html").is_file()


def test_damaged_fonts_are_named_or_embed(tmp_path):
    """Fonts cut at random points or with random bytes changed (a fixed seed, so every run
    tries the same ones): each is either refused with a message, or ReportLab registers,
    draws and embeds it. Nothing raises, and fontTools logs nothing."""
    import io
    import logging
    import random

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont
    from reportlab.pdfgen.canvas import Canvas

    from handouts import assets, fonts

    data = atkinson().read_bytes()
    chance = random.Random(20261124)
    refused = 0
    for n in range(60):
        damaged = bytearray(data[:chance.randrange(1, len(data))] if n % 2 else data)
        for _ in range(0 if n % 2 else chance.choice([1, 4, 20])):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        path = tmp_path / f"damaged-{n}.ttf"
        path.write_bytes(bytes(damaged))
        logger = logging.getLogger("fontTools")
        handler = logging.Handler()
        seen: list = []
        handler.emit = seen.append
        logger.addHandler(handler)
        try:
            found = assets.font_problem(path, 0, fonts.BRAND_CHARACTERS)
        finally:
            logger.removeHandler(handler)
        assert not seen
        if found:
            refused += 1
            assert "\n" not in found[0]
            continue
        pdfmetrics.registerFont(ReportLabFont(f"damaged-{n}", str(path)))
        canvas = Canvas(io.BytesIO())
        canvas.setFont(f"damaged-{n}", 12)
        canvas.drawString(10, 10, "PIL-0042 v3 Page 1 of 2 " + fonts.BRAND_CHARACTERS)
        canvas.save()
    assert 10 < refused < 60  # both kinds were tried


# ---- fonts stay inside the template folder (issue 15.1) ----------------------------------

def _outside_font(tmp_path) -> Path:
    """A real font outside the project, under a name no PDF may ever embed."""
    sentinel = tmp_path.parent / f"{tmp_path.name}-outside" / "SentinelSans.ttf"
    sentinel.parent.mkdir(parents=True, exist_ok=True)
    sentinel.write_bytes(atkinson().read_bytes())
    return sentinel


@pytest.mark.parametrize("how", ["absolute", "climbs out", "symlink", "symlinked folder"])
def test_a_brand_font_outside_the_template_folder_is_refused(catalogue, capsys, tmp_path, how):
    sentinel = _outside_font(tmp_path)
    folder = catalogue.root / "templates" / BRAND
    if how == "absolute":
        name = str(sentinel)
    elif how == "climbs out":
        name = "../" * (len(folder.parts) + 2) + str(sentinel).lstrip("/")
    elif how == "symlink":
        (folder / "Linked.ttf").symlink_to(sentinel)
        name = "Linked.ttf"
    else:
        (folder / "linked-fonts").symlink_to(sentinel.parent, target_is_directory=True)
        name = "linked-fonts"
    two_brands(catalogue)
    brand, line, column = use_font(catalogue, name)
    capsys.readouterr()
    assert catalogue.validate() == 1
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"brand.yaml:{line}:{column}: fonts.body: '{name}' is outside the template" in err
    assert "Traceback" not in err
    assert (catalogue.out / "lakeside.pdf").is_file() and (catalogue.out / "index.html").is_file()
    assert not (catalogue.out / "sample.pdf").exists()
    for pdf in catalogue.out.glob("*.pdf"):
        assert b"SentinelSans" not in pdf.read_bytes()


def test_a_font_in_the_template_folder_is_used(catalogue, capsys):
    folder = catalogue.root / "templates" / BRAND
    (folder / "fonts").mkdir()
    (folder / "fonts" / "Brand.ttf").write_bytes(atkinson().read_bytes())
    two_brands(catalogue)
    use_font(catalogue, "fonts/Brand.ttf")
    assert catalogue.build() == 0


def test_fonts_are_embedded_without_their_hinting_and_draw_the_same(catalogue):
    """The embedded subset has no hinting tables or instructions (half its bytes), and
    its outlines and advance widths are those of the installed file."""
    import io

    import pikepdf
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    original = TTFont(atkinson())
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        programs = [obj.FontFile2.read_bytes() for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj]
    assert programs
    for program in programs:
        embedded = TTFont(io.BytesIO(program))
        assert not {"fpgm", "prep", "cvt "} & set(embedded.keys()), embedded["name"].getDebugName(6)
        glyphs = embedded["glyf"]
        assert not any(getattr(glyphs[name], "program", None) and glyphs[name].program.getBytecode()
                       for name in embedded.getGlyphOrder())
    # ReportLab numbers a subset's glyphs its own way: each must be one of the file's
    drawn = {_outline(original, name) for name in original.getGlyphOrder()}
    regular = next(TTFont(io.BytesIO(p)) for p in programs
                   if TTFont(io.BytesIO(p))["name"].getDebugName(6).endswith("-Regular"))
    names = [name for name in regular.getGlyphOrder()[1:] if regular["glyf"][name].numberOfContours]
    assert len(names) > 15  # the letters of the sample leaflet
    assert all(_outline(regular, name) in drawn for name in names)


def _outline(font, name: str) -> tuple:
    glyph = font["glyf"][name]
    glyph.expand(font["glyf"])
    points = tuple(glyph.getCoordinates(font["glyf"])[0]) if glyph.numberOfContours else ()
    return points, font["hmtx"][name][0]


def test_two_brands_fonts_with_one_postscript_name_each_print_their_own(catalogue):
    """ReportLab gives a font the face first registered under its PostScript name: a
    second brand's different 'AtkinsonHyperlegible-Regular' printed in the first's."""
    import io

    import pikepdf
    wide = TTFont(atkinson())
    unused = max(width for width, _ in wide["hmtx"].metrics.values()) + 123
    wide["hmtx"]["a"] = (unused, wide["hmtx"]["a"][1])  # an 'a' no other glyph is as wide
    for brand, make in ((BRAND, lambda p: p.write_bytes(atkinson().read_bytes())),
                        ("lakeside-clinic", wide.save)):
        folder = catalogue.root / "templates" / brand
        make(folder / "Brand.ttf")
        path = folder / "brand.yaml"
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(text + "\nfonts:\n  body: Brand.ttf\n  heading: Brand.ttf\n",
                        encoding="utf-8")
    two_brands(catalogue)
    assert catalogue.build("--jobs", "1") == 0  # one process registers both
    advances = {}
    for name in ("sample", "lakeside"):
        with pikepdf.open(catalogue.out / f"{name}.pdf") as pdf:
            fonts = [TTFont(io.BytesIO(obj.FontFile2.read_bytes())) for obj in pdf.objects
                     if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj]
        advances[name] = {font["hmtx"][glyph][0] for font in fonts
                          for glyph in font.getGlyphOrder()}
    assert wide["hmtx"]["a"][0] in advances["lakeside"]
    assert wide["hmtx"]["a"][0] not in advances["sample"]
