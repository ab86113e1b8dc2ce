"""SaveAutoGradesOnce writes the gradebook rows nbgrader's SaveAutoGrades writes, in one transaction."""

import pytest
from nbgrader.api import Gradebook

from samples.archetypes.softmax import ARCHETYPES
from samples.course import Course, with_answers

A = "04_softmax"
pytestmark = pytest.mark.slow


def rows(course: Course) -> dict:
    """Every grade and comment row of the assignment, as the save steps leave them. Speed
    cells are left out: whether a timing passes on a busy machine is not the save step's doing."""
    out = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(A):
            for nb in sub.notebooks:
                for g in nb.grades:
                    if not g.name.endswith("_speed"):
                        out[(sub.student.id, "grade", g.name)] = (g.auto_score, g.manual_score, g.needs_manual_grade)
                for c in nb.comments:
                    out[(sub.student.id, "comment", c.name)] = (c.auto_comment, c.manual_comment)
    return out


def test_the_rows_are_stock_nbgraders_before_and_after_a_ta_marks_a_cell(tmp_path):
    """Graded by stock nbgrader and then by the engine, are grades (auto score, manual score,
    needs-manual flag) and comments ('No response.' for an untouched answer) the same; and again
    after a TA gave a manual score, which both keep and flag for review?"""
    course = Course.create(tmp_path, [A])
    src = course.source_nb(A)
    course.submit("key", A, src)
    course.submit("blank", A, course.release_nb(A))
    course.submit("axis", A, with_answers(src, ARCHETYPES["wrong_axis"][0]))
    course.stock_autograde(A)
    stock = rows(course)
    course.autograde(A)
    assert rows(course) == stock
    assert stock[("blank", "comment", "softmax")] == ("No response.", None)
    assert stock[("axis", "grade", "softmax_correct")] == (0.0, None, False)
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        gb.find_grade("softmax_correct", A, A, "axis").manual_score = 2.0
        gb.db.commit()
    course.stock_autograde(A)
    stock = rows(course)
    course.autograde(A)
    assert rows(course) == stock
    assert stock[("axis", "grade", "softmax_correct")] == (0.0, 2.0, True)
