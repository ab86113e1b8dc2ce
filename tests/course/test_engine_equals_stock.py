"""Does our engine give every honest submission, grade cell by grade cell, the score stock
``nbgrader autograde`` gives it?

The same submissions (the instructor's solutions, the blank release, and the plausible
mistakes of the course tests) are graded twice in one course: by stock nbgrader (tests in
the student's kernel) and by ``python -m graders autograde`` (tests in the grader). The
notebooks cover plots (02), generators and laziness (03) and pandas frames (06). Speed
checks are left out of the comparison: their verdict is a measurement, and the
benchmark (``bench/bench_autograde.py``) compares them over a whole class.
"""

import pytest

from samples.course import Course, with_answers
from samples.archetypes import suite

pytestmark = pytest.mark.slow

ASSIGNMENTS = ["02_sigmoid", "03_minibatch", "06_ipl_pipeline"]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def both(request, tmp_path_factory):
    a = request.param
    course = Course.create(tmp_path_factory.mktemp(a), [a])
    src = course.source_nb(a)
    course.submit("key", a, src)
    course.submit("blank", a, course.release_nb(a))
    for name, (answers, _lost) in list(suite(a).ARCHETYPES.items())[:4]:
        course.submit(name, a, with_answers(src, answers))
    stock = course.stock_autograde(a, check=False)
    ours = course.autograde(a, check=False, workers=2)
    return a, stock, ours


def _without_speed(scores):
    return {s: {g: v for g, v in cells.items() if not g.endswith("_speed")} for s, cells in scores.items()}


def test_every_grade_cell_scores_as_under_stock_nbgrader(both):
    assignment, stock, ours = both
    assert set(ours) == set(stock)
    assert _without_speed(ours) == _without_speed(stock)
