"""Issue 10.6: vector figures (SVG) whose labels are live text, big enough in every format,
in the leaflet's language and the brand's colours; bad SVG files are clear errors."""
from __future__ import annotations

import ctypes
import json
import math
import shutil
import subprocess
import textwrap

import pikepdf
import pypdfium2
import pypdfium2.raw as raw
import pytest

from conftest import REPO, column, operators, squash, with_blocks
from handouts.cli import main

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="needs poppler-utils")

LABELS = {  # the example IGRT figure's labels in each language that has them
    "igrt": ["Treatment machine", "Area being treated", "Treatment couch", "Imaging arm"],
    "igrt.es": ["Máquina de", "tratamiento", "Zona que se trata", "Camilla de tratamiento",
                "Brazo de imagen"],
    "igrt.zh-Hans": ["治疗机", "治疗部位", "治疗床", "可移动几毫米", "成像臂"],
}
EXAMPLE_LABELS = {  # leaflet -> labels of its figure, for the size checks
    **LABELS,
    "high-blood-pressure": ["Cuff on bare", "Heart level", "Arm resting", "Back supported"],
    "colonoscopy": ["Stop iron tablets", "1st dose: evening", "Stop drinking 2 hours"],
}


@pytest.fixture(scope="module")
def variants_out(tmp_path_factory):
    """The examples in standard, large print and booklet: one build for the module."""
    out = tmp_path_factory.mktemp("figure-variants")
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--only", "igrt",
                 "high-blood-pressure", "colonoscopy",
                 "--variant", "standard", "--variant", "large-print",
                 "--variant", "booklet"]) == 0
    return out


def _pdfium_pages(path):
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            yield pdf[index].get_textpage()
    finally:
        pdf.close()


def _printed_size(text_page, index: int) -> float:
    """pdfium's font size is the Tf size; the figure's scaling is in the character's
    matrix (text matrix times CTM), so the printed size is their product."""
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(text_page.raw, index, ctypes.byref(matrix))
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return raw.FPDFText_GetFontSize(text_page.raw, index) * scale


def _label_sizes(path, labels: list[str]) -> dict[str, float]:
    """The smallest printed size pdfium reads back for each label's characters, over every
    place the words appear (the figure's, and the body text's where it uses them too)."""
    sizes: dict[str, float] = {}
    for text_page in _pdfium_pages(path):
        text = text_page.get_text_range()
        for label in labels:
            start = text.find(label)
            while start >= 0:
                size = min(_printed_size(text_page, start + n)
                           for n, char in enumerate(label) if not char.isspace())
                sizes[label] = min(size, sizes.get(label, size))
                start = text.find(label, start + 1)
    return sizes


# ---- live text, in the leaflet's language ---------------------------------------------

@pytest.mark.parametrize("name", sorted(LABELS))
def test_labels_read_back_with_pdfium_in_the_leaflets_language(example_out, name):
    text = squash(" ".join(t.get_text_range() for t in _pdfium_pages(example_out / f"{name}.pdf")))
    for label in LABELS[name]:
        assert label in text, (name, label)
    if name != "igrt":
        assert "Treatment machine" not in text and "Imaging arm" not in text


@needs_poppler
@pytest.mark.parametrize("name", sorted(LABELS))
def test_labels_read_back_with_poppler(example_out, name):
    text = squash(subprocess.run(["pdftotext", str(example_out / f"{name}.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    for label in LABELS[name]:
        assert label in text, (name, label)


def test_the_arabic_figure_carries_no_text_and_its_caption_names_the_parts(example_out):
    """svglib cannot shape Arabic: the drawing has numbered markers, the caption the words."""
    text = squash(" ".join(t.get_text_range() for t in _pdfium_pages(
        example_out / "igrt.ar.pdf")))
    assert "Treatment machine" not in text
    assert "ذراع التصوير" in text and "(3)" in text


@pytest.mark.parametrize("name, edge", [("igrt", "left"), ("igrt.ar", "right")])
def test_a_figure_starts_at_the_texts_start_edge(example_out, name, edge):
    """Right to left, the figure sits on the right of the column, as the text does; its
    Figure's BBox says where it is drawn."""
    with pikepdf.open(example_out / f"{name}.pdf") as pdf:
        width = float(pdf.pages[1].MediaBox[2])
        boxes = [[float(v) for v in element.A.BBox]
                 for element in _elements(pdf.Root.StructTreeRoot)
                 if element.get("/S") == "/Figure" and "/A" in element
                 and not str(element.get("/Alt", "")).startswith("QR")]  # not the QR code
    assert boxes, "no Figure with a BBox"
    left, right = boxes[0][0], boxes[0][2]
    column_left, column_right = column("riverside-trust")
    if edge == "left":
        assert abs(left - column_left) < 1
    else:
        assert abs(right - column_right) < 1


def _elements(node):
    kids = node.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def test_an_arabic_label_in_an_svg_is_an_error_at_its_line(catalogue, capsys):
    _svg(catalogue, '<text x="10" y="40">ذراع التصوير</text>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert "fig.svg:4:3: the label 'ذراع التصوير' is in Arabic script" in err, err
    assert "Traceback" not in err


def test_a_label_character_the_font_lacks_is_an_error_at_its_line(catalogue, capsys):
    _svg(catalogue, '<text x="10" y="40">Smile \U0001F600</text>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert "fig.svg:4:3: leaflet 'sample' (en-GB), figure label: character '\U0001F600'" in err, err


def test_a_decorative_svg_is_an_artifact(catalogue):
    from pdfcheck import check_pdf
    _svg(catalogue, '<circle cx="30" cy="30" r="20" fill="var(--muted)"/>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  decorative: true\n"))
    assert catalogue.build() == 0
    assert check_pdf(catalogue.out / "sample.pdf") == []
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        alts = [str(e.get("/Alt")) for e in _elements(pdf.Root.StructTreeRoot)
                if e.get("/S") == "/Figure"]
    assert all(alt.startswith("QR code") for alt in alts), alts


def test_the_figure_text_is_inside_the_tagged_figure(example_out):
    """The labels are the Figure's own content (its alt says it all to a screen reader):
    every text object in the figure's marked sequence, none left as an artifact."""
    in_figure = sum(1 for _, operator, stack in operators(example_out / "igrt.pdf")
                    if operator in ("Tj", "TJ") and "/Figure" in stack)
    # (the Figure element and its alt are checked by pdfcheck, for every PDF the suite builds)
    assert in_figure >= len(LABELS["igrt"])


# ---- size in every format --------------------------------------------------------------

@pytest.mark.parametrize("variant, least", [("", 12), (".large-print", 18), (".booklet", 12),
                                            ("a5/.large-print", 18)])
@pytest.mark.parametrize("name", sorted(EXAMPLE_LABELS))
def test_labels_print_at_12_pt_or_the_body_size_in_large_print(variants_out, request, name,
                                                               variant, least):
    """In large print a label is never smaller than the body text (18 pt; it was 16).
    Words a caption repeats are left out there: captions print at 90% of the body size."""
    labels = EXAMPLE_LABELS[name]
    if least > 12:
        labels = [label for label in labels if label not in _captions(name)]
    folder, _, variant = variant.rpartition("/")  # A5 large print is a build of its own
    out = request.getfixturevalue("a5_large_print_out") if folder else variants_out
    sizes = _label_sizes(out / f"{name}{variant}.pdf", labels)
    assert labels and set(sizes) == set(labels), sizes
    assert min(sizes.values()) >= least - 0.05, sizes


def _captions(name: str) -> str:
    """Every caption line of the example leaflet (or translation) `name`."""
    leaflet, _, language = name.partition(".")
    path = REPO / "leaflets" / (f"translations/{name}.yaml" if language else f"{leaflet}.yaml")
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if "caption:" in line)


def test_a_letter_brand_build_keeps_labels_at_12_pt(tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(REPO / "content.yaml"), "--out", str(out), "--only",
                 "high-blood-pressure", "--template", "lakeside-clinic"]) == 0
    sizes = _label_sizes(out / "high-blood-pressure.pdf", EXAMPLE_LABELS["high-blood-pressure"])
    assert min(sizes.values()) >= 11.95, sizes


def test_large_print_enlarges_a_figure_whose_labels_would_be_small(catalogue):
    """Labels at 13 pt print at 13 pt in the standard PDF, and the figure grows so that they
    are the large print body size (18 pt) in large print."""
    _svg(catalogue, '<text x="10" y="40" font-size="13">Thirteen</text>', width=200)
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build("--variant", "standard", "--variant", "large-print") == 0
    standard = _label_sizes(catalogue.out / "sample.pdf", ["Thirteen"])["Thirteen"]
    large = _label_sizes(catalogue.out / "sample.large-print.pdf", ["Thirteen"])["Thirteen"]
    assert abs(standard - 13) < 0.05 and abs(large - 18) < 0.05, (standard, large)


# ---- the check finding -------------------------------------------------------------------

def _size_findings(capsys, content) -> tuple[int, list[dict]]:
    """`check`'s exit code, and its figure-text-size findings, for a catalogue."""
    code = main(["check", str(content), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["leaflets"]
    return code, [f for leaflet in report["leaflets"] for f in leaflet["findings"]
                  if f["rule"] == "figure-text-size"]


def test_check_finds_a_label_that_prints_too_small(catalogue, capsys):
    _svg(catalogue, '<text x="10" y="40" font-size="9">Tiny words</text>', width=470)
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    code, found = _size_findings(capsys, catalogue.root / "content.yaml")
    assert code == 1 and len(found) == 1, found
    assert found[0]["path"].endswith("fig.svg") and found[0]["line"] == 4
    assert "'Tiny words' prints at 7.4 pt in standard (A4), below 12 pt" in found[0]["message"]


def test_check_finds_a_label_too_small_for_large_print_only(catalogue, capsys):
    _svg(catalogue, '<text x="10" y="40" font-size="14">Fourteen</text>', width=435)
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    _, found = _size_findings(capsys, catalogue.root / "content.yaml")
    messages = [f["message"] for f in found]
    # 435 pt wide: 12.4 pt in A4's 386 pt column (the brand's measure); in large print
    # it cannot grow past the 481 pt column (15.5 pt < 18), and the A5 booklet shrinks it
    assert len(messages) == 1 and "in large print" in messages[0], messages


def test_no_example_figure_prints_a_label_too_small_in_any_format(capsys):
    """check sizes each figure as the layout does, in each format, large print on A5 too
    (the A5 large-print builds above read the same sizes back)."""
    _, found = _size_findings(capsys, REPO / "content.yaml")
    found = [f["message"] for f in found]
    assert found == [], found  # translations' figures included


def test_check_finds_a_figure_too_wide_for_large_print_on_a5(catalogue, capsys):
    """The example figures were 400-440 pt wide with 18 pt labels: 18 pt on A4, but A5's
    306 pt column shrank them to 12.4-13.8 pt in large print, and no format checked it."""
    _svg(catalogue, '<text x="10" y="40" font-size="18">Eighteen</text>', width=400)
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    _, found = _size_findings(capsys, catalogue.root / "content.yaml")
    messages = [f["message"] for f in found]
    assert len(messages) == 1, messages
    assert "prints at 13.8 pt in large print on A5 (A5), below 18 pt" in messages[0]


def test_check_suggests_svg_for_a_picture_and_flags_a_figure_in_another_language(
        catalogue, capsys):
    from PIL import Image
    Image.new("RGB", (300, 150), (20, 90, 160)).save(catalogue.root / "leaflets" / "pic.png")
    _svg(catalogue, '<text x="10" y="40" font-size="18">Etiqueta</text>', lang="es")
    catalogue.leaflet(with_blocks("- figure: pic.png\n  alt: A chart\n"
                                  "- figure: fig.svg\n  alt: A drawing\n"))
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    rules = sorted(f["rule"] for leaflet in report["leaflets"] for f in leaflet["findings"]
                   if f["rule"].startswith("figure-"))
    assert rules == ["figure-language", "figure-raster"]


def test_check_finds_the_english_figure_in_a_translation(tmp_path, capsys):
    """The issue's case: a translation that still shows the English drawing."""
    for name in ("content.yaml", "leaflets", "templates"):
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, tmp_path / name)
    spanish = tmp_path / "leaflets" / "translations" / "igrt.es.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        "../images/igrt-room.es.svg", "../images/igrt-room.svg"), encoding="utf-8")
    main(["check", str(tmp_path / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = [(f["path"].rsplit("/", 1)[-1], f["message"]) for leaflet in report["leaflets"]
             for f in leaflet["findings"] if f["rule"] == "figure-language"]
    assert found == [("igrt.es.yaml", "figure 'igrt-room.svg' is labelled in English (en), "
                      "the leaflet is in Spanish")], found


# ---- bad SVG files -----------------------------------------------------------------------

BAD = [  # (file text, where, message)
    ("<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "1:53",
     "the SVG file is not well-formed XML"),
    ("<html><body>hello</body></html>", "1:1", "root element is <html>, not an SVG <svg>"),
    ("<?xml version='1.0'?>\n<!DOCTYPE svg [<!ENTITY a 'aaaa'>]>\n"
     "<svg xmlns='http://www.w3.org/2000/svg'><text>&a;</text></svg>", "1:1",
     "declares its own DTD or entities"),
    ("<svg xmlns='http://www.w3.org/2000/svg' width='0' height='0'/>", "1:1",
     "the SVG has no size"),
    (None, "3:3", "may not hold scripts", '<script>alert(1)</script>'),
    (None, "3:3", "has an event handler (onload)", '<rect onload="alert(1)" width="9" height="9"/>'),
    (None, "3:3", "refers to 'file:///etc/passwd#x' outside the file",
     '<use href="file:///etc/passwd#x"/>'),
    (None, "3:3", "may not embed or link pictures",
     '<image href="data:image/png;base64,AAAA" width="9" height="9"/>'),
    (None, "3:3", "refers to 'https://example.org/a.svg#g' outside the file",
     '<rect fill="url(https://example.org/a.svg#g)" width="9" height="9"/>'),
    (None, "3:3", "imports a style sheet", '<style>@import "https://example.org/x.css";</style>'),
    (None, "3:3", "var(--acent) is not a brand colour - did you mean 'accent'?",
     '<rect fill="var(--acent)" width="9" height="9"/>'),
]


@pytest.mark.parametrize("case", BAD, ids=[c[2][:30] for c in BAD])
def test_a_bad_svg_is_a_clear_error_at_its_place(catalogue, capsys, case):
    text, where, message = case[:3]
    if text is None:
        text = ("<svg xmlns='http://www.w3.org/2000/svg' width='100pt' height='50pt'\n"
                "     viewBox='0 0 100 50'>\n  " + case[3] + "\n</svg>\n")
    (catalogue.root / "leaflets" / "fig.svg").write_text(text, encoding="utf-8")
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert f"fig.svg:{where}: " in err and message in err, err
    assert "Traceback" not in err and not (catalogue.out / "sample.pdf").exists()


def test_an_svg_with_an_external_dtd_line_builds(catalogue):
    """Drawing programs write a DOCTYPE naming the SVG 1.1 DTD: it is never fetched."""
    (catalogue.root / "leaflets" / "fig.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="50pt" '
        'viewBox="0 0 200 50"><text x="5" y="30" font-size="16">Hello</text></svg>\n',
        encoding="utf-8")
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build() == 0


def test_a_missing_svg_is_an_error_at_the_figure(catalogue, capsys):
    catalogue.leaflet(with_blocks("- figure: gone.svg\n  alt: A drawing\n"))
    assert catalogue.build() == 1
    assert "image 'gone.svg' not found" in capsys.readouterr().err


def test_an_svg_reads_nothing_outside_itself(catalogue, capsys, tmp_path_factory):
    """An external reference is refused before svglib could open it: the secret's own
    drawing never reaches the PDF."""
    secret = tmp_path_factory.mktemp("outside") / "secret.svg"
    secret.write_text("<svg xmlns='http://www.w3.org/2000/svg'><text id='t'>SECRET</text>"
                      "</svg>")
    _svg(catalogue, f'<use href="{secret}#t"/>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build() == 1
    assert "outside the file" in capsys.readouterr().err


# ---- brand colours, greyscale, fonts, determinism --------------------------------------

def _svg(catalogue, body: str, width: int = 300, lang: str = "en") -> None:
    text = textwrap.dedent(f"""\
        <svg xmlns="http://www.w3.org/2000/svg" xml:lang="{lang}" width="{width}pt"
             height="60pt" viewBox="0 0 {width} 60" font-family="Arial" font-size="16">
          <rect x="0" y="0" width="{width}" height="60" fill="var(--accent)"/>
          {body}
        </svg>
        """)
    (catalogue.root / "leaflets" / "fig.svg").write_text(text, encoding="utf-8")


def _figure_pixels(path, colour: tuple[int, int, int]) -> int:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        image = pdf[0].render(scale=1).to_pil().convert("RGB")
    finally:
        pdf.close()
    return dict((c, n) for n, c in image.getcolors(1 << 24)).get(colour, 0)


@pytest.mark.parametrize("template, accent, other", [
    ("riverside-trust", (0x00, 0x5e, 0xb8), (0x00, 0x69, 0x5c)),
    ("lakeside-clinic", (0x00, 0x69, 0x5c), (0x00, 0x5e, 0xb8))])
def test_var_colours_are_the_brands(catalogue, template, accent, other):
    _svg(catalogue, '<text x="10" y="40" fill="var(--accent_text)">Label</text>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build("--template", template) == 0
    pdf = catalogue.out / "sample.pdf"
    assert _figure_pixels(pdf, accent) > 5000 and _figure_pixels(pdf, other) == 0


def test_greyscale_draws_the_figure_in_greys(catalogue):
    _svg(catalogue, '<circle cx="30" cy="30" r="20" fill="#d5281b"/>'
                    '<text x="60" y="40" fill="var(--accent_text)">Label</text>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build("--grayscale") == 0
    pdf = pypdfium2.PdfDocument(str(catalogue.out / "sample.grayscale.pdf"))
    try:
        image = pdf[0].render(scale=1).to_pil().convert("RGB")
    finally:
        pdf.close()
    assert all(abs(r - g) <= 1 and abs(g - b) <= 1 for _, (r, g, b) in image.getcolors(1 << 24))


def test_svg_text_uses_the_leaflets_embedded_font_whatever_the_family(catalogue):
    _svg(catalogue, '<text x="10" y="40" font-family="Comic Sans MS">Label</text>'
                    '<text x="90" y="40" font-weight="bold">Bold</text>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n"))
    assert catalogue.build() == 0
    with pikepdf.open(catalogue.out / "sample.pdf") as pdf:
        fonts = {str(f.BaseFont) for page in pdf.pages
                 for f in page.Resources.get("/Font", {}).values()}
        embedded = [("/FontFile2" in f.FontDescriptor) for page in pdf.pages
                    for f in page.Resources.get("/Font", {}).values()]
    assert all("AtkinsonHyperlegible" in name for name in fonts), fonts
    assert embedded and all(embedded)


def test_svg_builds_are_byte_identical(catalogue, tmp_path):
    _svg(catalogue, '<text x="10" y="40">Label</text>')
    catalogue.leaflet(with_blocks("- figure: fig.svg\n  alt: A drawing\n  caption: A "
                                  "caption\n"))
    first, second = tmp_path / "a", tmp_path / "b"
    content = str(catalogue.root / "content.yaml")
    assert main(["build", content, "--out", str(first)]) == 0
    assert main(["build", content, "--out", str(second)]) == 0
    assert (first / "sample.pdf").read_bytes() == (second / "sample.pdf").read_bytes()
