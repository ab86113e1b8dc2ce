"""The hostile-submission corpus graded by stock nbgrader and by our engine, side by side.

Run: python bench/hostile_table.py [--engine both|stock|ours] [--case NAME ...] [--timeout S] [--workers N]

For each engine and notebook it grades one batch holding every attack, its honest twin and
the key, and a second batch holding only the honest submissions (the grade each earns
without attackers around). It prints a markdown table, one row per case: the attack's
points / the honest twin's points / the maximum, per engine, and what happened (the
attack's own report, or why it could not be graded); then what changed outside the
submissions (course files, the gradebook, connections to a server on this machine), honest
grades that moved because of attackers, and timings.

Stock nbgrader runs with a minimal config (course paths and the cell timeout: no sandbox
kernel, no custom preprocessors) and GRADERS_SANDBOX=0. The resource attacks are bounded
(400 processes, 6 GB touched), so a stock run shows the hole without taking the machine
down; a submission that kills stock nbgrader's process makes the bench run it again without
--force, which grades the rest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.hostile import batch as B  # noqa: E402
from samples.hostile.cases import CASES  # noqa: E402

ENGINES = ("stock", "ours")


def grade(engine: str, tmp: Path, cases: list, port: int, timeout: int, workers: int) -> dict:
    """Hostile batch and honest-only batch per notebook, for one engine."""
    stock = engine == "stock"
    out = {}
    for a in sorted({c.assignment for c in cases}, reverse=True):
        hostile = B.make_course(tmp / engine / a, [a], stock=stock, timeout=timeout)
        hostile.students = B.submit_corpus(hostile, a, port, cases=cases)
        before = B.fingerprint(hostile)
        run = B.grade_stock(hostile, a) if stock else B.grade_ours(hostile, a, workers=workers)
        alone = B.make_course(tmp / engine / f"{a}-alone", [a], stock=stock, timeout=timeout)
        B.submit_corpus(alone, a, port, attacks=False, cases=cases)
        alone_run = B.grade_stock(alone, a) if stock else B.grade_ours(alone, a, workers=workers)
        after = B.fingerprint(hostile)
        out[a] = dict(course=hostile, run=run, alone_run=alone_run, scores=hostile.scores(a),
                      alone=alone.scores(a), changed=sorted(k for k in before if after.get(k) != before[k]),
                      tampering=B.gradebook_tampering(hostile))
    return out


def verdict(case, g: dict) -> str:
    """'attack/honest/max' points and a few words on what happened."""
    student = B.student_of(case)
    attack = g["run"].first.get(student) or g["scores"].get(student)
    honest = g["alone"].get(B.honest_student(case.honest.label))
    figures = f"{B.points(attack):g}/{B.points(honest):g}/{B.max_points(honest):g}"
    gained = [gid for gid, (s, _) in (attack or {}).items() if (s or 0) > ((honest or {}).get(gid, (0,))[0] or 0)]
    lines = B.hostile_lines(g["course"], student, case.assignment)
    reason = [ln.split(": could not grade: ")[1][:60] for ln in g["run"].output.splitlines()
              if ln.strip().startswith(student + ":") and ": could not grade: " in ln]
    said = lines[0].removeprefix("HOSTILE ")[:70] if lines else ""
    what = ("**GAINED** " + ", ".join(sorted(gained)) + "; " if gained else "") + (
        "not graded: " + reason[0] if reason else said if said else
        ("no grade recorded" if attack is None else "graded on its merits"))
    return f"{figures} {what}"


def markdown(cases, results: dict) -> list[str]:
    engines = [e for e in ENGINES if e in results]
    head = "| case | attack | " + " | ".join(f"{e} (attack/honest/max)" for e in engines) + " |"
    rows = [head, "|" + "---|" * (2 + len(engines))]
    for case in cases:
        cells = [verdict(case, results[e][case.assignment]).replace("|", "/") for e in engines]
        rows.append(f"| {case.name} | {case.note} | " + " | ".join(cells) + " |")
    return rows


def side_effects(engine: str, results: dict, server: B.AnswerServer) -> list[str]:
    out = [f"\n{engine}: connections to a server on this machine: {server.connections}"]
    for a, g in results.items():
        moved = {s: (B.points(g["scores"].get(s)), B.points(g["alone"].get(s))) for s in g["alone"]
                 if B.points(g["scores"].get(s)) != B.points(g["alone"].get(s))}
        out.append(f"{engine} {a}: batch exit codes {g['run'].returncodes}, {g['run'].seconds:.0f} s hostile batch "
                   f"({len(g['course'].students)} notebooks), {g['alone_run'].seconds:.0f} s honest-only batch")
        out.append(f"  course files changed by students: {g['changed'] or 'none'}")
        out.append(f"  gradebook tampering: {g['tampering'] or 'none'}")
        out.append(f"  honest grades that moved with attackers in the batch {{student: (batch, alone)}}: {moved or 'none'}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("both", *ENGINES), default="both")
    ap.add_argument("--case", action="append", default=None, help="only these cases (repeatable)")
    ap.add_argument("--workers", type=int, default=2, help="our engine's grading workers (default %(default)s)")
    ap.add_argument("--timeout", type=int, default=B.TIMEOUT_S, help="cell timeout in seconds (default %(default)s)")
    args = ap.parse_args()
    cases = [c for c in CASES if not args.case or c.name in args.case]
    engines = ENGINES if args.engine == "both" else (args.engine,)
    results, notes = {}, []
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        for engine in engines:
            server = B.AnswerServer()
            start = time.perf_counter()
            results[engine] = grade(engine, Path(tmp), cases, server.port, args.timeout, args.workers)
            notes += side_effects(engine, results[engine], server)
            notes.append(f"{engine}: {time.perf_counter() - start:.0f} s in all (course set-up included)")
            server.close()
        print("\n".join(markdown(cases, results)))
        print("\n".join(notes))


if __name__ == "__main__":
    main()
