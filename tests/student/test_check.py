"""End to end: ``check_main`` on real course notebooks, one kernel per test."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest

from graders.student.check import check_main
from tests.student.conftest import answered, released, save

WRONG_SIGMOID = "def sigmoid(z):\n    return [1 / (1 + np.exp(-v)) for v in np.ravel(z)]\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = check_main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def row(text: str, grade_id: str) -> str:
    """The table row of one grade cell."""
    return next(line for line in text.splitlines() if line.split()[:1] == [grade_id])


def test_answer_key_passes(course: Path):
    """Does the answer key pass every public check, exit 0 and print its timing?"""
    code, out, err = run(str(save(course, answered("02_sigmoid"), "02_sigmoid")))
    assert code == 0, out + err
    assert row(out, "sigmoid_correct").split()[1:] == ["3", "PASS"]
    assert row(out, "sigmoid_shape").split()[1:] == ["2", "PASS"]
    assert row(out, "sigmoid_speed").split()[1:] == ["1", "hidden"]
    assert "10/10 public checks passed (17/17 points); 1 cell checked only at grading (1 point)" in out
    assert "hidden checks on other inputs run at grading" in out
    assert re.search(r"^time: \d+\.\d s \(kernel start \d+\.\d s, cells \d+\.\d s\)$", out, re.M)
    assert "WARNING" not in out and err == ""


def test_list_return_fails_with_the_check_message(course: Path):
    """Is a list-returning sigmoid a FAIL showing the check's message, not a traceback?"""
    nb = answered("02_sigmoid", sigmoid=WRONG_SIGMOID)
    code, out, _ = run(str(save(course, nb, "02_sigmoid")))
    assert code == 1
    assert row(out, "sigmoid_correct").split()[1:] == ["3", "FAIL"]
    assert "sigmoid(np.zeros((2, 3))) returned a list, expected a numpy.ndarray" in out
    assert "Hint: build the result with NumPy operations" in out
    assert "Traceback" not in out and "AssertionError" not in out and "\x1b[" not in out
    assert row(out, "sigmoid_loops").split()[1:] == ["1", "FAIL"]  # the list comprehension
    assert "line 2: 'return [1 / (1 + np.exp(-v)) for v in np.ravel(z)]' (list comprehension)" in out
    assert "1/10 public checks passed (1/17 points)" in out


def test_unanswered_cells_are_todo_not_crashes(course: Path):
    """Is a released, untouched notebook reported as 'not answered yet' with exit 1?"""
    code, out, _ = run(str(save(course, released("01_mcq"), "01_mcq")))
    assert code == 1
    assert row(out, "q1").split()[1:] == ["1", "TODO"]
    assert "not answered yet: replace `raise NotImplementedError()` above" in out
    assert "NameError" not in out
    assert row(out, "broadcasting_written").split()[1:] == ["3", "manual"]
    assert "0/17 public checks passed (0/17 points); 5 written answers (12 points) marked by a TA" in out


def test_a_blank_exercise_is_todo_in_every_public_cell(course: Path):
    """Does every visible check of an untouched 04 (values, shape, stability, mutation, loop
    scan) say 'not answered yet', not a crash or a pass of the stub?"""
    code, out, _ = run(str(save(course, released("04_softmax"), "04_softmax")))
    assert code == 1
    for gid in ("softmax_correct", "softmax_shape", "softmax_stability", "softmax_mutation", "softmax_loops"):
        assert row(out, gid).split()[2:] == ["TODO"], out
    assert "0/5 public checks passed" in out and "PASS" not in out


def test_edited_and_deleted_test_cells_warn(course: Path):
    """Are an edited and a deleted test cell both named, while the checks still run?"""
    nb = answered("02_sigmoid")
    edited = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                  == "sigmoid_correct")
    edited.source = "r = None  # the test is gone"
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                != "sigmoid_derivative_correct"]
    code, out, _ = run(str(save(course, nb, "02_sigmoid")))
    assert "WARNING: test cell 'sigmoid_correct' was changed; the grader runs the released " \
           "version" in out
    assert "WARNING: test cell 'sigmoid_derivative_correct' was deleted; the grader needs " \
           "it: copy it back from the released notebook" in out
    assert row(out, "sigmoid_correct").split()[1:] == ["3", "PASS"]  # the edited cell ran
    assert code == 0  # warnings inform; only failing checks change the exit code


def test_release_given_explicitly(course: Path, tmp_path_factory):
    """Is --release used when the notebook is not under a course folder?"""
    elsewhere = tmp_path_factory.mktemp("downloads") / "02_sigmoid.ipynb"
    nb = answered("02_sigmoid")
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                != "sigmoid_correct"]
    nbformat.write(nb, elsewhere)
    release = course / "release" / "02_sigmoid" / "02_sigmoid.ipynb"
    code, out, _ = run(str(elsewhere), "--release", str(release))
    assert f"(test cells compared with {release})" in out
    assert "WARNING: test cell 'sigmoid_correct' was deleted" in out


@pytest.mark.parametrize("text, says", [
    ('{"cells": [', "is not valid notebook JSON (line 1, column 12"),
    ('[1, 2]', "is JSON but not a Jupyter notebook (no 'cells')"),
])
def test_corrupt_notebook_is_a_clear_error(course: Path, text: str, says: str):
    """Does a broken file give one clear line on stderr and exit 2, without a traceback?"""
    path = course / "work" / "02_sigmoid.ipynb"
    path.write_text(text)
    code, out, err = run(str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {path} ") and says in err
    assert "Traceback" not in err


def test_missing_notebook_exits_2(course: Path):
    """Is a path that does not exist exit 2 with 'no such notebook'?"""
    code, _, err = run(str(course / "work" / "nope.ipynb"))
    assert code == 2 and "nope.ipynb: no such notebook" in err


@pytest.mark.slow
def test_endless_loop_times_out(course: Path):
    """Is an endless loop stopped after --timeout and reported, with later cells still run?"""
    nb = answered("02_sigmoid", sigmoid="def sigmoid(z):\n    while True:\n        pass\n")
    code, out, _ = run(str(save(course, nb, "02_sigmoid")), "--timeout", "2")
    assert code == 1
    assert row(out, "sigmoid_correct").split()[1:] == ["3", "TIMEOUT"]
    assert "stopped after 2 s: is there an endless loop?" in out
    assert row(out, "sigmoid_derivative_correct").split()[2] in ("FAIL", "TIMEOUT")
