"""Does the student's notebook still hold the test cells that were released?

At grading, nbgrader puts the released test cells back and finds cells by ``grade_id``.
A student who edits a test cell sees a local result the grader will not reproduce; one who
deletes a cell, duplicates it, or strips its metadata (copy-paste into a new notebook does
that) loses the points silently. Saying so before submission is cheaper than a regrade.

The comparison is against the *released* notebook, not the metadata in the student's copy:
a checksum stored in the student's own file can be edited along with the cell.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
from ..cells import compute_checksum, grade_id, is_locked, is_task, is_test, nbgrader_metadata


@dataclass(frozen=True)
class CellWarning:
    """One way the student's notebook differs from the release."""

    grade_id: str
    """The cell's nbgrader grade_id (for cells without metadata, the release's id)."""

    kind: str
    """One of "changed", "deleted", "duplicated", "metadata stripped"."""

    message: str
    """One line for the student: what happened and what to do."""


def is_guarded(cell) -> bool:
    """A released cell whose content the grader restores: tests, task text, read-only cells."""
    return bool(nbgrader_metadata(cell)) and (is_test(cell) or is_task(cell) or is_locked(cell))


def find_release(notebook: Path, release: Path | None = None) -> Path | None:
    """The released copy of ``notebook``: ``release`` if given, else ``release/<A>/<A>.ipynb``
    in the first parent folder (walking up from the notebook) that has one."""
    if release is not None:
        return release
    stem = notebook.stem
    for folder in notebook.resolve().parents:
        candidate = folder / "release" / stem / f"{stem}.ipynb"
        if candidate.is_file():
            return candidate
    return None


def _checksum(cell) -> str | None:
    try:
        return compute_checksum(cell)
    except Exception:  # malformed metadata (e.g. points removed): treat as changed
        return None


def _plain(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def compare_with_release(student: nbformat.NotebookNode,
                         release: nbformat.NotebookNode) -> list[CellWarning]:
    """Every released test/read-only cell that was changed, deleted, duplicated or lost its
    nbgrader metadata in ``student``, in release order."""
    warnings: list[CellWarning] = []
    counts = Counter(g for g in map(grade_id, student.cells) if g is not None)
    by_id = {grade_id(c): c for c in student.cells if grade_id(c) is not None}
    untracked = {_plain(c.source) for c in student.cells if not nbgrader_metadata(c) and c.source.strip()}

    for rel in release.cells:
        gid = grade_id(rel)
        if gid is None:
            continue
        what = "test cell" if is_test(rel) else "read-only cell"
        if counts[gid] > 1:
            warnings.append(CellWarning(gid, "duplicated", (
                f"{what} {gid!r} appears {counts[gid]} times; the grader keeps one of them: "
                f"delete the copies you made")))
        if not is_guarded(rel):
            continue
        mine = by_id.get(gid)
        if mine is None:
            if rel.source.strip() and _plain(rel.source) in untracked:
                warnings.append(CellWarning(gid, "metadata stripped", (
                    f"{what} {gid!r} is there but lost its nbgrader metadata (was it pasted "
                    f"into a new cell?); the grader will not find it: download the released "
                    f"notebook again and move your answers into it")))
            else:
                warnings.append(CellWarning(gid, "deleted", (
                    f"{what} {gid!r} was deleted; the grader needs it: copy it back from the "
                    f"released notebook")))
            continue
        expected = nbgrader_metadata(rel).get("checksum")
        if expected and _checksum(mine) != expected:
            warnings.append(CellWarning(gid, "changed", (
                f"{what} {gid!r} was changed; the grader runs the released version, so your "
                f"result here may differ from your grade: undo your edits to that cell")))
    return warnings
