"""A throwaway nbgrader course in a temporary folder, driven through the real CLI.

Tests of the exercise notebooks go through stock ``nbgrader generate_assignment`` and
``nbgrader autograde`` exactly as an instructor would, so they prove what students and
TAs will get, not what a mock of nbgrader would do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import nbformat

REPO = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")  # nbgrader spawns `alembic`
    env["MPLBACKEND"] = "Agg"
    return env


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "nbgrader"
    proc = subprocess.run([str(exe), *args], cwd=course, env=_env(), capture_output=True,
                          text=True, timeout=900)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def graders_cli(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "graders", *args], cwd=course, env=_env(),
                          capture_output=True, text=True, timeout=1800)
    if check and proc.returncode != 0:
        raise RuntimeError(f"python -m graders {' '.join(args)} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@dataclass
class Course:
    root: Path

    @classmethod
    def create(cls, tmp: Path, assignments: list[str]) -> "Course":
        """Copy the config and the named source notebooks, then release them."""
        root = tmp / "course"
        (root / "source").mkdir(parents=True)
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
        for a in assignments:
            shutil.copytree(REPO / "source" / a, root / "source" / a)
        course = cls(root)
        for a in assignments:
            nbgrader(root, "generate_assignment", a, "--force")
        return course

    def source_nb(self, assignment: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "source" / assignment / f"{assignment}.ipynb", 4)

    def release_nb(self, assignment: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "release" / assignment / f"{assignment}.ipynb", 4)

    def submit(self, student: str, assignment: str, nb: nbformat.NotebookNode | str) -> None:
        d = self.root / "submitted" / student / assignment
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"{assignment}.ipynb"
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbformat.write(nb, path)

    def autograde(self, assignment: str, check: bool = True, workers: int = 2,
                  extra: tuple[str, ...] = ()) -> dict[str, dict[str, tuple[float, float]]]:
        """Grade every submission with our engine (``python -m graders autograde``);
        {student: {grade_id: (score, max_score)}}. With ``check=False`` a batch in which
        some submission could not be graded still returns its scores (exit code 1)."""
        self.last_run = graders_cli(self.root, "autograde", assignment, "--force", "--no-progress",
                                    "--workers", str(workers), *extra, check=check)
        return self.scores(assignment)

    def stock_autograde(self, assignment: str, check: bool = True) -> dict[str, dict[str, tuple[float, float]]]:
        """The same with stock ``nbgrader autograde`` (tests in the kernel, serial)."""
        self.last_run = nbgrader(self.root, "autograde", assignment, "--force", check=check)
        return self.scores(assignment)

    def scores(self, assignment: str) -> dict[str, dict[str, tuple[float, float]]]:
        from nbgrader.api import Gradebook

        out: dict[str, dict[str, tuple[float, float]]] = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            for sub in gb.assignment_submissions(assignment):
                for nb in sub.notebooks:
                    out[sub.student.id] = {g.name: (g.score, g.max_score) for g in nb.grades}
        return out


def grade_submissions(tmp: Path, assignment: str,
                      archetypes: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, tuple[float, float]]]:
    """Release ``assignment`` in a fresh course, submit the instructor's notebook as
    ``key``, the untouched release as ``blank`` and, for each archetype, the key with some
    solution cells replaced ({grade_id: source}); autograde them all in one batch."""
    course = Course.create(tmp, [assignment])
    src = course.source_nb(assignment)
    course.submit("key", assignment, src)
    course.submit("blank", assignment, course.release_nb(assignment))
    for name, answers in archetypes.items():
        course.submit(name, assignment, with_answers(src, answers))
    return course.autograde(assignment)


def with_answers(nb: nbformat.NotebookNode, answers: Mapping[str, str]) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose solution cells (by grade_id) have the given sources."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    missing = set(answers) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    if missing:
        raise KeyError(f"no cells with grade_id {sorted(missing)}")
    return nb


def solutions(assignment: str) -> dict[str, str]:
    """The source notebook's answer cells (the instructor's key), by grade_id."""
    src = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", 4)
    return {c.metadata.nbgrader["grade_id"]: c.source for c in src.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def auto_points(scores: Mapping[str, tuple[float, float]]) -> float:
    return sum(s for s, _ in scores.values() if s is not None)


def lost(scores: Mapping[str, tuple[float, float]]) -> set[str]:
    """The grade cells that scored below their maximum."""
    return {gid for gid, (s, m) in scores.items() if (s or 0) < m}


Archetype = Callable[[nbformat.NotebookNode], nbformat.NotebookNode]
