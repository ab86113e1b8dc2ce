"""`make demo`'s class simulation works in a course folder of its own and never deletes a
submission it did not write."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samples.course import REPO, _env

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "demo/simulate_class.py", *args], cwd=REPO, env=_env(),
                          capture_output=True, text=True, timeout=900)


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> sha1): what a user would lose."""
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def test_a_second_demo_keeps_a_submission_planted_between_runs(tmp_path):
    """Two demo runs in one folder: the planted notebook and the course's own submitted/ are
    exactly as they were, and the planted student is graded with the class."""
    demo = tmp_path / "demo"
    own = tree(REPO / "submitted"), (REPO / "gradebook.db").stat().st_mtime if (REPO / "gradebook.db").exists() else None
    first = run("--students", "2", "--assignment", "01_mcq", "--course", str(demo))
    assert first.returncode == 0, first.stderr[-2000:]
    planted = demo / "submitted" / "alice" / "01_mcq" / "01_mcq.ipynb"
    planted.parent.mkdir(parents=True)
    shutil.copy(REPO / "release" / "01_mcq" / "01_mcq.ipynb", planted)
    before = planted.read_bytes()
    second = run("--students", "2", "--assignment", "01_mcq", "--course", str(demo))
    assert second.returncode == 0, second.stderr[-2000:]
    assert planted.read_bytes() == before
    assert (demo / "autograded" / "alice" / "01_mcq" / "01_mcq.ipynb").is_file()
    assert sorted(p.name for p in (demo / "submitted").iterdir()) == ["alice", "student01", "student02"]
    assert "other" in second.stdout  # alice's row: a submission the demo did not write
    assert (tree(REPO / "submitted"), (REPO / "gradebook.db").stat().st_mtime
            if (REPO / "gradebook.db").exists() else None) == own


def test_a_folder_the_demo_did_not_make_is_refused_untouched(tmp_path):
    """A real course (no marker) and the repository itself are refused with exit 2, naming
    the folder and what to do; nothing in them changes."""
    real = tmp_path / "real-course"
    (real / "submitted" / "bob" / "01_mcq").mkdir(parents=True)
    (real / "submitted" / "bob" / "01_mcq" / "01_mcq.ipynb").write_text("{}")
    before = tree(real)
    r = run("--students", "2", "--assignment", "01_mcq", "--course", str(real))
    assert r.returncode == 2 and f"{real} exists and is not a demo course" in r.stderr
    assert "DEMO_COURSE=" in r.stderr and tree(real) == before
    r = run("--students", "2", "--course", str(REPO))
    assert r.returncode == 2 and "is the course itself" in r.stderr
    r = run("--assignment", "04_Softmax", "--course", str(tmp_path / "x"))
    assert r.returncode == 2 and "no released assignment 04_Softmax; released: 01_mcq" in r.stderr
    assert not (tmp_path / "x").exists()
