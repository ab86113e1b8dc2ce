"""The submission service (graders/serve) as students and a TA use it, in headless chromium.

One throwaway 04_softmax course and one live service (``python -m graders serve``, one
worker) for the module; tokens for the students ada and bob and the TA ta1. Every test
drives the real pages on the real port: sign in with a pasted token, upload a notebook,
wait for the page to report the grade, follow its links. Assertions read the rendered DOM.

The tests build on each other's uploads (ada's key, then her wrong_axis archetype), but a
test run alone submits what it needs through the API first, so each one also runs by itself.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import nbformat
import pytest

from samples.archetypes.softmax import A, ARCHETYPES
from samples.course import REPO, Course, with_answers
from samples.service import Live, bearer, issue_tokens, running, wait_final
from tests.browser.conftest import ARTIFACTS, CHROMIUM
from tests.browser.dom import assert_not_in_dom

pytestmark = pytest.mark.slow

GRADE_TIMEOUT_MS = 300_000
"""How long a page may take to report a grade (one worker; the first one warms it up)."""

HIDDEN = ["BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "grading_rng", "_ref_softmax", "MARK SCHEME"]
"""Text of 04_softmax's hidden tests and mark scheme (in source/ only): never on a student's page."""


@dataclass
class Served:
    live: Live
    course: Course
    tokens: dict[str, str]
    tmp: Path
    ada: dict[str, str] = field(default_factory=dict)
    """ada's submission ids by what she uploaded ('key' or an archetype's name)."""

    @property
    def url(self) -> str:
        return self.live.url

    def notebook(self, what: str) -> nbformat.NotebookNode:
        key = self.course.source_nb(A)
        return key if what == "key" else with_answers(key, ARCHETYPES[what][0])

    def write(self, what: str) -> Path:
        """The notebook as a file a student would pick, named as the released one."""
        folder = self.tmp / what
        folder.mkdir(exist_ok=True)
        path = folder / f"{A}.ipynb"
        nbformat.write(self.notebook(what), path)
        return path

    def api_submit(self, student: str, what: str) -> str:
        """Hand in through the API (as the notebook's submit() does) and wait for the grade."""
        r = httpx.post(f"{self.url}/api/submissions/{A}", headers=bearer(self.tokens[student]), timeout=60,
                       files={"notebook": (f"{A}.ipynb", self.write(what).read_bytes(), "application/json")})
        assert r.status_code == 202, r.text
        sid = r.json()["id"]
        assert wait_final(self.url, sid, self.tokens[student])["status"] == "graded"
        return sid

    def ada_submission(self, what: str) -> str:
        """ada's submission of ``what``: the one the browser test uploaded, else one made now."""
        if what not in self.ada:
            self.ada[what] = self.api_submit("ada", what)
        return self.ada[what]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
        pytest.skip("no browser (/usr/bin/chromium and playwright): the page fixture says which is missing")
    tmp = tmp_path_factory.mktemp("serve")
    course = Course.create(tmp, [A])
    tokens = issue_tokens(course.root, ["ada", "bob"], staff="ta1")
    with running(course.root, workers=1) as live:
        yield Served(live, course, tokens, tmp)


def grade_cells() -> list[dict]:
    """The nbgrader metadata of every grade cell of 04_softmax, from the instructor's notebook."""
    nb = nbformat.read(REPO / "source" / A / f"{A}.ipynb", 4)
    return [m for m in (c.metadata.get("nbgrader", {}) for c in nb.cells) if m.get("grade") or m.get("task")]


def points() -> dict[str, float]:
    """Every grade cell (autograded test or written task) and its points."""
    return {m["grade_id"]: float(m["points"]) for m in grade_cells()}


def autograded() -> dict[str, float]:
    """The autograded test cells and their points."""
    return {m["grade_id"]: float(m["points"]) for m in grade_cells() if m.get("grade") and not m.get("solution")}


def fmt(x: float) -> str:
    return f"{x:g}"


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"serve_{name}.png"), full_page=True)


# what a person does on the upload page -----------------------------------------------------
def sign_in(page, served: Served, who: str) -> None:
    """Paste the token at / and press Sign in; the upload form then shows who is signed in."""
    page.goto(served.url + "/")
    page.fill("#token", served.tokens[who])
    page.get_by_role("button", name="Sign in").click()
    page.locator("#upload").wait_for(state="visible", timeout=30_000)
    assert page.inner_text("#who") == who
    assert page.locator("#signin").is_hidden()


def upload(page, served: Served, what: str) -> tuple[str, str]:
    """Pick the notebook, submit, wait until the page reports the outcome; (id, outcome text)."""
    page.select_option("#assignment", A)
    page.set_input_files("#notebook", str(served.write(what)))
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url == f"{served.url}/api/submissions/{A}") as posted:
        page.get_by_role("button", name="Submit").click()
    assert posted.value.status == 202, posted.value.text()
    sid = posted.value.json()["id"]
    try:
        page.locator("#outcome").wait_for(timeout=GRADE_TIMEOUT_MS)
    except Exception:
        shot(page, f"{what}_timeout")
        raise AssertionError(f"no #outcome for {what} ({sid}); #result reads {page.inner_text('#result')!r}; "
                             f"service log:\n{served.live.log_text()[-3000:]}") from None
    return sid, page.inner_text("#outcome")


def mine(page) -> list[dict]:
    """The 'Your submissions' table as rendered: its cells and the feedback link of each row."""
    return page.eval_on_selector_all("#mine tbody tr", """trs => trs.map(tr => ({
        cells: [...tr.cells].map(td => td.innerText.trim()),
        link: tr.querySelector('a') ? tr.querySelector('a').getAttribute('href') : null}))""")


# what the feedback page shows ---------------------------------------------------------------
def checks(page) -> dict[str, dict]:
    """The feedback page's 'Each check' table: per check its aspect, points, what to fix and
    the class of the points cell (ok, lost or wait)."""
    cols = page.eval_on_selector_all("xpath=//h2[normalize-space()='Each check']/following-sibling::table[1]//th",
                                     "ths => ths.map(th => th.innerText.trim())")
    assert cols == ["check", "aspect", "points", "what to fix"], cols
    rows = page.eval_on_selector_all(
        "xpath=//h2[normalize-space()='Each check']/following-sibling::table[1]//tr[td]",
        "trs => trs.map(tr => [...tr.cells].map(td => [td.innerText.trim(), td.className]))")
    out = {}
    for (name, _), (aspect, _), (pts, cls), (fix, _) in rows:
        got, top = (part.strip() for part in pts.split("/"))
        out[name] = {"aspect": aspect, "got": got, "top": top, "fix": fix, "class": cls.split()}
    return out


def test_the_key_scores_every_autograded_point(page, served):
    """Does a student who uploads the key see full autograded marks, with the written task
    waiting for a TA, on the upload page and on the feedback page it links to?"""
    auto, every = autograded(), points()
    sign_in(page, served, "ada")
    sid, outcome = upload(page, served, "key")
    served.ada["key"] = sid
    top, waiting = sum(every.values()), sum(every.values()) - sum(auto.values())
    assert (sum(auto.values()), top, waiting) == (9, 12, 3)
    assert outcome == f"Graded: {fmt(sum(auto.values()))} / {fmt(top)} ({fmt(waiting)} wait for a TA)"
    (row,) = mine(page)
    assert row["cells"][1:4] == [A, "graded", "9 / 12 (3 wait for a TA)"] and row["link"] == f"/feedback/{sid}"
    shot(page, "upload_key")

    page.click("#feedback-link")
    page.wait_for_url(f"{served.url}/feedback/{sid}")
    shot(page, "feedback_key")
    assert page.inner_text("h1") == f"Feedback: {A}"
    assert "Score: 9 / 12" in page.inner_text("body")
    assert "1 answer still waits for a TA" in page.inner_text("body")
    found = checks(page)
    assert set(found) == set(every)
    for gid, pts in auto.items():
        assert (found[gid]["got"], found[gid]["top"]) == (fmt(pts), fmt(pts)), (gid, found[gid])
        assert "ok" in found[gid]["class"] and found[gid]["fix"] == "passed", (gid, found[gid])
    written = found["softmax_written"]
    assert (written["got"], written["top"]) == ("–", "3") and "wait" in written["class"], written
    assert_not_in_dom(page, HIDDEN)


def test_wrong_axis_loses_exactly_its_cells_with_reasons(page, served):
    """Does a softmax normalised down the columns lose points in softmax_correct and
    softmax_stability only, each with a reason to act on, and no hidden test shown?"""
    _, must_lose = ARCHETYPES["wrong_axis"]
    auto = autograded()
    sign_in(page, served, "ada")
    sid, outcome = upload(page, served, "wrong_axis")
    served.ada["wrong_axis"] = sid
    expected = sum(p for gid, p in auto.items() if gid not in must_lose)
    assert outcome == f"Graded: {fmt(expected)} / 12 (3 wait for a TA)"
    shot(page, "upload_wrong_axis")

    page.click("#feedback-link")
    page.wait_for_url(f"{served.url}/feedback/{sid}")
    shot(page, "feedback_wrong_axis")
    found = checks(page)
    lost = {gid for gid, c in found.items() if gid in auto and c["got"] != c["top"]}
    assert lost == must_lose
    for gid in must_lose:
        c = found[gid]
        assert c["got"] == "0" and "lost" in c["class"], (gid, c)
        assert c["fix"] and c["fix"] != "passed", (gid, c)
    for gid in set(auto) - must_lose:
        assert found[gid]["fix"] == "passed", (gid, found[gid])
    assert f"Score: {fmt(expected)} / 12" in page.inner_text("body")
    assert_not_in_dom(page, HIDDEN)


def test_another_student_cannot_see_adas_feedback(page, served):
    """Does bob, signed in in his own browser, get 'Not found' (404) for ada's feedback page,
    a visitor with no token the sign-in form (401), and bob's table list only his own work?"""
    ada = served.ada_submission("key")
    mine_id = served.api_submit("bob", "key")

    visitor = page.goto(f"{served.url}/feedback/{ada}")
    assert visitor.status == 401
    assert page.inner_text("h1") == "Sign in"
    assert page.locator("input[name=token]").is_visible()
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert "Feedback" not in page.inner_text("body")

    sign_in(page, served, "bob")
    page.locator("#mine tbody tr").first.wait_for(timeout=30_000)
    rows = mine(page)
    shot(page, "bob_upload_page")
    assert [r["link"] for r in rows] == [f"/feedback/{mine_id}"]
    listed = page.inner_text("#mine") + " ".join(r["link"] or "" for r in rows)
    assert not any(sid in listed for sid in served.ada.values())

    denied = page.goto(f"{served.url}/feedback/{ada}")
    shot(page, "bob_denied")
    assert denied.status == 404
    assert page.inner_text("h1") == "Not found"
    assert "Feedback" not in page.inner_text("body") and "ada" not in page.inner_text("body")
    own = page.goto(f"{served.url}{rows[0]['link']}")
    assert own.status == 200 and page.inner_text("h1") == f"Feedback: {A}"


def test_ta_sees_every_submission_and_the_class_report(page, served):
    """Does a TA who signs in at /ta see both of ada's graded submissions with their scores,
    and does the class report link open the report?"""
    key, wrong = served.ada_submission("key"), served.ada_submission("wrong_axis")
    auto = autograded()
    wrong_score = sum(p for gid, p in auto.items() if gid not in ARCHETYPES["wrong_axis"][1])

    asked = page.goto(f"{served.url}/ta")
    assert asked.status == 401 and page.inner_text("h1") == "Sign in"
    page.fill("input[name=token]", served.tokens["ta1"])
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Sign in").click()
    assert landed.value.status == 200 and page.url == f"{served.url}/ta"
    posted = landed.value.request.redirected_from
    assert posted is not None and posted.method == "POST" and posted.url == f"{served.url}/session"
    assert posted.response().status == 303
    assert page.inner_text("h1") == "Submissions"
    shot(page, "ta_page")

    rows = page.eval_on_selector_all("#recent tr:has(td)", """trs => trs.map(tr => ({
        cells: [...tr.cells].map(td => td.innerText.trim()),
        link: tr.querySelector('a') ? tr.querySelector('a').getAttribute('href') : null}))""")
    adas = {r["link"]: r["cells"] for r in rows if r["cells"][1] == "ada"}
    assert set(adas) == {f"/feedback/{key}", f"/feedback/{wrong}"}, rows
    assert all(cells[2] == A for cells in adas.values())
    assert adas[f"/feedback/{key}"][3] == "9 / 12"
    assert adas[f"/feedback/{wrong}"][3] == f"{fmt(wrong_score)} / 12"

    with page.expect_navigation() as report:
        page.click("#report-link")
    assert report.value.status == 200 and page.url == f"{served.url}/ta/report"
    shot(page, "ta_class_report")
    assert page.inner_text("h1").startswith("Class report")
