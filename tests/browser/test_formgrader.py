"""Manual grading of written answers in nbgrader's formgrader, and what feedback shows.

One course per module (01_mcq autograded for 'ada': its five written answers wait for a
TA); the REST test needs no browser, the others drive headless chromium.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from tests.browser.conftest import ARTIFACTS
from tests.browser.dom import assert_not_in_dom
from samples.course import nbgrader

pytestmark = pytest.mark.slow

HIDDEN_Q1 = 'check_choice(q1, "c", name="q1")'
"""A hidden test of 01_mcq (in source/, stripped from release/)."""


def manual_score(server, grade_name: str, student: str = "ada"):
    with Gradebook(f"sqlite:///{server.root / 'gradebook.db'}") as gb:
        return gb.find_grade(grade_name, "01_mcq", "01_mcq", student).manual_score


def submission_and_grade(server, grade_name: str) -> tuple[str, str]:
    """The submission id of ada's 01_mcq and the id of one of its grades, via the API."""
    (sub,) = server.api("GET", "/formgrader/api/submitted_notebooks/01_mcq/01_mcq")
    grades = server.api("GET", f"/formgrader/api/grades?submission_id={sub['id']}")
    (grade,) = [g for g in grades if g["name"] == grade_name]
    return sub["id"], grade["id"]


def test_written_answers_wait_for_a_ta_and_take_a_score(formgrader):
    """Does the REST API list the written answers as ungraded and save a TA's score?"""
    sid, gid = submission_and_grade(formgrader, "maximum_written")
    written = [g for g in formgrader.api("GET", f"/formgrader/api/grades?submission_id={sid}")
               if g["name"].endswith("_written")]
    assert len(written) == 5 and all(g["needs_manual_grade"] for g in written)
    saved = formgrader.api("PUT", f"/formgrader/api/grade/{gid}", {"manual_score": 1.5})
    assert saved["manual_score"] == 1.5 and saved["needs_manual_grade"] is False
    assert manual_score(formgrader, "maximum_written") == 1.5


def test_ta_types_a_score_in_the_grading_page(formgrader, page):
    """Does a score typed in the formgrader's page land in the gradebook?"""
    sid, _ = submission_and_grade(formgrader, "broadcasting_written")
    page.goto(f"{formgrader.url}/formgrader?token={formgrader.token}")  # logs in: sets cookie
    page.goto(f"{formgrader.url}/formgrader/submissions/{sid}/", wait_until="networkidle")
    # The page's scripts mark an ungraded score box once they have loaded its grade; typing
    # before that would change a box no script listens to yet.
    page.locator("input.score.needs_manual_grade#broadcasting_written").wait_for(
        state="visible", timeout=30_000)
    box = page.locator("input.score#broadcasting_written")
    body = page.inner_text("body")
    assert "Align shapes from the right" in body  # the student's answer
    assert "BEGIN MARK SCHEME === 1 point each, up to 3" in body  # and the TA's mark scheme
    with page.expect_response(lambda r: re.search(r"/formgrader/api/grade/", r.url)
                              and r.request.method == "PUT", timeout=30_000) as put:
        box.fill("2.5")
        box.press("Tab")  # the page saves on the input's change event
    assert put.value.ok
    assert "needs_manual_grade" not in (box.get_attribute("class") or "")  # the page says graded
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "formgrader_manual_score.png"))
    assert manual_score(formgrader, "broadcasting_written") == 2.5


def test_stock_feedback_shows_hidden_tests_and_the_helper_says_so(formgrader, page):
    """Does assert_not_in_dom catch the hidden test that nbgrader's own feedback shows?"""
    nbgrader(formgrader.root, "generate_feedback", "01_mcq", "--force")
    (html,) = (formgrader.root / "feedback" / "ada" / "01_mcq").glob("*.html")
    page.goto(html.as_uri())
    page.screenshot(path=str(ARTIFACTS / "feedback_stock.png"))
    assert "Align shapes from the right" in page.inner_text("body")  # it is ada's feedback
    with pytest.raises(AssertionError, match=re.escape(f"forbidden string(s): ['{HIDDEN_Q1}']")):
        assert_not_in_dom(page, [HIDDEN_Q1, "no such text"])


def test_feedback_without_hidden_tests_passes(formgrader, page, tmp_path):
    """Does a feedback page with the hidden part removed pass the same assertion?"""
    (html,) = (formgrader.root / "feedback" / "ada" / "01_mcq").glob("*.html")
    clean = tmp_path / "clean.html"
    text = html.read_text()
    text = re.sub(r"check_choice</span><span[^>]*>\(</span><span[^>]*>q1", "REMOVED", text)
    clean.write_text(text.replace(HIDDEN_Q1, "REMOVED"))
    page.goto(clean.as_uri())
    assert "q1" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "feedback_clean.png"))
    assert_not_in_dom(page, [HIDDEN_Q1])


def test_course_feedback_page_hides_hidden_tests(formgrader, page):
    """Does the course's own feedback page (python -m graders feedback) keep hidden tests out?"""
    if importlib.util.find_spec("graders.report.feedback") is None:
        pytest.skip("graders.report.feedback is not there yet")
    proc = subprocess.run([sys.executable, "-m", "graders", "feedback", "--root", str(formgrader.root),
                           "-a", "01_mcq", "-s", "ada"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (html,) = (formgrader.root / "feedback" / "ada" / "01_mcq").glob("*.html")
    page.goto(html.as_uri())
    page.screenshot(path=str(ARTIFACTS / "feedback_course.png"), full_page=True)
    assert "q1" in page.inner_text("body")
    assert_not_in_dom(page, [HIDDEN_Q1, "BEGIN HIDDEN TESTS", "MARK SCHEME", "1 point each, up to 3"])
