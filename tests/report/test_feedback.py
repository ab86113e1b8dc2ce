"""Does a feedback page show points and reasons, escaped, and nothing else of the tests?"""

import html
import re

from graders.report.feedback import aspect_totals, feedback_html, write_feedback
from tests.report.records_factory import cell, notebook, small_class


def test_summary_table_sums_points_per_aspect():
    """Are points and maxima summed per aspect, in the issue's order?"""
    r = notebook("x", [cell("f_correct", 2, 3), cell("g_correct", 1, 1), cell("f_speed", 0, 1),
                       cell("f_written", None, 3, manual=True, needs_manual=True, reason="waiting")])
    assert aspect_totals(r) == [("correctness", 3.0, 4.0, 0), ("speed", 0.0, 1.0, 0), ("written", 0.0, 3.0, 1)]
    page = html.unescape(feedback_html(r))
    assert "– / 3, 1 waiting for a TA" in page and "0 / 3" not in page
    assert "1 answer still waits for a TA; its points are not counted yet." in page


def test_reason_is_escaped():
    """Is a message holding HTML shown as text, never as markup?"""
    r = notebook("x", [cell("f_correct", 0, 1, reason="f(x) returned <script>alert(1)</script>")])
    page = feedback_html(r)
    assert "<script>alert" not in page
    assert html.escape("f(x) returned <script>alert(1)</script>") in page


def test_lost_cells_show_their_reason_and_points():
    """Does the page show '0 / 1' and the speed message for a slow submission?"""
    bob = small_class()[1]
    page = html.unescape(feedback_html(bob))
    assert "41.3x slower than the reference" in page
    assert "0 / 1" in page
    assert "1 answer still waits for a TA" in page


def test_a_submission_that_could_not_be_graded_says_why():
    """Does the page of a corrupt submission say it could not be graded, and why?"""
    page = feedback_html(small_class()[3])
    assert "could not be graded" in page
    assert "not valid JSON" in page


def test_pages_go_where_nbgrader_releases_them(tmp_path):
    """Is each page written to feedback/<student>/<assignment>/<notebook>.html?"""
    paths = write_feedback(tmp_path, small_class())
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        f"feedback/{s}/04_softmax/04_softmax.html" for s in ("ann", "bob", "cat", "dan")]


def test_every_unanswered_item_says_not_answered_yet_once_on_top():
    """Cells of an answer still holding the stub say so, the same words each time, and the
    page lists the unanswered items once at the top."""
    stub = "sigmoid is not answered yet: replace `raise NotImplementedError()` in its answer cell with your answer."
    r = notebook("x", [cell("sigmoid_correct", 0, 3, reason=stub, not_answered="sigmoid"),
                       cell("sigmoid_speed", 0, 1, reason=stub, not_answered="sigmoid"),
                       cell("q1", 0, 1, reason="q1 is not answered yet: ...", not_answered="q1")])
    page = html.unescape(re.sub(r"<[^>]+>", "", feedback_html(r)))
    assert "Not answered yet: sigmoid, q1. Each still holds raise NotImplementedError() in its answer cell." in page
    assert page.count(stub) == 2
