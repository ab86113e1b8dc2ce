"""Run a student's notebook once, as is, and read each grade cell's verdict.

One kernel, in the notebook's own folder (so relative data paths work as in Jupyter),
every cell run even after an error (a later task must not hide behind an earlier crash),
and a per-cell timeout that interrupts the kernel instead of aborting the run. The
student's file is never written.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ..cells import grade_id, is_grade, is_solution, is_task

MESSAGE_LINES = 6
"""How many lines of a failing check's message the table shows."""


@dataclass(frozen=True)
class CellOutcome:
    """The verdict of one grade cell."""

    grade_id: str
    points: float
    status: str
    """"pass", "fail", "not answered", "timeout", "hidden" (no public check in the
    release: graded later) or "manual" (a written answer marked by a TA)."""
    message: str = ""
    """First lines of the check's message (the AssertionError text, never a traceback)."""


@dataclass(frozen=True)
class RunTimes:
    kernel_start: float
    run: float


def _error(cell) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


def _first_lines(text: str, n: int = MESSAGE_LINES) -> str:
    lines = str(text).strip().splitlines()
    more = len(lines) > n
    return "\n".join(lines[:n] + (["..."] if more else []))


def _unanswered(err: dict | None) -> bool:
    return bool(err) and err.get("ename") == "NotImplementedError"


def _outcome(cell, err: dict | None, pending: bool, timeout: float) -> CellOutcome:
    gid = grade_id(cell)
    points = float(cell.metadata.nbgrader.get("points", 0) or 0)
    if not cell.source.strip():
        return CellOutcome(gid, points, "hidden")
    if err is None:
        return CellOutcome(gid, points, "pass")
    ename, evalue = err.get("ename", ""), err.get("evalue", "")
    if ename == "KeyboardInterrupt":
        return CellOutcome(gid, points, "timeout",
                           f"stopped after {timeout:g} s: is there an endless loop?")
    if _unanswered(err) or (pending and ename in ("NameError", "NotImplementedError")) or (
            ename == "AssertionError" and "not answered yet" in str(evalue)):
        return CellOutcome(gid, points, "not answered",
                           "not answered yet: replace `raise NotImplementedError()` above")
    if ename == "AssertionError":
        return CellOutcome(gid, points, "fail", _first_lines(evalue) or "check failed")
    return CellOutcome(gid, points, "fail", _first_lines(f"{ename}: {evalue}"))


def outcomes(nb: nbformat.NotebookNode, timeout: float) -> list[CellOutcome]:
    """One outcome per grade or task cell of an executed notebook, in notebook order.

    A grade cell that fails with NameError right after an answer cell that still raises
    NotImplementedError is "not answered", not a crash: the name was never defined.
    """
    result: list[CellOutcome] = []
    pending = False  # the latest answer cell above still raises NotImplementedError
    for cell in nb.cells:
        md = cell.get("metadata", {}).get("nbgrader")
        if not md:
            continue
        err = _error(cell) if cell.cell_type == "code" else None
        if is_solution(cell):
            pending = _unanswered(err)
        if is_task(cell):
            result.append(CellOutcome(grade_id(cell), float(md.get("points", 0) or 0), "manual"))
        elif is_grade(cell) and not is_solution(cell) and cell.cell_type == "code":
            result.append(_outcome(cell, err, pending, timeout))
        elif is_grade(cell):  # a manually graded answer cell
            result.append(CellOutcome(grade_id(cell), float(md.get("points", 0) or 0), "manual"))
    return result


def run_public_checks(path: Path, nb: nbformat.NotebookNode, *, timeout: float = 30,
                      kernel_name: str | None = None) -> tuple[list[CellOutcome], RunTimes]:
    """Execute ``nb`` (read from ``path``) in ``path``'s folder and grade its grade cells."""
    nb = nbformat.from_dict(nb)  # never touch the caller's copy
    client = NotebookClient(
        nb, timeout=timeout, interrupt_on_timeout=True, allow_errors=True,
        kernel_name=kernel_name or "python3", record_timing=False,
        resources={"metadata": {"path": str(path.resolve().parent)}},
    )
    t0 = time.perf_counter()
    # The kernel's own log lines (transport warnings) are not the student's business.
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        t1 = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    t2 = time.perf_counter()
    return outcomes(nb, timeout), RunTimes(kernel_start=t1 - t0, run=t2 - t1)
