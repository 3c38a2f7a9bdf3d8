"""Bad input: every problem reported as file:line:column: what - how to fix, in one run."""
from __future__ import annotations

import re

import pytest
from PIL import Image

from conftest import MINIMAL, assert_rest_built, with_blocks


def errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def one_error(catalogue, capsys, text: str) -> tuple[int, str]:
    """Build a catalogue holding one leaflet; return (line, message) of its single error."""
    catalogue.leaflet(text)
    assert catalogue.validate() == 1
    lines = [l for l in errors(capsys) if "warning:" not in l]
    assert len(lines) == 1, lines
    match = re.match(r"^(.*sample\.yaml):(\d+):(\d+): (.*)$", lines[0])
    assert match, lines[0]
    return int(match.group(2)), match.group(4)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_minimal_leaflet_is_valid(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 0
    assert "1 leaflet checked, 0 errors, 0 warnings" in capsys.readouterr().out


def test_unknown_key_suggests_the_right_one(catalogue, capsys):
    text = MINIMAL.replace("summary:", "sumary:")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "sumary:")
    assert message == "unknown key 'sumary' in leaflet - did you mean 'summary'?"


def test_impossible_date(catalogue, capsys):
    text = MINIMAL.replace("published: 2026-01-10", "published: 2025-13-01")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "published:")
    assert message.startswith("published '2025-13-01' is not a date")
    assert message.endswith("write a real calendar date as YYYY-MM-DD")


def test_date_in_the_wrong_format(catalogue, capsys):
    text = MINIMAL.replace("last_reviewed: 2026-01-10", "last_reviewed: 10/01/2026")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "last_reviewed:")
    assert message == "last_reviewed '10/01/2026' is not a date - write it as YYYY-MM-DD"


def test_citation_of_unknown_reference(catalogue, capsys):
    text = MINIMAL.replace("[@nhs-sample]", "[@nhs-sampel]")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "paragraph:")
    assert message == "citation [@nhs-sampel] names no reference - did you mean 'nhs-sample'?"


def test_duplicate_leaflet_id(catalogue, capsys):
    catalogue.leaflet(MINIMAL, name="a")
    catalogue.leaflet(MINIMAL.replace("title: Having", "title: Also having"), name="b")
    assert catalogue.validate() == 1
    (line,) = errors(capsys)
    assert re.search(r"b\.yaml:1:1: duplicate leaflet id 'sample': .*a\.yaml:1 also writes "
                     r"out/sample\.pdf - give each leaflet its own id$", line), line


def test_ids_differing_only_in_case_collide(catalogue, capsys):
    catalogue.leaflet(MINIMAL, name="a")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: Sample"), name="b")
    assert catalogue.validate() == 1
    assert "is not a slug" in capsys.readouterr().err


def test_missing_image(catalogue, capsys):
    text = with_blocks("- figure: images/nope.png\n  alt: Something\n")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "figure:")
    assert message.startswith("image 'images/nope.png' not found")
    assert message.endswith("check the file name; it is relative to the leaflet file")


def test_image_without_alt_text(catalogue, capsys):
    Image.new("RGB", (20, 10), (0, 90, 180)).save(catalogue.root / "leaflets" / "pic.png")
    text = with_blocks("- figure: pic.png\n  caption: A picture\n")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "figure:")
    assert message.startswith("figure has no alt text - add 'alt: ...'")


def test_decorative_image_needs_no_alt_text(catalogue, capsys):
    Image.new("RGB", (20, 10), (0, 90, 180)).save(catalogue.root / "leaflets" / "pic.png")
    catalogue.leaflet(with_blocks("- figure: pic.png\n  decorative: true\n"))
    assert catalogue.validate() == 0


def test_not_an_image(catalogue, capsys):
    (catalogue.root / "leaflets" / "pic.png").write_text("hello")
    text = with_blocks("- figure: pic.png\n  alt: A picture\n")
    line, message = one_error(catalogue, capsys, text)
    assert message == ("'pic.png' is not a PNG, JPEG or SVG image - save the image as SVG "
                       "(drawings with labels), PNG or JPEG")


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd", "www.nhs.uk"])
def test_disallowed_link_scheme(catalogue, capsys, href):
    text = with_blocks(f"- paragraph: See [the NHS page]({href}).\n")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "See [the NHS page]")
    assert "which is not allowed - links must start with https://, http://, mailto: or tel:" \
        in message


def test_vague_link_text_is_a_warning(catalogue, capsys):
    text = with_blocks("- paragraph: To read more, [click here](https://www.nhs.uk).\n")
    catalogue.leaflet(text)
    assert catalogue.validate() == 0
    (line,) = errors(capsys)
    assert f"sample.yaml:{line_of(text, 'click here')}:" in line
    assert "warning: link text 'click here' does not make sense on its own" in line


@pytest.mark.parametrize("old, new, expected", [
    ("bullets: [First point, Second point]", "bullets: First point",
     "'bullets' should be a list, not text - write a list, one '- item' per line"),
    ('version: "2"', "version: [2]", "'version' should be text, not a list - write some text"),
    ("sections:\n", "sections: none\nx_sections:\n",
     "'sections' should be a list, not text - write a list, one '- item' per line"),
])
def test_wrong_type(catalogue, capsys, old, new, expected):
    catalogue.leaflet(MINIMAL.replace(old, new))
    assert catalogue.validate() == 1
    assert any(line.endswith(expected) for line in errors(capsys))


def test_missing_required_field(catalogue, capsys):
    text = MINIMAL.replace("  owner: Test owner\n", "")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "code: PIL-9001")
    assert message == "governance is missing 'owner' - add a line 'owner: ...'"


def test_unknown_block_type(catalogue, capsys):
    text = with_blocks("- bulets: [a, b]\n")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "bulets:")
    assert message == "unknown block type 'bulets' - did you mean 'bullets'?"


def test_table_row_with_wrong_number_of_cells(catalogue, capsys):
    text = with_blocks("- table:\n    header: [A, B]\n    rows:\n      - [1, 2]\n      - [3]\n")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "- [3]")
    assert message == "row 2 has 1 cells but the header has 2 - give every row one cell per column"


def test_bad_language_tag(catalogue, capsys):
    text = MINIMAL.replace("title: Having", "language: english\ntitle: Having")
    line, message = one_error(catalogue, capsys, text)
    assert message.startswith("'english' is not a registered language tag")


def test_yaml_syntax_error_has_line_and_column(catalogue, capsys):
    text = MINIMAL.replace("title: Having a sample test", "title: Having: a sample test")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "title:")
    assert message.startswith("this text contains ': ' but is not in quotes")
    assert message.endswith("put the whole text in double quotes")


def test_duplicate_key(catalogue, capsys):
    text = MINIMAL.replace("summary:", "title: Again\nsummary:")
    line, message = one_error(catalogue, capsys, text)
    assert line == line_of(text, "title: Again")
    assert message == "key 'title' appears twice in this mapping - keep one of them"


def test_every_problem_in_every_file_in_one_run(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("summary:", "sumary:").replace(
        "published: 2026-01-10", "published: 2026-02-30"), name="first")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: second").replace(
        "[@nhs-sample]", "[@missing]"), name="second")
    assert catalogue.validate() == 1
    lines = errors(capsys)
    assert len(lines) == 3
    assert sum("first.yaml" in l for l in lines) == 2 and sum("second.yaml" in l for l in lines) == 1


@pytest.mark.parametrize("content", [b"", b"- just\n- a list\n", b"\x00\xff\xfe binary",
                                     b"id: [unclosed\n"])
def test_garbage_gives_an_error_not_a_traceback(catalogue, capsys, content):
    (catalogue.root / "leaflets" / "sample.yaml").write_bytes(content)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: good"), "good")
    for command in (catalogue.validate, catalogue.build):
        assert command() == 1
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert re.search(r"sample\.yaml:\d+:\d+: ", captured.err), captured.err
    assert_rest_built(catalogue.out, "good")


def test_bad_catalogue_file(catalogue, capsys):
    (catalogue.root / "content.yaml").write_text("defaults:\n  templat: x\nleaflets: []\n")
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert "content.yaml:2:3: unknown key 'templat' in defaults - did you mean 'template'?" in err


def test_glob_that_matches_nothing(catalogue, capsys):
    catalogue.write_content("  - extra/*.yaml\n")
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 1
    assert "content.yaml:7:5: no leaflet file matches 'extra/*.yaml'" in capsys.readouterr().err


def test_inline_leaflet_in_the_catalogue(catalogue, capsys):
    inline = "  - " + MINIMAL.replace("\n", "\n    ").rstrip() + "\n"
    catalogue.write_content(inline.replace("id: sample", "id: inline-one"))
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    assert (catalogue.out / "inline-one.pdf").is_file() and (catalogue.out / "sample.pdf").is_file()


def test_bad_today_in_the_environment_is_a_usage_error(catalogue, capsys, monkeypatch):
    catalogue.leaflet(MINIMAL)
    monkeypatch.setenv("HANDOUTS_TODAY", "tomorrow")
    assert catalogue.build() == 2
    err = capsys.readouterr().err
    assert "HANDOUTS_TODAY='tomorrow' is not a date - write it as YYYY-MM-DD" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("section, suggestion", [("colors", "colours"), ("sizez", "sizes")])
def test_a_mistyped_brand_section_is_one_message(catalogue, capsys, section, suggestion):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text() + f"{section}:\n  text: '#000000'\n  link: '#000000'\n"
                     "  heading: '#000000'\n")
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "brand.yaml" in line]
    assert len(errors) == 1, errors
    assert f"unknown section '{section}' in brand template - did you mean '{suggestion}'?" \
        in errors[0]


def test_a_missing_template_is_said_once_at_the_line_that_names_it(catalogue, capsys):
    for name in ("one", "two", "three"):
        catalogue.leaflet(MINIMAL.replace("id: sample", f"id: {name}").replace(
            "summary:", "template: riverside-trsut\nsummary:"), name)
    catalogue.leaflet(MINIMAL)
    for command in (catalogue.build, catalogue.validate):
        assert command() == 1
        errors = [l for l in capsys.readouterr().err.splitlines() if "riverside-trsut" in l]
        assert len(errors) == 1, errors
        assert "leaflets/one.yaml:3:11: brand template 'riverside-trsut' not found" in errors[0]
        assert "did you mean 'riverside-trust'?" in errors[0]
        assert "lakeside-clinic" in errors[0]
    assert (catalogue.out / "sample.pdf").is_file()
