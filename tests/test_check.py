"""`handouts check`: each rule on a leaflet that triggers it and on one that does not.

The leaflets are in tests/fixtures/check/leaflets/, one concern each; `good.yaml` passes every
rule. Each test writes a catalogue naming the leaflets it needs (with a copy of the fixture
templates beside it) and runs the command in-process on a fixed day.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import yaml
import pypdfium2
import pytest
from textstat.textstat import textstatistics

from handouts.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "check"
LEAFLETS = FIXTURES / "leaflets"
REALTEXTS = ROOT / "tests" / "fixtures" / "realtexts"
SCHEMA = json.loads((ROOT / "docs" / "check.schema.json").read_text(encoding="utf-8"))
TODAY = "2026-06-01"


def catalogue(tmp_path: Path, *names: str, checks: str = "") -> Path:
    """A content.yaml in tmp_path naming these fixture leaflets, plus the fixture templates."""
    if not (tmp_path / "templates").exists():
        shutil.copytree(FIXTURES / "templates", tmp_path / "templates")
    if not (tmp_path / "leaflets").exists():  # leaflets must sit inside the content folder
        shutil.copytree(LEAFLETS, tmp_path / "leaflets")
    entries = "".join(f"  - leaflets/{name}.yaml\n" for name in names)
    content = tmp_path / "content.yaml"
    content.write_text(f"defaults:\n  template: clinic\n{checks}leaflets:\n{entries}",
                       encoding="utf-8")
    return content


def run_json(capsys, content: Path, *extra: str) -> tuple[int, dict]:
    code = main(["check", str(content), "--today", TODAY, "--format", "json", *extra])
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, SCHEMA, cls=jsonschema.Draft202012Validator)
    return code, report


def findings(report: dict, rule: str | None = None) -> list[dict]:
    groups = report["files"] + report["leaflets"]
    return [f for g in groups for f in g["findings"] if rule is None or f["rule"] == rule]


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path`, not a comment, holding `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1)
                if text in line and not line.lstrip().startswith("#"))


def block_line(path: Path, text: str) -> int:
    """The line of the block ('- paragraph:', '- figure:'...) that holds `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    last = line_of(path, text)
    return next(n for n in range(last, 0, -1) if re.match(r"\s*- \w+:", lines[n - 1]))


def leaflet_report(report: dict, leaflet_id: str) -> dict:
    return next(l for l in report["leaflets"] if l["id"] == leaflet_id)


# ---- the leaflet that passes -------------------------------------------------------------

def test_good_leaflet_has_no_findings_even_when_strict(tmp_path, capsys):
    code, report = run_json(capsys, catalogue(tmp_path, "good"), "--strict")
    assert code == 0
    assert findings(report) == []
    assert report["summary"] == {"leaflets": 1, "errors": 0, "warnings": 0, "passed": True}


# ---- each rule on a leaflet that triggers it ---------------------------------------------

TRIGGERS = [  # leaflet, rule, severity, the line's text, block (True) or that very line
    ("overdue", "review-overdue", "error", "next_review:", False),
    ("due-soon", "review-due-soon", "warning", "next_review:", False),
    ("long-interval", "review-interval", "warning", "next_review:", False),
    ("no-references", "missing-reference", "error", "id: no-references", False),
    ("no-approval", "missing-approval", "warning", "  code: FIX-0001", False),
    ("bare-brand", "missing-contact", "error", "id: bare-brand", False),
    ("citations", "reference-uncited", "warning", "- id: lab-tests-online", False),
    ("citations", "reference-accessed", "warning", "- id: lab-tests-online", False),
    ("bad-alt", "alt-filename", "warning", "alt: clinic-room.png", True),
    ("no-alt", "alt-missing", "error", "figure: images/clinic-room.png", False),
    ("unknown-citation", "citation-unknown", "error", "[@nhs-blod-tests]", True),
    ("hard-reading", "long-sentence", "warning", "Consequently, individuals", True),
    ("plain-language", "abbreviation", "warning", "You will have IGRT", True),
    ("plain-language", "jargon", "warning", "prior to your appointment", True),
]


@pytest.mark.parametrize("leaflet, rule, severity, text, in_block", TRIGGERS,
                         ids=[f"{t[0]}-{t[1]}" for t in TRIGGERS])
def test_rule_fires_at_its_line(tmp_path, capsys, leaflet, rule, severity, text, in_block):
    code, report = run_json(capsys, catalogue(tmp_path, leaflet))
    path = LEAFLETS / f"{leaflet}.yaml"
    found = findings(report, rule)
    assert len(found) == 1, findings(report)
    assert found[0]["severity"] == severity
    assert found[0]["line"] == (block_line(path, text) if in_block else line_of(path, text))
    assert Path(found[0]["path"]).name == path.name
    assert code == (1 if severity == "error" else 0)


@pytest.mark.parametrize("rule", sorted({t[1] for t in TRIGGERS} | {
    "reading-level", "hard-sentence", "link-text", "missing-other-formats", "missing-feedback",
    "contrast", "body-size"}))
def test_good_leaflet_does_not_trigger(tmp_path, capsys, rule):
    _, report = run_json(capsys, catalogue(tmp_path, "good"))
    assert findings(report, rule) == []


def test_review_rules_follow_today(tmp_path, capsys):
    content = catalogue(tmp_path, "due-soon")
    _, report = run_json(capsys, content)  # 2026-07-15 is 44 days after TODAY
    assert "in 44 days" in findings(report, "review-due-soon")[0]["message"]
    code = main(["check", str(content), "--today", "2026-07-16", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["rule"] for f in findings(report)] == ["review-overdue"]
    assert "since 2026-07-15" in findings(report)[0]["message"]


def test_template_rules_point_into_brand_yaml(tmp_path, capsys):
    code, report = run_json(capsys, catalogue(tmp_path, "bare-brand", "faint-brand"))
    bare, faint = tmp_path / "templates/bare/brand.yaml", tmp_path / "templates/faint/brand.yaml"
    other = findings(report, "missing-other-formats")
    assert [(f["severity"], f["line"]) for f in other] == [("error", line_of(bare, "other_"))]
    assert [f["line"] for f in findings(report, "missing-feedback")] == [1]
    contrast = findings(report, "contrast")
    assert contrast and {(f["severity"], f["line"]) for f in contrast} == {
        ("error", line_of(faint, "text:"))}
    size = findings(report, "body-size")
    assert [(f["severity"], f["line"]) for f in size] == [("error", line_of(faint, "body:"))]
    # The faint template failed, so rules that need it are skipped for its leaflet.
    assert [f["leaflet"] for f in findings(report, "missing-contact")] == ["bare-brand"]
    assert code == 1


def test_reading_level_names_leaflet_and_section_then_hardest_sentences(tmp_path, capsys):
    checks = "checks:\n  reading-level:\n    section_min_words: 50\n"  # the section has 69
    code, report = run_json(capsys, catalogue(tmp_path, "hard-reading", checks=checks))
    path = LEAFLETS / "hard-reading.yaml"
    level = findings(report, "reading-level")
    assert [f["line"] for f in level] == [line_of(path, "id: hard-reading"),
                                          line_of(path, "- heading: Pharmacological")]
    hardest = findings(report, "hard-sentence")
    assert len(hardest) == 3
    assert {f["line"] for f in hardest} == {block_line(path, "Anticoagulant medication"),
                                            block_line(path, "Consequently, individuals"),
                                            block_line(path, "Unexpected haemorrhagic")}
    assert code == 0


def test_plain_language_leaves_explained_words_alone(tmp_path, capsys):
    _, report = run_json(capsys, catalogue(tmp_path, "plain-language"))
    # CT is spelled out where first used, GP and NHS are everyday words, and
    # "analgesia (pain relief)" explains itself.
    assert [f["message"] for f in findings(report, "abbreviation")] == [
        "'IGRT' is used before it is spelled out"]
    assert ["prior to" in f["message"] for f in findings(report, "jargon")] == [True]


def test_link_text_from_check_and_from_validation(tmp_path, capsys):
    code, report = run_json(capsys, catalogue(tmp_path, "vague-links"))
    path = LEAFLETS / "vague-links.yaml"
    lines = sorted(f["line"] for f in findings(report, "link-text"))
    assert lines == sorted([block_line(path, "Click here")] * 2 + [block_line(path, "[here]")])
    assert code == 0
    _, report = run_json(capsys, catalogue(tmp_path, "vague-links",
                                           checks="checks:\n  link-text: off\n"))
    assert findings(report, "link-text") == []


# ---- the `checks:` settings --------------------------------------------------------------

@pytest.mark.parametrize("leaflet, checks, rule, fires", [
    ("due-soon", "  review-due-soon: 30\n", "review-due-soon", False),
    ("due-soon", "  review-due-soon:\n    days: 60\n", "review-due-soon", True),
    ("long-interval", "  review-interval: 60\n", "review-interval", False),
    ("hard-reading", "  long-sentence: 30\n", "long-sentence", False),
    ("plain-language", "  reading-level: 10\n", "reading-level", False),
    ("plain-language", "  reading-level: 9\n", "reading-level", True),
    ("hard-reading", "  reading-level:\n    sections: false\n", "hard-sentence", True),
    ("hard-reading", "  reading-level: off\n", "hard-sentence", False),
    ("plain-language", "  abbreviation:\n    allow: [IGRT]\n", "abbreviation", False),
    ("plain-language", "  jargon:\n    builtin: false\n", "jargon", False),
    ("good", "  jargon:\n    terms:\n      nurse: someone who cares for you\n", "jargon", True),
    ("good", "  link-text:\n    phrases: [page about]\n", "link-text", True),
    ("good", "  contrast: 10\n", "contrast", True),
    ("good", "  body-size: 14\n", "body-size", True),
    ("no-approval", "  missing-approval: off\n", "missing-approval", False),
])
def test_settings_change_thresholds_and_turn_rules_off(tmp_path, capsys, leaflet, checks, rule,
                                                       fires):
    _, report = run_json(capsys, catalogue(tmp_path, leaflet, checks="checks:\n" + checks))
    assert bool(findings(report, rule)) is fires
    assert findings(report, "invalid") == []


def test_severity_can_be_raised_to_error(tmp_path, capsys):
    content = catalogue(tmp_path, "due-soon",
                        checks="checks:\n  review-due-soon:\n    severity: error\n")
    code, report = run_json(capsys, content)
    assert [f["severity"] for f in findings(report, "review-due-soon")] == ["error"]
    assert code == 1


BAD_SETTINGS = [  # content.yaml's checks start at line 4
    ("  long-sentense: 20\n", 4, "did you mean 'long-sentence'"),
    ("  review-due-soon: soon\n", 4, "should be on, off, a number"),
    ("  reading-level:\n    smog: 40\n", 5, "outside 1-20"),
    ("  reading-level:\n    spanish_formula: flesch\n", 5, "not one of"),
    ("  jargon:\n    term: {}\n", 5, "did you mean 'terms'"),
]


@pytest.mark.parametrize("checks, line, message", BAD_SETTINGS)
def test_bad_settings_are_errors_at_their_line(tmp_path, capsys, checks, line, message):
    code, report = run_json(capsys, catalogue(tmp_path, "good", checks="checks:\n" + checks))
    invalid = findings(report, "invalid")
    assert len(invalid) == 1 and message in invalid[0]["message"] + invalid[0]["fix"]
    assert (Path(invalid[0]["path"]).name, invalid[0]["line"]) == ("content.yaml", line)
    assert code == 1


@pytest.mark.parametrize("checks, line, message", BAD_SETTINGS)
def test_validate_reports_bad_settings_as_check_does(tmp_path, capsys, checks, line, message):
    content = catalogue(tmp_path, "good", checks="checks:\n" + checks)
    _, report = run_json(capsys, content)
    [found] = findings(report, "invalid")
    assert main(["validate", str(content)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"{found['path']}:{line}:{found['column']}: "
                                f"{found['message']} - {found['fix']}"]
    assert message in err and "1 error," in out


def test_validate_accepts_good_settings(tmp_path, capsys):
    checks = "checks:\n  review-due-soon: 30\n  jargon:\n    builtin: false\n  link-text: off\n"
    assert main(["validate", str(catalogue(tmp_path, "good", checks=checks))]) == 0
    assert capsys.readouterr().err == ""


# ---- readability figures are textstat's --------------------------------------------------

HARD_TEXT = (  # hard-reading.yaml's body as running text: each block ends a sentence
    "Anticoagulant medication substantially diminishes the probability of thromboembolic "
    "complications, particularly following orthopaedic operations. Consequently, individuals "
    "receiving anticoagulation therapy necessitate regular haematological monitoring, because "
    "therapeutic concentrations fluctuate considerably depending upon dietary consumption, "
    "concurrent medications, intercurrent illnesses and individual metabolic variability. "
    "Unexpected haemorrhagic manifestations, including persistent epistaxis or haematuria, "
    "necessitate immediate medical evaluation. Take your tablet at the same time every day. "
    "Tell us if you bleed for a long time.")
SPANISH_TEXT = ("Una enfermera le saca un poco de sangre del brazo. Tarda unos minutos. Puede "
                "sentir un pinchazo. Después puede irse a casa. Le damos los resultados en una "
                "semana.")


def _textstat(language: str) -> textstatistics:
    stats = textstatistics()
    stats.set_lang(language)
    return stats


def test_english_scores_are_textstats_own(tmp_path, capsys):
    _, report = run_json(capsys, catalogue(tmp_path, "hard-reading", "good"))
    hard = leaflet_report(report, "hard-reading")["readability"]
    stats = _textstat("en_GB")
    assert hard["formula"] == "smog"
    assert hard["score"] == round(stats.smog_index(HARD_TEXT), 2)
    assert hard["flesch_kincaid"] == round(stats.flesch_kincaid_grade(HARD_TEXT), 2)
    assert hard["words"] == stats.lexicon_count(HARD_TEXT)
    # No word of three syllables: SMOG is its constant, 3.1291.
    assert leaflet_report(report, "good")["readability"]["score"] == 3.13


@pytest.mark.parametrize("formula, method", [("fernandez-huerta", "fernandez_huerta"),
                                             ("szigriszt-pazos", "szigriszt_pazos")])
def test_spanish_uses_a_spanish_formula(tmp_path, capsys, formula, method):
    checks = f"checks:\n  reading-level:\n    spanish_formula: {formula}\n"
    _, report = run_json(capsys, catalogue(tmp_path, "spanish", checks=checks))
    readability = leaflet_report(report, "spanish")["readability"]
    assert readability["formula"] == formula
    assert readability["score"] == round(getattr(_textstat("es"), method)(SPANISH_TEXT), 2)
    assert readability["flesch_kincaid"] is None
    assert findings(report, "reading-level") == []


def test_spanish_target_is_a_lowest_score(tmp_path, capsys):
    checks = "checks:\n  reading-level:\n    spanish: 95\n"
    _, report = run_json(capsys, catalogue(tmp_path, "spanish", checks=checks))
    assert "Fernández-Huerta 95 or higher" in findings(report, "reading-level")[0]["message"]


def test_other_languages_get_no_number(tmp_path, capsys):
    code, report = run_json(capsys, catalogue(tmp_path, "chinese"), "--strict")
    readability = leaflet_report(report, "chinese")["readability"]
    assert (readability["formula"], readability["score"], readability["hardest"]) == (
        None, None, [])
    assert "no readability formula applies to 'zh-Hant'" in readability["note"]
    # Traditional Chinese has its own labels (issue 11.5); only Riverside's texts lack it
    assert {f["rule"] for f in findings(report)} == {"brand-text-missing"}


# ---- the command: text output, --strict, today, exit codes --------------------------------

def test_text_output_groups_by_leaflet(tmp_path, capsys):
    code = main(["check", str(catalogue(tmp_path, "due-soon", "good")), "--today", TODAY])
    out = capsys.readouterr().out
    line = line_of(LEAFLETS / "due-soon.yaml", "next_review:")
    assert re.search(rf"due-soon\.yaml:{line}:\d+: warning \[review-due-soon\] review due on "
                     r"2026-07-15, in 44 days\n +fix: ", out)
    assert out.index("due-soon: Having a blood test") < out.index("good: Having a blood test")
    assert "reading level: SMOG grade 3.1" in out
    assert out.rstrip().endswith("2 leaflets checked: 0 errors, 1 warning - passed")
    assert code == 0


def test_strict_fails_on_warnings(tmp_path, capsys):
    content = catalogue(tmp_path, "due-soon")
    assert main(["check", str(content), "--today", TODAY]) == 0
    assert main(["check", str(content), "--today", TODAY, "--strict"]) == 1
    assert "failed (--strict)" in capsys.readouterr().out


def test_handouts_today_is_honoured(tmp_path, capsys, monkeypatch):
    content = catalogue(tmp_path, "due-soon")
    monkeypatch.setenv("HANDOUTS_TODAY", "2026-08-01")
    assert main(["check", str(content)]) == 1
    assert "[review-overdue]" in capsys.readouterr().out
    monkeypatch.setenv("HANDOUTS_TODAY", "1 August")
    assert main(["check", str(content)]) == 2
    assert "HANDOUTS_TODAY='1 August' is not a date" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.yaml")]) == 2
    assert main(["check", "--format", "xml"]) == 2


def test_every_fixture_matches_the_schema(tmp_path, capsys):
    names = sorted(p.stem for p in LEAFLETS.glob("*.yaml"))
    code, report = run_json(capsys, catalogue(tmp_path, *names))
    assert code == 1
    assert {f["rule"] for f in findings(report)} >= {t[1] for t in TRIGGERS}
    assert report["summary"]["errors"] == sum(f["severity"] == "error" for f in findings(report))


# ---- overdue leaflets are not issued -----------------------------------------------------

def test_build_refuses_overdue_leaflet_unless_allowed(tmp_path, capsys):
    content, out = catalogue(tmp_path, "overdue", "good"), tmp_path / "out"
    code = main(["build", str(content), "--out", str(out), "--today", TODAY])
    err = capsys.readouterr().err
    assert code == 1
    assert "'overdue' is overdue for review since 2026-03-01" in err and "--allow-overdue" in err
    assert (out / "good.pdf").is_file() and not (out / "overdue.pdf").exists()

    code = main(["build", str(content), "--out", str(out), "--today", TODAY, "--only", "overdue",
                 "--allow-overdue"])
    assert code == 0
    pdf = pypdfium2.PdfDocument(out / "overdue.pdf")
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert pages and all("Review overdue" in text for text in pages)
    good = pypdfium2.PdfDocument(out / "good.pdf")
    assert all("Review overdue" not in good[i].get_textpage().get_text_range()
               for i in range(len(good)))


# ---- the real texts ----------------------------------------------------------------------

def test_real_texts(capsys):
    code, report = run_json(capsys, REALTEXTS / "content.yaml")
    by_id = {l["id"]: l for l in report["leaflets"]}
    assert set(by_id) == {"cdc-vis-covid19", "cdc-vis-mmr", "medlineplus-vacunacion",
                          "hhs-1557-taglines"}
    for vis in ("cdc-vis-covid19", "cdc-vis-mmr"):  # federal VISs read at about grade 10-12
        assert by_id[vis]["readability"]["score"] > 10
        assert "reading-level" in {f["rule"] for f in by_id[vis]["findings"]}
    spanish = by_id["medlineplus-vacunacion"]["readability"]
    assert spanish["formula"] == "fernandez-huerta" and 60 <= spanish["score"] <= 70
    assert by_id["hhs-1557-taglines"]["readability"]["formula"] is None
    # Published 2016 with no review since: overdue, the one error.
    assert [(f["leaflet"], f["rule"]) for f in findings(report) if f["severity"] == "error"] == [
        ("hhs-1557-taglines", "review-overdue")]
    assert code == 1


def test_a_validation_problem_is_found_by_its_rule_code_not_its_wording():
    from handouts.check import _from_problem
    from handouts.errors import Problem
    reworded = Problem(Path("brand.yaml"), 3, 5, "text too faint", rule="contrast")
    assert _from_problem(reworded, {}).rule == "contrast"
    assert _from_problem(Problem(Path("x.yaml"), 1, 1, "has contrast"), {}).rule == "invalid"


def test_labels_printed_in_english_are_a_warning_naming_the_language(tmp_path, capsys):
    """A Dutch leaflet prints 'Page 1 of 2' and 'References' in English: check says so,
    naming the language (issue 11.5; tests/test_labels.py names each label); Spanish has
    its own labels."""
    from conftest import Catalogue, MINIMAL
    catalogue = Catalogue(tmp_path)
    catalogue.leaflet(MINIMAL.replace("summary:", "language: nl\nsummary:"))
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: muestra").replace(
        "summary:", "language: es\nsummary:"), "muestra")
    capsys.readouterr()
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = {l["id"]: [f for f in l["findings"] if f["rule"] == "labels-missing"]
             for l in report["leaflets"]}
    assert not found["muestra"]
    [finding] = found["sample"]
    assert "no message catalogue for Dutch (nl)" in finding["message"]
    assert "print in English" in finding["message"] and finding["severity"] == "warning"


def test_sentences_end_at_the_danda_and_the_ideographic_full_stop(tmp_path, capsys):
    """Hindi sentences end at '।' and Chinese ones at '。' (issue 11.7): three short Hindi
    sentences are not one 'sentence of 36 words'."""
    from conftest import Catalogue, MINIMAL
    hindi = ("यह जाँच आपके शरीर के अंदर की तस्वीर लेती है और इसमें दर्द नहीं होता। "
             "आपको जाँच से पहले कुछ घंटे तक कुछ भी नहीं खाना चाहिए ताकि तस्वीर साफ़ आए। "
             "जाँच के बाद आप सामान्य रूप से खाना खा सकते हैं और घर जा सकते हैं। ")
    chinese = "这项检查会拍摄您身体内部的图像，整个过程不会疼痛。" * 3
    catalogue = Catalogue(tmp_path)
    for leaflet_id, language, text in (("hindi", "hi", hindi), ("chinese", "zh-Hans", chinese)):
        catalogue.leaflet(MINIMAL.replace("id: sample", f"id: {leaflet_id}").replace(
            "summary:", f"language: {language}\nsummary:").replace(
            "A sample helps us check your health [@nhs-sample].", f"'{text}[@nhs-sample]'"),
            leaflet_id)
    capsys.readouterr()
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    long = {l["id"]: [f for f in l["findings"] if f["rule"] == "long-sentence"]
            for l in report["leaflets"]}
    assert long == {"hindi": [], "chinese": []}


@pytest.mark.parametrize("language, flagged", [("en-GB", True), ("el", False), ("ko", False)])
def test_the_abbreviation_rule_reads_latin_script_leaflets_only(tmp_path, capsys, language,
                                                               flagged):
    """'COVID' inside Greek or Korean text is a loan word as written (issue 11.7)."""
    from conftest import Catalogue, MINIMAL
    text = {"en-GB": "Tell us if you have had COVID recently.",
            "el": "Πείτε μας αν είχατε πρόσφατα COVID.",
            "ko": "최근에 COVID에 걸린 적이 있으면 알려 주세요."}[language]
    catalogue = Catalogue(tmp_path)
    catalogue.leaflet(MINIMAL.replace("summary:", f"language: {language}\nsummary:").replace(
        "A sample helps us check your health [@nhs-sample].", f"'{text} [@nhs-sample]'"))
    capsys.readouterr()
    main(["check", str(catalogue.root / "content.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    rules = [f["rule"] for l in report["leaflets"] for f in l["findings"]]
    assert ("abbreviation" in rules) is flagged


# ---- 11.7: the other languages with a validated formula, and translations -----------------

FORMULA_OF = {"french": ("kandel-moles", "fr"), "german": ("amstad", "de"),
              "italian": ("gulpease", "it"), "dutch": ("douma", "nl"),
              "russian": ("oborneva", "ru")}


def _body(leaflet: str) -> str:
    from handouts.readability import as_running_text
    data = yaml.safe_load((LEAFLETS / f"{leaflet}.yaml").read_text(encoding="utf-8"))
    texts = [b["paragraph"].replace(" [@nhs]", "") for b in data["sections"][0]["blocks"]]
    return as_running_text(texts)


@pytest.mark.parametrize("leaflet", sorted(FORMULA_OF))
def test_languages_with_a_validated_formula_get_it(tmp_path, capsys, leaflet):
    formula, language = FORMULA_OF[leaflet]
    _, report = run_json(capsys, catalogue(tmp_path, leaflet))
    readability = leaflet_report(report, leaflet)["readability"]
    assert readability["formula"] == formula
    text, stats = _body(leaflet), _textstat(language)
    if formula == "gulpease":
        expected = stats.gulpease_index(text)
    elif formula == "oborneva":  # syllables are vowel letters: exact for Russian
        words, sentences = stats.lexicon_count(text), stats.sentence_count(text)
        vowels = sum(text.lower().count(v) for v in "аеёиоуыэюя")
        expected = 206.835 - 1.3 * words / sentences - 60.1 * vowels / words
    else:  # textstat's Flesch reading ease carries each language's own weights
        expected = stats.flesch_reading_ease(text)
    assert readability["score"] == round(expected, 2)
    assert 40 < readability["score"] <= 120  # short words and sentences: easy
    assert findings(report, "reading-level") == []


def test_russian_syllables_are_counted_exactly():
    from handouts.readability import score_text
    # 'здравоохранение' has 7 syllables (textstat's hyphenation patterns count 5)
    score = score_text("Здравоохранение.", "ru")
    assert score.value == pytest.approx(206.835 - 1.3 * 1 - 60.1 * 7)


def test_the_shared_target_applies_to_those_languages(tmp_path, capsys):
    checks = "checks:\n  reading-level:\n    ease: 99\n"
    _, report = run_json(capsys, catalogue(tmp_path, "french", checks=checks))
    assert "Kandel-Moles 99 or higher" in findings(report, "reading-level")[0]["message"]


def test_translations_get_the_text_rules_in_their_own_language(catalogue_dir):
    """A translation's long sentence and unexplained abbreviation are found at its own
    file and line; 'TC significa ...' spells TC out in Spanish."""
    content, capsys = catalogue_dir
    code, report = run_json(capsys, content)
    long = [f for f in findings(report, "long-sentence") if "good.es" in f["path"]]
    assert long and long[0]["line"] == block_line(content.parent / "leaflets" /
                                                  "good.es.yaml", "Cuando llegue")
    abbreviations = [f["message"] for f in findings(report, "abbreviation")]
    assert "'RM' is used before it is spelled out" in abbreviations
    assert not any("'TC'" in m for m in abbreviations)


@pytest.fixture
def catalogue_dir(tmp_path, capsys):
    """The 'good' leaflet with a Spanish translation holding one long sentence, an
    abbreviation spelled out the Spanish way (TC) and one never spelled out (RM)."""
    content = catalogue(tmp_path, "good")
    long = ("Cuando llegue a la clínica, una enfermera le pedirá su nombre y su fecha de "
            "nacimiento y después le llevará a una sala tranquila donde podrá sentarse y "
            "esperar un poco antes de la prueba")
    translation = f"""translates: good
language: es
source_version: "1"
translator: Servicio de traducción
translated: 2025-03-02
title: Un análisis de sangre
summary: Qué pasa cuando le hacen un análisis de sangre.
sections:
  - heading: Qué pasa
    blocks:
      - paragraph: >-
          {long}. Le hacemos una TC. TC significa tomografía computarizada. Luego una
          RM [@nhs-blood-tests].
      - figure: images/clinic-room.png
        alt: Una enfermera y un paciente sentados junto a una mesa en una sala luminosa.
      - paragraph: >-
          Lea la [página del NHS sobre análisis de sangre](https://www.nhs.uk/tests-and-treatments/blood-tests/)
          para saber más.
"""
    (tmp_path / "leaflets" / "good.es.yaml").write_text(translation, encoding="utf-8")
    text = content.read_text(encoding="utf-8")
    content.write_text(text + "translations:\n  - leaflets/good.es.yaml\n", encoding="utf-8")
    return content, capsys
