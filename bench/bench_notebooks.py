"""Grading cost of each exercise notebook for a correct submission.

Runs every source notebook (the instructor's solutions) in a fresh kernel, the way
autograde does, and measures the CPU time the kernel spends in the grade cells (hidden
tests included), cell by cell. Prints the median of several runs per notebook, the
slowest cells, and the whole run's wall time. The course aims at under 5 s of CPU for the
grade cells of any one notebook.

    python bench/bench_notebooks.py [--runs 3] [ASSIGNMENT ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
AIM_S = 5.0


def grade_id(cell) -> str | None:
    meta = cell.metadata.get("nbgrader", {})
    return meta.get("grade_id") if meta.get("grade") and cell.cell_type == "code" else None


def instrumented(nb):
    """The notebook with a CPU stopwatch around every grade cell and a final report cell."""
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    out.cells.append(nbformat.v4.new_code_cell("import time as _bench_t, json as _bench_j\n_bench = {}"))
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid:
            out.cells.append(nbformat.v4.new_code_cell("_bench_t0 = _bench_t.process_time()"))
        out.cells.append(cell)
        if gid:
            out.cells.append(nbformat.v4.new_code_cell(
                f"_bench[{gid!r}] = _bench_t.process_time() - _bench_t0"))
    out.cells.append(nbformat.v4.new_code_cell("print(_bench_j.dumps(_bench))"))
    return out


def run_once(assignment: str) -> tuple[dict[str, float], float, list[str]]:
    nb = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", 4)
    inst = instrumented(nb)
    with tempfile.TemporaryDirectory() as scratch:
        t = time.perf_counter()
        NotebookClient(inst, timeout=300, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": scratch}}).execute()
        wall = time.perf_counter() - t
    errors = [grade_id(c) or "?" for c in inst.cells
              if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    report = inst.cells[-1].outputs[0]["text"]
    return json.loads(report), wall, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("assignments", nargs="*")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    names = args.assignments or sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    print(f"{'notebook':22s} {'grade cells':>11s} {'CPU s (median)':>15s} {'min-max':>13s} "
          f"{'wall s':>7s}  slowest cells (CPU s)")
    worst = 0.0
    for a in names:
        totals, walls, per_cell = [], [], {}
        for _ in range(args.runs):
            cpu, wall, errors = run_once(a)
            if errors:
                print(f"{a}: grade cells failed on the solutions: {errors}", file=sys.stderr)
                return 1
            totals.append(sum(cpu.values()))
            walls.append(wall)
            for k, v in cpu.items():
                per_cell.setdefault(k, []).append(v)
        med = statistics.median(totals)
        worst = max(worst, med)
        slow = sorted(((statistics.median(v), k) for k, v in per_cell.items()), reverse=True)[:3]
        print(f"{a:22s} {len(per_cell):11d} {med:15.2f} {min(totals):6.2f}-{max(totals):<6.2f} "
              f"{statistics.median(walls):7.1f}  " + ", ".join(f"{k} {v:.2f}" for v, k in slow))
    print(f"\nslowest notebook: {worst:.2f} s CPU in grade cells (aim: under {AIM_S:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
