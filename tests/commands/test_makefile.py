"""The Makefile tells the truth: `make help` lists every target, and the commands it names
do what they say (formgrader starts and answers at the URL it prints; check takes RELEASE=)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from samples.course import REPO, _env


def make(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-s", *args], cwd=REPO, env=_env(),
                          capture_output=True, text=True, timeout=timeout, **kw)


def phony_targets() -> list[str]:
    text = (REPO / "Makefile").read_text()
    return re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()


def test_help_lists_every_target():
    """Every .PHONY target of the Makefile appears in `make help`, as `make <target>`."""
    out = make("help").stdout
    missing = [t for t in phony_targets() if not re.search(rf"make (\S+ \| )*{re.escape(t)}\b", out)]
    assert not missing, out
    assert len(phony_targets()) >= 18


def test_a_target_without_its_argument_exits_2_with_usage():
    for target, words in [("check", "usage: make check NOTEBOOK="), ("autograde", "usage: make autograde ASSIGNMENT="),
                          ("pack-feedback", "usage: make pack-feedback ASSIGNMENT=")]:
        r = make(target)
        assert r.returncode == 2 and words in r.stdout + r.stderr, (target, r.stdout, r.stderr)


@pytest.mark.slow
def test_check_takes_the_release_to_compare_with(tmp_path):
    """A notebook kept outside the course is compared with the release named by RELEASE=."""
    nb = tmp_path / "mine.ipynb"
    shutil.copy(REPO / "release" / "01_mcq" / "01_mcq.ipynb", nb)
    data = json.loads(nb.read_text())
    tests = [c for c in data["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")
             and c["cell_type"] == "code"]
    tests[0]["source"] = "pass  # edited test cell\n"
    nb.write_text(json.dumps(data))
    r = make("check", f"NOTEBOOK={nb}", f"RELEASE={REPO / 'release' / '01_mcq' / '01_mcq.ipynb'}", timeout=600)
    assert "edited" in (r.stdout + r.stderr).lower() or "changed" in (r.stdout + r.stderr).lower(), r.stdout[-3000:]


@pytest.mark.slow
def test_formgrader_starts_and_answers_at_the_url_it_prints(tmp_path):
    """`make formgrader` prints a URL with a token first, and the formgrader's API answers there."""
    from samples.service import free_port

    port = free_port()
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    env = dict(_env(), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen(["make", "--no-print-directory", "-s", "formgrader", f"COURSE={course}", f"PORT={port}"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        first = proc.stdout.readline().strip()
        m = re.fullmatch(rf"formgrader: (http://127\.0\.0\.1:{port}/formgrader)\?token=([0-9a-f]{{32}})", first)
        assert m, first
        url, token = m.groups()
        deadline = time.monotonic() + 60
        while True:
            try:
                req = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(req, timeout=5) as resp:
                    assert resp.status == 200 and json.loads(resp.read())["status"] is True
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()[-3000:]
                time.sleep(0.3)
        with urllib.request.urlopen(f"{url}/api/status", timeout=5) as resp:  # without the token: the login page
            assert "/login" in resp.geturl() and b'"status"' not in resp.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_every_command_the_readme_names_exists():
    """Each `make <target>` in README.md is a Makefile target and each `python -m graders <verb>`
    a CLI verb; the cheap ones run (help, validate, a usage error)."""
    from graders.cli import VERBS

    readme = (REPO / "README.md").read_text()
    targets = set(re.findall(r"(?:`|^)make (?:-s )?([a-z][a-z-]*)", readme, re.M))
    assert {"demo", "test", "release", "autograde", "formgrader", "new-exercise"} <= targets
    assert sorted(targets - set(phony_targets())) == []
    verbs = set(re.findall(r"python -m graders ([a-z][a-z-]*)", readme))
    assert {"check", "autograde", "validate", "new-exercise"} <= verbs and sorted(verbs - set(VERBS)) == []
    assert "nbgrader formgrader |" not in readme
    assert make("validate").returncode == 0


@pytest.mark.slow
def test_serve_starts_the_submission_service_on_the_port_asked_for(tmp_path):
    """`make serve COURSE=... SERVE_PORT=...` answers with the upload page there, and stops on SIGTERM."""
    from samples.course import Course
    from samples.service import free_port

    course = Course.create(tmp_path, ["01_mcq"])
    port = free_port()
    proc = subprocess.Popen(["make", "--no-print-directory", "-s", "serve", f"COURSE={course.root}",
                             f"SERVE_PORT={port}", "WORKERS=0"], cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    page = resp.read().decode()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()[-3000:]
                time.sleep(0.3)
        assert "<h1>Hand in a notebook</h1>" in page and "<option>01_mcq</option>" in page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)  # TimeoutExpired fails the test: SIGTERM must stop it
