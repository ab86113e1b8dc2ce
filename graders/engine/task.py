"""What the runner sends a worker, and what comes back: the one contract between the rooms.

Both are frozen dataclasses of plain data (strings, numbers, dicts of them), so Dask can ship
them to a worker on another machine, and neither carries a live object of either side. A
notebook that could not be executed comes back in ``failed`` with its reason, never as a
string in the place of its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Task:
    """One submission, sanitized, for a worker to execute."""

    student: str
    assignment: str
    notebooks: Mapping[str, str]
    """Notebook name to its sanitized JSON (hidden tests restored from the gradebook)."""
    timeout: float
    """The cell time limit, seconds (``c.Execute.timeout``)."""
    budget_s: float | None = None
    """The whole notebook's time budget (``c.NotebookBudget.cells`` cell limits)."""
    course: str | None = None
    """The course folder, hidden from the kernel; None when there is none."""
    sandbox: bool | None = None
    """Run kernels in the sandbox (None: when bubblewrap is there)."""

    @property
    def key(self) -> str:
        return f"grade-{self.assignment}-{self.student}"


@dataclass(frozen=True)
class Executed:
    """A worker's answer for one submission."""

    student: str
    assignment: str
    notebooks: Mapping[str, str] = field(default_factory=dict)
    """Notebook name to its executed JSON, for nbgrader to score."""
    failed: Mapping[str, str] = field(default_factory=dict)
    """Notebook name to why it could not be executed (no JSON for it)."""
    timings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Notebook name to its seconds (start, cells, tests, overhead...) for ``--stats``."""
    worker: str = ""
    """``host:pid`` of the worker."""

    @classmethod
    def lost(cls, task: Task, reason: str) -> Executed:
        """The answer for a task whose worker never answered: every notebook failed."""
        return cls(task.student, task.assignment, failed={n: reason for n in task.notebooks})
