"""Read a course (gradebook.db, submitted/, autograded/) into NotebookRecords.

Scores come from nbgrader's gradebook, reasons from the error outputs of the autograded
notebooks (never their sources), and "could not grade" reasons from what the filesystem
shows: nbgrader deletes the autograded folder of a submission it failed on, so a submitted
folder without an autograded notebook is diagnosed from the submitted file itself.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Iterable

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from ..course import Course, as_course, diagnose
from . import cells as C
from .secrets import hidden_test_lines, scrub
from .records import GRADED, NEEDS_MANUAL, NOT_GRADED, NOT_SUBMITTED, CellRecord, NotebookRecord



def collect(root: Path | Course, assignments: Iterable[str] | None = None,
            students: Iterable[str] | None = None) -> list[NotebookRecord]:
    """One record per (student, assignment, notebook), sorted; students who submitted
    nothing get NOT_SUBMITTED records so exports have one row per student."""
    course = as_course(root)
    url = course.gradebook_url
    if url.startswith("sqlite:") and not _sqlite_file(url).exists():
        raise FileNotFoundError(f"no gradebook.db at {_sqlite_file(url)}: run nbgrader autograde first")
    out: list[NotebookRecord] = []
    with course.gradebook() as gb:
        wanted = set(assignments) if assignments else None
        names = sorted(a.name for a in gb.assignments if wanted is None or a.name in wanted)
        missing = (wanted or set()) - set(names)
        if missing:
            raise KeyError(f"assignment(s) not in the gradebook: {', '.join(sorted(missing))}")
        everyone = {s.id for s in gb.students} | set(course.students_with("submitted", names))
        if students:
            everyone &= set(students)
        for a in names:
            notebooks = sorted(nb.name for nb in gb.find_assignment(a).notebooks)
            for s in sorted(everyone):
                out.extend(_submission(gb, course, a, s, notebooks))
    return out


def _sqlite_file(url: str) -> Path:
    """The file of a ``sqlite:///`` gradebook URL."""
    from sqlalchemy.engine import make_url

    return Path(make_url(url).database or "")


def _submission(gb: Gradebook, course: Course, a: str, s: str, notebooks: list[str]) -> list[NotebookRecord]:
    try:
        sub = gb.find_submission(a, s)
    except MissingEntry:
        sub = None
    submitted = course.folder("submitted", s, a)
    if sub is None and not submitted.is_dir():
        return [NotebookRecord(s, a, nb, NOT_SUBMITTED, "no submission") for nb in notebooks]
    when = dict(timestamp=str(sub.timestamp or "") if sub else "",
                seconds_late=float(sub.total_seconds_late or 0.0) if sub else 0.0)
    records = []
    for nb in notebooks:
        graded = course.notebook("autograded", s, a, nb)
        if sub is None:
            records.append(NotebookRecord(s, a, nb, NOT_GRADED,
                                          "submitted but never autograded: run nbgrader autograde", **when))
            continue
        try:
            snb = gb.find_submission_notebook(nb, a, s)
        except MissingEntry:
            snb = None
        if not graded.is_file() or snb is None:
            records.append(NotebookRecord(s, a, nb, NOT_GRADED, diagnose(submitted, nb), **when))
            continue
        try:
            node = nbformat.read(graded, as_version=4)
        except Exception as exc:  # an unreadable autograded notebook is a grading failure
            records.append(NotebookRecord(s, a, nb, NOT_GRADED,
                                          f"autograded notebook unreadable: {type(exc).__name__}", **when))
            continue
        cell_records = _cells(snb, node, _hidden_lines(gb, nb, a))
        status = NEEDS_MANUAL if any(c.needs_manual for c in cell_records) else GRADED
        records.append(NotebookRecord(
            s, a, nb, status, max_score=float(snb.max_score or 0.0), cells=cell_records,
            images=tuple(student_images(node)), late_penalty=float(snb.late_submission_penalty or 0.0),
            **when))
    return records


def _hidden_lines(gb: Gradebook, notebook: str, assignment: str) -> set[str]:
    """Hidden-test and mark-scheme lines of the notebook, from the gradebook's source cells."""
    try:
        cells = gb.find_notebook(notebook, assignment).source_cells
    except MissingEntry:
        return set()
    return hidden_test_lines(c.source or "" for c in cells)


def _cells(snb, node, hidden: set[str] = frozenset()) -> tuple[CellRecord, ...]:
    """Cell records in notebook order; the grade's reason comes from the cell's error output,
    with any hidden-test text a student's code smuggled into it scrubbed out."""
    by_id = {C.grade_id(c): c for c in node.cells if C.grade_id(c)}
    order = {gid: i for i, gid in enumerate(by_id)}
    blank = C.unanswered(node.cells)
    comments = {c.name: (c.manual_comment or c.auto_comment or "") for c in snb.comments}
    records = []
    for g in sorted(snb.grades, key=lambda g: order.get(g.name, len(order))):
        cell = by_id.get(g.name, {})
        manual = g.cell_type == "markdown" or C.is_task(cell) or bool(C.nbgrader_meta(cell).get("solution"))
        error = C.error_of(cell) if not manual else None
        if g.manual_score is not None:
            score = float(g.manual_score)
        elif manual and g.needs_manual_grade:
            score = None  # nbgrader stores 0 for an ungraded answer: it is not a zero yet
        else:
            score = None if g.auto_score is None else float(g.auto_score)
        lost = score is not None and score < float(g.max_score or 0.0)
        answer = C.function_of(g.name)
        not_answered = answer if (lost and not manual and answer in blank) else ""
        reason = ""
        if g.needs_manual_grade and score is None:
            reason = "waiting for a TA to grade this answer"
        elif not_answered:
            reason = (f"{not_answered} is not answered yet: replace `{C.STUB}` in its answer cell with your "
                      "answer.")
        elif lost:
            reason = ("marked by a TA" + (": see the comment" if comments.get(g.name) else "")) if manual \
                else scrub(C.reason_for(g.name, error), hidden)
        records.append(CellRecord(
            name=g.name, aspect=C.aspect_of(g.name), score=score, max_score=float(g.max_score or 0.0),
            needs_manual=bool(g.needs_manual_grade), manual=manual,
            ename=error[0] if (error and lost) else "", reason=reason,
            comment=comments.get(g.name) or "", not_answered=not_answered,
            failed_in=C.failed_in_of(cell) if (lost and not manual) else "",
            results=C.results_of(cell) if not manual else ()))
    return tuple(records)


def student_images(node) -> list[str]:
    """Base64 PNGs displayed by the student's own code cells (grade cells excluded)."""
    out = []
    for cell in node.cells:
        if not C.is_student_cell(cell):
            continue
        for o in cell.get("outputs") or []:
            png = (o.get("data") or {}).get("image/png")
            if isinstance(png, list):
                png = "".join(png)
            if isinstance(png, str) and _is_png(png):
                out.append(png.strip())
    return out


def _is_png(b64: str) -> bool:
    try:
        return base64.b64decode(b64[:32] + "=" * (-len(b64[:32]) % 4))[:8] == b"\x89PNG\r\n\x1a\n"
    except Exception:
        return False

