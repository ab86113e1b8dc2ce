"""``submit()`` where students call it: the kit alone in a fresh virtualenv outside the repo,
against a live submission service; Colab's notebook and secrets stood in for by modules of
the same names (``google.colab._message``, ``google.colab.userdata``) answering as Colab's do."""

from __future__ import annotations

import subprocess
import textwrap

import nbformat
import pytest

from samples.course import Course
from samples.service import issue_tokens, running

from .support import clean_env

pytestmark = pytest.mark.slow
A = "04_softmax"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("submit"), [A])
    tokens = issue_tokens(course.root, ["ada", "bob", "cy"])
    with running(course.root, workers=0) as live:
        yield course, tokens, live


def run(python, code: str, cwd, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd,
                          env=clean_env(**env), timeout=600)


def test_submit_sends_a_file_waits_and_prints_the_grade(service, kit_venv, tmp_path):
    """From a laptop: does ``submit(path=...)`` hand the file in and print the grade and the
    feedback page's address?"""
    course, tokens, live = service
    path = tmp_path / f"{A}.ipynb"
    nbformat.write(course.source_nb(A), path)
    proc = run(kit_venv("pinned"), f"""
        from graders.submit import submit
        s = submit("{A}", token="{tokens['ada']}", url="{live.url}", path="{path}")
        assert s["status"] == "graded", s
        """, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "graded: 9 / 12 (3 points wait for a TA)" in proc.stdout
    assert f"feedback: {live.url}/feedback/" in proc.stdout
    assert (course.root / "submitted" / "ada" / A / f"{A}.ipynb").read_bytes() == path.read_bytes()


def test_in_colab_submit_sends_the_open_notebook_with_the_token_from_secrets(service, kit_venv, tmp_path):
    """In Colab, with the token and address in Colab's secrets: does ``submit("04_softmax")``
    send the notebook the browser holds, with no token written in the notebook?"""
    course, tokens, live = service
    colab = tmp_path / "fake" / "google" / "colab"
    colab.mkdir(parents=True)
    (colab.parent / "__init__.py").write_text("")
    (colab / "__init__.py").write_text("")
    held = nbformat.writes(course.source_nb(A))
    (colab / "_message.py").write_text(
        f"import json\nNB = json.loads({held!r})\n"
        "def blocking_request(kind, request='', timeout_sec=5):\n"
        "    assert kind == 'get_ipynb'\n    return {'ipynb': NB}\n")
    (colab / "userdata.py").write_text(
        f"S = {{'GRADERS_TOKEN': {tokens['bob']!r}, 'GRADERS_SUBMIT_URL': {live.url!r}}}\n"
        "def get(name):\n    return S[name]\n")
    proc = run(kit_venv("pinned"), f"""
        from graders.submit import submit
        s = submit("{A}")
        assert s["status"] == "graded" and s["score"] == 9, s
        """, tmp_path, PYTHONPATH=str(tmp_path / "fake"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sent = nbformat.reads((course.root / "submitted" / "bob" / A / f"{A}.ipynb").read_text(), 4)
    assert sent == nbformat.reads(held, 4)


def test_in_jupyter_submit_finds_the_notebook_file_and_a_refusal_is_an_error_that_says_why(service, kit_venv,
                                                                                            tmp_path):
    course, tokens, live = service
    path = tmp_path / "work" / f"{A}.ipynb"
    path.parent.mkdir()
    nbformat.write(course.source_nb(A), path)
    proc = run(kit_venv("pinned"), f"""
        from graders.submit import submit, SubmitError
        s = submit("{A}", token="{tokens['cy']}", url="{live.url}", wait=False)
        assert s["status"] == "queued", s
        try:
            submit("{A}", token="wrong", url="{live.url}")
        except SubmitError as e:
            print("refused:", e)
        """, tmp_path, JPY_SESSION_NAME=str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"sending {A}.ipynb as last saved" in proc.stdout
    assert "refused: the service refused it (401): no valid token" in proc.stdout
