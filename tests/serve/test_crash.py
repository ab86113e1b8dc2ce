"""Does the submission service keep its promises when it is killed in the middle of a burst?

The service (one grading worker) takes a burst of uploads from 20 students; while grading is
under way and uploads are still coming in, its whole process group gets SIGKILL (no
shutdown code runs). It is started again on the same course and drains its queue. Then
every upload that was acknowledged (202) must be in the store with exactly one final
status (graded, or superseded by a newer upload of the same student), nothing lost, each
student's newest upload in ``submitted/``, and nothing graded twice except what was being
graded at the moment of the kill (``attempts`` = 2 is allowed for those, and only those).
"""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import time

import nbformat
import pytest

from samples.archetypes.softmax import ARCHETYPES
from samples.course import Course, with_answers
from samples.service import bearer, issue_tokens, start, stop

pytestmark = pytest.mark.slow

A = "04_softmax"
STUDENTS = [f"s{i:02d}" for i in range(20)]
PER_STUDENT = 2


def rows(root) -> dict[str, dict]:
    db = sqlite3.connect(root / "service" / "service.db", timeout=30)
    db.row_factory = sqlite3.Row
    try:
        return {r["id"]: dict(r) for r in db.execute("SELECT * FROM submissions ORDER BY seq")}
    finally:
        db.close()


def _counts(table: dict[str, dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in table.values():
        out[r["status"]] = out.get(r["status"], 0) + 1
    return out


def wait_for(condition, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Student(threading.Thread):
    """Hands in its uploads one after another; the second waits for ``wave`` (then a stagger)."""

    def __init__(self, url: str, name: str, token: str, bodies: list[bytes], wave: threading.Event,
                 stagger: float) -> None:
        super().__init__(daemon=True)
        self.url, self.name, self.token, self.bodies = url, name, token, bodies
        self.wave, self.stagger = wave, stagger
        self.sent: list[dict] = []  # {"body", "code", "id", "error"} in the order sent

    def run(self) -> None:
        import httpx

        with httpx.Client(base_url=self.url, headers=bearer(self.token), timeout=60) as http:
            for n, body in enumerate(self.bodies):
                if n == 1:
                    self.wave.wait(120)
                    time.sleep(self.stagger)
                rec = {"body": body, "code": None, "id": None, "error": None}
                self.sent.append(rec)
                try:
                    r = http.post(f"/api/submissions/{A}", files={"notebook": (f"{A}.ipynb", body)})
                    rec["code"] = r.status_code
                    rec["id"] = r.json().get("id") if r.status_code == 202 else None
                except httpx.HTTPError as exc:  # the service was killed under this request
                    rec["error"] = repr(exc)
                    return


def test_sigkill_mid_burst_loses_nothing_and_grades_once(tmp_path):
    course = Course.create(tmp_path, [A])
    root = course.root
    tokens = issue_tokens(root, STUDENTS)
    src = course.source_nb(A)
    kinds = [nbformat.writes(src).encode()] + [nbformat.writes(with_answers(src, answers)).encode()
                                               for answers, _ in ARCHETYPES.values()]
    wave = threading.Event()
    live = start(root, workers=1)
    try:
        clients = [Student(live.url, s, tokens[s], [kinds[(i + j) % len(kinds)] for j in range(PER_STUDENT)],
                           wave, 0.04 * i) for i, s in enumerate(STUDENTS)]
        for c in clients:
            c.start()
        # the first wave acknowledged, and the grader well into it: one result written, one in hand
        wait_for(lambda: all(c.sent and c.sent[0]["code"] for c in clients), 60, "the first wave's answers")
        wait_for(lambda: {"graded", "grading"} <= {r["status"] for r in rows(root).values()}, 120,
                 "a graded submission and one being graded")
        wave.set()
        second = lambda: sum(len(c.sent) > 1 and c.sent[1]["code"] == 202 for c in clients)  # noqa: E731
        wait_for(lambda: second() >= 6, 60, "some of the second wave acknowledged")
        wait_for(lambda: any(r["status"] == "grading" for r in rows(root).values()), 60, "grading under way")
        stop(live, signal.SIGKILL)
    finally:
        stop(live, signal.SIGKILL)
    for c in clients:
        c.join(90)
        assert not c.is_alive(), f"{c.name}'s client is still waiting"

    at_kill = rows(root)  # read before anything starts again
    grading_at_kill = {i for i, r in at_kill.items() if r["status"] == "grading"}
    assert grading_at_kill, "the kill did not land while something was being graded"
    acked = {rec["id"]: (c.name, n, rec["body"]) for c in clients for n, rec in enumerate(c.sent) if rec["id"]}
    unanswered = {c.name: rec["body"] for c in clients for rec in c.sent if rec["code"] is None}
    refused = [(c.name, rec["code"]) for c in clients for rec in c.sent if rec["code"] not in (None, 202)]
    assert not refused, f"uploads refused: {refused}"
    assert len(acked) > len(STUDENTS), "the kill came before the second wave was under way"

    live = start(root, workers=1)
    try:
        wait_for(lambda: not any(r["status"] in ("queued", "grading") for r in rows(root).values()), 150,
                 "the queue to drain after the restart", every=0.5)
        # the service answers for the acknowledged ones as the store says
        import httpx

        name, _, _ = next(iter(acked.values()))
        some = next(i for i, (s, _, _) in acked.items() if s == name)
        assert httpx.get(f"{live.url}/api/submissions/{some}", headers=bearer(tokens[name]),
                         timeout=30).json()["status"] in ("graded", "superseded")
    finally:
        stop(live)
    after = rows(root)
    log = live.log_text()
    print(f"\nacknowledged {len(acked)}, cut off by the kill {len(unanswered)}, in grading at the kill "
          f"{len(grading_at_kill)}, at the kill {_counts(at_kill)}, after the restart {_counts(after)}, "
          f"graded twice {sum(r['attempts'] == 2 for r in after.values())}")

    # every acknowledged upload: in the store, final, exactly one outcome, nothing lost
    lost = [i for i in acked if i not in after]
    assert not lost, f"acknowledged but not in the store: {lost}"
    for sid, (student, n, body) in acked.items():
        r = after[sid]
        assert r["student"] == student, sid
        assert r["status"] in ("graded", "superseded"), (sid, r["status"], r["detail"])
        assert (root / "service" / "uploads" / sid / f"{A}.ipynb").read_bytes() == body, sid
        if r["status"] == "superseded":
            newer = after.get(r["superseded_by"])
            assert newer is not None and newer["student"] == student and newer["seq"] > r["seq"], sid
            # a newer acknowledged upload, or the one this student had in flight at the kill
            assert r["superseded_by"] in acked or student in unanswered, sid
            assert r["attempts"] == 0 and r["score"] is None, sid
        else:
            assert r["score"] is not None and r["finished"], sid
            assert (root / "service" / "feedback" / sid / "full.html").is_file(), sid
            assert (root / "service" / "feedback" / sid / "visible.html").is_file(), sid

    # graded once: attempts is 1, or 2 for what was being graded when the service died
    twice = {i for i, r in after.items() if r["attempts"] > 1}
    assert twice <= grading_at_kill, f"graded twice though not in grading at the kill: {twice - grading_at_kill}"
    assert all(r["attempts"] <= 2 for r in after.values())
    assert all(after[i]["attempts"] >= 1 for i in grading_at_kill)
    assert all(r["status"] in ("graded", "superseded") for r in after.values()), \
        {i: (r["status"], r["detail"]) for i, r in after.items() if r["status"] not in ("graded", "superseded")}
    if grading_at_kill:
        assert "resumed" in log

    # each student's newest upload is graded and is what submitted/ holds; the newest may be one
    # the kill cut off after it was recorded (no 202 came back), which is then graded as well
    for c in clients:
        mine = sorted((r["seq"], i) for i, r in after.items() if r["student"] == c.name)
        newest = mine[-1][1]
        assert after[newest]["status"] == "graded", (c.name, newest, after[newest]["status"])
        sent = acked[newest][2] if newest in acked else unanswered.get(c.name)
        assert sent is not None, f"{c.name}: {newest} is in the store but was neither acknowledged nor cut off"
        assert (root / "service" / "uploads" / newest / f"{A}.ipynb").read_bytes() == sent
        assert {i for _, i in mine} - set(acked) <= {newest}, f"{c.name}: more than one unacknowledged row"
        folder = root / "submitted" / c.name / A
        held = json.loads((folder / "lms.json").read_text())["submission"]
        data = (folder / f"{A}.ipynb").read_bytes()
        assert (folder / "timestamp.txt").is_file()
        if held == newest:
            assert data == sent
        else:  # only a newer upload the kill cut off before it was recorded may stand there instead
            assert held not in after and c.name in unanswered and data == unanswered[c.name], (c.name, held, newest)
