"""Hidden-test cells judged in the grader: what a correct but noisy answer keeps."""

import nbformat
import pytest

from samples.course import Course, auto_points, lost, solutions, with_answers

NOISY_SOFTMAX = '''import sys
import warnings


def softmax(z):
    """A correct softmax that talks: a debugging print to stderr and a library-style warning."""
    print("softmax called", file=sys.stderr)
    warnings.warn("this call style is deprecated", FutureWarning)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
'''


@pytest.mark.slow
def test_a_correct_answer_that_writes_to_stderr_keeps_every_point(tmp_path):
    """nbgrader zeroes a grade cell with stderr output: does a correct softmax that prints to
    stderr and raises a FutureWarning, graded through the engine, keep every point the key gets,
    with its text still shown in the cell?"""
    course = Course.create(tmp_path, ["04_softmax"])
    src = course.source_nb("04_softmax")
    course.submit("key", "04_softmax", src)
    course.submit("noisy", "04_softmax", with_answers(src, {**solutions("04_softmax"), "softmax": NOISY_SOFTMAX}))
    scores = course.autograde("04_softmax")
    assert lost(scores["noisy"]) == lost(scores["key"]) == {"softmax_written"}  # left to a TA
    assert auto_points(scores["noisy"]) == auto_points(scores["key"]) > 0
    graded = nbformat.read(course.root / "autograded" / "noisy" / "04_softmax" / "04_softmax.ipynb", 4)
    streams = [(o["name"], o["text"]) for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade")
               for o in c.get("outputs", []) if o["output_type"] == "stream"]
    assert streams and all(name == "stdout" for name, _ in streams)
    assert any("softmax called" in text for _, text in streams)


def test_the_graders_own_work_on_a_cell_is_cut_off_past_its_limit():
    """A cell whose grader-side work runs on (a check chewing on a huge answer) fails at its
    limit plus the grace, instead of holding the worker."""
    import time

    import graders.engine.grader.judge as judge

    class Link:
        deadline = float("inf")
        on_output = None
        end_of_cell = None

    old = judge.GRACE_S
    judge.GRACE_S = 0.5
    try:
        start = time.monotonic()
        outputs, _ = judge.run_grade_cell("while True:\n    pass\n", Link(), timeout=0.5)
        took = time.monotonic() - start
    finally:
        judge.GRACE_S = old
    assert took < 5
    assert outputs[-1]["output_type"] == "error" and "time limit" in outputs[-1]["evalue"]


@pytest.mark.parametrize("source, where", [
    ("x = 1\nassert x == 2, 'visible'\n### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS\n", "visible"),
    ("x = 1\nassert x == 1\n### BEGIN HIDDEN TESTS\nassert x == 3, 'hidden'\n### END HIDDEN TESTS\n", "hidden"),
    ("def f():\n    raise ValueError('deep')\n### BEGIN HIDDEN TESTS\nf()\n### END HIDDEN TESTS\n", "hidden"),
    ("assert 1 == 2\n", "visible"),
    ("x = 1\nassert x == 1\n### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS\n", ""),
])
def test_the_cell_records_which_of_its_parts_failed(source, where):
    """Is a failure on a line above ``### BEGIN HIDDEN TESTS`` (what the student's notebook
    holds) recorded as 'visible', one below it (even raised inside a function defined above)
    as 'hidden', and nothing recorded when the cell passes?"""
    import graders.engine.grader.judge as judge
    from graders.report.cells import failed_in_of
    from graders.result import MIME

    class Link:
        deadline = float("inf")
        on_output = None
        end_of_cell = None

    outputs, _ = judge.run_grade_cell(source, Link(), timeout=5, filename="<hidden tests q>")
    assert failed_in_of({"outputs": outputs}) == where
    assert any(o["output_type"] == "error" for o in outputs) == bool(where)
    if where:
        assert [o["metadata"][MIME] for o in outputs if o["output_type"] == "display_data"] == [{"failed_in": where}]
