"""Incremental builds (issue 12.1): an output whose build key is unchanged is neither
rebuilt nor rewritten; any change to what it is made from rebuilds it; every PDF says in
its metadata which source and tool made it."""
from __future__ import annotations

import json
import re
import shutil

import pikepdf

from conftest import MINIMAL, REPO
from handouts.cli import main
from handouts.outputs import MANIFEST, tool_version

OTHER = (MINIMAL.replace("id: sample", "id: other").replace("PIL-9001", "PIL-9002")
         .replace("Having a sample test", "Another test"))


def stamps(catalogue) -> dict[str, int]:
    """file -> modification time in ns: a rewrite shows even when the bytes are equal."""
    return {p.name: p.stat().st_mtime_ns for p in catalogue.out.glob("*.pdf")}


def every_stamp(catalogue) -> dict[str, int]:
    """The same for every file in out/: PDFs, companions, the manifest and the page."""
    return {p.name: p.stat().st_mtime_ns for p in catalogue.out.rglob("*") if p.is_file()}


def summary(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_a_rebuild_with_no_change_writes_nothing(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    before, thumbs = stamps(catalogue), (catalogue.out / "thumbs" / "sample.png").stat()
    capsys.readouterr()
    assert catalogue.build() == 0
    assert summary(capsys) == "0 built, 2 unchanged"
    assert stamps(catalogue) == before
    assert (catalogue.out / "thumbs" / "sample.png").stat().st_mtime_ns == thumbs.st_mtime_ns


def test_a_rebuild_with_no_change_rewrites_no_file_at_all(catalogue, monkeypatch):
    """Nor the manifest, the catalogue page or its CSS and JS; and with --jobs 2 it
    starts no worker process (handing a thousand unchanged leaflets to a pool took half
    a second)."""
    import multiprocessing

    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build("--jobs", "2") == 0
    before = every_stamp(catalogue)
    assert {"manifest.json", "index.html", "catalogue.css", "sample.html"} <= set(before)

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started with nothing to make")
    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", no_pool)
    assert catalogue.build("--jobs", "2") == 0
    assert every_stamp(catalogue) == before


def test_a_changed_or_damaged_catalogue_page_is_written_again(catalogue):
    """The page is kept only when its key (a hash of what it shows, and of the code) and
    the hash of the rest of the file both match."""
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    page = catalogue.out / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Having a sample test", b"Having a wrong test"))
    assert catalogue.build() == 0
    assert page.read_bytes() == good
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    assert b"Another test" in page.read_bytes()


def test_a_changed_leaflet_rebuilds_only_itself(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build() == 0
    before = stamps(catalogue)
    catalogue.leaflet(MINIMAL.replace("Second point", "Second point, changed"))
    capsys.readouterr()
    assert catalogue.build() == 0
    assert summary(capsys) == "1 built, 1 unchanged"
    after = stamps(catalogue)
    assert after["other.pdf"] == before["other.pdf"] and after["sample.pdf"] != before["sample.pdf"]


def test_a_changed_brand_rebuilds_only_its_leaflets(catalogue, capsys):
    shutil.copytree(REPO / "templates" / "riverside-trust", catalogue.root / "templates" / "copy")
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER.replace("governance:", "template: copy\ngovernance:"), "other")
    assert catalogue.build() == 0
    before = stamps(catalogue)
    brand = catalogue.root / "templates" / "copy" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    assert "organisation:" in text
    brand.write_text(re.sub(r"organisation: .*", "organisation: Riverside Renamed Trust", text,
                            count=1), encoding="utf-8")
    capsys.readouterr()
    assert catalogue.build() == 0
    assert summary(capsys) == "1 built, 1 unchanged"
    after = stamps(catalogue)
    assert after["sample.pdf"] == before["sample.pdf"] and after["other.pdf"] != before["other.pdf"]


def test_a_changed_option_or_a_tampered_file_rebuilds(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    original = (catalogue.out / "sample.pdf").read_bytes()
    assert catalogue.build("--page-size", "Letter") == 0  # same file name, other options
    assert (catalogue.out / "sample.pdf").read_bytes() != original
    assert catalogue.build() == 0
    assert (catalogue.out / "sample.pdf").read_bytes() == original  # deterministic
    (catalogue.out / "sample.pdf").write_bytes(original[:-10] + b"tampered\n\n")
    capsys.readouterr()
    assert catalogue.build() == 0
    assert summary(capsys) == "1 built"
    assert (catalogue.out / "sample.pdf").read_bytes() == original


def test_an_overdue_mark_is_part_of_the_key(catalogue, capsys):
    catalogue.leaflet(MINIMAL)  # next review 2029-01-10
    assert catalogue.build() == 0
    capsys.readouterr()
    assert catalogue.build("--today", "2029-02-01", "--allow-overdue") == 0
    assert summary(capsys) == "1 built"  # now with "Review overdue" on every page


def test_every_pdf_records_its_build_key_code_version_and_tool(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "standard", "--variant", "booklet") == 0
    records = {r["file"]: r for r in
               json.loads((catalogue.out / MANIFEST).read_text(encoding="utf-8"))["files"]}
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        xmp = pdf.open_metadata()
        ns = "{https://handouts.invalid/ns/build/1.0/}"
        assert xmp[f"{ns}buildKey"] == records["sample.pdf"]["build_key"]
        assert (xmp[f"{ns}leafletCode"], xmp[f"{ns}leafletVersion"]) == ("PIL-9001", "2")
        assert xmp[f"{ns}toolVersion"] == tool_version()
        assert str(pdf.docinfo["/HandoutsBuildKey"]) == records["sample.pdf"]["build_key"]
        assert b"handouts build record" in pdf.Root.Metadata.read_bytes()  # PDF/A schema
    with pikepdf.open(catalogue.out / "sample.booklet.pdf") as booklet:  # untagged: Info
        assert str(booklet.docinfo["/HandoutsBuildKey"]) == records["sample.booklet.pdf"][
            "build_key"]
        assert str(booklet.docinfo["/HandoutsLeafletCode"]) == "PIL-9001"


# ---- parallel builds (issue 12.2) ---------------------------------------------------------

def test_jobs_give_the_same_bytes_and_one_failure_touches_no_other(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    catalogue.leaflet(OTHER.replace("id: other", "id: broken").replace("A sample helps",
                                                                       "A sample 🧪 helps"),
                      "broken")
    catalogue.leaflet(OTHER.replace("id: other", "id: lost").replace(
        "governance:", "template: no-such-brand\ngovernance:"), "lost")
    catalogue.leaflet(OTHER.replace("id: other", "id: lost-too").replace(
        "governance:", "template: no-such-brand\ngovernance:"), "lost-too")
    results = {}
    for jobs in ("1", "2"):
        out = catalogue.root / f"out-{jobs}"
        capsys.readouterr()
        code = main(["build", str(catalogue.root / "content.yaml"), "--out", str(out),
                     "--jobs", jobs, "--variant", "standard", "--variant", "large-print"])
        captured = capsys.readouterr()
        results[jobs] = (code, captured.out.splitlines()[-1], captured.err,
                         {p.name: p.read_bytes() for p in out.glob("*.pdf")},
                         (out / MANIFEST).read_bytes(), (out / "index.html").read_bytes())
    assert results["1"] == results["2"]
    code, summary, err, pdfs, _, _ = results["2"]
    assert code == 1 and summary.startswith("4 built, 3 failed")
    assert set(pdfs) == {"sample.pdf", "sample.large-print.pdf", "other.pdf",
                         "other.large-print.pdf"}
    assert err.count("brand template 'no-such-brand' not found") == 1  # said once


def test_jobs_must_be_a_positive_number(capsys):
    assert main(["build", "--jobs", "0"]) == 2
    assert "not a number of processes" in capsys.readouterr().err


def test_a_fault_in_the_tool_fails_one_leaflet_not_the_run(catalogue, capsys, monkeypatch):
    """A bug met by one leaflet (here: layout raising for it) is reported as a bug at that
    leaflet's file, and every other leaflet, the manifest and the page are still written."""
    import handouts.layout.story as pipeline  # build.py asks the layout package for it
    real = pipeline.lay_out

    def faulty(leaflet, brand, options):
        if leaflet.id == "other":
            raise IndexError("list index out of range")
        return real(leaflet, brand, options)
    monkeypatch.setattr(pipeline, "lay_out", faulty)
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    capsys.readouterr()
    assert catalogue.build("--jobs", "1") == 1
    err = capsys.readouterr().err
    assert re.search(r"other\.yaml:1:1: leaflet 'other' could not be built: an internal "
                     r"error in handouts \(IndexError: list index out of range\) - this is a "
                     r"bug", err), err
    assert "Traceback" not in err
    assert (catalogue.out / "sample.pdf").is_file() and (catalogue.out / "index.html").is_file()
    assert not (catalogue.out / "other.pdf").exists()


# ---- progress on long builds (issue 12.3) -------------------------------------------------

def test_lines_are_printed_as_each_leaflet_finishes(catalogue, capsys, monkeypatch):
    """Not all at the end: when leaflet 2 starts, leaflet 1's line is already out."""
    import handouts.layout.story as pipeline  # build.py asks the layout package for it
    real, seen = pipeline.lay_out, []

    def watching(leaflet, brand, options):
        seen.append((leaflet.id, capsys.readouterr().out))
        return real(leaflet, brand, options)
    monkeypatch.setattr(pipeline, "lay_out", watching)
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    assert catalogue.build("--jobs", "1") == 0
    assert [i for i, _ in seen] == ["other", "sample"]
    assert seen[1][1].startswith("built  other ")


def test_quiet_and_verbose(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER.replace("A sample helps", "A sample 🧪 helps"), "other")
    capsys.readouterr()
    assert catalogue.build("--quiet") == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["1 built, 1 failed (other)"]
    assert "no glyph" in captured.err  # problems are never hidden
    assert catalogue.build("--verbose") == 1
    out = capsys.readouterr().out
    assert re.search(r"^same   sample .*\(build key unchanged\) sample\.pdf$", out, re.M)


def test_a_terminal_gets_a_progress_bar_on_stderr(catalogue, capsys, monkeypatch):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(OTHER, "other")
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    capsys.readouterr()
    assert catalogue.build("--jobs", "1") == 0
    captured = capsys.readouterr()
    assert "/2 [" in captured.err and "leaflet/s" in captured.err  # done of total, rate, ETA
    assert "built  sample" in captured.out and "built  other" in captured.out
