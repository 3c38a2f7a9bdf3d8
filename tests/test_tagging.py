"""Tagged PDF/UA-1 output, checked by our own conformance checks and an independent reader."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pikepdf
from PIL import Image
import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from conftest import REPO, squash, with_blocks
from handouts.brand import load_brand
from handouts.content import load_catalogue
from handouts.layout import lay_out
from pdfcheck import check_pdf, iter_elements, read_tree

EXAMPLES = ["igrt", "colonoscopy", "high-blood-pressure", "wound-care"]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None and os.environ.get("CI") != "true",
    reason="poppler-utils is not installed (apt-get install poppler-utils); CI installs it")


def tree_of(path):
    pdf = pikepdf.open(path)  # left open: the elements read from it live as long as it does
    tree = read_tree(pdf)
    tree.pdf = pdf
    return tree, list(iter_elements(tree))


def texts_by_role(path) -> dict[str, list[str]]:
    """Role -> the text of each element with that role, via poppler's structure reader."""
    output = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                            text=True, check=True).stdout
    result: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []
    for line in output.splitlines():
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if body.startswith('"'):
            for _, role in stack:
                result.setdefault(role, [""])[-1] += body.strip('"')
        elif body and not body.startswith("/") and not body.startswith("Object"):
            role = re.split(r"[ :(]", body)[0]
            stack.append((indent, role))
            result.setdefault(role, []).append("")
    return {role: [squash(t) for t in texts] for role, texts in result.items()}


@pytest.mark.parametrize("leaflet_id", EXAMPLES)
def test_example_leaflets_pass_the_conformance_checks(example_out, leaflet_id):
    assert check_pdf(example_out / f"{leaflet_id}.pdf") == []


def test_the_checks_fail_on_an_untagged_pdf(tmp_path):
    """The same leaflet drawn by a plain ReportLab canvas must fail, or the checks prove nothing."""
    from handouts.pdf.tags import link_target

    class PlainCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setNamedCB("ua", lambda *a: None)

        def linkURL(self, url, rect, *args, **kwargs):  # a link's target names its Link
            return super().linkURL(link_target(url)[0], rect, *args, **kwargs)

    leaflet = next(l for l in load_catalogue(REPO / "content.yaml").leaflets if l.id == "igrt")
    story = lay_out(leaflet, load_brand(REPO / "templates", leaflet.template))
    path = tmp_path / "untagged.pdf"
    BaseDocTemplate(str(path), pagesize=story.geometry.size, pageTemplates=story.templates,
                    invariant=1).build(story.flowables, canvasmaker=PlainCanvas)
    failures = check_pdf(path)
    joined = "\n".join(failures)
    assert "'Tj' is neither tagged nor an artifact" in joined
    assert "no StructTreeRoot" in joined
    assert "MarkInfo /Marked is not true" in joined
    assert "standard-14 font Helvetica" in joined


def test_tree_shape_of_the_igrt_leaflet(example_out):
    leaflet = next(l for l in load_catalogue(REPO / "content.yaml").leaflets if l.id == "igrt")
    tree, elements = tree_of(example_out / "igrt.pdf")
    document = tree.kids[0]
    assert document.role == "Document"
    roles = [e.role for e in elements]
    assert roles.count("H1") == 1 and document.kids[0].role == "H1"
    headings = [e for e in elements if e.role in ("H2", "H3")]
    assert len(headings) == len(list(leaflet.walk_sections())) + 5  # + References, Contact us...
    for role in ("L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Figure", "Link",
                 "Reference", "Caption"):
        assert role in roles, role
    for li in (e for e in elements if e.role == "LI"):
        assert [k.role for k in li.kids if not isinstance(k, tuple)] == ["Lbl", "LBody"]
    for table in (e for e in elements if e.role == "Table"):
        rows = [k for k in table.kids if not isinstance(k, tuple) and k.role == "TR"]
        assert {k.role for k in rows[0].kids} == {"TH"}
        assert all({k.role for k in r.kids} == {"TD"} for r in rows[1:])
    figure = next(e for e in elements if e.role == "Figure")
    expected_alt = next(b.alt for s in leaflet.walk_sections() for b in s.blocks
                        if type(b).__name__ == "Figure")
    assert str(figure.obj.Alt) == expected_alt
    callouts = [e for e in elements if e.obj.get("/S") == "/Callout"]
    assert callouts and all(e.role == "Div" for e in callouts)  # role-mapped
    for link in (e for e in elements if e.role == "Link"):
        assert any(isinstance(k, tuple) and k[0] == "objr" for k in link.kids)


def test_catalog_and_metadata(example_out):
    with pikepdf.open(example_out / "igrt.pdf") as pdf:
        assert pdf.pdf_version >= "1.7"
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "Image-guided radiation therapy (IGRT)</rdf:li>" in xmp
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        titles = []
        item = pdf.Root.Outlines.First
        while item is not None:
            titles.append(str(item.Title))
            item = item.get("/Next")
        assert titles == ["Image-guided radiation therapy (IGRT)"]
        first = pdf.Root.Outlines.First
        children = []
        item = first.get("/First")
        while item is not None:
            children.append(str(item.Title))
            item = item.get("/Next")
        assert "What is IGRT?" in children and "References" in children
        for page in pdf.pages:
            if "/Annots" in page.obj:
                assert page.obj.Tabs == "/S"


def test_a_paragraph_split_across_pages_stays_one_element(catalogue):
    words = " ".join(f"word{n}" for n in range(1400))
    catalogue.leaflet(with_blocks(f"- paragraph: {words}\n"))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert check_pdf(path) == []
    _, elements = tree_of(path)
    long_p = next(e for e in elements if e.role == "P" and len(e.kids) > 1 and
                  len({k[1] for k in e.kids if isinstance(k, tuple)}) > 1)
    assert len({k[1] for k in long_p.kids}) >= 2  # marked content on two pages, one P


def test_repeated_table_header_is_an_artifact(catalogue):
    rows = "".join(f"      - [Day {n}, Something happens on day {n}]\n" for n in range(70))
    catalogue.leaflet(with_blocks("- table:\n    header: [When, What]\n    rows:\n" + rows))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert check_pdf(path) == []
    _, elements = tree_of(path)
    headers = [e for e in elements if e.role == "TH"]
    assert len(headers) == 2
    assert all(len(e.kids) == 1 for e in headers)  # tagged once, though drawn on each page
    cells = [e for e in elements if e.role == "TD"]
    assert len(cells) == 140 and {k[1] for e in cells for k in e.kids} >= {0, 1}


def test_decorative_image_is_an_artifact_and_informative_one_a_figure(catalogue):
    Image.new("RGB", (1200, 300), (230, 190, 150)).save(catalogue.root / "leaflets" / "a.png")
    catalogue.leaflet(with_blocks("- figure: a.png\n  decorative: true\n"))
    assert catalogue.build() == 0
    assert check_pdf(catalogue.out / "sample.pdf") == []
    _, elements = tree_of(catalogue.out / "sample.pdf")
    figures = [str(e.obj.Alt) for e in elements if e.role == "Figure"]
    assert all(alt.startswith("QR code linking to") for alt in figures)  # the brand's QR only


@needs_poppler
def test_poppler_reads_headings_lists_and_cells_in_reading_order(example_out):
    roles = texts_by_role(example_out / "igrt.pdf")
    leaflet = next(l for l in load_catalogue(REPO / "content.yaml").leaflets if l.id == "igrt")
    assert roles["H1"] == [leaflet.title]
    headings = [s.heading for s in leaflet.walk_sections()]
    found = [h for h in roles["H2"] + roles.get("H3", []) if h in headings]
    assert set(found) == set(headings)
    assert [h for h in roles["H2"] if h in headings] == [s.heading for s in leaflet.sections]
    first_list = next(b for s in leaflet.walk_sections() for b in s.blocks
                      if type(b).__name__ == "Bullets")
    bodies = roles["LBody"]
    start = bodies.index(squash(first_list.items[0].plain))
    assert bodies[start:start + len(first_list.items)] == [squash(i.plain) for i in first_list.items]
    table = next(b for s in leaflet.walk_sections() for b in s.blocks if type(b).__name__ == "Table")
    assert roles["TH"][:len(table.header)] == [squash(h.plain) for h in table.header]
    assert roles["TD"][:len(table.header)] == [squash(c.plain) for c in table.rows[0]]


@needs_poppler
def test_words_do_not_run_together_at_line_breaks(example_out):
    text = squash(subprocess.run(["pdftotext", str(example_out / "igrt.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    structure = " ".join(" ".join(v) for v in texts_by_role(example_out / "igrt.pdf").values())
    leaflet = next(l for l in load_catalogue(REPO / "content.yaml").leaflets if l.id == "igrt")
    first_paragraph = squash(leaflet.sections[0].blocks[0].text.plain)
    assert first_paragraph in structure
    assert first_paragraph[:60] in text


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "handouts", "build", str(REPO / "content.yaml"),
                        "--out", str(out), "--only", "igrt"], check=True, env=env,
                       capture_output=True)
        outputs.append((out / "igrt.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_a_run_in_another_language_gets_its_own_lang(catalogue):
    catalogue.leaflet(with_blocks("- paragraph: Ask for [Dr Juan **García**]{lang=es} at the desk.\n"))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert check_pdf(path) == []
    _, elements = tree_of(path)
    spans = [e for e in elements if e.role == "Span"]
    assert [str(e.obj.Lang) for e in spans] == ["es", "es"]  # "Dr Juan " and bold "García"
    assert str(spans[0].obj.P.get("/S")) == "/P"


def test_a_bad_language_tag_on_a_span_is_an_error(catalogue, capsys):
    catalogue.leaflet(with_blocks("- paragraph: Ask for [Juan]{lang=spanish}.\n"))
    assert catalogue.validate() == 1
    assert "'spanish' is not a registered language tag (in {lang=spanish})" in capsys.readouterr().err


def test_a_link_split_by_a_page_break_keeps_its_annotations_tagged(catalogue):
    """A paragraph made only of six-word links runs over a page: one link must straddle
    the break, and its annotations on both pages must belong to its Link element."""
    links = " ".join(f"[guide {n} to the clinic services](https://www.example.org/{n})"
                     for n in range(260))
    catalogue.leaflet(with_blocks(f"- paragraph: '{links}'\n"))
    assert catalogue.build() == 0
    path = catalogue.out / "sample.pdf"
    assert check_pdf(path) == []  # every annotation sits in a Link element (OBJR both ways)
    pages = {}
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []):
                pages.setdefault(str(annotation.A.URI), set()).add(index)
    assert any(len(on) > 1 for on in pages.values()), "no link crossed a page break"
    _, elements = tree_of(path)
    links_on_two_pages = [e for e in elements if e.role == "Link" and
                          len({k[1] for k in e.kids if isinstance(k, tuple) and k[0] == "mcr"}) > 1]
    assert links_on_two_pages, "the link's text on the next page is not in its Link element"
