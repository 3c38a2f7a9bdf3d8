"""Building on a Dask cluster (issue 12.4): each format of each leaflet is a task; a
2-worker LocalCluster gives the same bytes and manifest as a local build, and a worker
that would make something other than what the client planned refuses."""
from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import MINIMAL, REPO
from handouts.brand import Brands, templates_dir_for
from handouts.build import Options, Run, formats_wanted
from handouts.cli import main
from handouts.cluster import Task, make_on_worker
from handouts.content import load_catalogue
from handouts.outputs import MANIFEST, Manifest, tool_version
from handouts.review import today

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """Two single-threaded worker processes, as `dask worker --nthreads 1` would run."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def pdf_bytes(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def files_listed(out) -> list[dict]:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]


@pytest.mark.parametrize("shared", [False, True], ids=["bytes-returned", "shared-output"])
def test_a_cluster_build_gives_the_same_bytes_as_a_local_one(scheduler, example_out,
                                                              tmp_path, shared):
    out = tmp_path / "out"
    args = ["build", str(REPO / "content.yaml"), "--out", str(out), "--executor", "dask",
            "--scheduler", scheduler] + (["--shared-output"] if shared else [])
    assert main(args) == 0
    local = pdf_bytes(example_out)
    assert len(local) >= 7 and pdf_bytes(out) == local
    assert files_listed(out) == files_listed(example_out)


def test_one_bad_leaflet_fails_alone_on_a_cluster(scheduler, catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    catalogue.leaflet(MINIMAL.replace("id: sample", "id: late").replace("PIL-9001", "PIL-9002")
                      .replace("2026-01-10", "2022-01-10"), "late")  # past its review date
    assert catalogue.build("--executor", "dask", "--scheduler", scheduler) == 1
    out = capsys.readouterr()
    assert "overdue for review" in out.err + out.out
    assert "1 built" in out.out and "1 failed (late)" in out.out
    assert (catalogue.out / "sample.pdf").exists() and not (catalogue.out / "late.pdf").exists()


def test_nothing_to_make_starts_no_cluster(catalogue, capsys, monkeypatch):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started for an unchanged catalogue")
    monkeypatch.setattr("handouts.cluster._client", no_cluster)
    capsys.readouterr()
    assert catalogue.build("--executor", "dask") == 0
    assert capsys.readouterr().out.strip().endswith("0 built, 1 unchanged")


def a_task(catalogue) -> Task:
    content = catalogue.root / "content.yaml"
    options = Options(False, None, None, False)
    run = Run(load_catalogue(content), Brands(templates_dir_for(content)), None, today(None),
              catalogue.out, None, Manifest(), options)
    leaflet = run.catalogue.leaflets[0]
    source, forms = formats_wanted(run, leaflet)
    return Task(str(content.resolve()), None, run.day.isoformat(), options, forms[0], source,
                tool_version(), None)


def test_a_worker_makes_the_pdf_the_client_planned(catalogue):
    catalogue.leaflet(MINIMAL)
    made = make_on_worker(a_task(catalogue))
    assert not made.problems and made.data and made.data.startswith(b"%PDF")


def test_a_worker_that_reads_other_content_refuses(catalogue):
    leaflet = catalogue.leaflet(MINIMAL)
    task = a_task(catalogue)
    leaflet.write_text(MINIMAL.replace("Having a sample test", "An edited title"),
                       encoding="utf-8")  # edited after the client planned the build
    made = make_on_worker(task)
    assert made.data is None
    assert "different content for 'sample' than the client planned" in made.problems[0].message


def test_a_worker_on_another_version_refuses(catalogue):
    catalogue.leaflet(MINIMAL)
    made = make_on_worker(dataclasses.replace(a_task(catalogue), tool="0.0.0+other"))
    assert made.data is None and "install the same version" in made.problems[0].hint


def test_threaded_workers_are_refused(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=":0") as threaded:
        code = catalogue.build("--executor", "dask", "--scheduler", threaded.scheduler_address)
    err = capsys.readouterr().err
    assert code == 1 and "ReportLab is not thread-safe" in err and "--nthreads 1" in err
    assert "Traceback" not in err and not (catalogue.out / "sample.pdf").exists()


def test_scheduler_without_dask_executor_is_a_usage_error(catalogue, capsys):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build("--scheduler", "tcp://127.0.0.1:8786") == 2
    assert "need --executor dask" in capsys.readouterr().err
