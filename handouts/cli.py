"""The command line: build | validate | new. Exit codes live only here.

0 success, 1 content or template errors, 2 usage errors. Problems go to stderr as
`file:line:column: what is wrong - how to fix it`; no traceback reaches the user.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import build as pipeline
from .content import load_catalogue
from .errors import Problem
from .newleaflet import write_new_leaflet

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
    parser = argparse.ArgumentParser(prog="handouts", description="Build patient leaflets "
                                     "written in YAML into branded, accessible PDF leaflets.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

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
    return parser


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
        print(f"{_show(problem.path)}:{problem.line}:{problem.column}: {label}"
              f"{problem.message}{fix}", file=stream)


def run_build(args) -> int:
    if not args.content.is_file():
        print(f"handouts: {args.content}: no such file - run from the folder that holds "
              "content.yaml, or give its path", file=sys.stderr)
        return USAGE
    report = pipeline.build(args.content, args.out, args.template, args.only,
                            args.allow_overdue, args.today)
    unknown = sorted(set(args.only or []) - {l.id for l in report.catalogue.leaflets}
                     - set(report.failed))
    for built in report.built:
        print(f"built  {built.leaflet_id:<28} {built.pages:>2} pages {built.size / 1024:>7.1f} KB"
              f"  {_show(built.path)}")
    print_problems(report.problems)
    for leaflet_id in unknown:
        print(f"handouts: no leaflet with id '{leaflet_id}' in {args.content}", file=sys.stderr)
    failed = sorted(set(report.failed)) + unknown
    summary = f"{len(report.built)} built"
    if failed:
        summary += f", {len(failed)} failed ({', '.join(failed)})"
    print(summary)
    return OK if not failed and not any(p.severity == "error" for p in report.problems) \
        else FAILED


def run_validate(args) -> int:
    if not args.content.is_file():
        print(f"handouts: {args.content}: no such file", file=sys.stderr)
        return USAGE
    catalogue = load_catalogue(args.content)
    brands = pipeline.Brands(pipeline.templates_dir_for(args.content))
    problems = list(catalogue.problems)
    for name in sorted({l.template for l in catalogue.leaflets}):
        try:
            brands.get(name)
        except pipeline.HandoutsError as exc:
            problems.extend(exc.problems)
    print_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    print(f"{len(catalogue.leaflets)} leaflets checked, {len(errors)} errors, "
          f"{len(problems) - len(errors)} warnings")
    return FAILED if errors else OK


def run_new(args) -> int:
    try:
        path = write_new_leaflet(args.id, args.dir)
    except ValueError as exc:
        print(f"handouts: {exc}", file=sys.stderr)
        return USAGE
    print(f"wrote {_show(path)}: fill in each field, then run 'handouts validate'")
    return OK


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("handouts: interrupted", file=sys.stderr)
        return FAILED
    except OSError as exc:
        print(f"handouts: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
