"""``python -m graders autograde ASSIGNMENT``: grade a class in one process, resumably.

Stock ``nbgrader autograde`` stops a whole batch's exit code at "something failed" and
prints only logs. This runner drives nbgrader's own Autograde (through ``NbGraderAPI``,
so the gradebook and ``autograded/`` are exactly nbgrader's and formgrader, feedback and
export keep working) one submission at a time, with:

- a progress bar with ETA;
- ``--student`` to (re)grade chosen students;
- resume: a submission whose autograded copy is newer than the submission is skipped
  unless ``--force``;
- a summary that separates *graded* (every grade cell reached a verdict), *graded with
  failures* (the student's code raised, timed out or was missing in some grade cells) and
  *could not grade* (with the reason nbgrader or the files give);
- exit code 0 when everything could be graded, 1 otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

GRADED, WITH_FAILURES, NOT_GRADED, SKIPPED = "graded", "graded with failures", "could not grade", "skipped"


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission."""

    student: str
    status: str
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(NOT_GRADED) else 0

    def lines(self) -> list[str]:
        out = [f"{self.count(GRADED)} graded, {self.count(WITH_FAILURES)} graded with failures, "
               f"{self.count(NOT_GRADED)} could not grade, {self.count(SKIPPED)} skipped (already graded)"]
        for o in self.outcomes:
            if o.status in (WITH_FAILURES, NOT_GRADED):
                out.append(f"  {o.student}: {o.status}: {o.detail}")
        return out


def load_api(root: Path):
    """nbgrader's API configured from the course's nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def submitted_students(root: Path, assignment: str) -> list[str]:
    sub = root / "submitted"
    return sorted(p.name for p in sub.iterdir() if (p / assignment).is_dir()) if sub.is_dir() else []


def up_to_date(root: Path, student: str, assignment: str) -> bool:
    """Was this submission graded after it was last handed in?"""
    graded = root / "autograded" / student / assignment
    submitted = root / "submitted" / student / assignment
    notebooks = list(graded.glob("*.ipynb"))
    if not notebooks:
        return False
    newest_submitted = max((p.stat().st_mtime for p in submitted.rglob("*") if p.is_file()), default=0.0)
    return min(p.stat().st_mtime for p in notebooks) >= newest_submitted


def cell_failures(root: Path, student: str, assignment: str) -> list[str]:
    """Grade cells where the student's code, not a check, failed: 'name (NameError)'."""
    import nbformat

    failures = []
    for path in sorted((root / "autograded" / student / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, 4)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade") or cell.get("cell_type") != "code":
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") != "AssertionError":
                    failures.append(f"{meta.get('grade_id')} ({out.get('ename')})")
                    break
    return failures


def reason(result: dict, root: Path, student: str, assignment: str) -> str:
    """A one-line reason a submission could not be graded."""
    from ..report.collect import diagnose

    submitted = root / "submitted" / student / assignment
    error = (result.get("error") or result.get("log") or "").strip().splitlines()
    last = error[-1][:200] if error else "nbgrader gave no reason"
    for nb in sorted((root / "source" / assignment).glob("*.ipynb")):
        found = diagnose(submitted, nb.stem)
        if not found.startswith("autograding failed while running"):
            return found
    return f"autograding failed while running the notebook: {last}"


def grade_one(api, root: Path, assignment: str, student: str) -> Outcome:
    start = time.perf_counter()
    result = api.autograde(assignment, student, force=True, create=True)
    seconds = time.perf_counter() - start
    if not result.get("success"):
        return Outcome(student, NOT_GRADED, reason(result, root, student, assignment), seconds)
    failures = cell_failures(root, student, assignment)
    if failures:
        return Outcome(student, WITH_FAILURES, ", ".join(failures), seconds)
    return Outcome(student, GRADED, "", seconds)


def autograde(root: Path, assignment: str, students: Iterable[str] | None = None,
              force: bool = False, progress: bool = True) -> Summary:
    """Grade every submission of ``assignment`` (or the chosen students)."""
    from tqdm import tqdm

    root = Path(root).resolve()
    chosen = sorted(students) if students else submitted_students(root, assignment)
    api = load_api(root)
    summary = Summary()
    bar = tqdm(chosen, desc=f"autograde {assignment}", unit="nb", disable=not progress)
    for student in bar:
        bar.set_postfix_str(student)
        if not force and up_to_date(root, student, assignment):
            summary.outcomes.append(Outcome(student, SKIPPED))
            continue
        summary.outcomes.append(grade_one(api, root, assignment, student))
    return summary
