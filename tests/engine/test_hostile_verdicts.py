"""Can a submission fool a verdict the grader draws from its kernel, or break the batch?

Every case of samples/hostile/verdicts.py is graded through the real engine
(``python -m graders autograde A --force``), one batch per notebook, beside the instructor's
key. Each attack must lose the grade cells it aims at, never score more than the key, and
leave the course as it found it; the key keeps every automatic point.
"""

import shutil

import pytest

from samples.course import lost
from samples.hostile import batch as B
from samples.hostile.verdicts import BY_ASSIGNMENT, VERDICTS, Verdict, submission

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="the grading sandbox needs bubblewrap"),
]




@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = {}
    for assignment, cases in BY_ASSIGNMENT.items():
        course = B.make_course(tmp_path_factory.mktemp(assignment), [assignment])
        src = course.source_nb(assignment)
        course.submit("key", assignment, src)
        for case in cases:
            course.submit(f"atk_{case.name}", assignment, submission(src, case))
        before = B.fingerprint(course)
        scores = course.autograde(assignment, check=False)
        out[assignment] = dict(scores=scores, run=course.last_run, before=before, after=B.fingerprint(course),
                               course=course)
    return out


@pytest.mark.parametrize("case", VERDICTS, ids=[c.name for c in VERDICTS])
def test_attack_loses_the_cells_it_aims_at(graded, case):
    g = graded[case.assignment]
    scores = g["scores"].get(f"atk_{case.name}")
    assert scores is not None, g["run"].stdout[-3000:]
    key = g["scores"]["key"]
    assert case.loses <= lost(scores), {gid: scores[gid] for gid in case.loses}
    assert case.keeps & lost(scores) == set(), {gid: scores[gid] for gid in case.keeps}
    gained = {gid: (s, key[gid][0]) for gid, (s, m) in scores.items() if (s or 0) > (key[gid][0] or 0)}
    assert gained == {}


@pytest.mark.parametrize("assignment", list(BY_ASSIGNMENT))
def test_the_key_keeps_every_point_and_the_batch_finishes(graded, assignment):
    g = graded[assignment]
    assert g["run"].returncode == 0, g["run"].stdout[-3000:] + g["run"].stderr[-3000:]
    assert {gid for gid in lost(g["scores"]["key"]) if not gid.endswith("_written")} == set()


@pytest.mark.parametrize("assignment", list(BY_ASSIGNMENT))
def test_the_course_is_left_as_it_was(graded, assignment):
    g = graded[assignment]
    assert sorted(k for k in g["before"] if g["after"].get(k) != g["before"][k]) == []


def test_feedback_for_a_lone_surrogate_is_readable(graded):
    """The autograded notebook of the surrogate attack is valid UTF-8 with U+FFFD in place."""
    course = graded["04_softmax"]["course"]
    path = course.root / "autograded" / "atk_surrogate_print" / "04_softmax" / "04_softmax.ipynb"
    text = path.read_bytes().decode("utf-8")
    assert "\ufffd" in text or "\\ufffd" in text


def test_an_endless_loop_costs_one_time_limit_and_names_the_students_line(graded):
    """The first test that meets the loop is cut off at the student's own line; later tests do
    not call the function again; no message quotes the grader's files."""
    import nbformat

    course = graded["04_softmax"]["course"]
    nb = nbformat.read(course.root / "autograded" / "atk_endless_loop" / "04_softmax" / "04_softmax.ipynb", 4)
    errors = [" ".join([o.get("evalue", "")] + list(o.get("traceback", [])))
              for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    cut = [e for e in errors if "your code was still running" in e]
    again = [e for e in errors if "was not called again" in e]
    assert all("n += 1" in e or "while True" in e for e in cut + again), errors
    assert len(cut) == 1, errors
    assert again, errors
    assert not any("link.py" in e or "graders/engine" in e for e in errors), errors
