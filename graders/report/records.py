"""Plain records of a graded class: what feedback, reports and exports are built from.

Reading nbgrader's gradebook and notebooks once, into frozen dataclasses, keeps the three
outputs consistent (the same scores, statuses and reasons) and testable without nbgrader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GRADED = "graded"
NEEDS_MANUAL = "needs manual grading"
NOT_GRADED = "could not grade"
NOT_SUBMITTED = "not submitted"


@dataclass(frozen=True)
class CellRecord:
    """One grade cell (autograded test or manually graded answer) of one submission."""

    name: str
    """The cell's grade_id, e.g. ``softmax_speed`` or ``q3``."""

    aspect: str
    """What the cell grades: correctness, shape, loops, speed, ... (see cells.ASPECTS)."""

    score: float | None
    """Points awarded; None while a manually graded cell waits for a TA."""

    max_score: float

    needs_manual: bool = False
    """True while a TA still has to grade (or confirm) this cell."""

    manual: bool = False
    """True for a manually graded answer (task or written cell)."""

    ename: str = ""
    """Name of the error the cell raised ('' when it passed): AssertionError, NameError, ..."""

    reason: str = ""
    """Student-facing reason for lost points; '' when full marks. Never test source."""

    comment: str = ""
    """The TA's comment on this cell, if any."""

    not_answered: str = ""
    """The answer this cell grades when the student has not written it yet (its answer cell
    still holds the release's ``raise NotImplementedError()``), else ''."""

    failed_in: str = ""
    """Which part of the test cell failed: 'visible' (a check the student has in the released
    notebook), 'hidden', or '' (unknown, or nothing failed). The submission service shows
    only visible failures before the deadline."""

    results: tuple = field(default=(), repr=False, compare=False)
    """What every check of the cell found, as data (``graders.result.Result.as_data``: check,
    passed, details), as the grading engine stored it; empty when the cell was graded
    elsewhere (stock nbgrader) or raised before any check ran."""

    @property
    def lost(self) -> bool:
        return self.score is not None and self.score < self.max_score

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.max_score


@dataclass(frozen=True)
class NotebookRecord:
    """One student's graded notebook (or the reason it could not be graded)."""

    student: str
    assignment: str
    notebook: str
    status: str
    """GRADED, NEEDS_MANUAL, NOT_GRADED or NOT_SUBMITTED."""

    reason: str = ""
    """Why the notebook could not be graded ('' otherwise)."""

    max_score: float = 0.0
    cells: tuple[CellRecord, ...] = ()
    images: tuple[str, ...] = field(default=(), repr=False)
    """Base64 PNGs the student's own cells displayed."""

    timestamp: str = ""
    """Submission time as nbgrader recorded it ('' when unknown)."""

    seconds_late: float = 0.0
    late_penalty: float = 0.0
    """Points nbgrader's late-submission plugin deducted (0 when none configured)."""

    @property
    def key(self) -> str:
        """``04_softmax``, or ``assignment/notebook`` when the names differ."""
        return self.assignment if self.notebook == self.assignment else f"{self.assignment}/{self.notebook}"

    @property
    def score(self) -> float:
        """Raw points (before late penalty); a cell awaiting a TA counts 0."""
        return float(sum(c.score or 0.0 for c in self.cells))

    @property
    def auto_score(self) -> float:
        return float(sum(c.score or 0.0 for c in self.cells if not c.manual))

    @property
    def graded(self) -> bool:
        """True when there are scores to show (graded, or graded apart from manual cells)."""
        return self.status in (GRADED, NEEDS_MANUAL)
