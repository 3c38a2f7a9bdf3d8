"""out/manifest.json: only files made from the current source are offered (issue 9.4), a
failed leaflet stays listed (9.5), and the commands agree on review status (9 "one home").

Each test builds for real, then reads back what a nurse or a committee would see: the
catalogue page's links, the register's rows, and the files left in out/.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import MINIMAL, page_texts, with_blocks
from handouts.cli import main
from handouts.outputs import MANIFEST, OUTPUT_NAME, output_name

OTHER = (MINIMAL.replace("id: sample", "id: other").replace("PIL-9001", "PIL-9002")
         .replace("Having a sample test", "Another test"))


def links(out: Path) -> set[str]:
    """The PDFs the catalogue page offers."""
    html = (out / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'href="([^"]+\.pdf)"', html))


def manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def register_rows(capsys, catalogue, *extra: str) -> list[dict]:
    capsys.readouterr()
    main(["register", str(catalogue.root / "content.yaml"), "--out", str(catalogue.out),
          "--format", "csv", *extra])
    text = capsys.readouterr().out
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def check_rules(capsys, catalogue) -> list[str]:
    """The rule of every finding `handouts check` gives."""
    capsys.readouterr()
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return [f["rule"] for group in report["leaflets"] + report["files"]
            for f in group["findings"]]


def bump(catalogue, text: str = MINIMAL, version: str = "3", name: str = "sample") -> None:
    catalogue.leaflet(text.replace('version: "2"', f'version: "{version}"')
                      .replace("A sample helps", f"Version {version} of a sample helps"), name)


def test_a_version_bump_removes_the_old_formats_and_offers_only_the_new(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    assert catalogue.build("--variant", "large-print", "--variant", "booklet") == 0
    assert catalogue.build("--grayscale") == 0
    assert links(catalogue.out) == {"sample.pdf", "sample.large-print.pdf",
                                    "sample.booklet.pdf", "sample.grayscale.pdf"}
    bump(catalogue)
    capsys.readouterr()
    assert catalogue.build() == 0  # a plain build: the standard PDF only
    out = capsys.readouterr().out
    assert links(catalogue.out) == {"sample.pdf"}
    left = {p.name for p in catalogue.out.glob("*.pdf")}
    assert left == {"sample.pdf"}, "version 2's large print, booklet and greyscale are stale"
    # the three PDFs and the large print's two companions (the standard ones are rewritten)
    assert out.count("removed ") == 5 and "sample.large-print.pdf" in out
    assert "sample.large-print.html" in out and "sample.large-print.txt" in out
    assert "Version 3 of a sample helps" in " ".join(page_texts(catalogue.out / "sample.pdf"))
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "<dd>3</dd>" in html
    [record] = [r for r in manifest(catalogue.out)["files"] if r["file"].endswith(".pdf")]
    assert (record["file"], record["version"], record["code"]) == ("sample.pdf", "3", "PIL-9001")


def test_a_changed_text_without_a_version_bump_is_not_offered_until_built(catalogue):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    catalogue.leaflet(MINIMAL.replace("First point", "First point, corrected"))
    assert catalogue.build("--only", "other") == 0
    # sample.pdf was not covered, so it stays, but it no longer says what the source says
    assert (catalogue.out / "sample.pdf").is_file()
    assert links(catalogue.out) == {"other.pdf"}
    assert catalogue.build("--only", "sample") == 0
    assert links(catalogue.out) == {"other.pdf", "sample.pdf"}


def test_only_and_variant_keep_the_current_files_they_do_not_cover(catalogue):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    assert catalogue.build("--only", "sample", "--variant", "large-print") == 0
    assert catalogue.build("--only", "other") == 0
    assert links(catalogue.out) == {"sample.pdf", "sample.large-print.pdf", "other.pdf"}
    assert {r["file"] for r in manifest(catalogue.out)["files"]
            if r["file"].endswith(".pdf")} == links(catalogue.out)


def test_clean_removes_what_no_manifest_lists_and_nothing_else(catalogue, tmp_path):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    catalogue.out.joinpath("sample.fr.pdf").write_bytes(b"%PDF-1.7 planted")
    catalogue.out.joinpath("retired.pdf").write_bytes(b"%PDF-1.7 from an old catalogue")
    catalogue.out.joinpath(".sample.pdf.x1.part").write_bytes(b"half")
    catalogue.out.joinpath("notes.txt").write_text("the team's notes")
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF-1.7 outside")
    catalogue.out.joinpath("linked.pdf").symlink_to(outside)
    assert catalogue.build() == 0
    assert catalogue.out.joinpath("sample.fr.pdf").is_file()  # a plain build leaves them
    assert links(catalogue.out) == {"sample.pdf"}  # ... and never offers them
    assert catalogue.build("--clean") == 0
    names = {p.name for p in catalogue.out.iterdir()}
    assert names == {"sample.pdf", "sample.html", "sample.txt", "notes.txt", "index.html",
                     "catalogue.css", "catalogue.js", MANIFEST, "thumbs"}
    assert outside.read_bytes() == b"%PDF-1.7 outside"  # the link went, not its target


def test_clean_refuses_a_folder_that_holds_the_content(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    code = main(["build", str(catalogue.root / "content.yaml"), "--out",
                 str(catalogue.root), "--clean"])
    assert code == 1
    assert "holds the content being built" in capsys.readouterr().err
    assert (catalogue.root / "content.yaml").is_file()


def test_a_manifest_naming_files_elsewhere_is_never_followed(catalogue, tmp_path):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"keep me")
    data = manifest(catalogue.out)
    data["files"].append({**data["files"][0], "file": "../victim.pdf", "version": "1"})
    (catalogue.out / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    assert catalogue.build("--clean") == 0
    assert victim.read_bytes() == b"keep me"


def test_an_unreadable_manifest_offers_nothing_old_and_is_rewritten(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    (catalogue.out / MANIFEST).write_text("{not json", encoding="utf-8")
    capsys.readouterr()
    assert catalogue.build("--only", "other") == 0
    assert "output manifest cannot be read" in capsys.readouterr().err
    assert links(catalogue.out) == {"other.pdf"}  # sample.pdf is unknown, so not offered
    assert manifest(catalogue.out)["schema"] == "handouts-manifest/1"


def test_the_manifest_is_deterministic(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    first = (catalogue.out / MANIFEST).read_bytes()
    assert catalogue.build() == 0
    assert (catalogue.out / MANIFEST).read_bytes() == first
    record = json.loads(first)["files"][0]
    assert set(record) == {"file", "id", "language", "translation", "variant", "grayscale",
                           "code", "version", "title", "source_file", "source", "build_key",
                           "sha256", "pages", "size"}
    assert record["source_file"] == "leaflets/sample.yaml" and len(record["source"]) == 64
    assert not list(catalogue.out.glob("*.part"))


def test_a_leaflet_with_an_error_stays_listed_as_not_available(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    catalogue.leaflet(MINIMAL.replace("[@nhs-sample]", "[@nhs-sampel]"))  # now an error
    assert catalogue.build() == 1
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "Having a sample test" in html and "PIL-9001" in html
    assert "Not available for printing: build error" in html
    assert "2 leaflets" in html  # not "1 leaflet": it did not vanish
    assert links(catalogue.out) == {"other.pdf"}
    assert not (catalogue.out / "sample.pdf").exists(), "its old PDF is stale: removed"
    rows = {r["id"]: r for r in register_rows(capsys, catalogue)}
    assert rows["sample"]["status"] == "error" and rows["sample"]["code"] == "PIL-9001"
    assert rows["other"]["status"] == "current"


def test_a_leaflet_that_fails_to_build_shows_error_in_the_register(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER.replace("A sample helps", "A sample 🧪 helps"), "other")
    assert catalogue.build() == 1  # the emoji has no glyph: other fails at layout
    rows = {r["id"]: r for r in register_rows(capsys, catalogue)}
    assert rows["other"]["status"] == "error" and rows["other"]["output"] == ""
    assert rows["sample"]["status"] == "current" and rows["sample"]["output"]
    assert catalogue.build("--only", "sample") == 0  # other was not covered: still failed
    rows = {r["id"]: r for r in register_rows(capsys, catalogue)}
    assert rows["other"]["status"] == "error"


def test_a_file_that_does_not_parse_is_listed_too(catalogue):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    (catalogue.root / "leaflets" / "other.yaml").write_text("id: other\ntitle: [unclosed\n")
    assert catalogue.build() == 1
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "Another test" in html and "build error" in html


def test_review_status_has_one_home(catalogue, capsys):
    # due in 44 days; the lead time is 30 days: current everywhere, never "due soon"
    catalogue.write_content("checks:\n  review-due-soon: 30\n")
    catalogue.leaflet(MINIMAL.replace("last_reviewed: 2026-01-10",
                                      "last_reviewed: 2026-01-10\n  next_review: 2027-01-07"))
    assert catalogue.build() == 0
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "badge-current" in html and "badge-due-soon" not in html
    assert "within 30 days" in html
    assert [r["status"] for r in register_rows(capsys, catalogue)] == ["current"]
    assert check_rules(capsys, catalogue).count("review-due-soon") == 0
    # with the lead time at 60 days all three say due soon
    catalogue.write_content("checks:\n  review-due-soon: 60\n")
    assert catalogue.build() == 0
    assert "badge-due-soon" in (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert [r["status"] for r in register_rows(capsys, catalogue)] == ["due soon"]
    assert check_rules(capsys, catalogue).count("review-due-soon") == 1


@pytest.mark.parametrize("name, expected", [
    ("igrt.pdf", ("igrt", None, None, None)),
    ("igrt.es.pdf", ("igrt", "es", None, None)),
    ("igrt.zh-Hans.pdf", ("igrt", "zh-Hans", None, None)),
    ("igrt.es-419.large-print.pdf", ("igrt", "es-419", "large-print", None)),
    ("wound-care.booklet.pdf", ("wound-care", None, "booklet", None)),
    ("wound-care.large-print.grayscale.pdf", ("wound-care", None, "large-print", ".grayscale")),
])
def test_output_names_read_back(name, expected):
    match = OUTPUT_NAME.match(name)
    assert match and (match["id"], match["lang"], match["variant"], match["grey"]) == expected
    leaflet_id, lang, variant, grey = expected
    assert output_name(leaflet_id, lang, variant, grayscale=bool(grey)) == name


@pytest.mark.parametrize("name", ["igrt.txt", ".igrt.pdf.x1.part", "igrt.notalang.pdf",
                                  "Igrt.pdf", "igrt.pdf.bak", "index.html"])
def test_other_files_are_not_outputs(name):
    assert not OUTPUT_NAME.match(name)


def test_a_broken_translation_file_is_not_listed_as_a_leaflet(catalogue):
    catalogue.write_content("translations:\n  - leaflets/translations/*.yaml\n")
    catalogue.leaflet(MINIMAL)
    (catalogue.root / "leaflets" / "translations").mkdir()
    (catalogue.root / "leaflets" / "translations" / "sample.es.yaml").write_text(
        "translates: sample\nlanguage: [es\n", encoding="utf-8")
    assert catalogue.build() == 1
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "1 leaflet<" in html and "sample.es.yaml" not in html
    assert links(catalogue.out) == {"sample.pdf"}


def test_a_failed_build_with_another_brand_keeps_the_good_files(catalogue, capsys):
    """`--template lakeside-clinic` fails for a UK phone number; the leaflet's own PDFs
    from the last good build stay in out/ (not offered while it is failed)."""
    catalogue.leaflet(with_blocks("- contact:\n    name: Clinic\n    phone: 020 7946 0199\n"))
    assert catalogue.build() == 0
    assert catalogue.build("--template", "lakeside-clinic") == 1
    assert (catalogue.out / "sample.pdf").is_file()
    assert "sample.pdf" in {r["file"] for r in manifest(catalogue.out)["files"]}
    assert links(catalogue.out) == set()  # failed: not offered
    assert catalogue.build() == 0
    assert links(catalogue.out) == {"sample.pdf"}
