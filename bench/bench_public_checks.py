"""How much do the public (visible) checks catch? Figures per notebook.

Fills each released notebook with the instructor's answers (which must pass every visible
check) and with each archetype mistake from samples/archetypes, runs it as a student's
`python -m graders check` does, and prints, per notebook: correct answers passing, mistakes
caught by at least one visible check, and the mistakes left to the hidden checks.

    python bench/bench_public_checks.py [ASSIGNMENT ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.public_checks import ASSIGNMENTS, archetype_results, failing, run_release, solutions  # noqa: E402


def main(argv: list[str]) -> int:
    chosen = argv or ASSIGNMENTS
    total = caught = 0
    start = time.perf_counter()
    print(f"{'notebook':22s} {'key passes':>10s} {'caught':>8s}  missed by the visible checks")
    for a in chosen:
        key_fails = failing(run_release(a, solutions(a)))
        rows = archetype_results(a)
        n_caught = sum(r.caught for r in rows)
        total, caught = total + len(rows), caught + n_caught
        missed = ", ".join(r.archetype for r in rows if not r.caught) or "-"
        print(f"{a:22s} {'yes' if not key_fails else 'NO ' + str(sorted(key_fails)):>10s} "
              f"{n_caught:>3d} / {len(rows):<3d} {missed}")
    print(f"{'all':22s} {'':>10s} {caught:>3d} / {total:<3d} ({caught / total:.0%}) "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
