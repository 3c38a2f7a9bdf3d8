"""Issue 14.2: `pip install handouts`, then a working catalogue in an empty folder.

`handouts init` writes the starter shipped in the package; the base brand is found without
a templates/ folder; `--version`; a bare `handouts` prints the help; no message points at
a file an installed user does not have; and the wheel alone carries what init and build
need, installed into a fresh virtual environment outside the source tree.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, TODAY, page_texts, squash
from handouts.cli import main
from handouts.init import STARTER, TODAY_TOKEN, starter_files

STARTER_NAMES = ["content.yaml", "leaflets/blood-test.yaml", "templates/base/brand.yaml",
                 "templates/example-clinic/brand.yaml"]


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Path:
    """`handouts init clinic`, then `handouts build` in it, once for the module."""
    root = tmp_path_factory.mktemp("init")
    assert main(["init", str(root / "clinic")]) == 0
    folder = root / "clinic"
    assert main(["build", str(folder / "content.yaml"), "--out", str(folder / "out")]) == 0
    return folder


def test_init_writes_content_an_example_leaflet_and_two_brands(clinic):
    written = sorted(p.relative_to(clinic).as_posix() for p in clinic.rglob("*")
                     if p.is_file() and "out" not in p.relative_to(clinic).parts)
    assert written == sorted(STARTER_NAMES)
    leaflet = (clinic / "leaflets" / "blood-test.yaml").read_text(encoding="utf-8")
    assert TODAY_TOKEN not in leaflet and f"last_reviewed: {TODAY}" in leaflet


def test_the_example_builds_and_reads_as_written(clinic):
    text = squash(" ".join(page_texts(clinic / "out" / "blood-test.pdf")))
    assert "Having a blood test" in text and "Example Community Clinic" in text
    assert "020 7946 0321" in text  # the brand's phone, as written
    assert (clinic / "out" / "index.html").is_file()


def test_the_example_passes_check_with_no_errors_or_warnings(clinic, capsys):
    assert main(["check", str(clinic / "content.yaml"), "--strict"]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_init_never_overwrites_a_file(tmp_path, capsys):
    (tmp_path / "content.yaml").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "content.yaml already exists" in capsys.readouterr().err
    assert (tmp_path / "content.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "leaflets").exists()  # refused before anything was written


def test_init_into_a_file_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "clinic").write_text("", encoding="utf-8")
    assert main(["init", str(tmp_path / "clinic")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_the_shipped_base_is_the_repository_base():
    """One base brand: the example catalogue's templates/base is the shipped one."""
    assert (STARTER / "templates/base/brand.yaml").read_bytes() == \
        (REPO / "templates/base/brand.yaml").read_bytes()


def test_base_is_found_when_the_folder_has_no_templates(tmp_path, capsys):
    (tmp_path / "content.yaml").write_text("defaults:\n  template: base\nleaflets:\n"
                                           "  - sample.yaml\n", encoding="utf-8")
    (tmp_path / "sample.yaml").write_text(MINIMAL, encoding="utf-8")
    assert main(["build", str(tmp_path / "content.yaml"), "--out", str(tmp_path / "out")]) == 0
    assert "not found" not in capsys.readouterr().err
    assert "Having a sample test" in squash(" ".join(page_texts(tmp_path / "out/sample.pdf")))


def test_a_brand_extending_base_needs_no_copy_of_base(tmp_path, capsys):
    brand = tmp_path / "templates" / "clinic"
    brand.mkdir(parents=True)
    (brand / "brand.yaml").write_text("extends: base\norganisation: Hill Street Surgery\n"
                                      "contact:\n  phone: 020 7946 0321\n", encoding="utf-8")
    (tmp_path / "content.yaml").write_text("defaults:\n  template: clinic\nleaflets:\n"
                                           "  - sample.yaml\n", encoding="utf-8")
    (tmp_path / "sample.yaml").write_text(MINIMAL, encoding="utf-8")
    assert main(["validate", str(tmp_path / "content.yaml")]) == 0
    # check follows `extends` to name where a key is set: here into the shipped base
    assert main(["check", str(tmp_path / "content.yaml")]) == 0
    out = capsys.readouterr().out
    assert "[missing-feedback]" in out and "templates/clinic/brand.yaml:1:1" in out


def test_a_hint_about_the_shipped_base_says_how_to_get_a_copy(tmp_path, capsys):
    """The shipped base lives in the installed package: the fix is a copy to edit."""
    (tmp_path / "content.yaml").write_text("defaults:\n  template: base\n  language: es\n"
                                           "leaflets:\n  - sample.yaml\n", encoding="utf-8")
    (tmp_path / "sample.yaml").write_text(MINIMAL, encoding="utf-8")
    main(["check", str(tmp_path / "content.yaml")])
    found = [line for line in capsys.readouterr().out.splitlines()
             if "fix: add 'texts: es" in line]
    assert found and all("templates/base/brand.yaml (a copy of the shipped base: 'handouts "
                         "init' in an empty folder writes one)" in line for line in found)


def test_an_own_base_wins_over_the_shipped_one(tmp_path):
    base = tmp_path / "templates" / "base"
    base.mkdir(parents=True)
    (base / "brand.yaml").write_text(
        (STARTER / "templates/base/brand.yaml").read_text(encoding="utf-8").replace(
            "organisation: Handouts example organisation", "organisation: Our own base"),
        encoding="utf-8")
    (tmp_path / "content.yaml").write_text("defaults:\n  template: base\nleaflets:\n"
                                           "  - sample.yaml\n", encoding="utf-8")
    (tmp_path / "sample.yaml").write_text(MINIMAL, encoding="utf-8")
    assert main(["build", str(tmp_path / "content.yaml"), "--out", str(tmp_path / "out")]) == 0
    assert "Our own base" in squash(" ".join(page_texts(tmp_path / "out/sample.pdf")))


def test_a_bare_handouts_prints_the_help_and_exits_0(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: handouts") and "init" in out and "handouts init" in out


def test_version(capsys):
    from importlib.metadata import version
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"handouts {version('handouts')}"


def _message_strings() -> list[tuple[str, int, str]]:
    """Every string constant in handouts/ that is not a docstring: messages, hints, help
    texts and the files commands write."""
    found = []
    for path in sorted((REPO / "handouts").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                           ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings:
                found.append((path.relative_to(REPO).as_posix(), node.lineno, node.value))
    return found


def test_no_message_points_at_a_file_an_installed_user_lacks():
    """README.md and docs/ are in the source tree, not in the wheel."""
    bad = [(f, line, text) for f, line, text in _message_strings()
           if "README" in text or "docs/" in text or "check.md" in text]
    assert bad == []


def test_a_new_leaflet_points_at_what_ships(tmp_path):
    assert main(["new", "knee", "--dir", str(tmp_path)]) == 0
    text = (tmp_path / "knee.yaml").read_text(encoding="utf-8")
    assert "README" not in text and "handouts init" in text


# ---- the wheel, installed into a fresh virtual environment -------------------------------

def _run(args: list, cwd: Path, env: dict) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def _clean_env(home: Path) -> dict:
    """No PYTHONPATH or virtual environment of ours leaks into the fresh one."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSAFEPATH")}
    env["PATH"] = os.pathsep.join([str(home / "bin"), env.get("PATH", "")])
    return env


def _wheel(tmp: Path) -> Path:
    """The wheel pip builds from a copy of the source (setuptools from the registry)."""
    source = tmp / "source"
    shutil.copytree(REPO / "handouts", source / "handouts",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", source / "pyproject.toml")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "wheels",
          source], tmp, dict(os.environ))
    (wheel,) = (tmp / "wheels").glob("handouts-*.whl")
    return wheel


# Run inside the fresh environment after the CLI has built: the same build in-process, then
# every imported module that came from outside the fresh environment must belong to a
# distribution the wheel's requirements name (directly or through one another).
_DEPENDENCY_PROBE = textwrap.dedent("""\
    import importlib.metadata as md, json, re, sys
    from pathlib import Path
    from handouts.cli import main
    assert main(["build", "--jobs", "1", "--quiet", "--out", "out-probe"]) == 0
    borrowed = Path(sys.argv[1]).resolve()
    def norm(name): return re.sub(r"[-_.]+", "-", name).lower()
    wanted, todo = set(), ["handouts"]
    while todo:
        try:
            requires = md.requires(todo.pop()) or []
        except md.PackageNotFoundError:  # left out by its marker (colorama off Windows)
            continue
        for req in requires:
            if "extra ==" in req:
                continue
            name = norm(re.match(r"[A-Za-z0-9_.-]+", req).group())
            if name not in wanted:
                wanted.add(name)
                todo.append(name)
    owners = md.packages_distributions()
    used = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve().is_relative_to(borrowed):
            top = Path(file).resolve().relative_to(borrowed).parts[0].split(".")[0]
            used |= {norm(d) for d in owners.get(top, [top])}
    import handouts, handouts.init
    print(json.dumps({"handouts": handouts.__file__, "starter": str(handouts.init.STARTER),
                      "undeclared": sorted(used - wanted)}))
    """)


def test_the_wheel_alone_gives_a_working_init_and_build(tmp_path):
    """`pip install <the wheel> && handouts init clinic && cd clinic && handouts build` in a
    fresh virtual environment, from an empty folder outside the source tree.

    How it stays fast: a full `pip install` with every dependency, even from pip's cache,
    took 24 s by hand and 44 s as this test with HANDOUTS_FRESH_VENV=full (2 shared cores;
    ReportLab, pikepdf, lxml and the font packages unpack 280 MB), more than this suite's
    budget for a new module; this way takes about 7 s. So the wheel is built once
    from a copy of the source and installed with `--no-deps` into an empty venv; the
    dependencies are the very packages pip installed from the registry into the
    environment running the tests, reached by a .pth line *after* the fresh venv's own
    site-packages (a .pth path is not itself scanned for .pth files, so that
    environment's editable install of handouts is never loaded). What this proves:
    handouts itself (code, starter files, message catalogues, scripts.yaml, the catalogue
    page's templates) comes from the fresh site-packages, never from the source tree, and
    every module the build imports from the borrowed packages belongs to a requirement the
    wheel declares. HANDOUTS_FRESH_VENV=full installs the wheel with its dependencies
    from the registry instead (no borrowing), for a release check.
    """
    wheel = _wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"handouts/starter/{n}" for n in starter_files()} <= names
    assert {f"handouts/starter/{n}" for n in STARTER_NAMES} <= names
    assert {"handouts/scripts.yaml", "handouts/messages/en.yaml", "handouts/messages/es.yaml",
            "handouts/site/index.html.j2", "handouts/site/site.css"} <= names

    home = tmp_path / "venv"
    full = os.environ.get("HANDOUTS_FRESH_VENV") == "full"
    venv.EnvBuilder(with_pip=full).create(home)
    python = home / "bin" / "python"
    env = _clean_env(home)
    if full:
        _run([python, "-m", "pip", "install", "--quiet", wheel], tmp_path, env)
    else:
        _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
              "--no-deps", "--no-index", wheel], tmp_path, env)
    fresh = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                       "['purelib'])"], tmp_path, env).strip())
    borrowed = Path(sysconfig.get_paths()["purelib"])
    if not full:
        (fresh / "zz-borrowed-dependencies.pth").write_text(f"{borrowed}\n", encoding="utf-8")

    empty = tmp_path / "empty"
    empty.mkdir()
    _run([home / "bin" / "handouts", "init", "clinic"], empty, env)
    clinic = empty / "clinic"
    out = _run([home / "bin" / "handouts", "build"], clinic, env)
    assert "1 built" in out and (clinic / "out" / "blood-test.pdf").is_file()
    assert "Having a blood test" in squash(" ".join(page_texts(clinic / "out/blood-test.pdf")))

    probe = json.loads(_run([python, "-c", _DEPENDENCY_PROBE, borrowed], clinic, env)
                       .strip().splitlines()[-1])
    assert Path(probe["handouts"]).is_relative_to(fresh)  # the wheel's copy, not the repo's
    assert Path(probe["starter"]).is_relative_to(fresh)
    assert probe["undeclared"] == []
    assert (clinic / "out-probe" / "blood-test.pdf").read_bytes() == \
        (clinic / "out" / "blood-test.pdf").read_bytes()
