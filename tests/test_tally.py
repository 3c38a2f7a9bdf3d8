"""Who was given what (issue 13): copies counted per leaflet, version, language, variant and
day in out/given-out.sqlite, with no patient data; parallel writers lose no count; the
register's 'given out, last 90 days' column; the catalogue setting that switches it off."""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from conftest import MINIMAL

from handouts import tally
from handouts.cli import main
from handouts.content import load_catalogue

DAY = dt.date(2026, 11, 24)


def test_each_copy_adds_one_to_its_day_and_kind(tmp_path):
    for _ in range(2):
        tally.add_copy(tmp_path, "igrt", "3", "es", "large-print", DAY)
    tally.add_copy(tmp_path, "igrt", "3", "es", "standard", DAY)
    tally.add_copy(tmp_path, "igrt", "3", "es", "standard", DAY + dt.timedelta(days=1))
    assert tally.rows(tmp_path) == [
        ("2026-11-24", "igrt", "3", "es", "large-print", 2),
        ("2026-11-24", "igrt", "3", "es", "standard", 1),
        ("2026-11-25", "igrt", "3", "es", "standard", 1)]


def test_only_the_leaflet_its_kind_and_the_day_are_stored(tmp_path):
    tally.add_copy(tmp_path, "igrt", "3", "en-GB", "standard", DAY)
    with sqlite3.connect(tally.path_in(tmp_path)) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(given_out)")]
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["given_out"]
    assert columns == ["day", "leaflet", "version", "language", "variant", "copies"]


def test_the_last_90_days_include_today_and_not_day_91(tmp_path):
    for back in (0, 89, 90):
        tally.add_copy(tmp_path, "igrt", "3", "es", "standard", DAY - dt.timedelta(days=back))
    tally.add_copy(tmp_path, "wound-care", "1", "en-GB", "booklet", DAY)
    assert tally.given_out(tmp_path, DAY) == {"igrt": 2, "wound-care": 1}
    assert tally.given_out(tmp_path / "never-served", DAY) == {}


def _add_many(args) -> None:
    folder, count = args
    for _ in range(count):
        tally.add_copy(folder, "igrt", "3", "ar", "standard", DAY)


def test_parallel_writers_lose_no_count(tmp_path):
    with ThreadPoolExecutor(8) as pool:  # threads, each with its own connection
        list(pool.map(_add_many, [(tmp_path, 8)] * 8))
    with multiprocessing.get_context("fork").Pool(4) as pool:  # and separate processes
        pool.map(_add_many, [(tmp_path, 8)] * 3)
    assert tally.rows(tmp_path) == [("2026-11-24", "igrt", "3", "ar", "standard", 88)]


def test_the_register_has_a_given_out_column(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    for _ in range(3):
        tally.add_copy(catalogue.out, "sample", "2", "en-GB", "standard", DAY)
    tally.add_copy(catalogue.out, "sample", "2", "en-GB", "standard", DAY - dt.timedelta(days=95))
    capsys.readouterr()
    content = str(catalogue.root / "content.yaml")
    assert main(["register", content, "--out", str(catalogue.out), "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["leaflets"][0]
    assert row["given_out_90_days"] == 3
    assert main(["register", content, "--out", str(catalogue.out)]) == 0
    header, line = capsys.readouterr().out.splitlines()[:2]
    assert "given out, last 90 days" in header
    assert line.split()[0] == "PIL-9001"
    assert " 3 " in line


def test_counting_is_switched_off_by_a_catalogue_setting(catalogue, capfd, tmp_path):
    catalogue.leaflet(MINIMAL)
    content = catalogue.write_content("count_given_out: false\n")
    assert load_catalogue(content).count_given_out is False
    assert load_catalogue(catalogue.write_content()).count_given_out is True
    content = catalogue.write_content("count_given_out: false\n")
    catalogue.out.mkdir()
    assert main(["personalise", "sample", "--content", str(content), "--name", "Ann Smith",
                 "--out", str(tmp_path / "copy.pdf"), "--count-in", str(catalogue.out)]) == 0
    assert not tally.path_in(catalogue.out).exists()
    content = catalogue.write_content("count_given_out: sometimes\n")
    capfd.readouterr()
    assert catalogue.validate() == 1
    assert "content.yaml:7:18: 'count_given_out' should be true or false" in capfd.readouterr().err
