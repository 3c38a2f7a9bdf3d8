"""`handouts validate` and `handouts check` stop where `handouts build` stops (issue 9.6).

Each case below is a leaflet that the build refuses. All three commands must fail on it
with the same error lines (file:line:column, message and fix), and a good leaflet on
another brand beside it still builds. A clean catalogue passes all three.
"""
from __future__ import annotations

import json
import re
import textwrap

import pytest
from hypothesis import HealthCheck, assume, given, settings

from conftest import MINIMAL, with_blocks
from handouts.cli import main
from test_fuzz import _project as fuzz_project, mutated

PROBLEM_LINE = re.compile(r"^\S.*:\d+:\d+: ")

TRANSLATION = textwrap.dedent("""\
    translates: sample
    language: es
    source_version: "2"
    translator: Equipo de traducción
    translated: 2026-02-01
    title: Hacerse una prueba de muestra
    sections:
      - heading: ¿Qué es?
        blocks:
          - paragraph: Una muestra nos ayuda a comprobar su salud [@nhs-sample].
    """)


def _error_lines(stream: str) -> set[str]:
    return {line for line in stream.splitlines()
            if PROBLEM_LINE.match(line) and ": warning: " not in line}


def _check_errors(output: str) -> set[str]:
    report = json.loads(output)
    groups = report["files"] + report["leaflets"]
    return {f"{f['path']}:{f['line']}:{f['column']}: {f['message']} - {f['fix']}"
            for group in groups for f in group["findings"] if f["severity"] == "error"}


def run_all_three(catalogue, capsys) -> dict[str, tuple[int, set[str]]]:
    """command -> (exit code, its error lines), for validate, check and build."""
    content = str(catalogue.root / "content.yaml")
    capsys.readouterr()
    code = main(["validate", content])
    results = {"validate": (code, _error_lines(capsys.readouterr().err))}
    code = main(["check", content, "--format", "json"])
    results["check"] = (code, _check_errors(capsys.readouterr().out))
    code = catalogue.build()
    results["build"] = (code, _error_lines(capsys.readouterr().err))
    return results


def line_of(text: str, needle: str) -> tuple[int, int]:
    """(line, column) of the first line holding `needle`: column of its first non-blank,
    after a '- ' list dash, as YAML marks a mapping."""
    for number, row in enumerate(text.splitlines(), 1):
        if needle in row:
            stripped = row.lstrip()
            column = len(row) - len(stripped) + 1
            return number, column + 2 if stripped.startswith("- ") else column
    raise AssertionError(needle)


def value_at(text: str, key: str) -> tuple[int, int]:
    """(line, column) of the value of `key:` on the first line that has it."""
    line, _ = line_of(text, f"{key}:")
    row = text.splitlines()[line - 1]
    after = row.index(f"{key}:") + len(key) + 1
    return line, after + len(row[after:]) - len(row[after:].lstrip()) + 1


def translated_catalogue(catalogue, text: str = TRANSLATION):
    catalogue.write_content("translations:\n  - leaflets/translations/*.yaml\n")
    catalogue.leaflet(MINIMAL)
    folder = catalogue.root / "leaflets" / "translations"
    folder.mkdir(exist_ok=True)
    path = folder / "sample.es.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def spanish_brand_texts(catalogue, texts: str) -> str:
    """riverside-trust's `texts:` replaced by these Spanish ones (YAML under 'es:', any
    indentation); returns the brand's new text."""
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    kept = brand.read_text(encoding="utf-8").split("\ntexts:\n")[0]
    text = kept + "\ntexts:\n  es:\n" + textwrap.indent(textwrap.dedent(texts), "    ")
    brand.write_text(text, encoding="utf-8")
    return text


def edit_brand(catalogue, old: str, new: str) -> str:
    """Change riverside-trust's brand.yaml; returns its new text."""
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    assert old in text
    brand.write_text(text.replace(old, new), encoding="utf-8")
    return text.replace(old, new)


# Each case writes its catalogue and returns (file name, (line, column), text in the message).

def emoji_in_a_paragraph(catalogue):
    text = MINIMAL.replace("A sample helps us", "A sample 🙂 helps us")
    catalogue.leaflet(text)
    return "sample.yaml", line_of(text, "paragraph: A sample"), "U+1F642"


def emoji_with_a_variation_selector_in_a_bullet(catalogue):
    text = MINIMAL.replace("[First point,", "[First point \U0001F6E1\uFE0F,")  # no font has it
    catalogue.leaflet(text)
    return "sample.yaml", line_of(text, "bullets:"), "U+1F6E1"


def emoji_in_a_heading(catalogue):
    text = MINIMAL.replace("heading: What is it?", "heading: What is it? 🙂")
    catalogue.leaflet(text)
    return "sample.yaml", line_of(text, "heading: What"), "heading: character '🙂'"


def emoji_in_a_contact_block(catalogue):
    text = with_blocks("""\
        - contact:
            name: Sample clinic
            hours: Monday to Friday 🙂
        """)
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "hours"), "contact: character '🙂'"


def emoji_in_a_translation(catalogue):
    text = TRANSLATION.replace("Una muestra", "Una muestra 🙂")
    translated_catalogue(catalogue, text)
    return "sample.es.yaml", line_of(text, "paragraph:"), "leaflet 'sample' (es), text"


def emoji_in_a_translated_brand_text(catalogue):
    translated_catalogue(catalogue)
    brand = spanish_brand_texts(catalogue, "disclaimer: Información general 🙂\n")
    return "brand.yaml", value_at(brand, "    disclaimer"), \
        "brand text 'disclaimer': character '🙂'"


def emoji_in_a_translated_department(catalogue):
    """The header's department line is drawn in the leaflet's own font only."""
    translated_catalogue(catalogue)
    brand = spanish_brand_texts(catalogue, "department: Información ☺\n")
    return "brand.yaml", value_at(brand, "    department"), "brand text 'department'"


def emoji_in_a_brand_text(catalogue):
    brand = edit_brand(catalogue, "who know your own situation.",
                       "who know your own situation. 🙂")
    catalogue.leaflet(MINIMAL)
    return "brand.yaml", value_at(brand, "disclaimer"), "brand text 'disclaimer': character '🙂'"


def emoji_in_the_brand_footer(catalogue):
    brand = edit_brand(catalogue, "footer_text: Riverside University Hospitals",
                       "footer_text: Riverside University Hospitals 🙂")
    catalogue.leaflet(MINIMAL)
    return "brand.yaml", value_at(brand, "footer_text"), \
        "brand text 'footer_text': character '🙂'"


def emoji_in_the_online_address(catalogue):
    brand = edit_brand(catalogue, "example.nhs.uk/leaflets/{code}", "example.nhs.uk/🙂/{code}")
    catalogue.leaflet(MINIMAL)
    return "brand.yaml", value_at(brand, "online_url"), "online address: character '🙂'"


def bad_phone_in_a_contact_block(catalogue):
    text = with_blocks("""\
        - contact:
            name: Sample clinic
            phone: 020 7946 00
        """)
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "phone"), \
        "contact phone: '020 7946 00' is not a valid phone number in GB"


def two_phones_in_a_translated_contact_block(catalogue):
    text = TRANSLATION + textwrap.indent(textwrap.dedent("""\
        - contact:
            name: Clínica
            phone: 020 7946 0100 o 020 7946 0101
        """), "      ")
    translated_catalogue(catalogue, text)
    return "sample.es.yaml", value_at(text, "phone"), "holds more than one phone number"


def unknown_citation_in_a_reference(catalogue):
    """A reference's own text is printed with its citations numbered: a traceback before."""
    text = MINIMAL.replace("citation: Example source.", "citation: Example source [@nhs-sampel].")
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "citation"), "citation [@nhs-sampel] names no reference"


def missing_template(catalogue):
    text = MINIMAL.replace("summary:", "template: riverside-trusts\nsummary:")
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "template"), \
        "brand template 'riverside-trusts' not found"


def missing_font(catalogue):
    edit_brand(catalogue, "extends: base", "extends: base\nfonts:\n  body: No Such Font Sans")
    catalogue.leaflet(MINIMAL)
    return "brand.yaml", (4, 9), "fonts.body:"


def fake_figure(catalogue):
    (catalogue.root / "leaflets" / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    text = with_blocks("""\
        - figure: fake.png
          alt: A picture
        """)
    catalogue.leaflet(text)
    return "sample.yaml", value_at(text, "figure"), "'fake.png'"


CASES = [emoji_in_a_paragraph, emoji_with_a_variation_selector_in_a_bullet, emoji_in_a_heading,
         emoji_in_a_contact_block, emoji_in_a_translation, emoji_in_a_translated_brand_text,
         emoji_in_a_translated_department, emoji_in_a_brand_text, emoji_in_the_brand_footer,
         emoji_in_the_online_address, bad_phone_in_a_contact_block,
         two_phones_in_a_translated_contact_block, unknown_citation_in_a_reference,
         missing_template, missing_font, fake_figure]


def assert_all_three_stop_at(catalogue, capsys, name: str, where: tuple[int, int],
                             words: str) -> None:
    """validate, check and build fail with the same error lines, one of them at
    name:line:column and holding `words`; a good leaflet on another brand still builds."""
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good\ntemplate: lakeside-clinic"),
                      "good")
    results = run_all_three(catalogue, capsys)
    build_code, build_errors = results["build"]
    assert build_code == 1
    line, column = where
    assert [e for e in build_errors if f"{name}:{line}:{column}: " in e and words in e], \
        build_errors
    for command in ("validate", "check"):
        assert results[command] == (1, build_errors), command
    assert (catalogue.out / "good.pdf").is_file()


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_validate_and_check_fail_where_build_fails(catalogue, capsys, case):
    assert_all_three_stop_at(catalogue, capsys, *case(catalogue))


def test_a_clean_catalogue_passes_all_three(catalogue, capsys):
    translated_catalogue(catalogue)
    spanish_brand_texts(catalogue, "disclaimer: Información.\n")
    catalogue.leaflet(with_blocks("""\
        - contact:
            name: Sample clinic
            phone: 020 7946 0100
            email: clinic@example.nhs.uk
            url: https://www.example.nhs.uk/clinic
            hours: Monday to Friday, 9am to 5pm
        """))
    results = run_all_three(catalogue, capsys)
    assert results == {"validate": (0, set()), "check": (0, set()), "build": (0, set())}
    assert (catalogue.out / "sample.pdf").is_file()
    assert (catalogue.out / "sample.es.pdf").is_file()


@pytest.mark.parametrize("tag, code", [("ckb", 0), ("sr", 0), ("sr-Latn", 0), ("prs", 0)])
def test_dates_in_the_leaflets_language_are_checked_by_validate_too(catalogue, capsys, tag,
                                                                    code):
    """Babel writes Central Kurdish dates in Arabic script and Serbian ones in Cyrillic:
    the footer's own font must have them. ckb is set in the Arabic fonts and builds; a
    plain `sr` leaflet is Cyrillic (CLDR's likely script), set in Fira Sans, and builds."""
    catalogue.leaflet(MINIMAL.replace("summary:", f"language: {tag}\nsummary:"))
    results = run_all_three(catalogue, capsys)
    assert {command: found[0] for command, found in results.items()} == dict.fromkeys(
        results, code)
    assert results["validate"][1] == results["check"][1] == results["build"][1]
    assert not code or any("date: character" in e for e in results["build"][1])


@pytest.mark.parametrize("tag", ["th", "tlh"])
def test_a_language_no_font_here_can_set_stops_all_three(catalogue, capsys, tag):
    """Thai has no font here; Klingon has no script in CLDR: validate and check say so
    at the language line, exactly as build does, and build writes nothing for it."""
    catalogue.leaflet(MINIMAL.replace("summary:", f"language: {tag}\nsummary:"))
    results = run_all_three(catalogue, capsys)
    assert {command: found[0] for command, found in results.items()} == dict.fromkeys(
        results, 1)
    assert results["validate"][1] == results["check"][1] == results["build"][1]
    assert any("sample.yaml:3:" in line for line in results["build"][1])
    assert not (catalogue.out / "sample.pdf").exists()


def test_a_script_font_that_is_not_installed_stops_all_three(catalogue, capsys, monkeypatch,
                                                             tmp_path):
    """A Chinese leaflet when the Han font named in scripts.yaml is missing (a machine
    without fonts-wqy-microhei): found when the fonts are chosen, before any layout."""
    from handouts import scripts
    data = tmp_path / "scripts.yaml"
    data.write_text(scripts.DATA.read_text(encoding="utf-8").replace(
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/nonexistent/wqy-microhei.ttc"),
        encoding="utf-8")
    monkeypatch.setattr(scripts, "DATA", data)
    scripts.table.cache_clear()
    try:
        catalogue.leaflet(MINIMAL.replace("summary:", "language: zh-Hans\nsummary:").replace(
            "Having a sample test", "采样检查"))
        assert_all_three_stop_at(catalogue, capsys, "scripts.yaml", (1, 1), "script Han: ")
    finally:
        scripts.table.cache_clear()


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_a_mutated_leaflet_fails_validate_exactly_when_it_fails_build(tmp_path, capsys, text):
    """Property (the fuzzer of test_fuzz.py): whatever a mutation breaks, validate and
    build give the same error lines. Review dates are check's business, not validate's,
    so a mutation that makes the leaflet overdue is left out."""
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    fuzz_project(root)
    (root / "leaflets" / "mutant.yaml").write_text(text, encoding="utf-8",
                                                   errors="surrogatepass")
    capsys.readouterr()
    validated = main(["validate", str(root / "content.yaml")])
    validate_errors = _error_lines(capsys.readouterr().err)
    built = main(["build", str(root / "content.yaml"), "--out", str(root / "out")])
    build_errors = _error_lines(capsys.readouterr().err)
    assume(not any("overdue for review" in line for line in build_errors))
    assert (validated, validate_errors) == (built, build_errors)
