"""Property: any mutation of a real input is a clean error or a clean build (issues 9, 16).

Hypothesis cuts, duplicates, swaps and inserts characters and lines of one input, then
runs the real CLI. The input is one of the example leaflets, the catalogue (content.yaml),
a translation or a brand template. Whatever happens, no traceback escapes, the exit code
is 0 or 1, every message is one printable line, and, unless the catalogue itself was
mutated, the good leaflet (on another brand) and the catalogue page are still built.
"""
from __future__ import annotations

import shutil
import textwrap

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import MINIMAL, REPO, assert_rest_built
from handouts.cli import main

CONTENT = textwrap.dedent("""\
    defaults:
      template: riverside-trust
      language: en-GB
      review_interval_months: 36
    leaflets:
      - leaflets/*.yaml
    translations:
      - leaflets/translations/*.yaml
    """)
GOOD = MINIMAL.replace("id: sample", "id: good").replace(
    "summary:", "template: lakeside-clinic\nsummary:")  # not the brand that may be mutated
TRANSLATION = textwrap.dedent("""\
    translates: good
    language: es
    source_version: "2"
    translator: Equipo de traducción
    translated: 2026-02-01
    title: Hacerse una prueba de muestra
    summary: Qué pasa cuando da una muestra.
    sections:
      - heading: ¿Qué es?
        blocks:
          - paragraph: Una muestra nos ayuda a revisar su salud [@nhs-sample].
          - bullets: [Primer punto, Segundo punto]
    """)
BRAND = (REPO / "templates" / "riverside-trust" / "brand.yaml").read_text(encoding="utf-8")
VICTIM = MINIMAL.replace("id: sample", "id: mutant")  # uses the brand when it is the mutant

# Where each kind of input lives in the project, and its unmutated text.
PLACES = {"leaflet": ("leaflets/mutant.yaml", VICTIM), "content": ("content.yaml", CONTENT),
          "translation": ("leaflets/translations/good.es.yaml", TRANSLATION),
          "brand": ("templates/riverside-trust/brand.yaml", BRAND)}
LEAFLET_SEEDS = [(REPO / "leaflets" / name).read_text(encoding="utf-8")
                 for name in ("wound-care.yaml", "igrt.yaml")]
SEEDS = [("leaflet", text) for text in LEAFLET_SEEDS] + [
    ("content", CONTENT), ("translation", TRANSLATION), ("brand", BRAND)]
NASTY = ["\t", ": ", "- ", "&a ", "*a", "!!python/object/apply:os.system ", "[", "{", "'",
         '"', "\\x1b", "\u202e", "01612345670", "8:30", "~", "---\n", "\n  ", "\n-", "#",
         "1e3", ".inf", "../", "/etc/passwd", "extends: ", "template: "]


def _mutate(draw, text: str) -> str:
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


@st.composite
def mutated(draw) -> str:
    """A mutated example leaflet (test_validate_predicts_build.py uses it too)."""
    return _mutate(draw, draw(st.sampled_from(LEAFLET_SEEDS)))


@st.composite
def mutated_input(draw) -> tuple[str, str]:
    """(kind of input, its mutated text), any kind in PLACES."""
    kind, text = draw(st.sampled_from(SEEDS))
    return kind, _mutate(draw, text)


def _project(root, kind: str = "", text: str = "") -> None:
    """The project as it was, with the one mutated input (if any) in its place. Hypothesis
    runs every example in the same folder, so each one first puts every input back."""
    if not (root / "templates").exists():
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
        (root / "leaflets" / "translations").mkdir()
        (root / "leaflets" / "good.yaml").write_text(GOOD, encoding="utf-8")
    for place, (name, original) in PLACES.items():
        (root / name).write_text(text if place == kind else original, encoding="utf-8",
                                 errors="surrogatepass")


def _clean(capsys, code: int) -> str:
    captured = capsys.readouterr()
    assert code in (0, 1), code
    assert "Traceback" not in captured.err
    for line in captured.err.splitlines():
        assert line.isprintable(), repr(line)
    return captured.err


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutant=mutated_input())
def test_validate_gives_a_clean_error_or_passes(tmp_path, capsys, mutant):
    _project(tmp_path, *mutant)
    _clean(capsys, main(["validate", str(tmp_path / "content.yaml")]))


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutant=mutated_input())
def test_build_gives_a_clean_error_and_the_good_leaflet(tmp_path, capsys, mutant):
    _project(tmp_path, *mutant)
    out = tmp_path / "out"
    for earlier in (out / "good.pdf", out / "index.html"):  # so this build must write them
        earlier.unlink(missing_ok=True)
    _clean(capsys, main(["build", str(tmp_path / "content.yaml"), "--out", str(out)]))
    if mutant[0] != "content":  # a broken catalogue names no leaflet to build
        assert_rest_built(out, "good")
