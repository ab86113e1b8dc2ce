"""Attacks on the verdicts (samples/hostile/verdicts.py): stock nbgrader, an earlier
revision of our engine, and this one, side by side.

Run: python bench/verdict_table.py [--before REV] [--engine stock|before|ours ...] [--case NAME ...]

For each engine and notebook it grades one batch holding the key and every attack on that
notebook, then prints a markdown table: per case, the grade cells the attack aims at and,
per engine, whether it lost them (``held``) or scored on them (``FOOLED``), or could not be
graded; then each batch's exit code and time. ``--before REV`` grades with the code of a
git revision (a temporary worktree first on PYTHONPATH), to show what a change fixed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samples.course import _env, lost  # noqa: E402
from samples.hostile.verdicts import submission  # noqa: E402
from samples.hostile import batch as B  # noqa: E402
from samples.hostile.verdicts import VERDICTS  # noqa: E402


def grade(engine: str, tmp: Path, cases: list, code: Path | None, timeout: int) -> dict:
    out = {}
    for a in dict.fromkeys(c.assignment for c in cases):
        course = B.make_course(tmp / engine / a, [a], stock=engine == "stock", timeout=timeout)
        src = course.source_nb(a)
        course.submit("key", a, src)
        for case in (c for c in cases if c.assignment == a):
            course.submit(f"atk_{case.name}", a, submission(src, case))
        env = _env()
        if code is not None:
            env["PYTHONPATH"] = str(code) + os.pathsep + env.get("PYTHONPATH", "")
        start = time.perf_counter()
        if engine == "stock":
            run = B.grade_stock(course, a)
            code_, seconds = run.returncodes, run.seconds
        else:
            proc = subprocess.run([sys.executable, "-m", "graders", "autograde", a, "--force", "--no-progress",
                                   "--workers", "2"], cwd=course.root, env=env, capture_output=True, text=True,
                                  timeout=3600)
            code_, seconds = proc.returncode, time.perf_counter() - start
        out[a] = dict(scores=course.scores(a), exit=code_, seconds=seconds)
    return out


def cell(case, g: dict) -> str:
    scores = g["scores"].get(f"atk_{case.name}")
    if scores is None:
        return "not graded"
    fooled = sorted(case.loses - lost(scores))
    broke = sorted(case.keeps & lost(scores))
    if fooled:
        return "FOOLED: " + ", ".join(fooled)
    if broke:
        return "honest points lost: " + ", ".join(broke)
    return "held"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=None, help="a git revision to grade with as well")
    ap.add_argument("--engine", action="append", choices=("stock", "before", "ours"), default=None)
    ap.add_argument("--case", action="append", default=None)
    ap.add_argument("--timeout", type=int, default=B.TIMEOUT_S)
    args = ap.parse_args()
    engines = args.engine or ["stock", *(["before"] if args.before else []), "ours"]
    cases = [c for c in VERDICTS if not args.case or c.name in args.case]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="verdict-bench-") as tmp:
        worktree = None
        if "before" in engines:
            worktree = Path(tmp) / "before-code"
            subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.before], cwd=ROOT,
                           check=True, capture_output=True)
        try:
            for engine in engines:
                results[engine] = grade(engine, Path(tmp), cases, worktree if engine == "before" else None,
                                        args.timeout)
        finally:
            if worktree is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, capture_output=True)
    print("| case | attack | aims at | " + " | ".join(engines) + " |")
    print("|" + "---|" * (3 + len(engines)))
    for case in cases:
        row = [cell(case, results[e][case.assignment]) for e in engines]
        aims = ", ".join(sorted(case.loses)) or "(control: keeps " + str(len(case.keeps)) + " cells)"
        print(f"| {case.name} | {case.note} | {aims} | " + " | ".join(row) + " |")
    for engine in engines:
        for a, g in results[engine].items():
            print(f"{engine} {a}: exit {g['exit']}, {g['seconds']:.0f} s")


if __name__ == "__main__":
    main()
