"""The command line: init | build | validate | check | register | new. Exit codes live
only here.

0 success, 1 content or template errors, 2 usage errors. Problems go to stderr as
`file:line:column: what is wrong - how to fix it`; no traceback reaches the user.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path

from . import __version__  # not importlib.metadata: it loads the email package (13 ms)
from .errors import Problem, printable
from .outputs import PAGE_SIZES, VARIANTS
from .review import today
from .write import OutputError
from .words import counted

# Each command imports what it runs inside its run_* function, so `handouts --help` starts
# without loading ReportLab, pikepdf or the PDF readers.

OK, FAILED, USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD")


def _content_arg(parser) -> None:
    parser.add_argument("content", nargs="?", default="content.yaml", type=Path,
                        help="the catalogue file (default: content.yaml)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handouts", description="Build patient leaflets written in YAML into branded, "
        "accessible PDF leaflets.", epilog="New here? 'handouts init clinic' writes a "
        "working example catalogue into the folder clinic; then 'cd clinic' and "
        "'handouts build'. 'handouts COMMAND --help' explains each command.")
    parser.add_argument("--version", action="version", version=f"handouts {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_init_command(commands)

    build = commands.add_parser("build", help="build every leaflet into PDF files",
                                description="Build every leaflet in the catalogue into out/.")
    _content_arg(build)
    build.add_argument("--out", "-o", type=Path, default=Path("out"), help="output folder")
    build.add_argument("--template", "-t", help="use this brand template for every leaflet")
    build.add_argument("--only", nargs="+", metavar="ID", help="build only these leaflet ids")
    build.add_argument("--allow-overdue", action="store_true",
                       help="build leaflets past their review date (marked 'Review overdue')")
    build.add_argument("--today", type=_date, help="treat this date (YYYY-MM-DD) as today; "
                       "also HANDOUTS_TODAY")
    build.add_argument("--variant", action="append", choices=VARIANTS,
                       dest="variants", help="build this format of every leaflet (repeat for "
                       "more) instead of each leaflet's PDF and its own 'variants:' list")
    build.add_argument("--page-size", choices=PAGE_SIZES, help="paper size instead of the "
                       "brand's (booklets are always A5 pages on A4 sheets)")
    build.add_argument("--grayscale", action="store_true", help="photocopier-friendly greys "
                       "(contrast kept); writes <id>[.<variant>].grayscale.pdf")
    build.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                       help="build on N processes (default: every core); the files are "
                       "the same bytes as with --jobs 1")
    build.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="local: processes on this machine (default); dask: each format "
                       "of each leaflet is a task on a Dask cluster (pip install "
                       "'handouts[dask]')")
    build.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: the "
                       "scheduler, e.g. tcp://10.0.0.5:8786 (default: a cluster of --jobs "
                       "workers on this machine)")
    build.add_argument("--shared-output", action="store_true", help="with --executor dask: "
                       "workers write the PDFs into --out, a folder they all share, instead "
                       "of sending the bytes back")
    build.add_argument("--quiet", "-q", action="store_true",
                       help="print only problems and the summary line")
    build.add_argument("--verbose", "-v", action="store_true",
                       help="also list the files kept because their build key is unchanged")
    build.add_argument("--clean", action="store_true", help="also remove leaflet PDFs and "
                       "thumbnails in the output folder that no build lists in its manifest")
    build.set_defaults(run=run_build)

    validate = commands.add_parser("validate", help="check content and templates only",
                                   description="Validate the catalogue; write nothing.")
    _content_arg(validate)
    validate.set_defaults(run=run_validate)

    new = commands.add_parser("new", help="write a new leaflet file with every field",
                              description="Write leaflets/<ID>.yaml with every field present "
                              "and commented, ready to fill in.")
    new.add_argument("id", help="the new leaflet's id, e.g. knee-surgery")
    new.add_argument("--dir", type=Path, default=Path("leaflets"), help="folder for the file")
    new.set_defaults(run=run_new)
    _add_governance_commands(commands)
    _add_desk_commands(commands)
    return parser


def _add_init_command(commands) -> None:
    init = commands.add_parser(
        "init", help="start a catalogue: content.yaml, an example leaflet and brands",
        description="Write a working catalogue into DIR (default: this folder): "
        "content.yaml, leaflets/blood-test.yaml (an example leaflet) and templates/ with "
        "the base brand and an example brand to make your own. Refuses to overwrite a file "
        "that is already there.")
    init.add_argument("dir", nargs="?", default=Path("."), type=Path, metavar="DIR",
                      help="the folder to write into (made if missing; default: .)")
    init.add_argument("--today", type=_date, metavar="DATE", help="date the example "
                      "leaflet (YYYY-MM-DD; also HANDOUTS_TODAY; default: today)")
    init.set_defaults(run=run_init)


def run_init(args) -> int:
    from .init import InitError, init_catalogue
    day = _today_or_none(args)
    if day is None:
        return USAGE
    try:
        written = init_catalogue(args.dir, day)
    except InitError as exc:
        print(printable(f"handouts: {exc}"), file=sys.stderr)
        return USAGE
    for path in written:
        print(f"wrote {_show(path)}")
    go = "" if args.dir.resolve() == Path.cwd() else f"cd {_show(args.dir)} && "
    print(f"next: {go}handouts build    (then open out/index.html; "
          "'handouts check' reviews the leaflets)")
    return OK


def _show(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_problems(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for problem in problems:
        label = "warning: " if problem.severity == "warning" else ""
        fix = f" - {problem.hint}" if problem.hint else ""
        print(printable(f"{_show(problem.path)}:{problem.line}:{problem.column}: {label}"
                        f"{problem.message}{fix}"), file=stream)


def _content_or_none(args) -> Path | None:
    if not args.content.is_file():
        print(f"handouts: {args.content}: no such file - run from the folder that holds "
              "content.yaml, or give its path", file=sys.stderr)
        return None
    return args.content


def _inputs(args) -> tuple[Path, dt.date] | None:
    """The catalogue and "today" every dated command needs; None after saying what's wrong."""
    content = _content_or_none(args)
    day = _today_or_none(args) if content else None
    return (content, day) if content and day else None


def run_build(args) -> int:
    from . import build as pipeline
    from .cluster import ClusterError
    inputs = _inputs(args)
    if inputs is None:
        return USAGE
    day = inputs[1]
    if args.executor != "dask" and (args.scheduler or args.shared_output):
        print("handouts: --scheduler and --shared-output need --executor dask",
              file=sys.stderr)
        return USAGE
    lines = _BuildLines(args.quiet, args.verbose)
    try:
        report = pipeline.build(args.content, args.out, args.template, args.only,
                                args.allow_overdue, day, variants=args.variants,
                                page_size=args.page_size, grayscale=args.grayscale,
                                clean=args.clean, jobs=args.jobs or _cores(),
                                progress=lines.leaflet_done, cluster=_cluster(args))
    except ClusterError as exc:
        print(printable(f"handouts: {exc}"), file=sys.stderr)
        return FAILED
    finally:
        lines.close()
    unknown = sorted(set(args.only or []) - {l.id for l in report.catalogue.leaflets}
                     - set(report.failed))
    for path in report.removed:
        print(f"removed {'(stale: not from the current source)':<48} {_show(path)}")
    if report.page and not args.quiet:
        print(f"page   {'catalogue of every leaflet':<49} {_show(report.page)}")
    print_problems(report.problems)
    for leaflet_id in unknown:
        print(f"handouts: no leaflet with id '{leaflet_id}' in {args.content}", file=sys.stderr)
    failed = sorted({_show(Path(n)) if "/" in n else n for n in report.failed}) + unknown
    summary = f"{len(report.built)} built"
    if report.unchanged:  # same build key as the file already in the output folder
        summary += f", {len(report.unchanged)} unchanged"
    if failed:
        summary += f", {len(failed)} failed ({', '.join(failed)})"
    stale = [f"{t.id}.{t.language}" for t in report.catalogue.translations
             if t.translation and t.translation.stale and (not args.only or t.id in args.only)]
    if stale:  # built with an out-of-date notice: the source has changed since
        summary += f", {counted(len(stale), 'stale translation')} ({', '.join(stale)})"
    print(summary)
    return OK if report.ok and not unknown else FAILED


def _cluster(args):
    from .cluster import Cluster
    return Cluster(args.scheduler, args.shared_output) if args.executor == "dask" else None


class _BuildLines:
    """What `build` prints as each leaflet finishes: a line per file written (and with
    --verbose per file kept unchanged), so a long build shows its progress as it goes; on
    a terminal also a progress bar on stderr (done of total, current leaflet, time left)."""

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet, self.verbose = quiet, verbose
        self.bar = None

    def leaflet_done(self, done: int, total: int, outcome) -> None:
        if self.quiet:
            return
        if self.bar is None and total > 1 and sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="leaflet", file=sys.stderr, leave=False)
        for built in outcome.built:
            self._say(f"built  {outcome.key:<28} {built.pages:>2} pages "
                      f"{built.size / 1024:>7.1f} KB  {_show(built.path)}")
        if self.verbose:
            for name in outcome.unchanged:
                self._say(f"same   {outcome.key:<28} {'(build key unchanged)':<20} {name}")
        if self.bar is not None:
            self.bar.set_postfix_str(outcome.key, refresh=False)
            self.bar.update(1)

    def _say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stdout)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_validate(args) -> int:
    from . import check as quality
    if _content_or_none(args) is None:
        return USAGE
    catalogue, problems = quality.validate(args.content)
    print_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    print(f"{counted(len(catalogue.leaflets), 'leaflet')} checked, "
          f"{counted(len(errors), 'error')}, {counted(len(problems) - len(errors), 'warning')}")
    return FAILED if errors else OK


def run_new(args) -> int:
    from .newleaflet import write_new_leaflet
    try:
        path = write_new_leaflet(args.id, args.dir)
    except ValueError as exc:
        print(f"handouts: {exc}", file=sys.stderr)
        return USAGE
    print(f"wrote {_show(path)}: fill in each field, then run 'handouts validate'")
    return OK


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return int(text)


def _cores() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        os.cpu_count() or 1


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of days (0 or more)")
    return int(text)


def _add_governance_commands(commands) -> None:
    today_help = "treat this date (YYYY-MM-DD) as today; also HANDOUTS_TODAY"
    check = commands.add_parser("check", help="validate and run the quality checks",
                                description="Validate the catalogue, then check review dates, "
                                "governance, readability, plain language, citations and "
                                "accessibility. Each finding names its rule and how to fix it; "
                                "a rule is set or turned off under 'checks:' in content.yaml, "
                                "e.g. 'reading-level: 9' or 'jargon: off'.")
    _content_arg(check)
    check.add_argument("--today", type=_date, help=today_help)
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people, json for programs (schema 'handouts-check/1': "
                       "a summary, then each leaflet's findings)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=run_check)

    register = commands.add_parser("register", help="list every leaflet for review",
                                   description="The leaflet register: one row per leaflet, "
                                   "sorted by next review date.")
    _content_arg(register)
    register.add_argument("--format", choices=("text", "csv", "json"), default="text")
    register.add_argument("--due-within", type=_days, metavar="DAYS",
                          help="only leaflets due for review within DAYS (overdue included)")
    register.add_argument("--out", "-o", type=Path, default=Path("out"),
                          help="folder of built PDFs, for page counts (default: out)")
    register.add_argument("--today", type=_date, help=today_help)
    register.set_defaults(run=run_register)


def _today_or_none(args) -> dt.date | None:
    """--today, else HANDOUTS_TODAY, else the real date; None after saying what is wrong."""
    try:
        return today(args.today)
    except ValueError:
        print(f"handouts: HANDOUTS_TODAY='{os.environ.get('HANDOUTS_TODAY')}' is not a date - "
              "write it as YYYY-MM-DD", file=sys.stderr)
        return None


def run_check(args) -> int:
    from . import check as quality
    inputs = _inputs(args)
    if inputs is None:
        return USAGE
    on = inputs[1]
    report = quality.check(args.content, on)
    if args.format == "json":
        print(json.dumps(quality.as_json(report, args.strict, _show), indent=2,
                         ensure_ascii=False))
    else:
        print(quality.format_text(report, args.strict, _show))
    return OK if report.passed(args.strict) else FAILED


def run_register(args) -> int:
    from . import register as leaflet_register
    inputs = _inputs(args)
    if inputs is None:
        return USAGE
    on = inputs[1]
    register = leaflet_register.build_register(args.content, args.out, on, args.due_within)
    print_problems(register.catalogue.errors)
    if args.format == "csv":
        sys.stdout.write(leaflet_register.as_csv(register))
    elif args.format == "json":
        print(json.dumps(leaflet_register.as_json(register), indent=2, ensure_ascii=False))
    else:
        print(leaflet_register.as_text(register))
    return FAILED if register.catalogue.errors else OK


# ---- the nurse's desk: serve and personalise (issue 13) -----------------------------------

def _add_desk_commands(commands) -> None:
    serve = commands.add_parser("serve", help="serve the catalogue, rebuild on change, "
                                "personalise at print time",
                                description="Build, then serve the catalogue page and every "
                                "leaflet over HTTP, rebuilding when content or templates "
                                "change. Nothing a nurse types is stored.")
    _content_arg(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: "
                       "127.0.0.1, this computer only; 0.0.0.0 for the ward's network)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument("--out", "-o", type=Path, default=Path("out"), help="output folder")
    serve.add_argument("--no-watch", action="store_true",
                       help="build once at start; do not rebuild on change")
    serve.set_defaults(run=run_serve)

    one = commands.add_parser("personalise", help="one personalised PDF of a leaflet",
                              description="Make a leaflet with a 'Prepared for' block and "
                              "the notes on page 1, in memory, and write it to --out (- for "
                              "standard output). Nothing else is written.")
    one.add_argument("id", help="the leaflet's id, e.g. igrt")
    one.add_argument("--content", type=Path, default=Path("content.yaml"),
                     help="the catalogue file (default: content.yaml)")
    one.add_argument("--lang", help="a translation's language, e.g. es (default: the "
                     "leaflet's own)")
    one.add_argument("--variant", choices=VARIANTS, default="standard")
    one.add_argument("--name", required=True, help="the patient's name as they want it written")
    one.add_argument("--appointment", metavar="'YYYY-MM-DD [HH:MM][, PLACE]'",
                     help="the appointment's date, time and place")
    one.add_argument("--clinician", default="", help="who to call")
    one.add_argument("--phone", default="", help="their direct phone number")
    one.add_argument("--notes", default="", help="'Your next steps', up to 600 characters")
    one.add_argument("--out", "-o", required=True, help="the PDF file to write, or - for "
                     "standard output")
    one.add_argument("--count-in", type=Path, default=Path("out"), metavar="DIR",
                     help="output folder whose given-out count this copy adds to, when it "
                     "exists and the catalogue counts (default: out)")
    one.add_argument("--today", type=_date, help="treat this date (YYYY-MM-DD) as today; "
                     "also HANDOUTS_TODAY")
    one.set_defaults(run=run_personalise)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)


def _appointment(text: str | None) -> dict[str, str]:
    """'2026-12-10 14:30, Radiotherapy Unit' -> the form's date, time and place."""
    if not text:
        return {}
    when, _, place = text.partition(",")
    day, _, time = when.strip().partition(" ")
    return {"date": day.strip(), "time": time.strip(), "place": place.strip()}


def run_personalise(args) -> int:
    from . import personalise as copies
    from . import tally
    from .errors import HandoutsError
    inputs = _inputs(args)
    if inputs is None:
        return USAGE
    content, day = inputs
    form = {"name": args.name, "clinician": args.clinician, "phone": args.phone,
            "notes": args.notes.replace("\\n", "\n"), **_appointment(args.appointment)}
    try:
        details = copies.read_details(form, day)
        copy = copies.personalise(content, args.id, details, args.lang, args.variant, day)
    except copies.DetailsError as exc:
        for key, message in exc.errors.items():
            print(printable(f"handouts: {_OPTION.get(key, key)}: {message}"), file=sys.stderr)
        return USAGE
    except HandoutsError as exc:
        fields = copies.field_errors(exc)
        for key, message in fields.items():
            print(printable(f"handouts: {_OPTION.get(key, key)}: {message}"), file=sys.stderr)
        print_problems([p for p in exc.problems if str(p.path) not in copies.FIELDS])
        return USAGE if isinstance(exc, copies.NotOffered) else FAILED
    if args.out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(copy.data)
        sys.stdout.buffer.flush()
    else:
        from .write import write_atomic
        write_atomic(copy.data, Path(args.out))
    catalogue_counts = copies.load_catalogue(content).count_given_out
    if catalogue_counts and args.count_in.is_dir():
        tally.add_copy(args.count_in, copy.leaflet.id, copy.leaflet.governance.version,
                       copy.leaflet.language, copy.variant, day)
    if args.out != "-":
        print(f"wrote {_show(Path(args.out))} ({copy.pages} pages): print it, then delete it",
              file=sys.stderr)
    return OK


_OPTION = {"name": "--name", "date": "--appointment (date)", "time": "--appointment (time)",
           "place": "--appointment (place)", "clinician": "--clinician", "phone": "--phone",
           "notes": "--notes"}


def run_serve(args) -> int:
    import logging
    from . import serve
    if _content_or_none(args) is None:
        return USAGE
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    serve.LOG.addHandler(handler)
    serve.LOG.setLevel(logging.INFO)
    desk = serve.Desk(args.content, args.out)
    desk.rebuild()
    print_problems(desk.problems)
    try:
        server, sock = serve.make_server(desk, args.host, args.port, not args.no_watch)
    except OSError as exc:
        print(printable(f"handouts: cannot listen on {args.host}:{args.port}: "
                        f"{exc.strerror or exc} - choose another --port"), file=sys.stderr)
        return FAILED
    print(f"serving {serve.address(sock)}{serve.describe_bind(args.host)} (Ctrl-C to stop)",
          flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then passed Ctrl-C on
        pass
    finally:
        sock.close()
    print("handouts: stopped", file=sys.stderr)
    return OK


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:  # a bare `handouts`: say what it can do, which is no error
        parser.print_help()
        return OK
    stdout, sys.stdout = sys.stdout, _DropWhenGone(sys.stdout)
    try:
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's exit-time flush
        return code
    except BrokenPipeError:  # written past _DropWhenGone (e.g. by a library)
        return _quiet_after_broken_pipe()
    except KeyboardInterrupt:
        print("handouts: interrupted", file=sys.stderr)
        return FAILED
    except OutputError as exc:
        print(printable(f"handouts: {exc} - make it writable, free some space, or choose "
                        "another folder with --out"), file=sys.stderr)
        return FAILED
    except OSError as exc:
        print(printable(f"handouts: {exc.filename or 'a file'}: {exc.strerror}"),
              file=sys.stderr)
        return FAILED
    finally:
        sys.stdout = stdout


class _DropWhenGone:
    """stdout that, once its reader has gone (`| head`, `| grep -q`), drops what is
    written: the command still finishes, prints its problems on stderr and returns its
    real exit code."""

    def __init__(self, stream):
        self._stream, self._gone = stream, False

    def write(self, text: str) -> int:
        self._quietly(self._stream.write, text)
        return len(text)

    def flush(self) -> None:
        self._quietly(self._stream.flush)

    def _quietly(self, action, *args) -> None:
        if not self._gone:
            try:
                action(*args)
            except BrokenPipeError:
                self._gone = True
                _quiet_after_broken_pipe()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _quiet_after_broken_pipe() -> int:
    """The reader (e.g. `| head`) has gone: say nothing more, and stop Python's own
    "Exception ignored" note when it flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced (tests): nothing to redirect
        pass
    return OK


def entry() -> None:
    """The `handouts` command (and `python -m handouts`): main, then the process ends.
    Python's exit runs the cycle collector over every object still alive; over the
    thousand leaflets a no-change rebuild recalls, that was 1.3 s of its 2.1 s. Frozen,
    they are left to the end of the process. Nothing needs them collected: every output
    is written, closed and renamed before main returns, and exit handlers still run."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
