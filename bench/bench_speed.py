"""Figures for check_speed: ratios, verdict flips and the cost of one check.

For a clear pass (a vectorised solution) and a clear fail (a Python loop), each on the
course-sized inputs, the check is run ``--repeats`` times with the other core idle and
then with a busy-looping process on it. A flip is a verdict that differs from the
expected one. Run: ``python bench/bench_speed.py [--repeats 20] [--clock thread]``.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from graders.checks.speed import check_speed

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from samples.speed_cases import softmax_loop, softmax_ref, softmax_vectorised  # noqa: E402


def sigmoid_ref(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def sigmoid_vectorised(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_loop(x):
    return np.array([1.0 / (1.0 + math.exp(-v)) for v in x.tolist()])


def make_logits():
    return {"z": np.random.default_rng(1).normal(size=(20000, 100))}


def make_x():
    return {"x": np.random.default_rng(2).normal(size=1_000_000)}


CASES = [
    # label, student, reference, make_input, expected verdict
    ("softmax (20000, 100) vectorised", softmax_vectorised, softmax_ref, make_logits, True),
    ("softmax (20000, 100) Python loop", softmax_loop, softmax_ref, make_logits, False),
    ("sigmoid 1e6 vectorised", sigmoid_vectorised, sigmoid_ref, make_x, True),
    ("sigmoid 1e6 Python loop", sigmoid_loop, sigmoid_ref, make_x, False),
]


def _burn(stop):
    n = 0
    while not stop.is_set():
        for _ in range(100_000):
            n += 1


def run_case(student, reference, make_input, expected, repeats, max_ratio, clock):
    ratios, costs, flips, bounds = [], [], 0, 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        r = check_speed(student, reference, make_input, max_ratio=max_ratio, clock=clock)
        costs.append(time.perf_counter() - t0)
        ratios.append(r.details["ratio"])
        flips += r.passed != expected
        bounds += bool(r.details.get("lower_bound"))
    return ratios, costs, flips, bounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument("--clock", default="thread", choices=["thread", "process"])
    args = parser.parse_args()

    print(f"check_speed: {args.repeats} checks per row, max_ratio={args.max_ratio:g}, "
          f"clock={args.clock}, {os.cpu_count()} CPUs, budget 2 s per check")
    head = (f"{'case':34} {'neighbour':9} {'median':>7} {'min':>7} {'max':>7} "
            f"{'flips':>5} {'bound':>5} {'cost med':>8} {'cost max':>8}")
    print(head)
    print("-" * len(head))
    for hog in (False, True):
        stop = multiprocessing.Event()
        proc = multiprocessing.Process(target=_burn, args=(stop,), daemon=True) if hog else None
        if proc:
            proc.start()
        try:
            for label, student, reference, make_input, expected in CASES:
                ratios, costs, flips, bounds = run_case(
                    student, reference, make_input, expected, args.repeats, args.max_ratio, args.clock)
                print(f"{label:34} {'busy' if hog else 'idle':9} {statistics.median(ratios):7.2f} "
                      f"{min(ratios):7.2f} {max(ratios):7.2f} {flips:5d} {bounds:5d} "
                      f"{statistics.median(costs):7.2f}s {max(costs):7.2f}s", flush=True)
        finally:
            if proc:
                stop.set()
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.terminate()
    print("ratio: student/reference median CPU time per call (a lower bound when 'bound' > 0);")
    print("flips: verdicts that differ from the expected one; bound: checks stopped early; "
          "cost: wall seconds of one check_speed call.")


if __name__ == "__main__":
    main()
