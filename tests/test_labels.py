"""Message catalogues (issue 11.5): a catalogue for every language the issue names, each
with every label of en.yaml and the same {placeholders}; a label a language lacks is a
`check` warning naming the language and the label."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import string
import subprocess

import pytest

from conftest import MINIMAL, Catalogue
from handouts import labels as labels_module
from handouts.cli import main
from handouts.labels import MESSAGES, Labels
from handouts.load import read_yaml

# the languages UK and US health services interpret and translate most (issue 11)
ISSUE_LANGUAGES = ("ar bn zh-Hans zh-Hant prs fa fr de gu ht hi it ja ko ckb ne ps pl pt pa "
                   "ro ru so es tl ta ti am tr uk ur vi").split()


def _catalogue(code: str) -> dict[str, str]:
    return {str(k): v for k, v in read_yaml(MESSAGES / f"{code}.yaml").items()}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


ENGLISH = _catalogue("en")
CATALOGUES = sorted(p.stem for p in MESSAGES.glob("*.yaml") if p.stem != "en")


def test_every_language_of_the_issue_has_a_catalogue():
    assert sorted(set(ISSUE_LANGUAGES) - set(CATALOGUES)) == []


@pytest.mark.parametrize("code", CATALOGUES)
def test_a_catalogue_has_every_label_of_english_with_its_placeholders(code):
    own = _catalogue(code)
    assert sorted(set(ENGLISH) - set(own)) == [], f"{code} lacks these labels"
    assert sorted(set(own) - set(ENGLISH)) == [], f"{code} has labels English does not"
    for key, text in own.items():
        assert isinstance(text, str) and text.strip(), f"{code}: {key} is empty"
        assert _placeholders(text) == _placeholders(ENGLISH[key]), f"{code}: {key}"
        assert text.format(**{name: "x" for name in _placeholders(text)})


@pytest.mark.parametrize("code", ISSUE_LANGUAGES)
def test_dates_and_language_names_come_from_cldr(code):
    labels = Labels(code)
    assert labels.missing() == []
    assert labels.locale.language != "en"  # Babel knows the language: no English dates
    assert "2026" in labels.date(dt.date(2026, 3, 1))
    assert "M03" not in labels.date(dt.date(2026, 3, 1))  # CLDR's placeholder month
    assert labels.language_name("en-GB") != "en-GB"


def _check(catalogue: Catalogue, capsys) -> dict:
    capsys.readouterr()
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return {leaflet["id"]: [f for f in leaflet["findings"] if f["rule"] == "labels-missing"]
            for leaflet in report["leaflets"]}


def _in(language: str, leaflet_id: str = "sample") -> str:
    return MINIMAL.replace("id: sample", f"id: {leaflet_id}").replace(
        "summary:", f"language: {language}\nsummary:")


def test_each_label_a_catalogue_lacks_is_a_warning_naming_language_and_label(
        tmp_path, capsys, monkeypatch):
    messages = tmp_path / "messages"
    shutil.copytree(MESSAGES, messages)
    french = (messages / "fr.yaml").read_text(encoding="utf-8")
    kept = [line for line in french.splitlines()
            if not line.startswith(("references:", "review_overdue:"))]
    (messages / "fr.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    monkeypatch.setattr(labels_module, "MESSAGES", messages)
    labels_module._catalogue.cache_clear()
    try:
        (tmp_path / "content").mkdir()
        catalogue = Catalogue(tmp_path / "content")
        catalogue.leaflet(_in("fr"))
        catalogue.leaflet(_in("de", "muster"), "muster")
        found = _check(catalogue, capsys)
    finally:
        labels_module._catalogue.cache_clear()
    assert found["muster"] == []
    messages_ = sorted(f["message"] for f in found["sample"])
    assert messages_ == [
        "label 'references' has no French (fr) text and prints in English ('References')",
        "label 'review_overdue' has no French (fr) text and prints in English "
        "('Review overdue')"]
    assert {f["severity"] for f in found["sample"]} == {"warning"}


def test_a_language_with_no_catalogue_is_one_warning(tmp_path, capsys):
    catalogue = Catalogue(tmp_path)
    catalogue.leaflet(_in("nl"))
    [finding] = _check(catalogue, capsys)["sample"]
    assert finding["message"].startswith("no message catalogue for Dutch (nl): all ")
    assert "handouts/messages/nl.yaml" in finding["fix"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_french_leaflet_prints_its_labels_in_french(tmp_path):
    catalogue = Catalogue(tmp_path)
    catalogue.leaflet(_in("fr"))
    assert catalogue.build() == 0
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(catalogue.out / "sample.pdf"),
                                    "-"], capture_output=True, text=True, check=True)
                    .stdout.split())
    for french in ("Page 1 sur", "Dernière révision", "Références", "Nous contacter",
                   "Autres formats et langues", "10 janvier 2026"):
        assert french in text
    for english in ("Page 1 of", "Last reviewed", "References"):
        assert english not in text


def test_no_example_gets_a_details_heading_it_already_uses_for_a_section():
    """The page review: 'Sobre este folleto' (and the Arabic and Chinese) headed both the
    first section of the IGRT translations and their closing 'Leaflet details', since the
    catalogues said 'About this leaflet' where English says 'Leaflet details'."""
    from conftest import REPO
    from handouts.content.catalogue import load_catalogue
    from handouts.labels import Labels
    catalogue = load_catalogue(REPO / "content.yaml")
    for leaflet in [*catalogue.leaflets, *catalogue.translations]:
        headings = {s.heading.casefold() for s in leaflet.walk_sections()}
        assert Labels(leaflet.language)["about_leaflet"].casefold() not in headings, \
            (leaflet.id, leaflet.language)


def test_a_label_and_its_value_are_joined_as_the_language_writes_them(example_out):
    """Chinese printed '电话: 020 7946 0100' with an ASCII colon and space where its own
    text uses '：'; French puts a no-break space before the colon."""
    from conftest import page_texts
    assert Labels("zh-Hans").field("phone", "020") == "电话：020"
    assert Labels("en-GB").field("phone", "020") == "Phone: 020"
    assert Labels("fr").field("phone", "01") == "Téléphone\u00a0: 01"
    text = "".join(page_texts(example_out / "igrt.zh-Hans.pdf"))
    for printed in ("电话：020", "资料编号：PIL-0042", "编写：放射治疗科"):
        assert printed in text, printed
    assert "电话: " not in text and "编写: " not in text
    companion = (example_out / "igrt.zh-Hans.txt").read_text(encoding="utf-8")
    assert "电话：" in companion and "电话: " not in companion
