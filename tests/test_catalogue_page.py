"""The catalogue page's data and HTML, without a browser: what is listed, with which
status, which files are offered, and that content can never become markup."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import MINIMAL, REPO, page_as_built
from handouts import catalogue_page as cp
from handouts.cli import main
from handouts.content import load_catalogue
from handouts.outputs import ERROR, Failure, Manifest, leaflet_key, read_manifest

DAY = dt.date(2026, 11, 24)
EXAMPLES = "defaults:\n  template: riverside-trust\nleaflets:\n  - leaflets/*.yaml\n"
TRANSLATED = EXAMPLES + "translations:\n  - leaflets/translations/*.yaml\n"


def example_copy(root: Path, content: str = EXAMPLES) -> Path:
    """The example leaflets and brands under root, with a content.yaml of their own, so
    these tests do not change when the repository's catalogue gains more."""
    shutil.copytree(REPO / "leaflets", root / "leaflets", ignore=None if content == TRANSLATED
                    else shutil.ignore_patterns("translations"))
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content.yaml").write_text(content, encoding="utf-8")
    return root / "content.yaml"


def test_review_status_boundaries():
    assert cp.review(DAY - dt.timedelta(days=1), DAY, 90).state == "overdue"
    assert cp.review(DAY, DAY, 90).state == "due-soon"
    assert cp.review(DAY + dt.timedelta(days=90), DAY, 90).state == "due-soon"
    assert cp.review(DAY + dt.timedelta(days=91), DAY, 90).state == "current"
    assert cp.review(DAY, DAY, None).state == "current"  # review-due-soon: off


def test_review_labels_carry_the_date():
    review = cp.review(dt.date(2028, 9, 1), dt.date(2028, 11, 15), 90)
    assert (review.state, review.label) == ("overdue", "Overdue")
    assert "1 September 2028" in review.detail


def test_language_names_for_staff_and_patient():
    arabic = cp.language("ar")
    assert (arabic.name, arabic.direction, arabic.key) == ("Arabic", "rtl", "ar")
    assert arabic.native != arabic.name
    chinese = cp.language("zh-Hans")
    assert chinese.name == "Chinese (Simplified)" and chinese.key == "zh-Hans"
    assert cp.language("en-GB").key == "en"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The example catalogue built with its translations, large print of igrt, a booklet
    and a greyscale copy of wound-care; plus files no build wrote, which must never be
    offered: a copy under a leaflet's name, a broken PDF, a retired leaflet, notes."""
    content = example_copy(tmp_path_factory.mktemp("catalogue"), TRANSLATED)
    out = content.parent / "out"
    run = ["build", str(content), "--out", str(out), "--today", DAY.isoformat()]
    assert main(run) == 0
    assert main([*run, "--only", "igrt", "--variant", "large-print"]) == 0
    assert main([*run, "--only", "wound-care", "--variant", "booklet"]) == 0
    assert main([*run, "--only", "wound-care", "--grayscale"]) == 0
    shutil.copy(out / "igrt.pdf", out / "igrt.fr.pdf")  # no manifest names it
    shutil.copy(out / "igrt.pdf", out / "retired-leaflet.pdf")  # not in the catalogue
    (out / "igrt.de.pdf").write_bytes(b"%PDF-1.7 not really")
    (out / "igrt.notes.txt").write_text("not a leaflet")
    return out


def page_for(out: Path, on=DAY, built=(), failed=(), catalogue=None, current=None) -> cp.Page:
    """The page for out/ as a build would make it; `failed` adds failures to the manifest,
    `current` replaces the fingerprints of the leaflets' sources now."""
    manifest, _ = read_manifest(out)
    manifest = dataclasses.replace(manifest, failed=manifest.failed + tuple(
        Failure(key, "", ERROR) for key in failed))
    return page_as_built(out, on, built, manifest, current, catalogue)


def by_id(page: cp.Page) -> dict[str, cp.Entry]:
    return {e.id: e for e in page.entries}


def test_every_file_the_builds_wrote_is_listed_and_nothing_else(planted):
    page = page_for(planted)
    listed = {f.name for e in page.entries for f in e.files}
    written = {r.file for r in read_manifest(planted)[0].files if r.file.endswith(".pdf")}
    assert listed == written
    assert not {"igrt.fr.pdf", "retired-leaflet.pdf", "igrt.de.pdf"} & listed


def test_files_are_ordered_and_labelled(planted):
    igrt = by_id(page_for(planted))["igrt"]
    assert [f.name for f in igrt.files] == [
        "igrt.pdf", "igrt.large-print.pdf", "igrt.ar.pdf", "igrt.ar.large-print.pdf",
        "igrt.zh-Hans.pdf", "igrt.zh-Hans.large-print.pdf", "igrt.es.pdf",
        "igrt.es.large-print.pdf"]
    assert [f.label for f in igrt.files[:2]] == ["Standard", "Large print"]
    assert igrt.files[0].language.tag == "en-GB" and not igrt.files[0].translation
    assert [l.key for l in igrt.languages] == ["en", "ar", "zh-Hans", "es"]
    with pikepdf.open(planted / "igrt.pdf") as pdf:
        assert igrt.pages == igrt.files[0].pages == len(pdf.pages)
    wound = by_id(page_for(planted))["wound-care"]
    assert [f.label for f in wound.files] == ["Standard", "Standard, greyscale", "Booklet"]


def test_entries_sorted_by_title_and_filters_listed(planted):
    page = page_for(planted)
    assert [e.title for e in page.entries] == sorted((e.title for e in page.entries),
                                                     key=str.casefold)
    assert dict(page.languages) == {"ar": "Arabic", "en": "English",
                                    "zh-Hans": "Chinese (Simplified)", "es": "Spanish"}
    assert page.specialties == ("Gastroenterology", "Oncology", "Primary care", "Surgery")


def test_statuses_follow_the_review_date(planted):
    # colonoscopy: next review 2028-09-01; high-blood-pressure: 2027-10-01;
    # igrt: 2029-02-02; wound-care: 2029-06-01.
    entries = by_id(page_for(planted, on=dt.date(2028, 11, 15)))
    assert {i: e.review.state for i, e in entries.items()} == {
        "colonoscopy": "overdue", "high-blood-pressure": "overdue", "igrt": "due-soon",
        "wound-care": "current"}


def test_overdue_files_are_offered_only_when_this_build_issued_them(planted):
    # The PDFs in out/ are from a build before the review date: without this build
    # issuing the leaflet (--allow-overdue), they lack the "Review overdue" mark.
    refused = by_id(page_for(planted, on=dt.date(2028, 11, 15)))["colonoscopy"]
    assert refused.files == () and refused.thumbnail is None
    assert "past its review date" in refused.unavailable and "Lead Nurse" in refused.unavailable
    issued = by_id(page_for(planted, on=dt.date(2028, 11, 15), built=["colonoscopy"]))
    assert issued["colonoscopy"].files and issued["colonoscopy"].unavailable is None
    assert issued["colonoscopy"].review.state == "overdue"


def test_an_overdue_leaflet_built_with_allow_overdue_is_offered_and_marked(catalogue):
    catalogue.leaflet(MINIMAL)  # next review 2029-01-10
    assert catalogue.build("--today", "2029-02-01") == 1  # refused
    assert "past its review date" in (catalogue.out / "index.html").read_text()
    assert catalogue.build("--today", "2029-02-01", "--allow-overdue") == 0
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "Built although overdue" in html and 'href="sample.pdf"' in html
    assert catalogue.build("--today", "2029-02-01") == 1  # refused again: the file stays ...
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert (catalogue.out / "sample.pdf").is_file() and 'href="sample.pdf"' not in html  # ...


def test_failed_and_unbuilt_leaflets_are_not_offered(planted, tmp_path):
    failed = by_id(page_for(planted, failed=["igrt"]))["igrt"]
    assert failed.files == () and "failed" in failed.unavailable
    catalogue = load_catalogue(planted.parent / "content.yaml")
    empty = by_id(cp.page_data(catalogue, tmp_path, DAY, Manifest(), lambda l: None))["igrt"]
    assert empty.files == () and "not been built" in empty.unavailable


def test_a_failed_translation_is_left_off_and_the_rest_offered(planted):
    igrt = by_id(page_for(planted, failed=["igrt.es"]))["igrt"]
    assert [f.name for f in igrt.files] == [
        "igrt.pdf", "igrt.large-print.pdf", "igrt.ar.pdf", "igrt.ar.large-print.pdf",
        "igrt.zh-Hans.pdf", "igrt.zh-Hans.large-print.pdf"]


def test_translations_in_the_catalogue_add_their_titles_and_staleness(planted):
    from handouts.model import Translation  # from the languages work
    catalogue = load_catalogue(planted.parent / "content.yaml")
    igrt = next(l for l in catalogue.leaflets if l.id == "igrt")
    about = Translation(source_language="en-GB", source_version="2", current_version="3",
                        translator="Servicio de traducción", translated=dt.date(2026, 1, 5),
                        stale=True)
    spanish = dataclasses.replace(igrt, language="es", title="Radioterapia guiada por imagen",
                                  keywords=("radiación",), translation=about)
    catalogue.translations = [spanish]
    sources = {r.key: r.source for r in read_manifest(planted)[0].files}  # all as built
    page = page_for(planted, catalogue=catalogue, current=lambda l: sources[leaflet_key(l)])
    entry = by_id(page)["igrt"]
    row = next(f for f in entry.files if f.name == "igrt.es.pdf")
    assert (row.title, row.stale_from) == ("Radioterapia guiada por imagen", "2")
    assert "radiación" in entry.search_text
    html = cp.render_page(page)
    assert 'lang="es" dir="ltr">Radioterapia guiada por imagen<' in html
    assert "Out of date: translated from version 2; the leaflet is now version 3." in html


def test_search_text_holds_title_code_keywords_and_summary(planted):
    igrt = by_id(page_for(planted))["igrt"]
    for part in (igrt.title, igrt.code, "cone-beam CT", igrt.summary):
        assert part in igrt.search_text


def test_thumbnails_are_small_and_deterministic(planted):
    first = cp.thumbnail(planted / "igrt.pdf")
    assert first.startswith(b"\x89PNG") and first == cp.thumbnail(planted / "igrt.pdf")
    assert int.from_bytes(first[16:20], "big") == cp.THUMB_WIDTH


# ---- written by `handouts build` --------------------------------------------------------

def test_build_writes_a_self_contained_page(planted, tmp_path):
    example_out = tmp_path / "out"
    assert main(["build", str(planted.parent / "content.yaml"), "--out", str(example_out)]) == 0
    names = {p.relative_to(example_out).as_posix() for p in example_out.rglob("*")
             if p.is_file() and p.suffix not in (".pdf", ".html", ".txt")
             or p.name == "index.html"}
    assert names == {"index.html", "catalogue.css", "catalogue.js", "manifest.json",
                     "thumbs/colonoscopy.png",
                     "thumbs/high-blood-pressure.png", "thumbs/igrt.png", "thumbs/wound-care.png"}
    html = (example_out / "index.html").read_text(encoding="utf-8")
    for text in (html, (example_out / "catalogue.css").read_text(),
                 (example_out / "catalogue.js").read_text()):
        assert not re.search(r"https?:|//[a-z]|@import|url\(", text), "page loads from outside"
    for ref in re.findall(r'(?:href|src)="([^"#]+)"', html):
        assert (example_out / ref).is_file(), ref


def test_build_prints_the_page(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    assert re.search(r"^page\s.*index\.html$", capsys.readouterr().out, re.M)


def test_page_lists_every_leaflet_after_a_partial_build(catalogue):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other")
                      .replace("Having a sample test", "Another test"), "other")
    assert catalogue.build("--only", "other") == 0
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "Having a sample test" in html and "not been built yet" in html


def test_content_is_escaped(catalogue):
    title = 'Drops <script>alert("x")</script> & "sprays"'
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test", f"title: '{title}'")
                      .replace("summary: What happens", "summary: <img src=x onerror=alert(1)>"))
    assert catalogue.build() == 0
    html = (catalogue.out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Drops &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;sprays&#34;" in html
    assert html.count("<script") == 1  # only the page's own catalogue.js


def test_a_page_that_cannot_be_written_is_reported(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    (catalogue.out / "index.html").mkdir(parents=True)  # a folder where the page should go
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "could not write the catalogue page" in err and "Traceback" not in err
    assert (catalogue.out / "sample.pdf").is_file()


def test_a_broken_catalogue_keeps_the_last_page(tmp_path):
    content = tmp_path / "content.yaml"
    content.write_text("leaflets: []\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("last good page")
    path, problems = cp.write_catalogue_page(load_catalogue(content), tmp_path / "out", DAY,
                                             Manifest(), lambda l: None)
    assert path is None and problems == []
    assert (tmp_path / "out" / "index.html").read_text() == "last good page"
