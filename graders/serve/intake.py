"""One upload, checked and written before it is acknowledged.

Every refusal is a :class:`Refused` with the HTTP status and a sentence the student can act
on, raised before anything is written: an unknown assignment (404), a file name with a
path in it (400), bytes that are not JSON or not a notebook (400), a notebook of another
assignment (422), too large (413), past the deadline when the course refuses late work (403),
past the rate limit (429, with the seconds to wait).

An accepted upload is written twice before :meth:`Intake.accept` returns: as received, to
``<state>/uploads/<id>/<notebook>.ipynb`` (what the grader reads, so a newer upload can never
change what an older one is graded on), and into nbgrader's
``submitted/<student>/<assignment>/`` with ``timestamp.txt`` by
:func:`graders.handin.place.place` (an older submission there is moved aside, never deleted).
Then the queue row is committed. A crash before the commit leaves the files in
``submitted/``, where ``python -m graders autograde`` finds them, and no acknowledgement.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from ..cells import grade_id, is_grade
from ..course import Course
from ..handin.place import Incoming, place
from .policy import SubmissionPolicy, deadline
from .store import Store, now, parse_iso

CONTROL = {chr(i) for i in range(32)} | {"\x7f"}


class Refused(Exception):
    """An upload the service will not take: nothing was written."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


@dataclass(frozen=True)
class Accepted:
    id: str
    late_s: float
    superseded: list[str]


def check_filename(name: str) -> str:
    """The upload's file name when it is a plain ``*.ipynb`` name; Refused(400) otherwise."""
    if not name:
        raise Refused(400, "the upload has no file name: send the notebook as a file (field 'notebook')")
    if any(ch in CONTROL for ch in name) or "/" in name or "\\" in name or name in (".", "..") \
            or name.startswith(".") or ".." in name:
        raise Refused(400, f"the file name {name[:80]!r} holds a path or control characters: "
                           f"send the notebook file itself, e.g. 04_softmax.ipynb")
    if not name.lower().endswith(".ipynb"):
        raise Refused(400, f"{name[:80]!r} is not a notebook (.ipynb): download it with File > Download .ipynb")
    return name


def graded_ids(released: Path) -> set[str]:
    """The grade cells' ids of a released notebook (empty when it cannot be read)."""
    import nbformat

    try:
        return {grade_id(c) for c in nbformat.read(released, as_version=4).cells if is_grade(c)}
    except (OSError, ValueError):
        return set()


def read_notebook(data: bytes, assignment: str, released: Path, ours: set[str]) -> object:
    """The upload as a notebook; Refused naming what is wrong with it. ``ours`` are the
    released notebook's grade cell ids (:func:`graded_ids`)."""
    import nbformat

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"the file is not text (byte {exc.start} is not UTF-8): is it really a .ipynb?") from None
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise Refused(400, f"the file is not valid JSON ({exc}): it may be truncated; download it again") from None
    if not isinstance(raw, dict) or "cells" not in raw or "nbformat" not in raw:
        raise Refused(400, "the file is JSON but not a Jupyter notebook (no 'cells' or 'nbformat')")
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several types for a broken notebook
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise Refused(400, f"the file is not a valid notebook: {first}") from None
    theirs = {grade_id(c) for c in nb.cells if is_grade(c)}
    if ours and not theirs & ours:
        raise Refused(422, f"this notebook has none of {assignment}'s graded cells: is it the right assignment? "
                           f"Start from the released {released.name} and keep its cells")
    return nb


class Intake:
    """Checks and writes uploads; one at a time (the rate limit reads and writes the queue)."""

    def __init__(self, course: Course, policy: SubmissionPolicy, store: Store, state: Path,
                 duedates: dict[str, dt.datetime]) -> None:
        self.course, self.policy, self.store, self.state = course, policy, store, state
        self.duedates = duedates
        self.lock = threading.Lock()
        self.notebooks = self._notebooks()
        self.graded: dict[str, set[str]] = {}
        """Assignment to its released notebook's grade cell ids, read on its first upload."""

    def _notebooks(self) -> dict[str, str]:
        """Assignment to the one released notebook's name: what the service can take."""
        out = {}
        for a in self.course.assignments():
            names = self.course.released_notebooks(a)
            if len(names) == 1:
                out[a] = names[0]
        return out

    def assignment(self, name: str) -> str:
        if name not in self.notebooks:
            known = ", ".join(sorted(self.notebooks)) or "none"
            raise Refused(404, f"no assignment {name[:80]!r} takes submissions here; the assignments are: {known}")
        return self.notebooks[name]

    def accept(self, student: str, assignment: str, filename: str, data: bytes) -> Accepted:
        notebook = self.assignment(assignment)
        check_filename(filename)
        if len(data) > self.policy.max_bytes:
            raise Refused(413, f"the notebook is {len(data) / 1e6:.1f} MB; the limit is "
                               f"{self.policy.max_upload_mb:g} MB (clear large outputs: Edit > Clear all outputs)")
        released = self.course.folder("release", ".", assignment) / notebook
        if assignment not in self.graded:  # read once: the release does not change under the service
            self.graded[assignment] = graded_ids(released)
        read_notebook(data, assignment, released, self.graded[assignment])
        with self.lock:
            when = now()
            due = deadline(self.policy, assignment, self.duedates)
            late_s = max(0.0, (when - due).total_seconds()) if due else 0.0
            if late_s and self.policy.late == "refuse":
                raise Refused(403, f"the deadline of {assignment} was {due:%Y-%m-%d %H:%M} UTC; "
                                   f"this course does not accept late submissions")
            self._rate(student, assignment, when)
            sid = secrets.token_urlsafe(12)
            self._archive(sid, notebook, data)
            placed = place(self.course, assignment,
                           Incoming(student, {notebook: data}, when.replace(tzinfo=dt.timezone.utc),
                                    {"via": "submission service", "submission": sid}),
                           when.replace(tzinfo=dt.timezone.utc))
            if not placed.placed:
                raise Refused(409, f"the submission could not be written: {placed.detail}")
            superseded = self.store.add(sid, student, assignment, Path(notebook).stem, when, late_s)
        return Accepted(sid, late_s, superseded)

    def _rate(self, student: str, assignment: str, when: dt.datetime) -> None:
        limit = self.policy.per_hour
        if not limit:
            return
        n, first = self.store.recent_count(student, assignment, when - dt.timedelta(hours=1))
        if n >= limit:
            wait = int((parse_iso(first) + dt.timedelta(hours=1) - when).total_seconds()) + 1
            raise Refused(429, f"you have submitted {assignment} {n} times in the last hour, the course's limit; "
                               f"try again in {_minutes(wait)} (run the notebook's own checks meanwhile)",
                          retry_after=wait)

    def upload_path(self, sid: str, notebook: str) -> Path:
        return self.state / "uploads" / sid / f"{notebook}.ipynb"

    def _archive(self, sid: str, notebook: str, data: bytes) -> None:
        path = self.upload_path(sid, Path(notebook).stem)
        path.parent.mkdir(parents=True)
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _minutes(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} s"
    return f"{(seconds + 59) // 60} min"
