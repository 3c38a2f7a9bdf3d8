"""Building beyond one machine: each format of each leaflet is a task on a Dask cluster.

The client plans the build (what is wanted, what is unchanged) exactly as a local build
does, and the manifest and catalogue page are written by the client alone. Workers load the
same content from the same path (a shared folder, or the same checkout on every machine),
make the PDF bytes and return them; the client writes them atomically. With
`shared_output`, workers write into the output folder themselves and return only what the
manifest needs. A worker that sees other content, or runs another version of handouts,
than the client planned with refuses the task rather than return a PDF the manifest would
misdescribe.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import HandoutsError, Problem, RenderError
from .outputs import tool_version

if TYPE_CHECKING:
    from .build import Built, Format, Options, Outcome, Run
    from .model import Leaflet


@dataclass(frozen=True)
class Cluster:
    """Where to build: a scheduler's address, or None for a local cluster of `jobs`
    single-threaded worker processes (ReportLab is not thread-safe)."""

    scheduler: str | None = None
    shared_output: bool = False


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to make one format, small enough to send."""

    content: str
    template: str | None
    day: str
    options: Options
    form: Format
    source: str  # the leaflet's fingerprint as the client saw it
    tool: str  # the client's handouts version
    out_dir: str | None  # set when workers write the file themselves


@dataclass
class Made:
    """A worker's answer: the bytes (or where it wrote them), or why it could not."""

    data: bytes | None = None
    pages: int = 0
    size: int = 0
    sha256: str = ""
    problems: list[Problem] = field(default_factory=list)


class ClusterError(Exception):
    """The cluster cannot be used (no Dask installed, no scheduler, threaded workers):
    the whole run stops, saying what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(f"{message} - {hint}")


def outcomes(run: Run, todo: list[Leaflet], jobs: int, cluster: Cluster) -> Iterator[Outcome]:
    """Each leaflet's outcome in catalogue order. Every task is submitted first, so the
    workers stay busy while the client writes; with nothing to make, no cluster starts."""
    from .build import build_one
    tasks = _tasks(run, todo, cluster)
    if not tasks:
        yield from (build_one(run, leaflet) for leaflet in todo)
        return
    with _client(cluster, min(jobs, len(tasks))) as client:
        futures = {name: client.submit(make_on_worker, task, key=_task_key(task), pure=False)
                   for name, task in tasks.items()}
        for leaflet in todo:
            yield build_one(run, leaflet, _receive(futures, run, cluster))


def _client(cluster: Cluster, jobs: int) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--executor dask needs Dask's distributed scheduler, "
                                    "which is not installed",
                                    "pip install 'handouts[dask]'") from None
    if cluster.scheduler is None:
        local = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                             dashboard_address=None)
        return Client(local, set_as_default=False)
    try:
        client = Client(cluster.scheduler, set_as_default=False, timeout="5s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at "
                                    f"{cluster.scheduler}: {exc}", "start it with "
                                    "`dask scheduler`, or check the address") from None
    threaded = sorted(w for w, n in client.nthreads().items() if n != 1)
    if threaded:
        client.close()
        raise ClusterError(
            f"{len(threaded)} Dask workers run more than one thread (first {threaded[0]}); "
            "ReportLab is not thread-safe", "start the workers with `dask worker ADDRESS "
            "--nthreads 1 --nworkers N`")
    return client


def _tasks(run: Run, todo: list[Leaflet], cluster: Cluster) -> dict[str, Task]:
    """A task for every format that needs making, by file name. A leaflet that cannot be
    planned gets none: build_one plans it again and reports why."""
    from .build import formats_wanted
    tasks = {}
    out_dir = str(run.out_dir.resolve()) if cluster.shared_output else None
    content, tool = str(run.catalogue.path.resolve()), tool_version()
    for leaflet in todo:
        try:
            source, forms = formats_wanted(run, leaflet)
        except HandoutsError:
            continue
        for form in forms:
            if run.unchanged(form.name, form.key) is None:
                tasks[form.name] = Task(content, run.template, run.day.isoformat(),
                                        run.options, form, source, tool, out_dir)
    return tasks


def _task_key(task: Task) -> str:
    return f"handouts-{task.form.name}-{task.form.key[:16]}"


def _receive(futures: dict, run: Run, cluster: Cluster):
    """A Maker (see build.py) that waits for the worker's answer instead of making."""
    from .build import Built, make_here, write_format

    def receive(leaflet: Leaflet, form: Format) -> Built:
        if form.name not in futures:  # planned only now (it failed to plan a moment ago)
            return make_here(run)(leaflet, form)
        made: Made = futures[form.name].result()
        if made.problems:
            raise RenderError(made.problems)
        if cluster.shared_output:
            return Built(form.leaflet_id, run.out_dir / form.name, made.pages, made.size,
                         made.sha256)
        assert made.data is not None
        return write_format(form, made.data, made.pages, run.out_dir)
    return receive


# ---- on the worker ------------------------------------------------------------------------

# per worker process: the content is loaded once, not for every task
_RUNS: dict[tuple[str, str | None, str, str], Run] = {}


def make_on_worker(task: Task) -> Made:
    """Make one format (runs on a Dask worker)."""
    if task.tool != tool_version():
        return Made(problems=[Problem(
            Path(task.content), 1, 1, f"a Dask worker runs handouts {tool_version()}, "
            f"the client {task.tool}", "install the same version of handouts on every worker")])
    try:
        run, leaflet = _leaflet_as_planned(task)
        from .build import make_format, write_format
        data, pages = make_format(leaflet, run.brand_of(leaflet), task.form,
                                  task.options.page_size, task.options.grayscale)
    except HandoutsError as exc:
        return Made(problems=exc.problems)
    if task.out_dir is None:
        return Made(data, pages, len(data), hashlib.sha256(data).hexdigest())
    built = write_format(task.form, data, pages, Path(task.out_dir))
    return Made(None, built.pages, built.size, built.sha256)


def _leaflet_as_planned(task: Task) -> tuple[Run, Leaflet]:
    """The task's leaflet, loaded here; loaded again if the content changed since this
    worker last loaded it, and refused if it still differs from what the client saw."""
    for fresh in (False, True):
        run = _worker_run(task, fresh)
        leaflet = run.leaflets.get(task.form.leaflet_key)
        if leaflet is not None and run.source(leaflet) == task.source:
            return run, leaflet
    raise RenderError(Problem(
        Path(task.content), 1, 1, f"a Dask worker read different content for "
        f"'{task.form.leaflet_key}' than the client planned with",
        "the content changed during the build, or the workers do not see the same "
        "folder: build again, with the content on a folder every worker shares"))


def _worker_run(task: Task, fresh: bool) -> Run:
    import datetime as dt

    from .brand import Brands, templates_dir_for
    from .build import Run
    from .content import load_catalogue
    from .outputs import Manifest
    cache_key = (task.content, task.template, task.day, repr(task.options))
    if fresh or cache_key not in _RUNS:
        content = Path(task.content)
        _RUNS.clear()
        _RUNS[cache_key] = Run(load_catalogue(content), Brands(templates_dir_for(content)),
                               task.template, dt.date.fromisoformat(task.day), Path("."),
                               None, Manifest(), task.options)
    return _RUNS[cache_key]
