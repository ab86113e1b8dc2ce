"""Does nbgrader's own exchange (release_assignment, fetch_assignment, submit, collect) work with this course?

The course (nbgrader_config.py, source/, release/) is copied to a temporary folder and run
with a real exchange folder there; the instructor works in the copy, the student in another
folder with ``--course pnd4dl``, each command a subprocess as on a JupyterHub.
"""

import getpass
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samples.course import REPO

A = "04_softmax"
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")
# What nbgrader_config.py needs so `nbgrader collect` keeps the files `nbgrader submit` writes (the late
# penalty reads timestamp.txt; release_feedback needs both): CourseDirectory.include also governs collect's copy.
PROPOSED = 'c.CourseDirectory.include = ["*.ipynb", "timestamp.txt", "submission_secret.txt"]\n'


def course_keeps(config_dir: Path) -> bool:
    """Would nbgrader's copy (ignore_patterns with the course's include/ignore) keep timestamp.txt and the secret?"""
    from nbgrader.utils import ignore_patterns

    from graders.course import load_course

    cd = load_course(config_dir).coursedir
    folder = config_dir / "probe"
    folder.mkdir(exist_ok=True)
    for name in EXCHANGE_FILES:
        (folder / name).write_text("x")
    ignored = ignore_patterns(exclude=cd.ignore, include=cd.include)(str(folder), list(EXCHANGE_FILES))
    shutil.rmtree(folder)
    return not ignored


def test_course_config_keeps_what_collect_needs(tmp_path):
    """Does the course's CourseDirectory.include let `nbgrader collect` copy timestamp.txt and submission_secret.txt?"""
    shutil.copy(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    assert course_keeps(tmp_path), f"nbgrader_config.py drops {EXCHANGE_FILES} on collect: set {PROPOSED.strip()}"


def nbgrader(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


@pytest.mark.slow
def test_release_fetch_submit_collect(tmp_path):
    """Does a student's submission travel through nbgrader's exchange into submitted/<user>/<assignment>/,
    with the timestamp nbgrader submit recorded?"""
    from nbgrader.utils import parse_utc

    course, student, exchange, home = (tmp_path / d for d in ("course", "student", "exchange", "home"))
    for d in (student, exchange, home):
        d.mkdir()
    course.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", course)
    shutil.copytree(REPO / "source", course / "source")
    shutil.copytree(REPO / "release", course / "release")
    if not course_keeps(course):  # the line the report asks for; test_course_config_keeps_what_collect_needs fails until then
        with open(course / "nbgrader_config.py", "a") as fh:
            fh.write(PROPOSED)
    root = f"--Exchange.root={exchange}"

    nbgrader(course, home, "release_assignment", A, root)
    nbgrader(student, home, "fetch_assignment", A, "--course", "pnd4dl", root)
    work = student / A / f"{A}.ipynb"
    work.write_text(work.read_text().replace("YOUR CODE HERE", "my answer", 1))
    sent = nbgrader(student, home, "submit", A, "--course", "pnd4dl", root)
    nbgrader(course, home, "collect", A, root)

    user = getpass.getuser()
    got = course / "submitted" / user / A
    assert (got / f"{A}.ipynb").read_text() == work.read_text()
    stamp = (got / "timestamp.txt").read_text()
    assert stamp.endswith(" UTC") and f"Submitted as: pnd4dl {A} {stamp}" in sent.stderr
    assert parse_utc(stamp) is not None and (got / "submission_secret.txt").is_file()
