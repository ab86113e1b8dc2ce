"""What one autograded cell means to a student: its kind, aspect and the reason it lost points.

Only the *outputs* of a grade cell are read, and of those only the error's name and value:
nbgrader restores the hidden test source into autograded notebooks, and tracebacks quote it,
so a cell's ``source`` and an error's ``traceback`` never leave this module.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from ..cells import grade_id, is_grade, is_student_cell, is_task  # noqa: F401  (the report's names for them)
from ..cells import nbgrader_metadata as nbgrader_meta

ASPECTS = {
    "correct": "correctness", "shape": "shape", "loops": "loops", "speed": "speed",
    "stability": "stability", "plot": "plots", "written": "written", "errors": "errors",
    "mutation": "mutation", "shuffle": "shuffle",
}
"""Grade-cell name suffix -> aspect shown to students and TAs."""

ASPECT_ORDER = ["correctness", "shape", "loops", "speed", "stability", "plots", "written",
                "errors", "mutation", "shuffle", "answers", "other"]
"""The summary table's column order: the issue's seven aspects first, then the rest."""

MCQ = re.compile(r"^q\d+$")




def aspect_of(name: str) -> str:
    """``softmax_speed`` -> ``speed``; ``q3`` -> ``answers``; ``ipl_analysis_written`` -> ``written``."""
    if MCQ.match(name):
        return "answers"
    suffix = name.rsplit("_", 1)[-1] if "_" in name else ""
    return ASPECTS.get(suffix, "other")


def function_of(name: str) -> str:
    """``win_pct_by_venue_loops`` -> ``win_pct_by_venue`` (the exercise the cell grades)."""
    if MCQ.match(name) or "_" not in name:
        return name
    head, suffix = name.rsplit("_", 1)
    return head if suffix in ASPECTS else name


def error_of(cell: Mapping[str, Any]) -> tuple[str, str] | None:
    """(ename, evalue) of the cell's first error output; the traceback is never read."""
    for out in cell.get("outputs") or []:
        if out.get("output_type") == "error":
            return str(out.get("ename") or "Error"), str(out.get("evalue") or "")
    return None


STUB = "raise NotImplementedError()"
"""The line nbgrader's ClearSolutions leaves in every answer cell of the release."""


def unanswered(cells: Sequence[Mapping[str, Any]]) -> set[str]:
    """Names of the answers (functions, ``q1``...) whose answer cell still holds the stub."""
    out = set()
    for cell in cells:
        meta = nbgrader_meta(cell)
        gid = meta.get("grade_id") or ""
        source = cell.get("source") or ""
        source = "".join(source) if isinstance(source, list) else source
        if meta.get("solution") and cell.get("cell_type") == "code" and gid and \
                any(line.strip() == STUB for line in source.splitlines()):
            out.add(gid.removesuffix("-answer"))
    return out


def results_of(cell: Mapping[str, Any]) -> tuple:
    """The check results the grading engine stored in the cell (graders.result.MIME)."""
    from ..result import MIME

    for out in cell.get("outputs") or []:
        data = (out.get("data") or {}).get(MIME) if out.get("output_type") == "display_data" else None
        if isinstance(data, list):
            return tuple(r for r in data if isinstance(r, dict) and isinstance(r.get("details", {}), dict))
    return ()


def failed_in_of(cell: Mapping[str, Any]) -> str:
    """Which part of a test cell failed, as the grading engine stored it: 'visible', 'hidden'
    or '' (unknown: the cell passed, timed out, or was graded by stock nbgrader)."""
    from ..result import MIME

    for out in cell.get("outputs") or []:
        if out.get("output_type") == "display_data":
            where = ((out.get("metadata") or {}).get(MIME) or {}).get("failed_in")
            if where in ("visible", "hidden"):
                return where
    return ""


def reason_for(name: str, error: tuple[str, str] | None) -> str:
    """The student-facing reason a grade cell lost points, never empty.

    A ``graders`` check fails with ``AssertionError(r.message)``: the message is the reason.
    Any other error (the function is missing, raised, or the kernel hit a limit) is named
    with its value, as Python would print it. A bare ``assert`` has no message: say that a
    hidden check failed and which cell, so the student can ask about it.
    """
    if error is None:
        return f"{name}: points were lost without an error message (ask your TA)"
    ename, evalue = error
    evalue = evalue.strip()
    if ename == "AssertionError":
        return evalue or f"a hidden check failed ({name})"
    if evalue:
        return f"{ename}: {evalue}"
    if ename == "NotImplementedError":
        return f"NotImplementedError: the function is not written yet (raised while grading {name})"
    return f"{ename} (raised while grading {name})"
