"""Simulate a class and grade it with our engine (the first half of `make demo`).

Each simulated student submits, for every released assignment, either the instructor's
solutions, the untouched release, or one of the plausible wrong submissions (archetypes)
that the course tests grade, so the gradebook shows the spread a real class would.
The run is deterministic: the same class every time. `make demo` then writes the
feedback pages, the class report and the LMS export with `python -m graders`.
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

from tests.course.harness import with_answers  # noqa: E402  (shared with the course tests)
from tests.fixtures.archetypes import MODULES, suite  # noqa: E402


def archetypes(assignment: str) -> dict[str, dict[str, str]]:
    """{archetype: {solution grade_id: source}}: the archetypes the course tests grade."""
    if assignment == "01_mcq":
        rng = random.Random(0)
        return {f"guess{i}": {f"q{q}-answer": f'q{q} = "{rng.choice("abcd")}"' for q in range(1, 18)}
                for i in range(4)}
    if assignment not in MODULES:
        return {}
    return {name: answers for name, (answers, _lost) in suite(assignment).ARCHETYPES.items()}


def nbgrader(*args: str, check: bool = True) -> int:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("MPLBACKEND", None)  # the kernel's inline backend keeps students' plots for feedback
    return subprocess.run(["nbgrader", *args, "--log-level=WARN"], cwd=REPO, env=env, check=check).returncode


def autograde(assignment: str) -> int:
    """Our engine: sandboxed kernels on a Dask LocalCluster, hidden tests out of the kernel."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    cmd = [sys.executable, "-m", "graders", "autograde", assignment, "--force", "--no-progress"]
    return subprocess.run(cmd, cwd=REPO, env=env).returncode


def simulate(n_students: int, assignments: list[str], seed: int = 7,
             root: Path = REPO) -> dict[tuple[str, str], str]:
    """Write ``root``/submitted/<student>/<assignment>/; return {(student, assignment): profile}."""
    rng = random.Random(seed)
    shutil.rmtree(root / "submitted", ignore_errors=True)
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
    args = ap.parse_args()
    assignments = sorted(p.name for p in (REPO / "release").iterdir() if (p / f"{p.name}.ipynb").exists())
    profiles = simulate(args.students, assignments)
    print(f"simulated {args.students} students x {len(assignments)} assignments")
    for a in assignments:
        t = time.perf_counter()
        rc = autograde(a)  # exits 1 when any submission could not be graded
        note = "" if rc == 0 else " (some submissions could not be graded: see the log above and the report)"
        print(f"autograded {a} in {time.perf_counter() - t:.1f} s{note}")
    out = REPO / "grades.csv"
    nbgrader("export", "--to", str(out))
    by_profile: dict[tuple[str, str], list[float]] = {}
    with open(out) as fh:
        for row in csv.DictReader(fh):
            key = (row["assignment"], profiles.get((row["student_id"], row["assignment"]), "?"))
            by_profile.setdefault(key, []).append(float(row["score"]))
    print("\nmean score by assignment and kind of submission:")
    for (a, p), scores in sorted(by_profile.items()):
        print(f"  {a:22s} {p:22s} n={len(scores):2d}  mean={sum(scores) / len(scores):5.1f}")
    print(f"\nnbgrader's own export: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
