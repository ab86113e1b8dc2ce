"""Stock ``nbgrader autograde`` against ours, on the same simulated class, in one run.

    python bench/bench_autograde.py [--students 40] [--assignments all] [--workers 1 2]

A course with every assignment is released once; a class of simulated students (the
instructor's solutions, blank releases and the archetype mistakes of the course tests,
the same mix as ``make demo``) is submitted; then the same submissions are graded:

- ``stock``: one ``nbgrader autograde`` for every assignment, with a plain nbgrader
  configuration (course paths and the cell time limit only): serial, tests in the
  kernel, no sandbox;
- ``ours --workers N``: one ``python -m graders autograde`` for every assignment, sandbox
  on, hidden tests in the grader, one row per ``N``.

Printed per row: wall time, notebooks per second, the speed-up over stock, and our
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


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{e.get('PATH', '')}"
    e.pop("MPLBACKEND", None)
    return e


def run(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


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


def make_course(tmp: Path, assignments: list[str], students: int, stock: bool) -> Path:
    root = tmp / ("stock" if stock else "ours")
    (root / "source").mkdir(parents=True)
    if stock:
        (root / "nbgrader_config.py").write_text(STOCK_CONFIG.format(root=str(root)))
    else:
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
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
        rows.append(("stock nbgrader autograde", stock_s, None, None, None))
        ours_root = make_course(tmp, assignments, args.students, stock=False)
        for w in args.workers:
            stats_file = tmp / f"stats-{w}.json"
            total = run([sys.executable, "-m", "graders", "autograde", *assignments, "--force", "--no-progress",
                         "--workers", str(w), "--stats", str(stats_file)], ours_root)
            stats = json.loads(stats_file.read_text())
            overheads = [t["overhead_s"] for t in stats["notebooks"].values()]
            cells = sum(t["kernel_cells_s"] + t["test_cells_s"] for t in stats["notebooks"].values())
            writer = stats["writer_s"]
            ours = scores(ours_root, assignments)
            same = sum(ours.get(k) == v for k, v in stock_scores.items())
            rows.append((f"ours --workers {w} (sandbox on)", total, overheads, same, len(stock_scores)))
            outside = (total * w - cells) / n_nb
            print(f"  --workers {w}: cells {cells:.1f} s in all, writer (sanitize + nbgrader save) {writer:.1f} s, "
                  f"worker time outside cells per notebook (wall x workers - cells) / n = {outside:.3f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'run':34s} {'wall s':>8s} {'nb/s':>6s} {'vs stock':>9s} {'overhead/nb median':>19s} "
          f"{'mean':>6s} {'grades = stock':>15s}")
    for name, secs, overheads, same, total in rows:
        ratio = stock_s / secs
        over = f"{statistics.median(overheads):.3f} s" if overheads else "-"
        mean = f"{statistics.mean(overheads):.3f}" if overheads else "-"
        agree = f"{same}/{total}" if total else "-"
        print(f"{name:34s} {secs:8.1f} {n_nb / secs:6.2f} {ratio:8.2f}x {over:>19s} {mean:>6s} {agree:>15s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
