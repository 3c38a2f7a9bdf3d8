"""What the editor typed is what the PDF says: no YAML 1.1 guessing of types (issue 9.1),
no program text on the page (9.3), and the loader's limits (aliases, tags, depth, size)."""
from __future__ import annotations

import subprocess
import shutil
import textwrap

import pytest

from conftest import MINIMAL, assert_rest_built, page_texts, squash, with_blocks
from handouts.cli import main

# Plain scalars that YAML 1.1 would turn into another value.
TRAPS = ["01612345670", "8:30", "1.10", "1e3", "0x1A", "yes", "on", "off", "no", "~",
         "null", ".inf", "-.5", "0o17", "1_000", "+12", "2026-01-01 10:00"]


def _pdf_text(path) -> tuple[str, str]:
    """The text as pdfium and (when installed) poppler read it."""
    pdfium = squash(" ".join(page_texts(path)))
    poppler = pdfium
    if shutil.which("pdftotext"):
        poppler = squash(subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                        capture_output=True, text=True, check=True).stdout)
    return pdfium, poppler


def _trap_leaflet() -> str:
    paragraphs = "".join(f"      - paragraph: {t}\n" for t in TRAPS)
    bullets = "".join(f"          - {t}\n" for t in TRAPS)
    rows = "".join(f"              - [{t}, {t}]\n" for t in TRAPS)
    return textwrap.dedent("""\
        id: traps
        title: 8:30
        subtitle: 0x1A
        governance:
          code: PIL-4242
          version: 1.10
          author: 01612345670
          owner: yes
          published: 2026-01-10
          last_reviewed: 2026-01-10
        sections:
          - heading: 1e3
            blocks:
        """) + paragraphs + "      - bullets:\n" + bullets.replace("          ", "          ") + \
        "      - table:\n          header: [on, ~]\n          rows:\n" + rows + \
        "      - contact:\n          name: null\n          hours: 8:30\n"


def test_every_yaml_trap_prints_as_written(catalogue):
    catalogue.leaflet(_trap_leaflet(), "traps")
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("footer_text: Riverside University Hospitals",
                                               "footer_text: 0x1A").replace(
        "hours: 24 hours a day, 7 days a week", "hours: 8:30"), encoding="utf-8")
    assert catalogue.validate() == 0
    assert catalogue.build() == 0
    for text in _pdf_text(catalogue.out / "traps.pdf"):
        for trap in TRAPS:
            # each trap is a paragraph, a bullet and two table cells: at least 4 times
            assert text.count(trap) >= 4, (trap, text[:400])
        assert "v1.10" in text  # the version, in every footer
        assert text.count("0x1A") >= 4 + 2 and text.count("8:30") >= 4 + 3  # subtitle, footer,
        # title, contact hours and the brand's hours
        words = set(text.replace(",", " ").replace("]", " ").split())
        assert not words & {"510", "237620152", "1.1", "True", "False", "None", "1000.0",
                            "26", "15", "1000", "inf", "12"}


def _assert_traps_printed(path) -> None:
    """Each trap is a paragraph, a bullet and two table cells of the leaflet at path: it is
    printed at least 4 times as written, and no YAML 1.1 reading of any trap is printed."""
    for text in _pdf_text(path):
        for trap in TRAPS:
            assert text.count(trap) >= 4, (path.name, trap, text[:400])
        words = set(text.replace(",", " ").replace("]", " ").split())
        assert not words & {"510", "237620152", "1.1", "True", "False", "None", "1000.0",
                            "26", "15", "1000", "inf", "12"}, path.name


def _trap_translation() -> str:
    """A Spanish translation of the trap leaflet: the same blocks, traps in its own fields."""
    return textwrap.dedent("""\
        translates: traps
        language: es
        source_version: 1.10
        translator: 01612345670
        translated: 2026-02-01
        title: 8:30
        subtitle: 0x1A
        """) + "sections:\n" + _trap_leaflet().split("sections:\n", 1)[1]


def test_traps_in_a_translation_and_an_inline_leaflet_print_as_written(catalogue, capsys):
    """Every trap, in every kind of text field, in the three other places text comes from:
    a translation file, and a leaflet written inside content.yaml."""
    inline = _trap_leaflet().replace("id: traps", "id: inline-traps").replace(
        "PIL-4242", "PIL-4243")
    catalogue.leaflet(_trap_leaflet(), "traps")
    (catalogue.root / "traps.es.yaml").write_text(_trap_translation(), encoding="utf-8")
    catalogue.write_content(textwrap.indent(inline, "    ").replace("    id:", "  - id:", 1)
                            + "translations:\n  - traps.es.yaml\n")
    assert catalogue.build() == 0, capsys.readouterr().err
    for name in ("traps.pdf", "traps.es.pdf", "inline-traps.pdf"):
        _assert_traps_printed(catalogue.out / name)


def test_check_strict_passes_the_traps(catalogue, capsys):
    """The traps are good text: `check --strict` neither fails nor warns about them."""
    finished = _trap_leaflet().replace(  # approved and citing a source, as check wants
        "  last_reviewed: 2026-01-10\n", "  last_reviewed: 2026-01-10\n  approved_by: 8:30\n"
        "  approval_date: 2026-01-10\n").replace(
        "      - paragraph: 8:30\n", "      - paragraph: 8:30 [@src]\n") + textwrap.dedent("""\
        references:
          - id: src
            citation: 0x1A
            url: https://www.nhs.uk/tests-and-treatments/blood-tests/
            accessed: 2026-01-05
        """)
    catalogue.leaflet(finished, "traps")
    (catalogue.root / "traps.es.yaml").write_text(_trap_translation(), encoding="utf-8")
    catalogue.write_content("translations:\n  - traps.es.yaml\n")
    assert main(["check", str(catalogue.root / "content.yaml"), "--strict"]) == 0, \
        capsys.readouterr()


@pytest.mark.parametrize("value, message", [
    ("yes", "'review_interval_months' should be a whole number, not 'yes'"),
    ("1e3", "'review_interval_months' should be a whole number, not '1e3'"),
    ("0x1A", "'review_interval_months' should be a whole number, not '0x1A'"),
    ("12.5", "'review_interval_months' should be a whole number, not '12.5'"),
])
def test_number_fields_are_checked_as_numbers(catalogue, capsys, value, message):
    catalogue.leaflet(MINIMAL)
    path = catalogue.root / "content.yaml"
    path.write_text(path.read_text().replace("review_interval_months: 36",
                                             f"review_interval_months: {value}"))
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert f"content.yaml:4:27: {message}" in err


@pytest.mark.parametrize("value", ["yes", "on", "1", "~"])
def test_true_false_fields_take_only_true_or_false(catalogue, capsys, value):
    catalogue.leaflet(with_blocks(f"""\
        - figure: ../templates/riverside-trust/logo.png
          decorative: {value}
        """))
    assert catalogue.validate() == 1
    assert f"'decorative' should be true or false, not '{value}'" in capsys.readouterr().err


@pytest.mark.parametrize("field", ["logo.height_mm", "sizes.body"])
@pytest.mark.parametrize("value", ["1e3", "abc", ".inf", "0x1A", "1_000"])
def test_brand_number_fields_are_checked_as_numbers(catalogue, capsys, field, value):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    text = brand.read_text()
    if field == "logo.height_mm":
        text = text.replace("  height_mm: 16\n", f"  height_mm: {value}\n")
        where = "7:14"
    else:
        text += f"sizes:\n  body: {value}\n"
        where = f"{len(text.splitlines())}:9"
    brand.write_text(text, encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: lakeside").replace(
        "summary:", "template: lakeside-clinic\nsummary:"), "lakeside")
    message = f"riverside-trust/brand.yaml:{where}: {field}: '{value}' is not a number - write " \
        "a number in digits"
    assert catalogue.validate() == 1
    assert message in capsys.readouterr().err
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert_rest_built(catalogue.out, "lakeside")
    assert not (catalogue.out / "sample.pdf").exists()


def test_brand_numbers_are_read_from_their_digits(catalogue):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text() + "sizes:\n  body: 14.5\n", encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0


def test_a_list_in_a_table_cell_is_an_error_not_program_text(catalogue, capsys):
    text = with_blocks("""\
        - table:
            header: [Side effect, Examples]
            rows:
              - [Common, {bullets: [Fatigue, Hair loss]}]
        """)
    catalogue.leaflet(text)
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    line = text.splitlines().index("            - [Common, {bullets: [Fatigue, Hair loss]}]") + 1
    assert f"sample.yaml:{line}:24: table cell 2 holds a mapping (key: value lines), not text" in err
    assert catalogue.build() == 1
    assert not (catalogue.out / "sample.pdf").exists()


@pytest.mark.parametrize("text, message", [
    (MINIMAL.replace("title: Having a sample test", "title: {a: b}"),
     "'title' should be text, not a mapping"),
    (with_blocks("- paragraph: {a: [b]}\n"), "'paragraph' should be text, not a mapping"),
    (with_blocks("- bullets: [{a: b}]\n"), "item 1 of 'bullets' should be text, not a mapping"),
    (with_blocks("- steps: [[a, b]]\n"), "item 1 of 'steps' should be text, not a list"),
])
def test_a_mapping_where_text_belongs_is_an_error(catalogue, capsys, text, message):
    catalogue.leaflet(text)
    assert catalogue.validate() == 1
    assert message in capsys.readouterr().err
    assert catalogue.build() == 1
    assert not (catalogue.out / "sample.pdf").exists()


def one_error(capsys) -> str:
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1, lines
    return lines[0]


def test_aliases_are_refused(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test",
                                      "title: &t Having a sample test\nsubtitle: *t"))
    assert catalogue.validate() == 1
    assert "sample.yaml:3:11: alias '*t' is not allowed" in one_error(capsys)


def test_an_alias_bomb_is_refused_quickly(catalogue, capsys):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    catalogue.leaflet("\n".join(lines) + "\n")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    assert len("\n".join(lines)) < 1024
    assert catalogue.validate() == 1
    assert "sample.yaml:2:10: alias '*a0' is not allowed" in one_error(capsys)
    assert catalogue.build() == 1
    assert "sample.yaml:2:10: alias '*a0' is not allowed" in one_error(capsys)
    assert_rest_built(catalogue.out, "good")


def test_a_self_referencing_alias_is_refused(catalogue, capsys):
    catalogue.leaflet("&a [*a]\n")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    assert catalogue.validate() == 1
    assert "sample.yaml:1:5: alias '*a' is not allowed" in one_error(capsys)
    assert catalogue.build() == 1
    assert "sample.yaml:1:5: alias '*a' is not allowed" in one_error(capsys)
    assert_rest_built(catalogue.out, "good")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!int", "!!binary",
                                 "!!set", "!custom"])
def test_yaml_tags_are_reported(catalogue, capsys, tag):
    value = "[echo, hi]" if "apply" in tag else "12"
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test", f"title: {tag} {value}"))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    for command in (catalogue.validate, catalogue.build):
        assert command() == 1
        err = capsys.readouterr().err
        assert "sample.yaml:2:8: YAML tag" in err and "is not allowed" in err
        assert "Traceback" not in err
    assert_rest_built(catalogue.out, "good")


def test_deep_nesting_is_a_clear_error(catalogue, capsys):
    catalogue.leaflet("a: " + "[" * 5000 + "]" * 5000 + "\n")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    assert catalogue.validate() == 1
    message = one_error(capsys)  # at the column where libyaml's own depth limit stops it
    assert "sample.yaml:1:" in message and "lists and mappings are nested more than 24 deep" \
        in message
    assert catalogue.build() == 1
    assert "nested more than 24 deep" in one_error(capsys)
    assert_rest_built(catalogue.out, "good")


def test_a_block_nested_deep_is_a_clear_error(catalogue, capsys):
    text = "".join("  " * i + f"k{i}:\n" for i in range(200))
    catalogue.leaflet(text)
    assert catalogue.validate() == 1
    assert "nested more than 24 deep" in one_error(capsys)


def test_a_huge_file_is_refused_before_it_is_parsed(catalogue, capsys):
    path = catalogue.leaflet(MINIMAL)
    with open(path, "a", encoding="utf-8") as stream:
        stream.write("# " + "x" * (3 * 1024 * 1024) + "\n  bad: [\n")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    assert catalogue.validate() == 1
    message = one_error(capsys)
    assert "sample.yaml:1:1: this file is 3.0 MB; the limit is 2 MB" in message
    assert catalogue.build() == 1
    assert "sample.yaml:1:1: this file is 3.0 MB; the limit is 2 MB" in one_error(capsys)
    assert_rest_built(catalogue.out, "good")


@pytest.mark.parametrize("text, line, message", [
    ("id: a\ntitle x\nsummary: b\n", 2, "this line has no ':' after its key"),
    ("id: a\nkeywords: [a, b\nsummary: c\n", 2, "a list opened with '[' here is not closed"),
    ("id: a\nsections:\n  - heading: x\n - heading: y\n", 4,
     "this line is indented differently from the lines above it"),
    ("id: a\ntitle: 'open\n", 2, "a quote opened here is never closed"),
    ("id: a\ntitle: @x\n", 2, "a value cannot start with this character"),
    ("id: a\n---\nid: b\n", 2, "a second YAML document ('---') in one file"),
    ("id: a\ntitle: \"\\x1b[31mred\"\n", 2, "the text holds the invisible character U+001B"),
    ("id: a\ntitle: \"\\ud800\"\n", 2, "this \\u escape is not a character"),
    ("id: a\ntitle: x\x01y\n", 2, "the file holds the character U+0001"),
])
def test_syntax_errors_are_one_plain_message_at_their_own_line(catalogue, capsys, text, line,
                                                                message):
    catalogue.leaflet(text)
    assert catalogue.validate() == 1
    got = one_error(capsys)
    assert f"sample.yaml:{line}:" in got and message in got, got
    assert "<unicode string>" not in got and "position" not in got
    assert got.isprintable()


@pytest.mark.parametrize("key", ["\\x1b[2J", "a\\nleaflets/fake.yaml:1:1: forged", "\\u202eevil"])
def test_messages_stay_one_printable_line(catalogue, capsys, key):
    catalogue.leaflet(MINIMAL.replace("summary:", f'"{key}": x\nsummary:'))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    for command in (catalogue.validate, catalogue.build):
        assert command() == 1
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if line]
        assert len(lines) == 1 and lines[0].isprintable(), lines
        assert "sample.yaml:3:1: " in lines[0], lines
        assert "\x1b" not in err and "\u202e" not in err
    assert_rest_built(catalogue.out, "good")


def test_a_syntax_error_gives_no_follow_on_errors(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test", "title Having a sample test"))
    (catalogue.root / "sample.es.yaml").write_text(textwrap.dedent("""\
        translates: sample
        language: es
        source_version: 2
        translator: Equipo de traducción
        translated: 2026-02-01
        title: Una muestra
        sections:
          - heading: ¿Qué es?
            blocks:
              - paragraph: Texto.
        """), encoding="utf-8")
    catalogue.write_content("translations:\n  - sample.es.yaml\n")
    assert catalogue.validate() == 1
    message = one_error(capsys)
    assert "sample.yaml:2:" in message and "this line has no ':' after its key" in message
