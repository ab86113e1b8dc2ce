"""Stock ``nbgrader autograde`` against ours, on the same simulated class, in one run.

    python bench/bench_autograde.py [--students 40] [--assignments all] [--workers 1 2]
                                    [--before REV] [--repeats N]

A course with every assignment is released once; a class of simulated students (the
instructor's solutions, blank releases and the archetype mistakes of the course tests,
the same mix as ``make demo``) is submitted; then the same submissions are graded:

- ``stock``: one ``nbgrader autograde`` for every assignment, with a plain nbgrader
  configuration (course paths and the cell time limit only): serial, tests in the
  kernel, no sandbox;
- ``ours --workers N``: one ``python -m graders autograde`` for every assignment, sandbox
  on, hidden tests in the grader, one row per ``N``.

With ``--before REV``, the same class is also graded by this engine as it was at the git
revision ``REV`` (its files, run from a copy of that revision), alternating with today's
runs, ``--repeats`` times each: the medians show whether a change made grading slower,
from one run on one machine.

Printed per row: wall time (the median over repeats), notebooks per second, the speed-up over stock, and our
per-notebook overhead (time outside the cells: kernel start not hidden by the kernel
started ahead, bridge, shutdown), median and mean, from the engine's own timings. The
grades of each row are compared with stock's, grade cell by grade cell.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from demo.simulate_class import simulate  # noqa: E402

STOCK_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "bench"
c.Execute.timeout = 60
"""


def env(code: Path | None = None) -> dict[str, str]:
    """The environment of a run; with ``code``, the ``graders`` package is imported from there."""
    e = dict(os.environ)
    e["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{e.get('PATH', '')}"
    e.pop("MPLBACKEND", None)
    if code is not None:
        e["PYTHONPATH"] = str(code)
    return e


def run(cmd: list[str], cwd: Path, code: Path | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env(code), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def checkout(rev: str, into: Path) -> Path:
    """The files of ``rev`` (``git archive``), to run the engine as it was there."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def scores(root: Path, assignments: list[str]) -> dict:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for a in assignments:
            for sub in gb.assignment_submissions(a):
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[(a, sub.student.id, g.name)] = g.auto_score
    return out


def make_course(tmp: Path, assignments: list[str], students: int, stock: bool, name: str = "",
                config_from: Path = REPO) -> Path:
    root = tmp / (name or ("stock" if stock else "ours"))
    (root / "source").mkdir(parents=True)
    if stock:
        (root / "nbgrader_config.py").write_text(STOCK_CONFIG.format(root=str(root)))
    else:
        shutil.copy(config_from / "nbgrader_config.py", root / "nbgrader_config.py")
    for a in assignments:
        shutil.copytree(REPO / "source" / a, root / "source" / a)
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", a, "--force"],
                       cwd=root, env=env(), check=True, capture_output=True)
    shutil.rmtree(root / "release")
    shutil.copytree(REPO / "release", root / "release")
    simulate(students, assignments, root=root)
    return root


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--assignments", nargs="*", default=None)
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--before", metavar="REV", help="also grade with this engine as it was at git revision REV")
    ap.add_argument("--repeats", type=int, default=1, help="runs of each engine, alternating (medians shown)")
    args = ap.parse_args()
    assignments = args.assignments or sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    n_nb = args.students * len(assignments)
    print(f"class: {args.students} students x {len(assignments)} notebooks = {n_nb} submissions; "
          f"{os.cpu_count()} cores")
    tmp = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    rows = []
    try:
        stock_root = make_course(tmp, assignments, args.students, stock=True)
        nbg = str(Path(sys.executable).parent / "nbgrader")
        stock_s = run([nbg, "autograde", "*", "--force"], stock_root)  # every assignment, one process
        stock_scores = scores(stock_root, assignments)
        rows.append(("stock nbgrader autograde", [stock_s], None, None, None))
        engines = [("ours", None, make_course(tmp, assignments, args.students, stock=False))]
        if args.before:
            code = checkout(args.before, tmp / "before-code")
            engines.append((f"ours at {args.before}", code,
                            make_course(tmp, assignments, args.students, stock=False, name="before", config_from=code)))
        for w in args.workers:
            walls: dict[str, list[float]] = {label: [] for label, _, _ in engines}
            seen: dict[str, tuple] = {}
            for _ in range(max(args.repeats, 1)):
                for label, code, root in engines:  # alternating, so drift on the machine hits both
                    stats_file = tmp / f"stats-{w}.json"
                    total = run([sys.executable, "-m", "graders", "autograde", *assignments, "--force",
                                 "--no-progress", "--workers", str(w), "--stats", str(stats_file)], root, code)
                    stats = json.loads(stats_file.read_text())
                    walls[label].append(total)
                    seen[label] = (stats, scores(root, assignments))
            for label, _, _ in engines:
                stats, ours = seen[label]
                overheads = [t["overhead_s"] for t in stats["notebooks"].values()]
                cells = sum(t["kernel_cells_s"] + t["test_cells_s"] for t in stats["notebooks"].values())
                same = sum(ours.get(k) == v for k, v in stock_scores.items())
                rows.append((f"{label} --workers {w}", walls[label], overheads, same, len(stock_scores)))
                outside = (statistics.median(walls[label]) * w - cells) / n_nb
                print(f"  {label} --workers {w}: cells {cells:.1f} s in all, writer (sanitize + nbgrader save) "
                      f"{stats['writer_s']:.1f} s, worker time outside cells per notebook (wall x workers - cells) "
                      f"/ n = {outside:.3f} s; walls {', '.join(f'{s:.1f}' for s in walls[label])} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'run':40s} {'wall s':>8s} {'nb/s':>6s} {'vs stock':>9s} {'overhead/nb median':>19s} "
          f"{'mean':>6s} {'grades = stock':>15s}")
    for name, walls, overheads, same, total in rows:
        secs = statistics.median(walls)
        ratio = stock_s / secs
        over = f"{statistics.median(overheads):.3f} s" if overheads else "-"
        mean = f"{statistics.mean(overheads):.3f}" if overheads else "-"
        agree = f"{same}/{total}" if total else "-"
        print(f"{name:40s} {secs:8.1f} {n_nb / secs:6.2f} {ratio:8.2f}x {over:>19s} {mean:>6s} {agree:>15s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
