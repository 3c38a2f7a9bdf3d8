"""Personalise at print time (issue 13): the details form's rules, and the personalised PDF,
made in memory through the build's own path: tagged and conformant, labels in the
leaflet's language, the footer and review status, the phone number checked, an overdue
leaflet refused, and no patient detail in the metadata or the file name."""
from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import string
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import REPO, squash
from pdfcheck import check_pdf
from test_fuzz import CONTENT

from handouts.build import overdue_problem
from handouts.cli import main
from handouts.content import load_catalogue
from handouts.errors import ContentError, HandoutsError
from handouts.personalise import (DetailsError, NotOffered, field_errors, personalise,
                                  read_details)

DAY = dt.date(2026, 11, 24)  # conftest's HANDOUTS_TODAY


def patient_name() -> str:
    """A made-up name found nowhere else, so a search for it finds only what we leaked."""
    letters = random.SystemRandom()
    return " ".join("".join(letters.choice(string.ascii_lowercase) for _ in range(9)).title()
                    for _ in range(2))


def ward_catalogue(root: Path, extra_leaflets: dict[str, str] | None = None) -> Path:
    """IGRT with its Spanish and Arabic translations (and any `extra_leaflets`), with the
    repository's templates: a catalogue like the ward's, small enough to build quickly."""
    (root / "leaflets" / "translations").mkdir(parents=True)
    shutil.copy(REPO / "leaflets" / "igrt.yaml", root / "leaflets")
    shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
    for lang in ("es", "ar"):
        shutil.copy(REPO / "leaflets" / "translations" / f"igrt.{lang}.yaml",
                    root / "leaflets" / "translations")
    shutil.copytree(REPO / "templates", root / "templates")
    for name, text in (extra_leaflets or {}).items():
        (root / "leaflets" / f"{name}.yaml").write_text(text, encoding="utf-8")
    content = root / "content.yaml"
    content.write_text(CONTENT, encoding="utf-8")
    return content


def details_form(name: str, **more: str) -> dict[str, str]:
    return {"name": name, "date": "2026-12-10", "time": "14:30",
            "place": "Radiotherapy Unit, Level 2", "clinician": "Dr Ana Ruiz",
            "phone": "0161 496 0000", "notes": "Drink two cups of water before you come.\n"
            "Bring your list of medicines.", **more}


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return ward_catalogue(tmp_path_factory.mktemp("ward"))


@pytest.fixture(scope="module")
def copies(content) -> dict:
    """English A4, Spanish large print and Arabic, each for its own patient."""
    made = {}
    for key, lang, variant in (("en", None, "standard"), ("es", "es", "large-print"),
                               ("ar", "ar", "standard")):
        name = patient_name()
        copy = personalise(content, "igrt", read_details(details_form(name), DAY), lang,
                           variant, DAY)
        made[key] = (name, copy)
    return made


def pages_of(data: bytes) -> list[str]:
    """Each page's text as poppler reads it (in logical order, also in Arabic lines),
    without the bidi marks pdftotext adds; read from memory, never a file."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode("utf-8")
    marks = dict.fromkeys(range(0x202A, 0x202F))
    return [squash(page.translate(marks)) for page in text.split("\f")[:-1]]


# ---- the form's rules --------------------------------------------------------------------

@pytest.mark.parametrize("field, value, words", [
    ("name", "", "write the patient's name"),
    ("name", "Ann 2nd", "'2' is not a letter"),
    ("name", "x" * 81, "at most 80"),
    ("notes", "n" * 601, "at most 600"),
    ("date", "2026-02-30", "not a real date"),
    ("date", "10/12/2026", "write it as YYYY-MM-DD"),
    ("date", "2026-11-23", "in the past"),
    ("time", "25:00", "24-hour clock"),
    ("phone", "call 0161", "write only the number"),
    ("place", "Ward\u202e 9", "U+202E"),  # a bidi override would garble the printed line
    ("clinician", "Dr\x07 Who", "U+0007"),
])
def test_a_bad_detail_is_named_with_how_to_fix_it(field, value, words):
    with pytest.raises(DetailsError) as caught:
        read_details({**details_form("Ann Smith"), field: value}, DAY)
    assert list(caught.value.errors) == [field]
    assert words in caught.value.errors[field]


def test_names_in_any_script_and_optional_details_are_accepted():
    for name in ("Siobhán O'Neill-Ó Briain", "محمد الأحمد", "राम\u200dकुमार", "Zoë J. Smith"):
        assert read_details({"name": name}, DAY).name == name
    details = read_details({"name": "  Ann  ", "notes": "one\r\ntwo"}, DAY)
    assert (details.name, details.notes, details.day, details.phone) == ("Ann", "one\ntwo",
                                                                         None, "")


# ---- the PDF -----------------------------------------------------------------------------

def test_the_name_and_details_are_on_page_1_only(copies):
    for key, (name, copy) in copies.items():
        pages = pages_of(copy.data)
        assert name in pages[0], key
        assert not any(word in page for page in pages[1:] for word in name.split()), key
        assert "0161 496 0000" in pages[0]
        assert "Bring your list of medicines." in pages[0]


def test_the_copy_passes_the_conformance_checks(copies):
    for key, (_, copy) in copies.items():
        assert check_pdf(io.BytesIO(copy.data)) == [], key


def test_labels_footer_and_review_status_are_the_leaflets(copies):
    spanish, arabic, english = (pages_of(copies[k][1].data)[0] for k in ("es", "ar", "en"))
    assert "Preparado para" in spanish and "Sus próximos pasos" in spanish
    assert "Su cita: 10 de diciembre de 2026, 14:30, Radiotherapy Unit" in spanish
    assert "PIL-0042 v3 LP" in spanish  # the large-print footer, with the review dates
    assert "Próxima revisión 2 de febrero de 2029" in spanish
    assert "خطواتك التالية" in arabic and "موعدك" in arabic
    assert "Prepared for" in english and "Your next steps" in english
    assert "Next review 2 February 2029" in english and "Page 1 of" in english
    assert copies["es"][1].pages > copies["en"][1].pages  # reflowed at 18 pt


def test_no_detail_in_the_metadata_file_name_outline_or_tags(copies):
    for key, (name, copy) in copies.items():
        assert copy.filename == "igrt-personalised.pdf"
        with pikepdf.open(io.BytesIO(copy.data)) as pdf:
            info = {str(k): str(v) for k, v in pdf.docinfo.items()}
            xmp = str(pdf.Root.Metadata.read_bytes(), "utf-8")
            titles = [str(obj.get("/T")) for obj in pdf.objects
                      if isinstance(obj, pikepdf.Dictionary) and "/T" in obj]
            with pdf.open_outline() as outline:
                marks = [item.title for item in outline.root]
        assert info["/Title"] == copy.leaflet.title
        for text in (*info.values(), xmp, *titles, *marks):
            assert name not in text and "Ana Ruiz" not in text, key


def test_the_phone_number_is_checked_and_linked_like_any_other(content, copies):
    with pikepdf.open(io.BytesIO(copies["en"][1].data)) as pdf:
        uris = [str(a.A.URI) for a in pdf.pages[0].get("/Annots", []) if "/A" in a]
    assert "tel:+441614960000" in uris
    bad = read_details(details_form("Ann Smith", phone="0161 496 000"), DAY)
    with pytest.raises(ContentError) as caught:
        personalise(content, "igrt", bad, None, "standard", DAY)
    assert list(field_errors(caught.value)) == ["phone"]
    assert "not a valid phone number in GB" in field_errors(caught.value)["phone"]


def test_a_character_no_font_has_is_refused_not_printed_as_a_box(content):
    details = read_details({"name": "Ann \U00013000"}, DAY)  # an Egyptian hieroglyph
    with pytest.raises(ContentError) as caught:
        personalise(content, "igrt", details, None, "standard", DAY)
    assert "no glyph" in field_errors(caught.value)["name"]


def test_an_overdue_leaflet_is_refused_as_at_build_time(content):
    later = dt.date(2029, 3, 1)
    with pytest.raises(HandoutsError) as caught:
        personalise(content, "igrt", read_details({"name": "Ann"}, later), "es",
                    "standard", later)
    leaflet = next(l for l in load_catalogue(content).leaflets if l.id == "igrt")
    assert caught.value.problems == [overdue_problem(leaflet, later)]


def test_unknown_leaflet_language_or_variant(content):
    details = read_details({"name": "Ann"}, DAY)
    for args, words in ((("nope", None, "standard"), "no leaflet 'nope'"),
                        (("igrt", "fr", "standard"), "choose one of: en-GB, ar, es"),
                        (("igrt", None, "poster"), "unknown variant 'poster'")):
        with pytest.raises(NotOffered) as caught:
            personalise(content, *args[:1], details, *args[1:], on=DAY)
        assert words in str(caught.value.problems[0].message + caught.value.problems[0].hint)


def test_the_same_details_give_the_same_bytes(content, copies):
    name, copy = copies["en"]
    again = personalise(content, "igrt", read_details(details_form(name), DAY), None,
                        "standard", DAY)
    assert again.data == copy.data


def test_the_command_line_writes_to_stdout_and_nothing_else(content, capfdbinary, tmp_path,
                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = patient_name()
    (tmp_path / "out").mkdir()  # the output folder whose count the copy adds to
    code = main(["personalise", "igrt", "--content", str(content), "--lang", "es",
                 "--variant", "large-print", "--name", name, "--appointment",
                 "2026-12-10 09:15, Radioterapia", "--notes", "Uno\\nDos", "--out", "-"])
    out = capfdbinary.readouterr().out
    assert code == 0 and out.startswith(b"%PDF-")
    page_1 = pages_of(out)[0]
    assert name in page_1 and "Su cita: 10 de diciembre de 2026, 9:15, Radioterapia" in page_1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["given-out.sqlite", "out"]


def test_the_command_line_names_the_option_to_fix(content, capfd):
    code = main(["personalise", "igrt", "--content", str(content), "--name", "Ann",
                 "--appointment", "2026-13-01", "--phone", "0161 496 000", "--out", "-"])
    err = capfd.readouterr().err
    assert code == 2
    assert "handouts: --appointment (date): '2026-13-01' is not a real date" in err
    code = main(["personalise", "igrt", "--content", str(content), "--name", "Ann",
                 "--phone", "0161 496 000", "--out", "-"])
    assert code == 1 and "handouts: --phone: '0161 496 000' is not a valid phone number" \
        in capfd.readouterr().err
