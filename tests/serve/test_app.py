"""The submission service through HTTP, as a student's notebook or script meets it: a real
``python -m graders serve`` on a real port, a throwaway course released by real nbgrader."""

from __future__ import annotations

import json

import httpx
import nbformat
import pytest

from samples.archetypes.softmax import ARCHETYPES
from samples.course import Course, graders_cli, with_answers
from samples.service import bearer, issue_tokens, running, wait_final

pytestmark = pytest.mark.slow

A = "04_softmax"
STUDENTS = ["ada", "bob", "cy", "dee", "sam", "rita", "nosy", "tia", "meta"]


def tree(folder) -> dict[str, bytes]:
    """Every file under ``folder`` (path: bytes), to show that a refusal wrote nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} \
        if folder.exists() else {}


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    course = Course.create(tmp, [A])
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write("\nc.SubmissionPolicy.per_hour = 4\nc.SubmissionPolicy.max_upload_mb = 1\n")
    tokens = issue_tokens(course.root, STUDENTS, staff="ta1")
    with running(course.root, workers=0) as live:
        yield course, tokens, live


def post(live, token: str, data: bytes | str, name: str = f"{A}.ipynb", assignment: str = A) -> httpx.Response:
    if isinstance(data, str):
        data = data.encode()
    return httpx.post(f"{live.url}/api/submissions/{assignment}", headers=bearer(token),
                      files={"notebook": (name, data, "application/x-ipynb+json")}, timeout=60)


def key(course) -> bytes:
    return nbformat.writes(course.source_nb(A)).encode()


def archetype(course, name: str) -> bytes:
    return nbformat.writes(with_answers(course.source_nb(A), ARCHETYPES[name][0])).encode()


def test_the_key_is_acknowledged_written_and_graded_with_full_autograded_marks(svc):
    """Does an upload of the key come back 202 'queued', land in submitted/ with nbgrader's
    timestamp, and end 'graded' with every autograded point (the written answer waiting for a
    TA), in the course's own gradebook, with a feedback page for its student?"""
    course, tokens, live = svc
    r = post(live, tokens["ada"], key(course))
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"
    folder = course.root / "submitted" / "ada" / A
    assert (folder / f"{A}.ipynb").read_bytes() == key(course)
    assert (folder / "timestamp.txt").read_text().strip()
    final = wait_final(live.url, r.json()["id"], tokens["ada"])
    assert (final["status"], final["score"], final["max_score"], final["waiting_for_ta"]) == ("graded", 9, 12, 3)
    assert course.scores(A)["ada"]["softmax_correct"] == (3.0, 3.0)
    page = httpx.get(live.url + final["feedback"], headers=bearer(tokens["ada"]))
    assert page.status_code == 200 and "<h1>Feedback: 04_softmax</h1>" in page.text
    assert "BEGIN HIDDEN TESTS" not in page.text and "grading_rng" not in page.text


def test_an_archetype_loses_exactly_its_points_and_the_page_says_why(svc):
    """Does the wrong-axis answer lose the correctness and stability cells, and nothing else,
    with a reason on its page?"""
    course, tokens, live = svc
    r = post(live, tokens["bob"], archetype(course, "wrong_axis"))
    final = wait_final(live.url, r.json()["id"], tokens["bob"])
    lost = {g for g, (s, m) in course.scores(A)["bob"].items() if (s or 0) < m and g != "softmax_written"}
    assert lost == ARCHETYPES["wrong_axis"][1] == {"softmax_correct", "softmax_stability"}
    assert final["score"] == 9 - 3 - 2
    page = httpx.get(live.url + final["feedback"], headers=bearer(tokens["bob"])).text
    assert "values differ" in page


def test_no_student_reaches_anothers_submission_and_tokens_are_checked(svc):
    """Is another student's submission a 404 (as one that does not exist), and is a missing,
    wrong or revoked token a 401 that changes nothing?"""
    course, tokens, live = svc
    sid = post(live, tokens["cy"], key(course)).json()["id"]
    for url in (f"/api/submissions/{sid}", f"/feedback/{sid}"):
        assert httpx.get(live.url + url, headers=bearer(tokens["nosy"])).status_code == 404
        assert httpx.get(live.url + url, headers=bearer(tokens["nosy"])).text == \
            httpx.get(live.url + url.replace(sid, "x" * len(sid)), headers=bearer(tokens["nosy"])).text
    assert httpx.get(f"{live.url}/api/submissions/{sid}", headers=bearer(tokens["ta1"])).status_code == 200
    before = tree(course.root / "submitted")
    for headers in ({}, bearer("not-a-token"), {"Authorization": "Basic abc"}):
        r = httpx.post(f"{live.url}/api/submissions/{A}", headers=headers, files={"notebook": ("a.ipynb", key(course))})
        assert r.status_code == 401 and "token" in r.json()["error"]
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    graders_cli(course.root, "tokens", "--revoke", "dee")
    assert post(live, tokens["dee"], key(course)).status_code == 401
    assert tree(course.root / "submitted") == before
    wait_final(live.url, sid, tokens["cy"])


def notebook_of_other_assignment() -> str:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("assert True")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "sigmoid_values", "points": 1, "solution": False,
                                 "locked": True, "schema_version": 3}
    nb.cells.append(cell)
    return nbformat.writes(nb)


BAD = {
    "unknown assignment": (dict(assignment="99_nothing"), 404, "no assignment '99_nothing'"),
    "text file": (dict(name="answers.txt", data="hello"), 400, "is not a notebook (.ipynb)"),
    "corrupt JSON": (dict(data='{"cells": [ {"cell_type": "code", '), 400, "not valid JSON"),
    "JSON, not a notebook": (dict(data=json.dumps({"hello": 1})), 400, "not a Jupyter notebook"),
    "binary": (dict(data=b"\x89PNG\r\n\x1a\n\xff\xfe"), 400, "not UTF-8"),
    "path in the name": (dict(name="../../../etc/04_softmax.ipynb"), 400, "holds a path"),
    "windows path": (dict(name="..\\..\\04_softmax.ipynb"), 400, "holds a path"),
    "hidden file": (dict(name=".bashrc.ipynb"), 400, "holds a path"),
    "another assignment's notebook": (dict(data=notebook_of_other_assignment()), 422, "none of 04_softmax's graded"),
    "oversize": (dict(data=b"{" + b" " * (2 * 1024 * 1024) + b"}"), 413, "limit is 1 MB"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_upload_gets_a_status_that_names_it_and_changes_nothing(svc, case):
    course, tokens, live = svc
    kwargs, status, text = BAD[case]
    kwargs = {"data": key(course), **kwargs}
    before = (tree(course.root / "submitted"), tree(course.root / "service" / "uploads"))
    r = post(live, tokens["nosy"], **kwargs)
    assert (r.status_code, text in r.json()["error"]) == (status, True), r.text
    assert (tree(course.root / "submitted"), tree(course.root / "service" / "uploads")) == before


def test_no_multipart_and_staff_tokens_are_refused(svc):
    course, tokens, live = svc
    r = httpx.post(f"{live.url}/api/submissions/{A}", headers=bearer(tokens["nosy"]), content=key(course))
    assert r.status_code == 400 and "multipart/form-data" in r.json()["error"]
    r = post(live, tokens["ta1"], key(course))
    assert r.status_code == 403 and "staff token" in r.json()["error"]


def test_the_rate_limit_answers_429_with_the_time_to_wait(svc):
    """Is the fifth upload in an hour (the course allows 4) refused with Retry-After, and
    nothing of it written?"""
    course, tokens, live = svc
    codes = [post(live, tokens["rita"], key(course)).status_code for _ in range(4)]
    assert codes == [202] * 4
    before = tree(course.root / "submitted" / "rita")
    r = post(live, tokens["rita"], key(course))
    assert r.status_code == 429
    wait = int(r.headers["Retry-After"])
    assert 3000 < wait <= 3601 and r.json()["retry_after"] == wait
    assert "4 times in the last hour" in r.json()["error"] and "try again in" in r.json()["error"]
    assert tree(course.root / "submitted" / "rita") == before


def test_a_newer_upload_supersedes_a_queued_older_one(svc):
    """With the grader busy, does sam's second upload replace his first in the queue, the
    first end 'superseded' (never graded) and the second be graded; and is the first kept
    aside in submitted/.replaced, not deleted?"""
    course, tokens, live = svc
    for s in ("ada", "bob"):  # keep the grader busy for a few seconds
        assert post(live, tokens[s], key(course)).status_code == 202
    first = post(live, tokens["sam"], archetype(course, "unstable")).json()["id"]
    second = post(live, tokens["sam"], key(course)).json()
    assert second["superseded"] == [first]
    old = wait_final(live.url, first, tokens["sam"])
    assert old["status"] == "superseded" and old["superseded_by"] == second["id"] and old["score"] is None
    new = wait_final(live.url, second["id"], tokens["sam"])
    assert (new["status"], new["score"]) == ("graded", 9)
    kept = list((course.root / "submitted" / ".replaced" / "sam").glob(f"{A}-*/{A}.ipynb"))
    assert [p.read_bytes() for p in kept] == [archetype(course, "unstable")]


def test_a_page_on_another_site_cannot_use_the_sign_in_cookie(svc):
    """A POST from another origin carrying the student's cookie is not signed in (401), and
    another site cannot sign a visitor in (403); the same cookie works from the service's page."""
    course, tokens, live = svc
    cookies = {"graders_token": tokens["nosy"]}
    evil = {"Origin": "https://evil.example"}
    r = httpx.post(f"{live.url}/api/submissions/{A}", headers=evil, cookies=cookies,
                   files={"notebook": (f"{A}.ipynb", key(course))})
    assert r.status_code == 401
    r = httpx.post(f"{live.url}/session", headers=evil, data={"token": tokens["nosy"]})
    assert r.status_code == 403 and "graders_token" not in r.headers.get("set-cookie", "")
    host = live.url.split("//", 1)[1]
    r = httpx.get(f"{live.url}/api/me", headers={"Origin": f"http://{host}"}, cookies=cookies)
    assert r.json() == {"id": "nosy", "role": "student"}


def test_a_notebook_nbgrader_cannot_read_ends_could_not_grade_with_its_reason_on_the_ta_page(svc):
    """A valid notebook whose nbgrader metadata is corrupt (points that are not a number):
    acknowledged, then 'could not grade' with nbgrader's reason, listed under the TA page's
    failures; the service goes on grading."""
    course, tokens, live = svc
    nb = course.source_nb(A)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "softmax_correct":
            cell.metadata.nbgrader["points"] = "lots"
    r = post(live, tokens["meta"], nbformat.writes(nb))
    assert r.status_code == 202, r.text
    final = wait_final(live.url, r.json()["id"], tokens["meta"])
    assert final["status"] == "could not grade" and final["reason"] and final["score"] is None
    ta = httpx.get(live.url + "/ta", headers=bearer(tokens["ta1"])).text
    failures = ta.split('<table id="failures">', 1)[1].split("</table>", 1)[0]
    assert "<td>meta</td>" in failures
    again = post(live, tokens["meta"], key(course))
    assert wait_final(live.url, again.json()["id"], tokens["meta"])["status"] == "graded"


def test_the_ta_page_needs_a_staff_token(svc):
    course, tokens, live = svc
    assert httpx.get(live.url + "/ta").status_code == 401
    for page in ("/ta", "/ta/report"):
        assert httpx.get(live.url + page, headers=bearer(tokens["ada"])).status_code == 403
    wait_final(live.url, post(live, tokens["tia"], key(course)).json()["id"], tokens["tia"])
    r = httpx.get(live.url + "/ta", headers=bearer(tokens["ta1"]))
    recent = r.text.split('<table id="recent">', 1)[1].split("</table>", 1)[0]
    assert r.status_code == 200 and "<td>tia</td>" in recent and "9 / 12" in recent


# --- the policy: deadlines and what a student sees before them -------------------------------
HIDDEN_ONLY = {"softmax": '''def softmax(z):
    """Right on the notebook's small examples, wrong once a row is longer than 3."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    if z.shape[-1] > 3:
        return e / e.sum()
    return e / e.sum(axis=-1, keepdims=True)
'''}


@pytest.fixture(scope="module")
def deadlines(tmp_path_factory):
    """04_softmax due next year (visible checks only before), 02_sigmoid due last year, late refused."""
    tmp = tmp_path_factory.mktemp("deadlines")
    course = Course.create(tmp, [A, "02_sigmoid"])
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write('\nc.SubmissionPolicy.deadlines = {"04_softmax": "2099-01-01 00:00:00 UTC", '
                '"02_sigmoid": "2020-01-01 00:00:00 UTC"}\nc.SubmissionPolicy.late = "refuse"\n'
                'c.SubmissionPolicy.before_deadline = "public"\n')
    tokens = issue_tokens(course.root, ["ada", "bob"], staff="ta1")
    with running(course.root, workers=0) as live:
        yield course, tokens, live


def test_late_work_is_refused_when_the_course_says_so(deadlines):
    course, tokens, live = deadlines
    nb = nbformat.writes(course.source_nb("02_sigmoid"))
    r = post(live, tokens["ada"], nb, name="02_sigmoid.ipynb", assignment="02_sigmoid")
    assert r.status_code == 403 and "2020-01-01 00:00 UTC" in r.json()["error"]
    assert not (course.root / "submitted" / "ada" / "02_sigmoid").exists()


def test_before_the_deadline_a_student_sees_only_what_the_visible_checks_show(deadlines):
    """Does a hidden-only failure read 'visible checks passed' (no oracle), a visible failure
    show its reason, no points show before the deadline, while staff see the full page?"""
    course, tokens, live = deadlines
    hidden = post(live, tokens["ada"], nbformat.writes(with_answers(course.source_nb(A), HIDDEN_ONLY))).json()["id"]
    visible = post(live, tokens["bob"], archetype(course, "wrong_axis")).json()["id"]
    a, b = wait_final(live.url, hidden, tokens["ada"]), wait_final(live.url, visible, tokens["bob"])
    assert a["status"] == b["status"] == "graded"
    assert (a["score"], a["max_score"], a["scores_shown"]) == (None, None, False)
    assert course.scores(A)["ada"]["softmax_correct"] == (0.0, 3.0)  # graded for real, just not shown

    def row(html: str, cell: str) -> str:
        return html.split(f"<td>{cell}</td>", 1)[1].split("</tr>", 1)[0]

    page_a = httpx.get(f"{live.url}/feedback/{hidden}", headers=bearer(tokens["ada"])).text
    assert "visible checks passed" in row(page_a, "softmax_correct")
    assert "Score" not in page_a and "/ 3" not in page_a
    page_b = httpx.get(f"{live.url}/feedback/{visible}", headers=bearer(tokens["bob"])).text
    assert "values differ" in row(page_b, "softmax_correct")
    staff = httpx.get(f"{live.url}/feedback/{hidden}", headers=bearer(tokens["ta1"])).text
    assert "<h2>Score: " in staff and "0 / 3" in row(staff, "softmax_correct")
