"""Per-student feedback pages: points and the reason for every lost point, nothing hidden.

The page is built from NotebookRecords only (scores, student-facing messages, the
student's own plots), so it cannot show hidden test source, tracebacks or answer keys:
none of those is ever read into a record.

Pages are written to nbgrader's own place, ``feedback/<student>/<assignment>/<notebook>.html``,
so ``nbgrader release_feedback`` ships them; running ``nbgrader generate_feedback`` afterwards
would overwrite them with stock pages that show hidden tests, so run this instead of it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable

from .cells import ASPECT_ORDER
from ..course import Course, as_course
from .records import NOT_SUBMITTED, NotebookRecord
from .templates import FEEDBACK, render


def aspect_totals(record: NotebookRecord) -> list[tuple[str, float, float, int]]:
    """[(aspect, points, max points, cells still waiting for a TA)] in the summary table's
    order; the points count graded cells only."""
    got: dict[str, float] = {}
    top: dict[str, float] = {}
    waiting: dict[str, int] = {}
    for c in record.cells:
        got[c.aspect] = got.get(c.aspect, 0.0) + (c.score or 0.0)
        top[c.aspect] = top.get(c.aspect, 0.0) + c.max_score
        waiting[c.aspect] = waiting.get(c.aspect, 0) + (c.score is None)
    return [(a, got[a], top[a], waiting[a]) for a in ASPECT_ORDER if a in top]


def feedback_html(record: NotebookRecord) -> str:
    pending = sum(1 for c in record.cells if c.score is None)
    blank = list(dict.fromkeys(c.not_answered for c in record.cells if c.not_answered))
    return render(FEEDBACK, r=record, aspects=aspect_totals(record), pending=pending, blank=blank)


def write_feedback(root: Path | Course, records: Iterable[NotebookRecord]) -> list[Path]:
    """Write one page per submitted notebook; returns the paths written.

    nbgrader's ``release_feedback`` needs ``timestamp.txt`` and ``submission_secret.txt``
    beside the page: they are copied from the autograded folder when it has them.
    """
    course = as_course(root)
    written = []
    for r in records:
        if r.status == NOT_SUBMITTED:
            continue
        folder = course.folder("feedback", r.student, r.assignment)
        folder.mkdir(parents=True, exist_ok=True)
        for extra in ("timestamp.txt", "submission_secret.txt"):
            src = course.folder("autograded", r.student, r.assignment) / extra
            if src.is_file():
                shutil.copyfile(src, folder / extra)
        path = folder / f"{r.notebook}.html"
        if path.exists():
            path.chmod(0o644)  # stock feedback is written read-only
        path.write_text(feedback_html(r), encoding="utf-8")
        written.append(path)
    return written
