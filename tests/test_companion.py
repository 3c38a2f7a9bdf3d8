"""HTML and plain-text companions of every PDF (issue 14.1): what they say, how they are
marked up, and how the build writes, keeps and removes them through the manifest.

The browser side (axe-core, widths, screenshots) is tests/test_companion_browser.py.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import MINIMAL, REPO, Catalogue, link_uris, with_blocks

from handouts.brand import Brands, contrast_ratio
from handouts.companion import companion_files
from handouts.companion.html import palette, readable, stylesheet
from handouts.companion.document import document
from handouts.content import load_catalogue

EXAMPLES = ("colonoscopy", "high-blood-pressure", "igrt", "wound-care",
            "igrt.ar", "igrt.es", "igrt.zh-Hans")


def html_of(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def manifest_files(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {r["file"]: r for r in data["files"]}


# ---- every PDF has both, listed in the manifest -------------------------------------------

def test_every_pdf_has_an_html_and_a_text_companion_in_the_manifest(example_out):
    files = manifest_files(example_out)
    pdfs = [name for name in files if name.endswith(".pdf")]
    assert sorted(name[:-4] for name in pdfs) == sorted(EXAMPLES)
    for pdf in pdfs:
        for suffix in ("html", "txt"):
            name = pdf[:-3] + suffix
            record, data = files[name], (example_out / name).read_bytes()
            assert record["sha256"] == hashlib.sha256(data).hexdigest()
            assert (record["version"], record["source"]) == (files[pdf]["version"],
                                                             files[pdf]["source"])
    page = (example_out / "index.html").read_text(encoding="utf-8")
    for name in EXAMPLES:  # the catalogue page links each file's web page
        assert f'href="{name}.html"' in page


# ---- the same words as the source ---------------------------------------------------------

# Keys whose values are not printed as written: names, paths, tags, dates, choices.
NOT_PRINTED = {"id", "template", "language", "translates", "source_version", "figure",
               "specialty", "keywords", "variants", "decorative", "callout", "published",
               "last_reviewed", "next_review", "approval_date", "accessed", "translated"}


def source_texts(value, skip: frozenset[str] | set[str] = NOT_PRINTED) -> list[str]:
    """Every text the editor wrote in a leaflet or translation file (keys in `skip` left
    out), Markdown left out: citation groups, `{lang=..}` and link targets."""
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in skip for t in source_texts(v, skip)]
    if isinstance(value, list):
        return [t for item in value for t in source_texts(item, skip)]
    if not isinstance(value, str):
        return [str(value)] if isinstance(value, (int, float)) else []
    return [re.sub(r"\[@[^\]]*\]|\{lang=[^}]*\}|\]\([^)]*\)", " ", value)]


def source_words(value) -> list[str]:
    """Every word the editor wrote in a leaflet or translation file (source_texts)."""
    return [w for text in source_texts(value)
            for w in re.findall(r"\w+", unicodedata.normalize("NFC", text))]


def folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def page_text(path: Path) -> str:
    """What a reader gets from the page: its text and its images' alt texts."""
    root = html_of(path)
    alts = " ".join(img.get("alt", "") for img in root.iter("img"))
    return folded(root.text_content() + " " + alts)


@pytest.mark.parametrize("name", ["igrt", "colonoscopy", "igrt.ar", "igrt.zh-Hans"])
def test_the_companions_hold_every_word_of_the_source(example_out, name):
    folder = REPO / "leaflets" / ("translations" if "." in name else "")
    words = source_words(yaml.safe_load((folder / f"{name}.yaml").read_text("utf-8")))
    assert len(words) > 300
    html = page_text(example_out / f"{name}.html")
    text = folded((example_out / f"{name}.txt").read_text(encoding="utf-8"))
    assert [w for w in words if w.casefold() not in html] == []
    assert [w for w in words if w.casefold() not in text] == []


# ---- structure ----------------------------------------------------------------------------

def test_the_page_is_semantic_html(example_out):
    root = html_of(example_out / "igrt.html")
    assert (root.get("lang"), root.get("dir")) == ("en-GB", "ltr")
    assert [h.text_content() for h in root.iter("h1")] == \
        ["Image-guided radiation therapy (IGRT)"]
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), "no heading level skipped"
    assert root.xpath("//main//ol[@class='steps']/li") and root.xpath("//main//ul/li")
    assert root.xpath("//th") and all(th.get("scope") == "col" for th in root.iter("th"))
    assert root.xpath("//table/caption")
    [figure] = root.xpath("//figure")
    assert figure.xpath("img/@alt")[0].startswith("Diagram of a patient")
    assert figure.xpath("img/@src")[0].startswith("data:image/svg+xml;base64,")
    assert figure.xpath("figcaption")
    callouts = root.xpath("//section[contains(@class, 'callout')]")
    assert callouts and all(c.xpath("*[1][self::h3 or self::h4]") for c in callouts)
    assert root.xpath("//section[contains(@class,'callout-urgent')]/h3/text()") == \
        ["Get help urgently if"]
    references = root.xpath("//section[@class='references']/ol/li/@id")
    cited = {a.get("href")[1:] for a in root.xpath("//a[@class='cite']")}
    assert cited and cited <= set(references) and references[0] == "ref-1"
    footer = root.xpath("//footer")[0].text_content()
    for fact in ("PIL-0042 v3", "Last reviewed 2\u00a0February\u00a02026",
                 "Next review 2\u00a0February\u00a02029"):
        assert fact in footer
    end = root.xpath("//section[@class='end-matter']")[0].text_content()
    for text in ("Riverside Hospital switchboard", "020 7946 0100", "Leaflet code: PIL-0042",
                 "Approved by: Patient Information Group", "large print, easy read",
                 "does not replace the advice"):
        assert text in end
    assert root.xpath("//a[@href='tel:+442079460100']")
    assert not root.xpath("//script") and not root.xpath("//link")
    assert not [e for e in root.iter() if e.get("style")]
    srcs = [e.get("src") for e in root.iter("img")]
    assert all(src.startswith("data:image/") for src in srcs)  # nothing remote, nothing beside


def test_a_decorative_figure_has_empty_alt_text(example_out):
    root = html_of(example_out / "wound-care.html")
    assert [img.get("alt") for img in root.xpath("//figure/img")] == [""]


def test_a_translation_is_in_its_language_and_direction(example_out):
    arabic = html_of(example_out / "igrt.ar.html")
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    end = arabic.xpath("//section[@class='end-matter']")[0].text_content()
    assert "معلومات" in arabic.xpath("//header")[0].text_content()  # 'Patient information'
    spanish = html_of(example_out / "igrt.es.html")
    assert spanish.get("lang") == "es"
    assert "Puede pedir este folleto" in spanish.text_content()  # the brand's Spanish text
    assert "Última revisión" in spanish.xpath("//footer")[0].text_content()
    assert end


def test_a_phone_link_on_a_right_to_left_page_runs_left_to_right(example_out):
    """A browser orders a link's text in the page's direction unless told: '(612)
    555-0142' after an Arabic label was drawn '0142-555 (612)', as the PDF was. A link that
    reads as a number is marked dir="ltr" (an isolate); a word link is not."""
    arabic = html_of(example_out / "igrt.ar.html")
    links = {a.text_content(): a.get("dir")
             for a in arabic.xpath("//a[starts-with(@href, 'tel:')]")}
    assert links["020 7946 0100"] == "ltr" and links["020 7946 0410"] == "ltr"
    assert links["الاتصال باستقبال العلاج الإشعاعي"] is None  # words: the page's direction
    assert not html_of(example_out / "igrt.html").xpath("//a[starts-with(@href, 'tel:')][@dir]")


def test_the_text_version_keeps_headings_lists_references_and_facts(example_out):
    text = (example_out / "igrt.txt").read_text(encoding="utf-8")
    assert text.startswith("Image-guided radiation therapy (IGRT)\n=====")
    assert "\nWhat is IGRT?\n-------------\n" in text
    assert "\n- the cancer moves when you breathe" in text
    assert "\n1. You have a planning CT scan." in text
    assert "> Get help urgently if\n> Call our 24-hour" in text
    assert "switches on [1, 2]." in text
    assert "\n4. NHS. Radiotherapy. https://www.nhs.uk/conditions/radiotherapy/ (accessed" in text
    assert "PIL-0042 v3 | Last reviewed 2\u00a0February\u00a02026" in text
    assert "<" not in text.replace("< 120", "")  # no markup, no Markdown
    assert "**" not in text


# ---- hostile text, other languages, colours -----------------------------------------------

HOSTILE = with_blocks("""\
    - paragraph: 'Ask for [Dr Juan García]{lang=es} or [د. أحمد]{lang=ar}. <img src=x onerror=alert(1)> & "quotes"'
    - table:
        header: ['<b>Day</b>', What happens]
        rows: [['<script>alert(1)</script>', '[call us](tel:+442079460000)']]
    - callout: info
      text: '</section><h1>fake</h1>'
    """, MINIMAL.replace("title: Having a sample test",
                         "title: 'Tests </title><script>alert(1)</script>'"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Catalogue:
    catalogue = Catalogue(tmp_path_factory.mktemp("hostile"))
    catalogue.leaflet(HOSTILE)
    assert catalogue.build() == 0
    return catalogue


def test_content_is_text_never_markup(hostile):
    raw = (hostile.out / "sample.html").read_text(encoding="utf-8")
    root = lxml.html.fromstring(raw)
    assert not root.xpath("//script") and len(root.xpath("//h1")) == 1
    assert root.xpath("//title/text()") == ["Tests </title><script>alert(1)</script>"]
    assert "<img src=x onerror" in root.text_content() and not root.xpath("//img[@onerror]")
    assert root.xpath("//th[1]")[0].text_content() == "<b>Day</b>"
    assert root.xpath("//section[contains(@class,'callout')]/p/text()") == \
        ["</section><h1>fake</h1>"]
    assert root.xpath("//a[@href='tel:+442079460000']/text()") == ["call us"]
    assert "&lt;script&gt;" in raw


def test_spans_in_another_language_keep_their_language(hostile):
    root = html_of(hostile.out / "sample.html")
    assert root.xpath("//span[@lang='es']/text()") == ["Dr Juan García"]
    assert root.xpath("//span[@lang='ar']/@dir") == ["rtl"]


def test_a_link_the_pdf_would_refuse_is_never_written(example_out):
    from handouts.companion.html import safe_href
    assert safe_href("javascript:alert(1)") is None and safe_href("data:text/html,x") is None
    assert safe_href("https://www.nhs.uk/") == "https://www.nhs.uk/"
    hrefs = html_of(example_out / "colonoscopy.html").xpath("//a/@href")
    assert all(h.split(":")[0] in ("https", "http", "mailto", "tel") or h.startswith("#")
               for h in hrefs)


def test_a_colour_below_wcag_aa_is_darkened_until_it_passes():
    assert readable("#005eb8", "#ffffff") == "#005eb8"  # passes: kept as the brand has it
    darker = readable("#8ab4f8", "#e8f1fb")  # a light blue link on the info background
    assert contrast_ratio("#8ab4f8", "#e8f1fb") < 4.5 <= contrast_ratio(darker, "#e8f1fb")
    lighter = readable("#444444", "#101010")  # on a dark background it goes lighter
    assert contrast_ratio(lighter, "#101010") >= 4.5 and lighter > "#444444"


def test_the_stylesheet_uses_only_colours_that_pass(tmp_path):
    catalogue = load_catalogue(REPO / "content.yaml")
    igrt = next(l for l in catalogue.leaflets if l.id == "igrt")
    brand = Brands(REPO / "templates").get(igrt.template)
    # a brand that passed its own checks, but whose heading colour fails on a callout
    values = dict(brand.values) | {"colours.heading": "#5a8ed6", "colours.link": "#5a8ed6"}
    weak = dataclasses.replace(brand, values=tuple(sorted(values.items())))
    colours = palette(weak)
    for kind in ("info", "warning", "urgent"):
        for text in ("text", "heading", "link"):
            assert contrast_ratio(colours[f"{kind}-{text}"], colours[f"{kind}-bg"]) >= 4.5
    assert contrast_ratio(colours["accent-text"], colours["accent"]) >= 4.5
    css = stylesheet(document(igrt, weak))
    assert "--heading:#5a8ed6" not in css and f"--heading:{colours['heading']}" in css
    assert "@media print" in css


def test_the_same_input_gives_the_same_bytes_and_large_print_its_own_size():
    catalogue = load_catalogue(REPO / "content.yaml")
    igrt = next(l for l in catalogue.leaflets if l.id == "igrt")
    brand = Brands(REPO / "templates").get(igrt.template)
    first = companion_files(igrt, brand, "standard", False)
    assert first == companion_files(igrt, brand, "standard", False)
    large = companion_files(igrt, brand, "large-print", True)
    assert b"--body-size:24.00px" in large["html"] and b"--body-size:17.33px" in first["html"]
    assert b"PIL-0042 v3 LP" in large["html"] and b"Review overdue" in large["txt"]
    assert companion_files(igrt, brand, "booklet", False) == first  # no paper on a screen


# ---- written, kept and removed like the PDFs ------------------------------------------------

def test_companions_are_kept_rewritten_and_removed_with_their_pdfs(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "standard", "--variant", "large-print") == 0
    out = catalogue.out
    assert {"sample.html", "sample.txt", "sample.large-print.html",
            "sample.large-print.txt"} <= {p.name for p in out.iterdir()}
    mtime = (out / "sample.html").stat().st_mtime_ns
    (out / "sample.txt").write_text("edited by hand", encoding="utf-8")
    assert catalogue.build("--variant", "standard", "--variant", "large-print") == 0
    assert (out / "sample.html").stat().st_mtime_ns == mtime  # unchanged: not rewritten
    assert (out / "sample.txt").read_text(encoding="utf-8").startswith("Having a sample test")
    catalogue.leaflet(MINIMAL.replace('version: "2"', 'version: "3"'))
    capsys.readouterr()
    assert catalogue.build() == 0  # version 3, standard only: last version's large print goes
    said = capsys.readouterr().out
    assert "sample.large-print.html" in said and not (out / "sample.large-print.txt").exists()
    assert "v3" in (out / "sample.txt").read_text(encoding="utf-8")
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))


def test_clean_removes_companions_no_manifest_lists_and_nothing_else(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--variant", "standard", "--variant", "large-print") == 0
    (catalogue.out / "manifest.json").unlink()  # lost: the large print is now unlisted
    (catalogue.out / "notes.txt").write_text("the team's notes", encoding="utf-8")
    (catalogue.out / "visiting.html").write_text("<p>our own page</p>", encoding="utf-8")
    assert catalogue.build("--clean") == 0
    names = {p.name for p in catalogue.out.iterdir()}
    assert {"sample.html", "sample.txt", "notes.txt", "visiting.html", "index.html"} <= names
    assert not names & {"sample.large-print.html", "sample.large-print.txt"}


def test_a_leaflet_called_index_is_refused_not_written_over_the_page(catalogue, capsys):
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: index"), "index")
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: other"), "other")
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert "index.yaml:1:1: leaflet id 'index' would write its web page over the catalogue " \
        "page (index.html) - choose another id" in err
    assert (catalogue.out / "other.html").is_file() and not (catalogue.out / "index.pdf").exists()
    assert "Find a leaflet" in (catalogue.out / "index.html").read_text(encoding="utf-8")


# ---- the QR code can point at the web page ---------------------------------------------------

def test_the_qr_code_points_at_the_web_page_with_name(catalogue):
    """online_url's {name} is the file name without its extension: <id>, or <id>.<lang>
    for a translation, so `{name}.html` is each PDF's own web page."""
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("leaflets/{code}", "leaflets/{name}.html"))
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    address = "https://www.riverside.example.nhs.uk/leaflets/sample.html"
    assert address in link_uris(catalogue.out / "sample.pdf")
    assert html_of(catalogue.out / "sample.html").xpath(f"//a[@href='{address}']")
    examples = load_catalogue(REPO / "content.yaml")
    spanish = next(t for t in examples.translations if t.language == "es")
    moved = Brands(catalogue.root / "templates").get("riverside-trust")
    assert document(spanish, moved).end.online_url == \
        "https://www.riverside.example.nhs.uk/leaflets/igrt.es.html"
