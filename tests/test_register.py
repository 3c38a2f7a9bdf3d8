"""`handouts register`: one row per leaflet, sorted by next review, as text, CSV and JSON."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from handouts.cli import main
from handouts.register import COLUMNS
from handouts.review import review_status

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "check"
TODAY = "2026-06-01"
LEAFLETS = ("good", "due-soon", "overdue", "spanish", "chinese")


def catalogue(tmp_path: Path, *names: str, checks: str = "") -> Path:
    shutil.copytree(FIXTURES / "templates", tmp_path / "templates", dirs_exist_ok=True)
    # leaflets must sit inside the content folder
    shutil.copytree(FIXTURES / "leaflets", tmp_path / "leaflets", dirs_exist_ok=True)
    entries = "".join(f"  - leaflets/{name}.yaml\n" for name in names)
    content = tmp_path / "content.yaml"
    content.write_text(f"defaults:\n  template: clinic\n{checks}leaflets:\n{entries}",
                       encoding="utf-8")
    return content


def built_pdf(content: Path, out: Path, leaflet_id: str) -> tuple[Path, int]:
    """Build one leaflet for real: the register reads the manifest the build writes."""
    assert main(["build", str(content), "--out", str(out), "--only", leaflet_id,
                 "--today", TODAY]) == 0
    with pikepdf.open(out / f"{leaflet_id}.pdf") as pdf:
        return out / f"{leaflet_id}.pdf", len(pdf.pages)


def register_csv(capsys, content: Path, *extra: str) -> tuple[int, str, list[dict]]:
    code = main(["register", str(content), "--today", TODAY, "--format", "csv", *extra])
    out = capsys.readouterr().out
    return code, out, list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))


def test_csv_reads_back_sorted_by_next_review(tmp_path, capsys):
    out = tmp_path / "out"
    content = catalogue(tmp_path, *LEAFLETS)
    pdf, pages = built_pdf(content, out, "good")
    capsys.readouterr()
    code, text, rows = register_csv(capsys, content, "--out", str(out))
    assert code == 0
    assert text.startswith("\ufeff") and "\r\n" in text
    assert list(rows[0]) == list(COLUMNS)
    assert [r["id"] for r in rows][:2] == ["overdue", "due-soon"]
    assert [r["next_review"] for r in rows] == sorted(r["next_review"] for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert [by_id[i]["status"] for i in ("overdue", "due-soon", "good")] == [
        "overdue", "due soon", "current"]
    good = by_id["good"]
    assert (good["code"], good["version"], good["owner"], good["last_reviewed"]) == (
        "FIX-0001", "1", "Clinic manager", "2025-03-01")
    assert (good["pages"], good["output"]) == (str(pages), str(pdf))
    assert (by_id["overdue"]["pages"], by_id["overdue"]["output"]) == ("", "")
    assert (good["reading_level"], good["reading_formula"]) == ("3.1", "smog")
    assert by_id["spanish"]["reading_formula"] == "fernandez-huerta"
    assert 60 < float(by_id["spanish"]["reading_level"]) <= 120
    assert (by_id["chinese"]["reading_level"], by_id["chinese"]["reading_formula"]) == ("n/a", "")


def test_due_within_lists_the_committees_agenda(tmp_path, capsys):
    _, _, rows = register_csv(capsys, catalogue(tmp_path, *LEAFLETS), "--due-within", "60")
    assert [r["id"] for r in rows] == ["overdue", "due-soon"]


def test_due_soon_uses_the_checks_lead_time(tmp_path, capsys):
    content = catalogue(tmp_path, "due-soon", checks="checks:\n  review-due-soon: 30\n")
    _, _, rows = register_csv(capsys, content)
    assert [r["status"] for r in rows] == ["current"]  # 44 days away, lead time 30


def test_csv_cells_never_start_a_formula(tmp_path, capsys):
    _, _, rows = register_csv(capsys, catalogue(tmp_path, "formula-title"))
    assert rows[0]["title"] == "'=1+1 and other sums: blood test results"


def test_json_and_text(tmp_path, capsys):
    content = catalogue(tmp_path, "good", "overdue")
    assert main(["register", str(content), "--today", TODAY, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["today"] == TODAY and [r["id"] for r in data["leaflets"]] == ["overdue", "good"]
    assert data["leaflets"][0]["next_review"] == "2026-03-01"
    assert data["leaflets"][0]["pages"] is None

    assert main(["register", str(content), "--today", TODAY]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].split()[:3] == ["code", "title", "lang"]
    assert text[1].startswith("FIX-0001") and "overdue" in text[1] and "SMOG 3.1" in text[1]
    assert text[-1] == f"2 leaflets (today is {TODAY})"


def test_invalid_leaflets_are_reported_and_listed_as_errors(tmp_path, capsys):
    code = main(["register", str(catalogue(tmp_path, "good", "unknown-citation")),
                 "--today", TODAY, "--format", "csv"])
    captured = capsys.readouterr()
    assert code == 1
    assert "names no reference" in captured.err
    rows = list(csv.DictReader(io.StringIO(captured.out[1:])))
    assert [(r["id"], r["status"]) for r in rows] == [("unknown-citation", "error"),
                                                      ("good", "current")]


def test_usage_errors(tmp_path, capsys):
    assert main(["register", str(tmp_path / "missing.yaml")]) == 2
    assert main(["register", "--due-within", "-5"]) == 2


@pytest.mark.parametrize("next_review, lead, expected", [
    ("2026-05-31", 90, "overdue"), ("2026-06-01", 90, "due-soon"), ("2026-08-30", 90, "due-soon"),
    ("2026-08-31", 90, "current"), ("2026-06-02", None, "current")])
def test_review_status(next_review, lead, expected):
    assert review_status(dt.date.fromisoformat(next_review), dt.date(2026, 6, 1),
                         lead) == expected
