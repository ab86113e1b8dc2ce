"""Can a hostile submission gain a point, stop the batch, or change someone else's grade?

Every case of samples/hostile/ is graded through the real engine
(``python -m graders autograde A --force``) in one batch per notebook, beside its honest
twin and the instructor's key. A second course grades the key and a few honest twins each
alone. The course config's cell timeout is cut from 60 s to 10 s (batch.TIMEOUT_S) so the
timeout attacks end sooner; the resource attacks are bounded by the sandbox's limits.
"""

import re
import shutil

import pytest

from samples.hostile import batch as B
from samples.hostile.cases import CASES, SIG, SM

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="the grading sandbox needs bubblewrap"),
]

ALONE = {SM: ["key", "hon_sm_wrong", "hon_sm_loop", "hon_sm_unstable"], SIG: ["key", "hon_sig_wrong"]}
"""Honest submissions also graded one per run, in a course without attackers."""

WORKERS = 2
"""Grading workers for the hostile batches (the machine has 2 cores)."""

FORBIDDEN = [r"stole ", r"readable: True", r"WRITTEN", r"NOT stopped", r"network reached", r"wrecked: [1-9]"]
"""What an attack's own report must never say: it read, wrote, reached or exhausted something."""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One hostile batch per notebook (WORKERS workers), then honest ones each alone."""
    tmp = tmp_path_factory.mktemp("hostile")
    server = B.AnswerServer()
    out = {"server": server}
    alone_course = B.make_course(tmp / "alone", [SM, SIG])
    for a in (SM, SIG):
        course = B.make_course(tmp / a, [a])
        course.students = B.submit_corpus(course, a, server.port)
        course.before = B.fingerprint(course)
        run = B.grade_ours(course, a, workers=WORKERS)
        B.submit_corpus(alone_course, a, server.port, attacks=False,
                        honest=[s.removeprefix("hon_") for s in ALONE[a]])
        for s in ALONE[a]:
            B.grade_ours(alone_course, a, [s])
        out[a] = dict(course=course, run=run, scores=course.scores(a), alone=alone_course.scores(a),
                      after=B.fingerprint(course), tampering=B.gradebook_tampering(course))
    server.close()
    return out


def best(batch, alone):
    """The honest twin's points per cell: the better of its grade in the batch and alone (when
    graded alone), so a point it lost to a loaded machine does not count as the attack's gain."""
    return {gid: (max(s or 0, (alone or {}).get(gid, (0, 0))[0] or 0), m) for gid, (s, m) in batch.items()}


def show(scores):
    return {gid: s for gid, (s, _) in sorted((scores or {}).items())}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_attack_gains_no_point(graded, case):
    """Does the attack score at most what its honest twin scores, in every grade cell?"""
    scores = graded[case.assignment]["scores"]
    attack = scores.get(B.student_of(case), {})
    twin = B.honest_student(case.honest.label)
    honest = best(scores[twin], graded[case.assignment]["alone"].get(twin))
    gained = {gid: (s, honest.get(gid, (0, 0))[0]) for gid, (s, m) in attack.items()
              if (s or 0) > (honest.get(gid, (0, 0))[0] or 0) or m != honest.get(gid, (None, m))[1]}
    assert not gained, (f"{case.name} ({case.note}) gained points; {{cell: (attack, honest)}} = {gained}\n"
                        f"attack: {show(attack)}\nhonest: {show(honest)}\n"
                        f"it reported: {B.hostile_lines(graded[case.assignment]['course'], B.student_of(case), case.assignment)}")


@pytest.mark.parametrize("assignment", [SM, SIG])
def test_batch_finishes_with_a_grade_or_a_reason_for_everyone(graded, assignment):
    """Does the batch run to its end, and is every submission graded or listed with a reason?"""
    g = graded[assignment]
    assert g["run"].returncodes[0] in (0, 1), g["run"].output[-3000:]
    reasons = {line.split(":")[0].strip() for line in g["run"].output.splitlines() if ": could not grade: " in line}
    unaccounted = [s for s in g["course"].students if s not in g["scores"] and s not in reasons]
    assert unaccounted == [], g["run"].output[-3000:]


@pytest.mark.parametrize("assignment,student", [(a, s) for a, ss in ALONE.items() for s in ss])
def test_honest_grade_is_the_same_as_alone(graded, assignment, student):
    """Does honest work get exactly the grade it gets without attackers in its batch?"""
    g = graded[assignment]
    assert show(g["scores"].get(student)) == show(g["alone"].get(student))


@pytest.mark.parametrize("assignment", [SM, SIG])
def test_course_files_are_unchanged(graded, assignment):
    """Are source/, release/, honest submissions and a sentinel file byte-for-byte unchanged?"""
    g = graded[assignment]
    changed = sorted(k for k in g["course"].before if g["after"].get(k) != g["course"].before[k])
    assert changed == []


@pytest.mark.parametrize("assignment", [SM, SIG])
def test_gradebook_holds_only_what_the_grader_wrote(graded, assignment):
    """Is the gradebook intact, with no manual scores, extra credit or tables planted by a student?"""
    assert graded[assignment]["tampering"] == []


def test_the_network_is_out_of_reach(graded):
    """Did no kernel connect to a server on the grading machine?"""
    assert graded["server"].connections == 0
    lines = B.hostile_lines(graded[SM]["course"], "atk_network", SM)
    assert any(line.startswith("HOSTILE network blocked") for line in lines), lines


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_attack_reports_it_reached_nothing(graded, case):
    """Does the attack's own printed report show it read, wrote, reached or exhausted nothing?"""
    lines = B.hostile_lines(graded[case.assignment]["course"], B.student_of(case), case.assignment)
    bad = [line for line in lines if any(re.search(p, line) for p in FORBIDDEN)]
    assert bad == []
