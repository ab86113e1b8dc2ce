"""Released notebooks where students run them: a fresh virtualenv outside the repository.

The venvs hold only Jupyter's kernel and client, numpy, pandas and matplotlib (at the kit's
oldest declared versions, and at the instructor's pins) and the wheel `make student-kit`
builds. Each notebook is copied to a folder of its own, away from this repository, so no file
of ours can help it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders.student.run import outcomes
from samples.course import solutions, with_answers

from .support import ROOT, clean_env

ASSIGNMENTS = sorted(p.name for p in (ROOT / "release").iterdir() if p.is_dir())
RUNNER = Path(__file__).with_name("run_notebook.py")
PROBE = "import graders, sys\nprint('KIT-FROM', graders.__file__, 'PYTHON', sys.executable)"


def run_in_venv(python: Path, nb: nbformat.NotebookNode, folder: Path, name: str) -> nbformat.NotebookNode:
    """Execute ``nb`` with the venv's kernel in ``folder``; the executed notebook, with a last cell
    that says where ``graders`` came from."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    path, out = folder / name, folder / f"executed-{name}"
    nbformat.write(nb, path)
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = clean_env(HOME=str(home), JUPYTER_PATH="", JUPYTER_DATA_DIR=str(home / "jupyter"),
                    PATH=f"{python.parent}:/usr/bin:/bin")
    proc = subprocess.run([str(python), "-I", str(RUNNER), str(path), str(out)], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return nbformat.read(out, 4)


def text_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def errors(nb) -> list[str]:
    return [f"cell {i}: {o['ename']}: {o['evalue']}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def assert_ran_in(nb, python: Path) -> None:
    where = text_of(nb.cells[-1])
    venv = python.parent.parent
    assert "KIT-FROM" in where and str(venv) in where.split("PYTHON")[0], where
    assert str(ROOT) not in where


def filled(assignment: str, release: Path | None = None) -> nbformat.NotebookNode:
    """The released notebook (or ``release``) with the instructor's answers typed in."""
    return with_answers(nbformat.read(release or ROOT / "release" / assignment / f"{assignment}.ipynb", 4),
                        solutions(assignment))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_correct_answers_run_and_pass_every_visible_check(kit_python, tmp_path, assignment):
    """With the instructor's answers typed in, does every released notebook run with no error
    in the student's venv, every visible check passing, and the kit coming from that venv?"""
    nb = run_in_venv(kit_python, filled(assignment), tmp_path / "work", f"{assignment}.ipynb")
    assert errors(nb) == []
    assert_ran_in(nb, kit_python)
    verdicts = {o.grade_id: o.status for o in outcomes(nb, 120)}
    assert verdicts and set(verdicts.values()) <= {"pass", "hidden", "manual"}, verdicts
    assert "Course kit ready." in text_of(next(c for c in nb.cells if c.cell_type == "code"))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_blank_notebook_says_not_answered_never_an_import_error(kit_python, tmp_path, assignment):
    """Does the untouched release run in the student's venv with every automatic check 'not
    answered yet', and no import error anywhere?"""
    nb = run_in_venv(kit_python, nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", 4),
                     tmp_path / "work", f"{assignment}.ipynb")
    assert not [e for e in errors(nb) if "ModuleNotFoundError" in e or "ImportError" in e]
    verdicts = {o.grade_id: o.status for o in outcomes(nb, 120)}
    automatic = {g: s for g, s in verdicts.items() if s not in ("manual", "hidden")}
    assert automatic and set(automatic.values()) == {"not answered"}, automatic


@pytest.mark.slow
def test_the_setup_cell_installs_the_kit_where_it_is_missing(kit_dist, tmp_path):
    """In a venv with Jupyter, numpy, pandas and matplotlib but no kit, does a notebook released
    with the wheel's path as the course's kit location install it in its set-up cell and pass?"""
    from samples.course import nbgrader

    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "source" / "04_softmax", root / "source" / "04_softmax")
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.InstallStudentKit.location = {str(kit_dist.wheel)!r}\n")
    nbgrader(root, "generate_assignment", "04_softmax", "--force")
    venv = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=clean_env(), timeout=300)
    python = venv / "bin" / "python"
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    pins = [line for line in lock if line.split("==")[0].lower() in ("numpy", "pandas", "matplotlib")]
    proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *pins, "ipykernel>=6.29", "nbclient>=0.10"],
                          capture_output=True, text=True, env=clean_env(), timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert subprocess.run([str(python), "-c", "import graders"], env=clean_env(), cwd=tmp_path,
                          capture_output=True).returncode != 0  # really missing

    nb = filled("04_softmax", root / "release" / "04_softmax" / "04_softmax.ipynb")
    done = run_in_venv(python, nb, tmp_path / "work", "04_softmax.ipynb")
    setup_text = text_of(next(c for c in done.cells if c.cell_type == "code"))
    assert "Installing the course kit from" in setup_text and "Course kit ready." in setup_text
    assert errors(done) == []
    assert_ran_in(done, python)
    assert set(o.status for o in outcomes(done, 120)) <= {"pass", "hidden", "manual"}

