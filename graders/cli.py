"""``python -m graders <verb>``: the course's commands after autograding.

A verb is one small function ``run(args) -> exit code`` registered with ``@verb``, which
also declares its arguments; ``main`` builds the parser from the registry. Adding a verb
(e.g. ``check``) is one decorated function, with no change to ``main``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from .course import Course, CourseError


@dataclass(frozen=True)
class Verb:
    run: Callable[[argparse.Namespace], int]
    help: str
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...]


VERBS: dict[str, Verb] = {}


def arg(*flags: str, **kwargs: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """One argparse argument, as ``parser.add_argument(*flags, **kwargs)`` takes it."""
    return flags, kwargs


def verb(name: str, help: str, *arguments: tuple[tuple[str, ...], dict[str, Any]]):
    """Register ``run`` as ``python -m graders <name>``."""
    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        VERBS[name] = Verb(run, help, tuple(arguments))
        return run
    return register


ROOT = arg("--root", type=Path, default=Path("."), help="course folder (holds gradebook.db); default: .")
ASSIGNMENT = arg("--assignment", "-a", action="append", default=None,
                 help="an assignment to include (repeatable); default: all in the gradebook")


@verb("feedback", "write feedback/<student>/<assignment>/<notebook>.html (no hidden tests shown)",
      ROOT, ASSIGNMENT, arg("--student", "-s", action="append", default=None, help="a student (repeatable)"))
def feedback(args: argparse.Namespace) -> int:
    from .course import load_course
    from .report.collect import collect
    from .report.feedback import write_feedback

    course = load_course(args.root)
    paths = write_feedback(course, collect(course, args.assignment, args.student))
    print(f"feedback: {len(paths)} page(s) in {course.step_root('feedback')}")
    return 0


@verb("report", "class report: one HTML page plus CSV tables, for an assignment or the course",
      ROOT, ASSIGNMENT, arg("--out", type=Path, default=None, help="output folder; default: <root>/reports"))
def report(args: argparse.Namespace) -> int:
    from .report.classreport import headline, write_report
    from .report.collect import collect

    records = collect(args.root, args.assignment)
    scope = "+".join(args.assignment) if args.assignment else "course"
    paths = write_report(records, scope, args.out or args.root / "reports")
    print(f"report: {paths[0].resolve()}")
    print(f"tables: {len(paths) - 1} CSV file(s) beside it")
    for line in headline(records).lines():
        print(line)
    return 0


@verb("export", "grades for an LMS: one row per student, per-cell and per-notebook columns with status",
      ROOT, ASSIGNMENT, arg("--to", type=Path, default=Path("grades_lms.csv"), help="CSV file to write"),
      arg("--late-penalty-per-day", type=float, default=0.0,
          help="fraction of a notebook's points lost per started day late, used only when the "
               "gradebook holds no late penalty (nbgrader's LateSubmissionPlugin); default 0"))
def export(args: argparse.Namespace) -> int:
    from .report.collect import collect
    from .report.export import write_export

    path = args.to if args.to.is_absolute() else args.root / args.to
    records = collect(args.root, args.assignment)
    write_export(records, path, args.late_penalty_per_day)
    print(f"export: {path.resolve()} ({len({r.student for r in records})} students)")
    return 0


@verb("autograde", "grade every submission of an assignment in parallel: progress bar, resume, summary",
      ROOT, arg("assignment", nargs="*", help="the assignments to grade (default: every one in source/)"),
      arg("--student", "-s", action="append", default=None, help="grade only this student (repeatable)"),
      arg("--force", action="store_true", help="regrade submissions already graded"),
      arg("--workers", "-w", type=int, default=2,
          help="grading worker processes on a Dask LocalCluster (0: grade in this process)"),
      arg("--scheduler", default=None, metavar="ADDRESS",
          help="use the Dask cluster at ADDRESS (tcp://host:8786) instead of starting one"),
      arg("--stats", type=Path, default=None, metavar="FILE", help="write timings per notebook as JSON"),
      arg("--no-progress", action="store_true", help="no progress bar (logs, CI)"))
def autograde(args: argparse.Namespace) -> int:
    import json

    from .course import load_course
    from .engine.runner.autograde import autograde as run

    course = load_course(args.root)
    problem = _unknown_names(course, args.assignment, args.student)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    stats: dict = {}
    summary = run(course, args.assignment or None, args.student, force=args.force, progress=not args.no_progress,
                  workers=args.workers, scheduler=args.scheduler, stats=stats)
    if args.stats:
        args.stats.write_text(json.dumps(stats, indent=1))
    print("\n".join(summary.lines()))
    return summary.exit_code


def _listing(names: list[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return (shown + f" and {len(names) - limit} more" if len(names) > limit else shown) or "none"


def _unknown_names(course: Course, assignments: list[str], students: list[str] | None) -> str:
    """Why the assignments or students asked for cannot be graded ('' when they can): a
    misspelt name is an error that lists the known ones, never "0 graded"."""
    source = course.step_root("source", student=False)
    known = course.assignments()
    unknown = [a for a in assignments if a not in known]
    if unknown:
        return (f"no assignment {', '.join(unknown)} in {source.resolve()}; the assignments are: "
                f"{_listing(known)}")
    if students:
        chosen = assignments or known
        handed_in = course.students_with("submitted", chosen)
        missing = [s for s in students if s not in handed_in]
        if missing:
            return (f"no submission from {', '.join(missing)} for {', '.join(chosen)} in "
                    f"{course.step_root('submitted')}; students who handed in: {_listing(handed_in)}")
    return ""


@verb("validate", "check source notebooks against the authoring contract; exit 1 naming each cell and rule broken",
      ROOT, arg("notebooks", nargs="*", type=Path, help="default: every source/*/*.ipynb under --root"))
def validate(args: argparse.Namespace) -> int:
    from .authoring.contract import check_notebooks

    from .course import load_course

    course = load_course(args.root)
    paths = args.notebooks or [p for a in course.assignments() for p in course.source_notebooks(a)]
    if not paths:
        print(f"error: no source notebooks in {course.step_root('source', student=False)}", file=sys.stderr)
        return 2
    violations = check_notebooks(paths)
    for v in violations:
        print(v, file=sys.stderr)
    print(f"{len(paths)} notebook(s) checked: " + ("they keep the contract" if not violations else
                                                   f"{len(violations)} problem(s)"))
    return 1 if violations else 0


@verb("new-exercise", "write source/NAME/NAME.ipynb: a gradable exercise that keeps the contract, to rewrite",
      ROOT, arg("name", help="e.g. 07_relu"), arg("--function", required=True, help="the graded function, e.g. relu"))
def new_exercise(args: argparse.Namespace) -> int:
    from .authoring.scaffold import ScaffoldError, new_exercise as scaffold

    try:
        path = scaffold(args.root, args.name, args.function)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}: rewrite its task, solution and _ref_{args.function}, then make release")
    return 0


@verb("check", "run one notebook's public checks in a few seconds; exit 1 when one fails",
      arg("argv", nargs=argparse.REMAINDER, help="PATH [--release PATH] [--timeout S]"))
def check(args: argparse.Namespace) -> int:
    from .student.check import check_main

    return check_main(args.argv)


@verb("collect", "import a zip of submissions downloaded from Moodle, Canvas or Google Classroom into submitted/",
      arg("assignment"), arg("zip", type=Path), ROOT,
      arg("--roster", type=Path, default=None, help="CSV: id,first_name,last_name,email[,lms_id]"),
      arg("--lms", choices=["auto", "moodle", "canvas", "classroom"], default="auto"),
      arg("--max-mb", type=float, default=1024, help="refuse a zip that expands beyond this (default 1024)"))
def collect_zip(args: argparse.Namespace) -> int:
    from .handin.collect import run

    return run(args)


@verb("pack-feedback", "zip feedback/<student>/<assignment>/*.html per student and for the class, for LMS upload",
      arg("assignment"), ROOT, arg("--out", type=Path, default=None, help="default: <root>/feedback_zips"))
def pack_feedback(args: argparse.Namespace) -> int:
    from .handin.packfeedback import run

    return run(args)


@verb("serve", "the submission service: upload page, API for submit(), instant feedback, TA page",
      ROOT, arg("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; put TLS in a "
                                                     "reverse proxy in front)"),
      arg("--port", type=int, default=8000, help="default 8000"),
      arg("--workers", "-w", type=int, default=2, help="grading worker processes (0: grade in the service)"),
      arg("--scheduler", default=None, metavar="ADDRESS", help="grade on the Dask cluster at ADDRESS"))
def serve(args: argparse.Namespace) -> int:
    from .serve.app import serve as run

    return run(args.root, args.host, args.port, args.workers, args.scheduler)


@verb("tokens", "issue submission tokens from a roster (prints id,token CSV), revoke one, or make a staff token",
      ROOT, arg("--roster", type=Path, default=None, help="nbgrader's roster CSV: id,first_name,last_name,email"),
      arg("--revoke", default=None, metavar="ID", help="revoke every token of this student or TA"),
      arg("--staff", default=None, metavar="NAME", help="print a new token for the TA page"))
def tokens(args: argparse.Namespace) -> int:
    from .serve.tokens import run

    return run(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m graders", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, v in VERBS.items():
        sp = sub.add_parser(name, help=v.help, description=v.help)
        for flags, kwargs in v.arguments:
            sp.add_argument(*flags, **kwargs)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return VERBS[args.verb].run(args)
    except (FileNotFoundError, KeyError, ConnectionError, CourseError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
