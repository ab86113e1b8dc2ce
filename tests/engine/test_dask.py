"""Does a class graded on a Dask cluster come out the same wherever the workers run?

The same submissions are graded three ways: through a ``LocalCluster`` started by the
runner (``--workers 2``), through a separately started ``dask scheduler`` with a
``dask worker`` process (``--scheduler ADDRESS``), and in the runner's own process
(``--workers 0``). The gradebooks must be identical, row for row.
"""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from samples.course import Course, _env, with_answers
from tests.engine.gradebook_rows import gradebook_rows

A = "02_sigmoid"
pytestmark = pytest.mark.slow

WRONG_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"


def _submit_class(course: Course) -> None:
    src = course.source_nb(A)
    course.submit("key", A, src)
    course.submit("blank", A, course.release_nb(A))
    course.submit("wrong", A, with_answers(src, {"sigmoid": WRONG_SIGMOID}))
    course.submit("broken", A, "{ this is not a notebook")


def _db(course: Course) -> str:
    return f"sqlite:///{course.root / 'gradebook.db'}"


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    made = {}
    for how in ("local", "external", "inprocess"):
        course = Course.create(tmp_path_factory.mktemp(how), [A])
        _submit_class(course)
        made[how] = course
    return made


@pytest.fixture(scope="module")
def external_scheduler(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    sched_file = folder / "scheduler.json"
    bindir = Path(sys.executable).parent
    env = _env()
    scheduler = subprocess.Popen([str(bindir / "dask"), "scheduler", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(sched_file)], cwd=folder, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        for _ in range(300):
            if sched_file.exists() and sched_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        worker = subprocess.Popen([str(bindir / "dask"), "worker", "--scheduler-file", str(sched_file),
                                   "--nworkers", "1", "--nthreads", "1", "--no-dashboard"], cwd=folder, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield address
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.fixture(scope="module")
def graded(courses, external_scheduler):
    courses["local"].autograde(A, check=False, workers=2)
    courses["external"].autograde(A, check=False, extra=("--scheduler", external_scheduler))
    courses["inprocess"].autograde(A, check=False, workers=0)
    return {how: gradebook_rows(_db(c), A) for how, c in courses.items()}


def test_local_cluster_and_external_scheduler_give_identical_gradebooks(graded):
    """LocalCluster, an external scheduler + worker, and no cluster at all: the same rows?"""
    rows = graded
    assert rows["local"], "nothing was graded"
    assert rows["local"] == rows["external"]
    assert rows["local"] == rows["inprocess"]
    students = {key[0] for key in rows["local"]}
    assert {"key", "blank", "wrong"} <= students


def test_summary_names_the_broken_submission(courses, graded):
    """Does the run say which submission could not be graded, and why, and exit 1?"""
    run = courses["local"].last_run
    assert run.returncode == 1
    assert "broken: could not grade: the submitted notebook is not valid JSON" in run.stdout
    assert "3 graded" in run.stdout or "graded with failures" in run.stdout
