"""Figures for the loop checks on the labelled corpus (samples/loop_corpus).

Prints one row per case (static flagged?, dynamic flagged?, events at the small and large
size, cost of one check_no_loops call), then recall on the loop corpus, false positives
on the vectorised corpus, and the median cost of a call.

    python bench/bench_loops.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.checks.loops import check_no_loops  # noqa: E402
from samples.loop_corpus import LOOPY, VECTORISED, hidden_helper_case  # noqa: E402


def run(case, repeat: int) -> tuple:
    costs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = check_no_loops(case.func, case.make_input)
        costs.append((time.perf_counter() - start) * 1000.0)
    d = result.details
    return d["static_flagged"], d["dynamic_flagged"], d["events"], statistics.median(costs)


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="calls per case (median kept)")
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, folder)
        loopy = LOOPY + [hidden_helper_case(Path(folder), module="loop_bench_hidden")]
        rows = [("loop", c, run(c, repeat)) for c in loopy]
        rows += [("vectorised", c, run(c, repeat)) for c in VECTORISED]
        sys.path.remove(folder)

    head = f"{'corpus':<11} {'case':<34} {'static':>6} {'dynamic':>7} {'events n':>9} " \
           f"{'events 16n':>10} {'ms':>7}  label"
    print(head)
    print("-" * len(head))
    mismatches = 0
    for corpus, case, (static, dynamic, events, ms) in rows:
        small, large = events if events else ("-", "-")
        as_labelled = (static, dynamic) == (case.static, case.dynamic)
        mismatches += not as_labelled
        print(f"{corpus:<11} {case.name:<34} {yes(static):>6} {yes(dynamic):>7} {small:>9} "
              f"{large:>10} {ms:>7.2f}  {'as labelled' if as_labelled else 'DIFFERS'}")

    loop_rows = [r for r in rows if r[0] == "loop"]
    vec_rows = [r for r in rows if r[0] == "vectorised"]
    caught = sum(1 for _, _, (s, d, _, _) in loop_rows if s or d)
    by_static = sum(1 for _, _, (s, _, _, _) in loop_rows if s)
    by_dynamic = sum(1 for _, _, (_, d, _, _) in loop_rows if d)
    false_pos = sum(1 for _, _, (s, d, _, _) in vec_rows if s or d)
    costs = [ms for _, _, (_, _, _, ms) in rows]
    print()
    print(f"recall on the loop corpus:       {caught}/{len(loop_rows)} "
          f"(static {by_static}, dynamic {by_dynamic})")
    print(f"false positives on vectorised:   {false_pos}/{len(vec_rows)}")
    print(f"cases differing from the labels: {mismatches}")
    print(f"check_no_loops cost per call:    median {statistics.median(costs):.2f} ms, "
          f"max {max(costs):.2f} ms (sizes 32 and 512, {repeat} calls per case)")


if __name__ == "__main__":
    main()
