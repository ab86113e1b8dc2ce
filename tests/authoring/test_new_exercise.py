"""An exercise made with `new-exercise` goes end to end: it validates, releases, grades (the
key full marks, the blank release "not answered yet", a looping answer loses its loop point)
and reports, in a course of its own."""

from __future__ import annotations

import shutil

import pytest

from samples.course import REPO, Course, graders_cli, nbgrader, with_answers

pytestmark = pytest.mark.slow

A = "07_relu"
LOOPING = '''def relu(x):
    """max(x, 0) with a Python loop."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    flat, res = x.reshape(-1), out.reshape(-1)
    for i in range(flat.size):
        res[i] = flat[i] if flat[i] > 0 else 0.0
    return out
'''


def test_a_new_exercise_releases_grades_and_reports(tmp_path):
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    made = graders_cli(root, "new-exercise", A, "--function", "relu", "--root", str(root))
    assert "wrote" in made.stdout and (root / "source" / A / f"{A}.ipynb").is_file()
    assert "keep the contract" in graders_cli(root, "validate", "--root", str(root)).stdout
    nbgrader(root, "generate_assignment", A, "--force")
    course = Course(root)
    released = (root / "release" / A / f"{A}.ipynb").read_text()
    assert "np.maximum" not in released and "_ref_relu" not in released and "raise NotImplementedError()" in released
    course.submit("key", A, course.source_nb(A))
    course.submit("blank", A, course.release_nb(A))
    course.submit("looper", A, with_answers(course.source_nb(A), {"relu": LOOPING}))
    scores = course.autograde(A)
    assert all(s == m for s, m in scores["key"].values()) and sum(m for _, m in scores["key"].values()) == 5
    assert all(s == 0 for s, _ in scores["blank"].values())
    assert {g for g, (s, m) in scores["looper"].items() if s < m} == {"relu_loops"}
    graders_cli(root, "feedback", "--root", str(root))
    graders_cli(root, "report", "--root", str(root), "--assignment", A)
    page = (root / "feedback" / "blank" / A / f"{A}.html").read_text()
    assert "relu is not answered yet" in page
    report = (root / "reports" / f"{A}.html").read_text()
    assert "relu_loops" in report and '<table class="dataframe data">' in report


def test_a_broken_exercise_is_refused_with_the_cell_and_rule(tmp_path):
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    graders_cli(root, "new-exercise", A, "--function", "relu", "--root", str(root))
    path = root / "source" / A / f"{A}.ipynb"
    path.write_text(path.read_text().replace('"relu_shape"', '"relu_shapes"'))
    r = graders_cli(root, "validate", "--root", str(root), check=False)
    assert r.returncode == 1
    assert f"{path}: cell 'relu_shapes': [grade-id] " in r.stderr and "1 problem(s)" in r.stdout
