"""Simulate a class and grade it with our engine (the first half of `make demo`).

Each simulated student submits, for every released assignment, either the instructor's
solutions, the untouched release, or one of the plausible wrong submissions (archetypes)
that the course tests grade, so the gradebook shows the spread a real class would.
The run is deterministic: the same class every time. `make demo` then writes the
feedback pages, the class report and the LMS export with `python -m graders --root`.

The class lives in a course folder of its own (``--course``, default ``demo-course/``):
the course's config and sources, released there, and a marker file naming the simulated
students. The repository's own ``submitted/`` and gradebook are never touched, and in the
demo folder only the simulated students' notebooks are rewritten: a folder without the
marker is refused, and any other submission in it is kept (and graded with the class).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from samples.course import with_answers  # noqa: E402  (shared with the course tests)
from samples.archetypes import MODULES, suite  # noqa: E402


def archetypes(assignment: str) -> dict[str, dict[str, str]]:
    """{archetype: {solution grade_id: source}}: the archetypes the course tests grade."""
    if assignment == "01_mcq":
        rng = random.Random(0)
        return {f"guess{i}": {f"q{q}-answer": f'q{q} = "{rng.choice("abcd")}"' for q in range(1, 18)}
                for i in range(4)}
    if assignment not in MODULES:
        return {}
    return {name: answers for name, (answers, _lost) in suite(assignment).ARCHETYPES.items()}


MARKER = ".graders-demo"
"""The file that makes a folder a demo course: it lists the simulated students, one per line."""


class NotADemoCourse(Exception):
    """The folder asked for holds something that this script did not make."""


def nbgrader(*args: str, check: bool = True, cwd: Path = REPO) -> int:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("MPLBACKEND", None)  # the kernel's inline backend keeps students' plots for feedback
    return subprocess.run(["nbgrader", *args, "--log-level=ERROR"], cwd=cwd, env=env, check=check).returncode


def autograde(assignment: str, course: Path = REPO) -> int:
    """Our engine: sandboxed kernels on a Dask LocalCluster, hidden tests out of the kernel."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    cmd = [sys.executable, "-m", "graders", "autograde", assignment, "--force"]
    return subprocess.run(cmd, cwd=course, env=env).returncode


def prepare(course: Path, assignments: list[str]) -> Path:
    """``course`` as a demo course: made (config, sources, released there) when it does not
    exist, reused when it carries the marker, refused otherwise. Returns its resolved path."""
    course = Path(course).resolve()
    if course == REPO:
        raise NotADemoCourse(f"{course} is the course itself: the demo grades a class of its own in another "
                             "folder (make demo DEMO_COURSE=demo-course)")
    if course.exists() and not (course / MARKER).is_file():
        raise NotADemoCourse(f"{course} exists and is not a demo course (it has no {MARKER} file): nothing in it "
                             "was changed; choose another folder (make demo DEMO_COURSE=other-folder)")
    (course / "source").mkdir(parents=True, exist_ok=True)
    (course / MARKER).touch()
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    for a in assignments:
        shutil.copytree(REPO / "source" / a, course / "source" / a, dirs_exist_ok=True)
        nbgrader("generate_assignment", a, "--force", cwd=course)
    return course


def simulate(n_students: int, assignments: list[str], seed: int = 7,
             root: Path = REPO) -> dict[tuple[str, str], str]:
    """Write ``root``/submitted/<student>/<assignment>/<assignment>.ipynb for the simulated
    students (nothing else there is touched); return {(student, assignment): profile}."""
    rng = random.Random(seed)
    profiles = {}
    for a in assignments:
        src = nbformat.read(REPO / "source" / a / f"{a}.ipynb", 4)
        rel = nbformat.read(REPO / "release" / a / f"{a}.ipynb", 4)
        kinds = archetypes(a)
        for i in range(n_students):
            student = f"student{i + 1:02d}"
            roll = rng.random()
            if roll < 0.4 or not kinds:
                profile, nb = "solution", src
            elif roll < 0.5:
                profile, nb = "blank", rel
            else:
                profile = rng.choice(sorted(kinds))
                nb = with_answers(src, kinds[profile])
            d = root / "submitted" / student / a
            d.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, d / f"{a}.ipynb")
            profiles[(student, a)] = profile
    return profiles


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--course", type=Path, default=REPO / "demo-course",
                    help="the demo's own course folder (default: demo-course/ beside the course)")
    ap.add_argument("--assignment", action="append", default=None,
                    help="simulate this assignment only (repeatable; default: every released one)")
    args = ap.parse_args()
    assignments = sorted(p.name for p in (REPO / "release").iterdir() if (p / f"{p.name}.ipynb").exists())
    unknown = sorted(set(args.assignment or ()) - set(assignments))
    if unknown:
        print(f"error: no released assignment {', '.join(unknown)}; released: {', '.join(assignments)}",
              file=sys.stderr)
        return 2
    assignments = sorted(args.assignment) if args.assignment else assignments
    try:
        course = prepare(args.course, assignments)
    except NotADemoCourse as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    profiles = simulate(args.students, assignments, root=course)
    (course / MARKER).write_text("".join(sorted({f"{s}\n" for s, _ in profiles})))
    print(f"simulated {args.students} students x {len(assignments)} assignments in {course}")
    for a in assignments:
        t = time.perf_counter()
        rc = autograde(a, course)  # exits 1 when any submission could not be graded
        note = "" if rc == 0 else " (some submissions could not be graded: see the log above and the report)"
        print(f"autograded {a} in {time.perf_counter() - t:.1f} s{note}")
    out = course / "grades.csv"
    nbgrader("export", "--to", str(out), cwd=course)
    by_profile: dict[tuple[str, str], list[float]] = {}
    with open(out) as fh:
        for row in csv.DictReader(fh):
            key = (row["assignment"], profiles.get((row["student_id"], row["assignment"]), "other"))
            by_profile.setdefault(key, []).append(float(row["score"]))
    print("\nmean score by assignment and kind of submission:")
    for (a, p), scores in sorted(by_profile.items()):
        print(f"  {a:22s} {p:22s} n={len(scores):2d}  mean={sum(scores) / len(scores):5.1f}")
    print(f"\nnbgrader's own export: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
