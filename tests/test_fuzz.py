"""Property: any mutation of a real leaflet is a clean error or a clean build (issues 9, 16).

Hypothesis cuts, duplicates, swaps and inserts characters and lines of the example
leaflets, then runs the real CLI. Whatever happens, no traceback escapes, the exit code is
0 or 1, every message is one printable line, and the good leaflet beside it still builds.
"""
from __future__ import annotations

import shutil

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import MINIMAL, REPO
from handouts.cli import main

SEEDS = [(REPO / "leaflets" / name).read_text(encoding="utf-8")
         for name in ("wound-care.yaml", "igrt.yaml")]
NASTY = ["\t", ": ", "- ", "&a ", "*a", "!!python/object/apply:os.system ", "[", "{", "'",
         '"', "\\x1b", "\u202e", "01612345670", "8:30", "~", "---\n", "\n  ", "\n-", "#"]


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "cut", "lines"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(NASTY) | st.text(max_size=5)) + text[at:]
        elif action == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            lines = text.splitlines(keepends=True)
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


def _project(root) -> None:
    if not (root / "templates").exists():
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
        (root / "content.yaml").write_text(
            "defaults:\n  template: riverside-trust\nleaflets:\n  - leaflets/*.yaml\n")
        (root / "leaflets" / "good.yaml").write_text(MINIMAL.replace("id: sample", "id: good"))


def _clean(capsys, code: int) -> str:
    captured = capsys.readouterr()
    assert code in (0, 1), code
    assert "Traceback" not in captured.err
    for line in captured.err.splitlines():
        assert line.isprintable(), repr(line)
    return captured.err


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_validate_gives_a_clean_error_or_passes(tmp_path, capsys, text):
    _project(tmp_path)
    (tmp_path / "leaflets" / "mutant.yaml").write_text(text, encoding="utf-8",
                                                       errors="surrogatepass")
    _clean(capsys, main(["validate", str(tmp_path / "content.yaml")]))


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_build_gives_a_clean_error_and_the_good_leaflet(tmp_path, capsys, text):
    _project(tmp_path)
    out = tmp_path / "out"
    (tmp_path / "leaflets" / "mutant.yaml").write_text(text, encoding="utf-8",
                                                       errors="surrogatepass")
    _clean(capsys, main(["build", str(tmp_path / "content.yaml"), "--out", str(out)]))
    assert (out / "good.pdf").is_file()
    assert (out / "index.html").is_file()
