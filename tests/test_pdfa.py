"""PDF/A-2u: the rules of ISO 19005-2 that apply to what we write, checked one by one.

No validator installs here (veraPDF needs a JVM download), so these are the machine-
checkable rules that our files touch: identification, output intent, metadata in sync
with the Info dictionary, embedded fonts with usable cmaps, annotation flags, no
encryption or scripts.
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pikepdf
import pytest
from fontTools.ttLib import TTFont

EXAMPLES = ["igrt", "colonoscopy", "high-blood-pressure", "wound-care"]
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#"}


@pytest.fixture(params=EXAMPLES)
def pdf(request, example_out):
    with pikepdf.open(example_out / f"{request.param}.pdf") as document:
        yield document


def xmp_of(pdf) -> ET.Element:
    stream = pdf.Root.Metadata
    assert "/Filter" not in stream, "the metadata stream must not be filtered"
    return ET.fromstring(stream.read_bytes())


def test_identification_and_extension_schema(pdf):
    xmp = xmp_of(pdf)
    assert xmp.find(".//pdfaid:part", NS).text == "2"
    assert xmp.find(".//pdfaid:conformance", NS).text == "U"
    # pdfuaid is not a predefined XMP schema, so PDF/A needs it described
    assert xmp.find(".//pdfaSchema:prefix", NS).text == "pdfuaid"


def test_output_intent_is_srgb(pdf):
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 3
    data = profile.read_bytes()
    assert data[36:40] == b"acsp" and data[16:20] == b"RGB "  # an RGB ICC profile


def test_metadata_in_sync_with_the_info_dictionary(pdf):
    info, xmp = pdf.docinfo, xmp_of(pdf)
    assert xmp.find(".//dc:title/rdf:Alt/rdf:li", NS).text == str(info.Title)
    assert xmp.find(".//dc:creator/rdf:Seq/rdf:li", NS).text == str(info.Author)
    assert xmp.find(".//dc:description/rdf:Alt/rdf:li", NS).text == str(info.Subject)
    assert xmp.find(".//pdf:Keywords", NS).text == str(info.Keywords)
    assert xmp.find(".//pdf:Producer", NS).text == str(info.Producer)
    assert xmp.find(".//xmp:CreatorTool", NS).text == str(info.Creator)
    for key, name in (("CreationDate", "CreateDate"), ("ModDate", "ModifyDate")):
        pdf_date = str(info[f"/{key}"])  # D:YYYYMMDDhhmmssZ
        iso = xmp.find(f".//xmp:{name}", NS).text  # YYYY-MM-DDThh:mm:ssZ
        assert pdf_date[2:10] == iso[:10].replace("-", "") and pdf_date.endswith("Z")


def test_fonts_embedded_with_a_usable_cmap(pdf):
    fonts = {f.objgen: f for page in pdf.pages for f in page.obj.Resources.Font.values()}
    for font in fonts.values():
        descriptor = font.get("/FontDescriptor")
        if font.Subtype == "/Type0":
            descriptor = font.DescendantFonts[0].FontDescriptor
        assert "/FontFile2" in descriptor, font.BaseFont
        if font.Subtype == "/TrueType" and int(descriptor.Flags) & 4:  # symbolic
            assert "/Encoding" not in font
            program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
            tables = [(t.platformID, t.platEncID) for t in program["cmap"].tables]
            assert len(tables) == 1 or (3, 0) in tables, tables


def test_annotations_print_and_nothing_hidden(pdf):
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            flags = int(annotation.get("/F", 0))
            assert flags & 4, "Print flag"
            assert not flags & (1 | 2 | 32 | 256), "Invisible, Hidden, NoView, ToggleNoView"


def test_no_encryption_scripts_or_missing_id(pdf):
    assert not pdf.is_encrypted
    assert "/ID" in pdf.trailer
    assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
    assert "/Names" not in pdf.Root or "/JavaScript" not in pdf.Root.Names
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            assert annotation.A.S == "/URI"
