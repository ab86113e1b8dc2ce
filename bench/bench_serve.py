"""The submission service under a burst: a class hands in at once, then the same notebooks by batch.

    python bench/bench_serve.py [--students 100] [--per-student 3] [--workers 2] [--poll 2] [--json FILE]

A throwaway course with 04_softmax is released, every student gets a token, and the rate
limit is lifted (``c.SubmissionPolicy.per_hour = 0`` appended to the course's config: the
burst is far past the default 6 an hour). The service (``python -m graders serve``) is
started as a real process; then every student is a client of its own, all at once, sending
its submissions one after another as fast as they are acknowledged (a mix of the
instructor's key and the archetype mistakes of samples/archetypes/softmax.py), and polling
``GET /api/submissions/<id>`` until each is final.

Printed: uploads sent, acknowledged (202) and refused; final statuses; whether every
acknowledged id was graded exactly once (one final status, ``attempts`` = 1 in
service.db) and none was lost (in the store, and a feedback page for each graded one);
how many were superseded (a newer upload of the same student replacing a queued older one:
expected, and not graded); latency from upload to result (the store's ``finished -
received``, and as the clients saw it), acknowledgement latency, throughput. Then the
newest notebook of every student, as the service left it in ``submitted/``, is graded again
by ``python -m graders autograde 04_softmax --force`` on a copy of the course, for the wall
time of the batch and whether its scores agree with the service's.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from samples.archetypes.softmax import ARCHETYPES, AUTO  # noqa: E402
from samples.course import Course, _env, lost, with_answers  # noqa: E402
from samples.service import bearer, issue_tokens, start, stop  # noqa: E402

A = "04_softmax"
FINAL = ("graded", "could not grade", "superseded")


def variants(course: Course) -> dict[str, tuple[bytes, set[str]]]:
    """Variant name -> (notebook bytes, automatic grade cells it must lose)."""
    import nbformat

    src = course.source_nb(A)
    out = {"key": (nbformat.writes(src).encode(), set())}
    for name, (answers, lose) in ARCHETYPES.items():
        out[name] = (nbformat.writes(with_answers(src, answers)).encode(), set(lose))
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):7.2f} {pct(values, 95):7.2f} {max(values):7.2f}"


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


# the clients ------------------------------------------------------------------------------
async def client(url: str, student: str, token: str, plan: list[str], notebooks: dict, go: asyncio.Event,
                 poll: float, deadline: float) -> list[dict]:
    """One student: its uploads one after another, then polls them until each is final."""
    import httpx

    sent: list[dict] = []
    async with httpx.AsyncClient(base_url=url, headers=bearer(token), timeout=300) as http:
        await go.wait()
        for variant in plan:
            rec = {"student": student, "variant": variant, "t_send": time.monotonic()}
            try:
                r = await http.post(f"/api/submissions/{A}",
                                    files={"notebook": (f"{A}.ipynb", notebooks[variant][0], "application/json")})
                rec["t_ack"], rec["code"] = time.monotonic(), r.status_code
                body = r.json()
                rec["id"] = body.get("id") if r.status_code == 202 else None
                if r.status_code != 202:
                    rec["error"] = body.get("error", r.text[:200])
            except httpx.HTTPError as exc:
                rec["t_ack"], rec["code"], rec["id"], rec["error"] = time.monotonic(), None, None, repr(exc)
            sent.append(rec)
        waiting = [rec for rec in sent if rec["id"]]
        await asyncio.sleep(random.uniform(0, poll))  # spread the clients' polls over the interval
        while waiting and time.monotonic() < deadline:
            for rec in list(waiting):
                try:
                    body = (await http.get(f"/api/submissions/{rec['id']}")).json()
                except (httpx.HTTPError, ValueError):
                    continue
                if body.get("status") in FINAL:
                    rec["t_final"], rec["seen"], rec["seen_score"] = time.monotonic(), body["status"], body.get("score")
                    waiting.remove(rec)
            if waiting:
                await asyncio.sleep(poll)
    return sent


async def burst(url: str, tokens: dict[str, str], plans: dict[str, list[str]], notebooks: dict, poll: float,
                timeout: float) -> tuple[list[dict], float]:
    go = asyncio.Event()
    deadline = time.monotonic() + timeout
    tasks = [asyncio.create_task(client(url, s, tokens[s], plans[s], notebooks, go, poll, deadline))
             for s in plans]
    await asyncio.sleep(0.5)  # every client is waiting on the event
    t0 = time.monotonic()
    go.set()
    results = await asyncio.gather(*tasks)
    return [rec for recs in results for rec in recs], t0


# the store -------------------------------------------------------------------------------
def store_rows(root: Path) -> dict[str, dict]:
    db = sqlite3.connect(root / "service" / "service.db")
    db.row_factory = sqlite3.Row
    try:
        return {r["id"]: dict(r) for r in db.execute("SELECT * FROM submissions ORDER BY seq")}
    finally:
        db.close()


def student_scores(root: Path) -> dict[str, float]:
    """Per student, the service's formula over the gradebook: sum of score - late penalty."""
    from graders.report.collect import collect

    out: dict[str, float] = {}
    for r in collect(root, [A]):
        if r.status != "not submitted":
            out[r.student] = out.get(r.student, 0.0) + r.score - r.late_penalty
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--per-student", type=int, default=3, help="uploads per student, one after another")
    ap.add_argument("--workers", type=int, default=2, help="grading workers of the service and of the batch")
    ap.add_argument("--poll", type=float, default=2.0, help="seconds between a client's status polls")
    ap.add_argument("--timeout", type=float, default=3600.0, help="give up waiting for results after this")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    ap.add_argument("--keep", action="store_true", help="keep the throwaway course (its path is printed)")
    args = ap.parse_args()
    n_up = args.students * args.per_student
    print(f"burst: {args.students} students x {args.per_student} uploads = {n_up} submissions of {A}, "
          f"{args.students} concurrent clients; service --workers {args.workers}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    figures: dict = {"students": args.students, "per_student": args.per_student, "workers": args.workers,
                     "cores": os.cpu_count(), "poll_s": args.poll}
    live = None
    try:
        t = time.perf_counter()
        course = Course.create(tmp, [A])
        root = course.root
        with open(root / "nbgrader_config.py", "a") as f:
            f.write("\n# bench_serve: a burst far past the default 6 an hour\nc.SubmissionPolicy.per_hour = 0\n")
        students = [f"st{i:03d}" for i in range(args.students)]
        tokens = issue_tokens(root, students)
        notebooks = variants(course)
        names = list(notebooks)
        plans = {s: [names[(i + j) % len(names)] for j in range(args.per_student)] for i, s in enumerate(students)}
        print(f"course released, {len(tokens)} tokens issued in {time.perf_counter() - t:.1f} s; "
              f"rate limit off (c.SubmissionPolicy.per_hour = 0 appended to the course's nbgrader_config.py)")
        print(f"variants: {', '.join(names)} (student i's upload j is variant (i + j) mod {len(names)})")

        t = time.perf_counter()
        live = start(root, workers=args.workers, log=tmp / "serve.log", timeout=300)
        figures["service_start_s"] = time.perf_counter() - t
        print(f"service answering after {figures['service_start_s']:.1f} s at {live.url}")
        sent, t0 = asyncio.run(burst(live.url, tokens, plans, notebooks, args.poll, args.timeout))
        t_all_final = max((r.get("t_final", 0.0) for r in sent), default=t0)
        alive = live.proc.poll() is None
        load_after = os.getloadavg()[0]
        stop(live)
        log_text = live.log_text()
        live = None
        rows = store_rows(root)

        # what the clients saw ---------------------------------------------------------------------
        acked = [r for r in sent if r["code"] == 202]
        refused = [r for r in sent if r["code"] != 202]
        ack_s = [r["t_ack"] - r["t_send"] for r in acked]
        burst_s = max(r["t_ack"] for r in sent) - t0
        unseen = [r for r in acked if "seen" not in r]

        # what the store says ----------------------------------------------------------------------
        ids = [r["id"] for r in acked]
        missing = [i for i in ids if i not in rows]
        extra = [i for i in rows if i not in set(ids)]
        status_n: dict[str, int] = {}
        for i in ids:
            st = rows[i]["status"] if i in rows else "missing"
            status_n[st] = status_n.get(st, 0) + 1
        graded = [rows[i] for i in ids if i in rows and rows[i]["status"] in ("graded", "could not grade")]
        superseded = [rows[i] for i in ids if i in rows and rows[i]["status"] == "superseded"]
        not_final = [i for i in ids if i in rows and rows[i]["status"] not in FINAL]
        bad_attempts = [r["id"] for r in graded if r["attempts"] != 1] + \
                       [r["id"] for r in superseded if r["attempts"] != 0]
        disagree = [r["id"] for r in acked if "seen" in r and r["id"] in rows and r["seen"] != rows[r["id"]]["status"]]
        no_page = [r["id"] for r in graded
                   if not ((root / "service" / "feedback" / r["id"] / "full.html").is_file()
                           and (root / "service" / "feedback" / r["id"] / "visible.html").is_file())]
        seq = {i: rows[i]["seq"] for i in rows}
        bad_super = [r["id"] for r in superseded
                     if not (r["superseded_by"] in rows and rows[r["superseded_by"]]["student"] == r["student"]
                             and seq[r["superseded_by"]] > seq[r["id"]])]
        # the newest upload of each student must be graded, and must be what submitted/ holds
        newest = {}
        for r in acked:
            if r["id"] in rows and (r["student"] not in newest or seq[r["id"]] > seq[newest[r["student"]]["id"]]):
                newest[r["student"]] = r
        newest_not_graded = [r["id"] for r in newest.values() if rows[r["id"]]["status"] != "graded"]
        wrong_submitted = []
        for s, r in newest.items():
            folder = root / "submitted" / s / A
            try:
                held = json.loads((folder / "lms.json").read_text()).get("submission")
                same = (folder / f"{A}.ipynb").read_bytes() == notebooks[r["variant"]][0]
            except (OSError, ValueError):
                held, same = None, False
            if held != r["id"] or not same:
                wrong_submitted.append(s)

        received = {i: parse_iso(rows[i]["received"]) for i in ids if i in rows}
        finished = {i: parse_iso(rows[i]["finished"]) for i in ids if i in rows and rows[i]["finished"]}
        lat_store = [(finished[r["id"]] - received[r["id"]]).total_seconds() for r in graded if r["id"] in finished]
        lat_client = [r["t_final"] - r["t_ack"] for r in acked
                      if "t_final" in r and rows.get(r["id"], {}).get("status") in ("graded", "could not grade")]
        grading_s = [r["seconds"] for r in graded if r["seconds"] is not None]
        if graded:
            first_in = min(received.values())
            last_out = max(finished[r["id"]] for r in graded)
            span_s = (last_out - first_in).total_seconds()
        else:
            span_s = float("nan")
        per_min = len(graded) / span_s * 60 if graded else 0.0

        # the service's own gradebook: did each newest notebook lose what its variant should?
        service_cells = course.scores(A)
        as_expected = sum(lost(service_cells.get(s, {})) & AUTO == notebooks[r["variant"]][1]
                          for s, r in newest.items())

        # the same newest notebooks, graded by batch on a copy --------------------------------------
        copy = tmp / "copy"
        shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns("*.log"))
        t = time.perf_counter()
        batch = subprocess.run([sys.executable, "-m", "graders", "autograde", A, "--force", "--workers",
                                str(args.workers)], cwd=copy, env=_env(), capture_output=True, text=True)
        batch_s = time.perf_counter() - t
        batch_n = len(newest)
        batch_scores = student_scores(copy)
        batch_cells = Course(copy).scores(A)
        score_same = [s for s, r in newest.items()
                      if rows[r["id"]]["score"] is not None and s in batch_scores
                      and abs(rows[r["id"]]["score"] - batch_scores[s]) < 1e-9]
        score_diff = {s: (rows[r["id"]]["score"], batch_scores.get(s)) for s, r in newest.items()
                      if s not in score_same}
        cells_total = sum(len(v) for v in service_cells.values())
        cells_same = sum(batch_cells.get(s, {}).get(g) == v for s, cells in service_cells.items()
                         for g, v in cells.items())
        cell_diff = sorted({(g, s) for s, cells in service_cells.items() for g, v in cells.items()
                            if batch_cells.get(s, {}).get(g) != v})

        # the table ------------------------------------------------------------------------------
        def row(label: str, value: object) -> None:
            print(f"  {label:56s} {value}")

        print("\nuploads")
        row("sent", len(sent))
        row("acknowledged (202)", len(acked))
        codes = sorted({str(r["code"]) for r in refused})
        row("refused", f"{len(refused)}" + (f" ({', '.join(codes)}: {refused[0].get('error', '')[:80]})"
                                            if refused else ""))
        row("burst: first upload sent to last acknowledged", f"{burst_s:.1f} s "
            f"({len(acked) / burst_s:.1f} uploads/s)" if burst_s > 0 else "-")
        print("\nfinal status of the acknowledged ones (service.db)")
        for st in ("graded", "could not grade", "superseded", "queued", "grading", "missing"):
            if status_n.get(st) or st in ("graded", "could not grade", "superseded"):
                row(st, status_n.get(st, 0))
        row("superseded by a newer upload of the same student", f"{len(superseded)} (expected: the newer one "
            f"replaced it while queued; never graded)" + (f"; {len(bad_super)} with a wrong superseded_by"
                                                           if bad_super else ""))
        row("not final when the clients gave up", len(not_final) + len(unseen) - len(set(unseen) & set(not_final))
            if (not_final or unseen) else 0)
        print("\npromises")
        row("graded exactly once (attempts = 1; superseded 0)",
            "yes" if not bad_attempts and not not_final else f"NO: {len(bad_attempts)} ids, e.g. {bad_attempts[:3]}")
        row("none lost (in the store; a page for each graded)",
            "yes" if not missing and not no_page else f"NO: {len(missing)} not in the store, {len(no_page)} "
                                                     f"without a page")
        row("store rows nobody was acknowledged for", len(extra))
        row("status the clients saw = the store's", "yes" if not disagree else f"NO: {len(disagree)} differ")
        row("newest upload of each student graded", f"{len(newest) - len(newest_not_graded)}/{len(newest)}")
        row("submitted/ holds each student's newest upload", f"{len(newest) - len(wrong_submitted)}/{len(newest)}")
        row("newest lost exactly its variant's cells", f"{as_expected}/{len(newest)}")
        row("service alive at the end", "yes" if alive else "NO")
        row("load average (1 min) after the burst", f"{load_after:.2f}")
        tracebacks = log_text.count("Traceback")
        row("tracebacks in the service's log", tracebacks)
        print("\nlatency")
        row(f"seconds (result latencies: the {len(graded)} graded)", f"{'median':>7s} {'p95':>7s} {'max':>7s}")
        row("upload received -> result recorded (store)", spread(lat_store))
        row(f"202 seen -> final status seen (client, poll {args.poll:g} s)", spread(lat_client))
        row("claimed -> recorded (store 'seconds', incl. worker wait)", spread(grading_s))
        row("acknowledgement (upload sent -> 202), all", spread(ack_s))
        print("\nthroughput")
        row("graded per minute (first received -> last result)",
            f"{per_min:.1f} ({len(graded)} in {span_s:.1f} s)")
        row("all final, seen by the clients, after the burst began", f"{t_all_final - t0:.1f} s")
        print(f"\nthe {batch_n} newest notebooks by batch, on a copy of the course")
        row(f"python -m graders autograde {A} --force --workers {args.workers}",
            f"{batch_s:.1f} s wall, {batch_n / batch_s * 60:.1f} notebooks/min"
            + ("" if batch.returncode == 0 else f" (exit {batch.returncode})"))
        row("service, same kind of figure (graded per minute)", f"{per_min:.1f}")
        row("total score = the service's, newest per student", f"{len(score_same)}/{len(newest)}")
        row("grade cells = the service's gradebook", f"{cells_same}/{cells_total}")
        if score_diff:
            print("  scores that differ (student: service, batch): "
                  + ", ".join(f"{s}: {a}, {b}" for s, (a, b) in sorted(score_diff.items())[:10]))
        if cell_diff:
            print("  grade cells that differ (cell, student): " + ", ".join(f"{g} {s}" for g, s in cell_diff[:10]))
        if batch.returncode != 0:
            print(batch.stdout[-1500:], batch.stderr[-1500:])
        if refused:
            print("  refusals: " + "; ".join(f"{r['student']} {r['code']} {r.get('error', '')[:100]}"
                                            for r in refused[:5]))

        figures.update(
            sent=len(sent), acknowledged=len(acked), refused=len(refused), statuses=status_n,
            superseded=len(superseded), graded_exactly_once=not bad_attempts and not not_final,
            bad_attempts=bad_attempts, missing=missing, without_page=no_page, extra_rows=extra,
            client_store_disagree=disagree, newest_not_graded=newest_not_graded, wrong_submitted=wrong_submitted,
            newest_as_expected=as_expected, service_alive=alive, log_tracebacks=tracebacks,
            burst_s=burst_s, ack_s=ack_s, latency_store_s=lat_store, latency_client_s=lat_client,
            grading_s=grading_s, graded_per_min=per_min, span_s=span_s, all_final_s=t_all_final - t0,
            batch_wall_s=batch_s, batch_notebooks=batch_n, batch_per_min=batch_n / batch_s * 60,
            batch_exit=batch.returncode, scores_agree=len(score_same), score_diff=score_diff,
            cells_agree=cells_same, cells_total=cells_total, cell_diff=[list(x) for x in cell_diff])
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1, default=str) + "\n")
        ok = not (refused or missing or no_page or bad_attempts or not_final or disagree or newest_not_graded
                  or wrong_submitted or bad_super or not alive)
        return 0 if ok else 1
    finally:
        if live is not None:
            stop(live)
        if args.keep:
            print(f"course kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
