"""The set-up cell that installs the student kit, as `make release` writes it."""

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from traitlets import TraitError

from graders.preprocessors.installstudentkit import InstallStudentKit, is_setup, setup_source
from samples.course import REPO, nbgrader

ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


def first_code_cell(path: Path) -> dict:
    nb = json.loads(path.read_text())
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_released_notebook_starts_with_the_setup_cell(assignment):
    """Is the first code cell of each committed release the read-only set-up cell, with the
    course config's location?"""
    cell = first_code_cell(REPO / "release" / assignment / f"{assignment}.ipynb")
    assert cell["metadata"]["graders"] == {"setup": True}
    assert cell["metadata"]["nbgrader"]["locked"] is True
    assert "".join(cell["source"]) == setup_source("pnd4dl-kit")


def _course(tmp_path: Path, assignment: str, *, drop_setup: bool = False) -> Path:
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
    if drop_setup:
        path = root / "source" / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(path, 4)
        nb.cells = [c for c in nb.cells if not is_setup(c)]
        nbformat.write(nb, path)
    return root


@pytest.mark.slow
def test_release_writes_the_configured_location(tmp_path):
    """Does `nbgrader generate_assignment` with another location and pip arguments write them into
    the released set-up cell, and does that cell still compile?"""
    root = _course(tmp_path, "04_softmax")
    with open(root / "nbgrader_config.py", "a") as config:  # what an instructor writes, once
        config.write('\nc.InstallStudentKit.location = "https://course.example.org/kit/pnd4dl_kit-9.9-py3-none-any.whl"\n'
                     'c.InstallStudentKit.pip_args = ["--index-url", "https://mirror.example.org/simple"]\n')
    nbgrader(root, "generate_assignment", "04_softmax", "--force")
    source = "".join(first_code_cell(root / "release" / "04_softmax" / "04_softmax.ipynb")["source"])
    assert "KIT = 'https://course.example.org/kit/pnd4dl_kit-9.9-py3-none-any.whl'" in source
    assert "'--index-url', 'https://mirror.example.org/simple', KIT" in source
    compile(source, "setup", "exec")


@pytest.mark.slow
def test_a_notebook_without_setup_cell_gets_one(tmp_path):
    """Does an instructor's new notebook with no set-up cell get one, before its first code cell?"""
    root = _course(tmp_path, "02_sigmoid", drop_setup=True)
    nbgrader(root, "generate_assignment", "02_sigmoid", "--force")
    nb = nbformat.read(root / "release" / "02_sigmoid" / "02_sigmoid.ipynb", 4)
    codes = [c for c in nb.cells if c.cell_type == "code"]
    assert is_setup(codes[0]) and sum(map(is_setup, nb.cells)) == 1
    assert nb.cells.index(codes[0]) == 1  # after the intro, before the imports


def test_location_must_be_one_line():
    """Is a location that would break the cell refused with a message naming the setting?"""
    with pytest.raises(TraitError, match="InstallStudentKit.location must be one non-empty line"):
        InstallStudentKit(location="kit\nimport os")
    with pytest.raises(TraitError, match="one non-empty line"):
        InstallStudentKit(location="   ")


def test_quotes_in_a_location_cannot_escape_the_string():
    """Is a location with quotes written as a Python string literal, not as code?"""
    source = setup_source("pkg'; import os; os.system('x'); '")
    namespace: dict = {}
    exec(compile(source.split("try:")[0], "setup", "exec"), namespace)
    assert namespace["KIT"] == "pkg'; import os; os.system('x'); '"


def test_two_setup_cells_are_refused():
    """Does a notebook with two set-up cells fail the release with a clear error?"""
    from graders.preprocessors.installstudentkit import setup_cell

    nb = nbformat.v4.new_notebook(cells=[setup_cell("a"), setup_cell("a")])
    with pytest.raises(ValueError, match="2 set-up cells"):
        InstallStudentKit().preprocess(nb, {})
