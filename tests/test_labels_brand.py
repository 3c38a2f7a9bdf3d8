"""The brand's words in the leaflet's language (issue 11.6): a brand template carries its
end matter per language under `texts:`; a translation prints the texts of the brand it is
built with, never those of its source's brand."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import MINIMAL, Catalogue, with_blocks
from handouts.cli import main

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="needs poppler-utils")

SPANISH = """\
translates: sample
language: es
source_version: "2"
translator: Servicio de traducción
translated: 2026-02-01
title: Una prueba de muestra
sections:
  - heading: ¿Qué es?
    blocks:
      - paragraph: Una muestra nos ayuda a revisar su salud [@nhs-sample].
      - callout: urgent
        text: Tiene fiebre.
"""


def _translated(catalogue: Catalogue, translation: str = SPANISH) -> None:
    catalogue.leaflet(MINIMAL)
    folder = catalogue.root / "leaflets" / "translations"
    folder.mkdir(exist_ok=True)
    (folder / "sample.es.yaml").write_text(translation, encoding="utf-8")
    catalogue.write_content("translations:\n  - leaflets/translations/*.yaml\n")


def _text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


@needs_poppler
def test_a_translation_built_for_lakeside_prints_lakeside_words_in_its_language(catalogue):
    """The Lakeside translations printed Riverside's name, NHS 111 and a London PALS
    number beside Lakeside's own phone number: the end matter now comes from the brand the
    translation is built with, in the translation's language."""
    _translated(catalogue)
    assert catalogue.build("--template", "lakeside-clinic") == 0
    text = _text(catalogue.out / "sample.es.pdf")
    for lakeside in ("Línea de enfermería de Lakeside Clinic", "(612) 555-0142",
                     "Tiene a su disposición servicios gratuitos", "Educación para pacientes",
                     "Llame al 911 o busque ayuda de inmediato si"):
        assert lakeside in text
    for riverside in ("Riverside", "NHS 111", "020 7946 0199", "PALS", "Call 911"):
        assert riverside not in text


@needs_poppler
def test_the_same_translation_built_for_riverside_prints_riverside_words(catalogue):
    _translated(catalogue)
    assert catalogue.build() == 0
    text = _text(catalogue.out / "sample.es.pdf")
    assert "Centralita del Riverside Hospital" in text and "NHS 111" in text
    assert "Información para pacientes" in text  # 'Patient information': a standard label
    assert "Pida ayuda urgente si" in text  # base's callout title, from the catalogue
    assert "Lakeside" not in text and "Switchboard" not in text


def test_a_translation_may_not_carry_brand_texts(catalogue, capsys):
    _translated(catalogue, SPANISH + "brand_text:\n  disclaimer: Información general.\n")
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert "sample.es.yaml:13:1: a translation cannot carry the brand's texts" in err
    assert "under 'texts:' then '  es:'" in err


@pytest.mark.parametrize("texts, expected", [
    ("texts:\n  xx-yy:\n    feedback: Hola\n", "brand.yaml:{l2}:3: texts.xx-yy: 'xx-yy' is "
     "not a registered language tag"),
    ("texts:\n  es:\n    feedbak: Hola\n", "brand.yaml:{l3}:5: texts.es.feedbak: not a brand "
     "text that has a language - did you mean 'feedback'?"),
    ("texts:\n  es:\n    contact:\n      phone: 020 7946 0000\n", "brand.yaml:{l4}:7: "
     "texts.es.contact.phone: not a brand text that has a language"),
    ("texts:\n  es:\n    feedback: [a, b]\n", "brand.yaml:{l3}:15: texts.es.feedback: "
     "should be text"),
    ("texts:\n  es: Hola\n", "brand.yaml:{l2}:7: texts.es: should be the brand's texts"),
    ("texts: Hola\n", "texts: should be a mapping of language tags"),
])
def test_brand_texts_are_checked_when_the_brand_loads(catalogue, capsys, texts, expected):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    kept = brand.read_text(encoding="utf-8").split("\ntexts:\n")[0] + "\n"
    lines = {f"l{n}": kept.count("\n") + n for n in (2, 3, 4)}  # a line of `texts`
    brand.write_text(kept + texts, encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 1
    assert expected.format(**lines) in capsys.readouterr().err


def test_a_text_for_a_field_the_brand_does_not_set_is_an_error(catalogue, capsys):
    brand = catalogue.root / "templates" / "base" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "texts:\n  es:\n    feedback: Hola\n",
                     encoding="utf-8")
    (catalogue.root / "templates" / "riverside-trust" / "brand.yaml").write_text(
        "extends: base\n", encoding="utf-8")
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 1
    assert "texts.es.feedback translates 'feedback', which the brand does not set" in \
        capsys.readouterr().err


def _check(catalogue: Catalogue, capsys) -> list[dict]:
    capsys.readouterr()
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return [f for leaflet in report["leaflets"] for f in leaflet["findings"]
            if f["rule"] == "brand-text-missing"]


def test_check_names_brand_language_and_field_of_each_missing_text(catalogue, capsys):
    """A Polish translation under Riverside: the brand has no Polish texts, so its end
    matter prints in English; check says which brand, language and field."""
    _translated(catalogue, SPANISH.replace("language: es", "language: pl"))
    found = sorted(f["message"].split(", so")[0] for f in _check(catalogue, capsys))
    assert found == [f"brand 'riverside-trust' has no Polish (pl) text for '{key}'"
                     for key in sorted(("contact.hours", "contact.name", "contact.note",
                                        "disclaimer", "feedback", "other_formats"))]
    # the department and callout titles are standard labels: the catalogue translates them


def test_a_parents_translation_of_a_text_the_child_replaced_is_never_printed(
        catalogue, capsys):
    """base translates its own contact name; a clinic that extends base and names its own
    contact must not print base's Spanish name for it."""
    base = catalogue.root / "templates" / "base" / "brand.yaml"
    base.write_text(base.read_text(encoding="utf-8") + "texts:\n  es:\n    contact:\n"
                    "      name: Equipo de información al paciente\n", encoding="utf-8")
    _translated(catalogue)
    found = [f["message"] for f in _check(catalogue, capsys)]
    assert not any("contact.name" in m for m in found)  # Riverside translates its own
    lakeside = catalogue.root / "templates" / "lakeside-clinic" / "brand.yaml"
    lakeside.write_text(lakeside.read_text(encoding="utf-8").split("\ntexts:\n")[0] + "\n",
                        encoding="utf-8")
    text = (catalogue.root / "leaflets" / "sample.yaml").read_text(encoding="utf-8")
    (catalogue.root / "leaflets" / "sample.yaml").write_text(
        text.replace("summary:", "template: lakeside-clinic\nsummary:"), encoding="utf-8")
    found = [f["message"] for f in _check(catalogue, capsys)]
    assert any("no Spanish (es) text for 'contact.name', so it prints in its own language: "
               "'Lakeside Clinic nurse line'" in m for m in found)
