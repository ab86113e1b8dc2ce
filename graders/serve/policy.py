"""The course's submission policy: traitlets set in ``nbgrader_config.py``, as every setting.

    c.SubmissionPolicy.per_hour = 6            # submissions per student and assignment, any 60 minutes
    c.SubmissionPolicy.deadlines = {"04_softmax": "2026-12-10 23:59:00 Europe/London"}
    c.SubmissionPolicy.late = "accept"         # or "refuse"
    c.SubmissionPolicy.before_deadline = "public"   # or "all"
    c.SubmissionPolicy.max_upload_mb = 8.0

The rate limit is what keeps the hidden checks from becoming a free oracle: a student who
could submit without limit could probe them. Deadlines fall back to the gradebook's
(``nbgrader db assignment add --duedate``), so nbgrader's late-penalty plugin and this service
agree; an assignment with neither has no deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from traitlets import Dict, Enum, Float, Int, Unicode
from traitlets.config import Configurable

from ..course import Course, parse_timestamp
from . import ServeError


class SubmissionPolicy(Configurable):
    per_hour = Int(6, help="Submissions a student may make to one assignment in any 60 minutes "
                           "(0: no limit). Past it the service answers 429 with the time to wait.").tag(config=True)
    deadlines = Dict(value_trait=Unicode(), default_value={},
                     help="Assignment name to its deadline ('2026-12-10 23:59:00 UTC', any zone nbgrader "
                          "reads); an assignment not named here uses its gradebook duedate.").tag(config=True)
    late = Enum(["accept", "refuse"], default_value="accept",
                help="After the deadline: 'accept' (graded, marked late; nbgrader's late-submission plugin "
                     "applies any penalty) or 'refuse' (403, nothing written).").tag(config=True)
    before_deadline = Enum(["public", "all"], default_value="public",
                           help="What a student sees before the deadline: 'public' (the outcome of the visible "
                                "checks, as running the notebook shows it; points and hidden checks after the "
                                "deadline) or 'all' (the full feedback page at once).").tag(config=True)
    max_upload_mb = Float(8.0, help="Largest notebook accepted, in megabytes (413 past it).").tag(config=True)
    state = Unicode("service", help="The service's own folder, relative to the course root: its SQLite "
                                    "store and every upload as received.").tag(config=True)

    @property
    def max_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


def load_policy(course: Course) -> SubmissionPolicy:
    """The policy in the course's config; ServeError naming the setting when it is unusable."""
    policy = SubmissionPolicy(config=course.config)
    if policy.per_hour < 0:
        raise ServeError(f"c.SubmissionPolicy.per_hour must be 0 (no limit) or more, got {policy.per_hour}")
    if not policy.max_upload_mb > 0:
        raise ServeError(f"c.SubmissionPolicy.max_upload_mb must be positive, got {policy.max_upload_mb}")
    for name, text in policy.deadlines.items():
        if parse_timestamp(text) is None:
            raise ServeError(f"c.SubmissionPolicy.deadlines[{name!r}] = {text!r} is not a date nbgrader reads")
    return policy


def deadline(policy: SubmissionPolicy, assignment: str,
             duedates: Mapping[str, dt.datetime] | None = None) -> dt.datetime | None:
    """The assignment's deadline as a naive UTC datetime (the course's convention), or None."""
    text = policy.deadlines.get(assignment)
    if text:
        return parse_timestamp(text)
    return duedates.get(assignment) if duedates is not None else None


def gradebook_duedates(course: Course) -> dict[str, dt.datetime]:
    """Every assignment's duedate in the gradebook (nbgrader stores them naive, in UTC); {}
    while a SQLite gradebook does not exist yet (reading it would create it)."""
    url = course.gradebook_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return {}
    with course.gradebook() as gb:
        return {a.name: a.duedate for a in gb.assignments if a.duedate is not None}


class Duedates(Mapping):
    """The gradebook's duedates, read again when older than ``ttl`` seconds: an instructor who
    sets one with ``nbgrader db assignment add --duedate`` while the service runs is heard
    within a minute. A failed read keeps the last one (and is logged)."""

    def __init__(self, course: Course, ttl: float = 60.0) -> None:
        self.course, self.ttl = course, ttl
        self.lock = threading.Lock()
        self.read_at = -float("inf")
        self.data: dict[str, dt.datetime] = {}

    def _fresh(self) -> dict[str, dt.datetime]:
        with self.lock:
            if time.monotonic() - self.read_at > self.ttl:
                try:
                    self.data = gradebook_duedates(self.course)
                except Exception:  # a gradebook busy or unreachable for a moment
                    logging.getLogger("graders.serve").exception("could not read the gradebook's duedates")
                self.read_at = time.monotonic()
            return self.data

    def __getitem__(self, name: str) -> dt.datetime:
        return self._fresh()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fresh())

    def __len__(self) -> int:
        return len(self._fresh())
