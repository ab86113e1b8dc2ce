"""One real 02_sigmoid class, graded by our engine, shared by the report tests (built once per session).

Students: the instructor's key, the untouched release, every archetype of the course tests,
a notebook whose function was deleted (NameError in the grade cells), a corrupt file and a
notebook handed in under the wrong name (both cannot be graded).
"""

from __future__ import annotations

from pathlib import Path

import subprocess
import sys

from samples.course import Course, _env, with_answers
from samples.archetypes.sigmoid import ARCHETYPES

A = "02_sigmoid"
SMUGGLER = 'def sigmoid(z):\n    """Smuggles the running cell out."""\n    raise ValueError(In[-1])\n'

_CACHE: dict[str, Course] = {}


def graded_course(tmp_path_factory) -> Course:
    if "course" in _CACHE:
        return _CACHE["course"]
    course = Course.create(tmp_path_factory.mktemp("report"), [A])
    src = course.source_nb(A)
    course.submit("key", A, src)
    course.submit("blank", A, course.release_nb(A))
    for name, (answers, _) in ARCHETYPES.items():
        course.submit(name, A, with_answers(src, answers))
    course.submit("missing", A, with_answers(src, {"sigmoid": "# I did not get to this one\n"}))
    # a hostile student: IPython's In history holds the running grade cell, hidden tests and
    # all; the function raises it as its error message, hoping the feedback will show it
    course.submit("smuggler", A, with_answers(src, {"sigmoid": SMUGGLER}))
    course.submit("corrupt", A, '{"cells": [ this is not json')
    wrong = course.root / "submitted" / "renamed" / A
    wrong.mkdir(parents=True)
    (wrong / "my_sigmoid.ipynb").write_text((course.root / "release" / A / f"{A}.ipynb").read_text())
    # Graded by our engine (its kernels use the inline backend, as in Jupyter, so the
    # student's plots are captured as image/png): the reports must work on its gradebook.
    subprocess.run([sys.executable, "-m", "graders", "autograde", A, "--force", "--no-progress", "--workers", "0"],
                   cwd=course.root, env=_env(), capture_output=True, text=True, timeout=900)
    # it exits non-zero because some submissions could not be graded: that is the point
    _CACHE["course"] = course
    return course


def archetype_students() -> list[str]:
    return ["key", "blank", "missing", "smuggler", *sorted(ARCHETYPES)]


def root_of(course: Course) -> Path:
    return course.root
