"""nbgrader's cell predicates and checksum, without importing nbgrader: the one set.

The engine, the reports, the student's check, the preprocessors and the authoring contract all
ask of a cell what nbgrader asks (is it graded, an answer, a task, locked, a test), and ask it
here.

``import nbgrader`` loads its server extensions (over a second here), which would double
the time of a student's check. These few lines follow ``nbgrader.utils`` of nbgrader
0.9.6 exactly; tests/student/test_cells.py compares them with the real functions on every
cell of every released notebook, so an nbgrader upgrade that changes them fails there.
"""

from __future__ import annotations

import hashlib


def nbgrader_metadata(cell) -> dict:
    """The cell's nbgrader metadata, {} when it has none."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell) -> str | None:
    """The cell's grade_id, or None for a cell nbgrader does not track."""
    return nbgrader_metadata(cell).get("grade_id")


def is_task(cell) -> bool:
    return bool(nbgrader_metadata(cell).get("task", False))


def is_grade(cell) -> bool:
    return bool(nbgrader_metadata(cell).get("grade", False))


def is_solution(cell) -> bool:
    return bool(nbgrader_metadata(cell).get("solution", False))


def is_locked(cell) -> bool:
    """Read-only: tests and task text always, other cells when marked locked."""
    md = nbgrader_metadata(cell)
    if "nbgrader" not in cell.get("metadata", {}) or is_solution(cell):
        return False
    if is_grade(cell):
        return True
    return bool(md.get("locked", False))


def is_test(cell) -> bool:
    """A grade cell the student is not meant to edit (a test cell, not an answer)."""
    return is_grade(cell) and not is_solution(cell)


def is_test_code(cell) -> bool:
    """A code cell of hidden or visible tests: what the engine runs in the grader, not the kernel."""
    return cell.get("cell_type") == "code" and is_test(cell)


def is_answer_md(cell) -> bool:
    """A written answer (a markdown solution cell)."""
    return cell.get("cell_type") == "markdown" and is_solution(cell)


def is_student_cell(cell) -> bool:
    """A code cell whose outputs come from the student's own work (not a grade or task cell)."""
    return cell.get("cell_type") == "code" and not is_grade(cell) and not is_task(cell)


def compute_checksum(cell) -> str:
    """nbgrader's checksum of a cell: source, type, flags, grade_id and points."""
    m = hashlib.md5()
    m.update(cell["source"].encode("utf-8"))
    m.update(cell["cell_type"].encode("utf-8"))
    m.update(str(is_grade(cell)).encode("utf-8"))
    m.update(str(is_solution(cell)).encode("utf-8"))
    m.update(str(is_locked(cell)).encode("utf-8"))
    m.update(cell["metadata"]["nbgrader"]["grade_id"].encode("utf-8"))
    if is_grade(cell):
        m.update(str(float(cell["metadata"]["nbgrader"]["points"])).encode("utf-8"))
    return m.hexdigest()
