"""Figures for the course data sets: IPL generation time and the calibration table.

Run: python bench/bench_data.py [--seed N] [--repeats K]
Prints the median wall time of `make_ipl` on the default run (17 seasons), the CSV
writing time, and the statistics table next to the real-data targets.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from graders.data import format_table, make_ipl, stats_table
from graders.data.__main__ import DEFAULT_SEED, write_ipl


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        data = make_ipl(seed=args.seed)
        times.append(time.perf_counter() - start)
    print(f"make_ipl(seed={args.seed}): {len(data.matches)} matches, {len(data.deliveries)} rows; "
          f"median of {args.repeats}: {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_ipl(Path(tmp), seed=args.seed)
        print(f"generate + write CSV: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    table = stats_table(*data)
    print(f"stats: {time.perf_counter() - start:.2f} s\n")
    print(format_table(table))


if __name__ == "__main__":
    main()
