"""A student's folder beside a copy of the course's release/, as students have it.

Notebooks are the committed release with the source's solutions put in (the harness's
``with_answers``), so "correct" means what an instructor's answer key produces.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from samples.course import REPO, solutions, with_answers


def released(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(REPO / "release" / assignment / f"{assignment}.ipynb", 4)


def answered(assignment: str, **overrides: str) -> nbformat.NotebookNode:
    """The released notebook with the answer key filled in, some answers replaced."""
    return with_answers(released(assignment), {**solutions(assignment), **overrides})


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """tmp/release/<A>/<A>.ipynb for every assignment, and an empty tmp/work/ folder."""
    shutil.copytree(REPO / "release", tmp_path / "release")
    (tmp_path / "work").mkdir()
    return tmp_path


def save(course: Path, nb: nbformat.NotebookNode, assignment: str) -> Path:
    path = course / "work" / f"{assignment}.ipynb"
    nbformat.write(nb, path)
    return path
