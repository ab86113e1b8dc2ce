"""The submission service on a course whose gradebook is PostgreSQL (``c.CourseDirectory.db_url``)."""

import httpx
import nbformat
import pytest

from samples.service import bearer, issue_tokens, running, wait_final
from tests.engine.pg import course_with_db, notebook_scores, pg_server, pg_url, scores  # noqa: F401

pytestmark = pytest.mark.slow
A = "02_sigmoid"


def test_the_service_grades_into_a_postgresql_gradebook(pg_url, tmp_path):
    """Are the roster's students and the service's grades in the PostgreSQL gradebook (and no
    SQLite file written), scored as the autograded notebook says?"""
    course = course_with_db(tmp_path, A, pg_url)
    tokens = issue_tokens(course.root, ["ada", "bob"])
    with running(course.root, workers=0) as live:
        r = httpx.post(f"{live.url}/api/submissions/{A}", headers=bearer(tokens["ada"]),
                       files={"notebook": (f"{A}.ipynb", nbformat.writes(course.source_nb(A)).encode())})
        assert r.status_code == 202, r.text
        final = wait_final(live.url, r.json()["id"], tokens["ada"])
    assert final["status"] == "graded"
    assert final["score"] == final["max_score"] - final["waiting_for_ta"] > 0
    assert not (course.root / "gradebook.db").exists()
    on_pg = scores(pg_url, A)
    assert on_pg == notebook_scores(course, A) and set(on_pg) == {"ada"}
    from nbgrader.api import Gradebook

    with Gradebook(pg_url) as gb:
        assert {s.id for s in gb.students} == {"ada", "bob"}
