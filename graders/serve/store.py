"""The service's own state: one SQLite file beside the uploads, never nbgrader's gradebook.

Two tables. ``tokens``: a SHA-256 of each secret (a token is 32 random bytes, so a fast hash
is safe; the secret itself is printed once and never stored), whose it is and its role.
``submissions``: the queue and its history, one row per acknowledged upload, which is how
the service keeps its promises across a crash:

- a row is committed (``synchronous=FULL``) before the upload is acknowledged;
- a row is moved from ``queued`` to ``grading`` by :meth:`Store.claim`, which counts the
  attempt, and to a final status by :meth:`Store.finish` only from ``grading``, so a result
  is recorded once;
- on start, :meth:`Store.resume` puts back rows a killed service left in ``grading``;
- a newer upload of the same student and assignment marks queued older ones ``superseded``
  in the same transaction that adds it.

Every call opens its own connection, so the HTTP threads and the grading thread never
share one; ``BEGIN IMMEDIATE`` makes each read-then-write step atomic.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

QUEUED, GRADING, GRADED, NOT_GRADED, SUPERSEDED = "queued", "grading", "graded", "could not grade", "superseded"
FINAL = (GRADED, NOT_GRADED)
STUDENT, STAFF = "student", "staff"

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'staff')),
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE INDEX IF NOT EXISTS tokens_holder ON tokens (holder, role);
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    notebook TEXT NOT NULL,
    received TEXT NOT NULL,
    late_s REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    score REAL,
    max_score REAL,
    waiting REAL,
    superseded_by TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    started TEXT,
    finished TEXT,
    seconds REAL
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status, seq);
CREATE INDEX IF NOT EXISTS submissions_who ON submissions (student, assignment, received);
"""


def now() -> dt.datetime:
    """Naive UTC, the course's convention (graders.course.parse_timestamp)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Submission:
    seq: int
    id: str
    student: str
    assignment: str
    notebook: str
    received: str
    late_s: float
    status: str
    detail: str
    score: float | None
    max_score: float | None
    waiting: float | None
    """Points of answers still waiting for a TA (counted in max_score, not yet in score)."""
    superseded_by: str | None
    attempts: int
    started: str | None
    finished: str | None
    seconds: float | None


class Store:
    """The SQLite file at ``path`` (created with its tables when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextlib.contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA synchronous=FULL")
        try:
            if write:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            else:
                yield db
        finally:
            db.close()

    # tokens -------------------------------------------------------------------------------
    def add_token(self, holder: str, role: str = STUDENT) -> str:
        """A new secret for ``holder``; only its hash is kept."""
        token = new_token()
        with self._connect(write=True) as db:
            db.execute("INSERT INTO tokens (hash, holder, role, created) VALUES (?, ?, ?, ?)",
                       (hash_token(token), holder, role, iso(now())))
        return token

    def has_token(self, holder: str, role: str = STUDENT) -> bool:
        with self._connect() as db:
            return db.execute("SELECT 1 FROM tokens WHERE holder = ? AND role = ? AND revoked IS NULL",
                              (holder, role)).fetchone() is not None

    def revoke(self, holder: str) -> int:
        """Revoke every live token of ``holder``; how many were revoked."""
        with self._connect(write=True) as db:
            return db.execute("UPDATE tokens SET revoked = ? WHERE holder = ? AND revoked IS NULL",
                              (iso(now()), holder)).rowcount

    def who(self, token: str) -> tuple[str, str] | None:
        """(holder, role) of a live token, or None."""
        if not token or len(token) > 200:
            return None
        with self._connect() as db:
            row = db.execute("SELECT holder, role FROM tokens WHERE hash = ? AND revoked IS NULL",
                             (hash_token(token),)).fetchone()
        return (row["holder"], row["role"]) if row else None

    # submissions --------------------------------------------------------------------------
    def recent_count(self, student: str, assignment: str, since: dt.datetime) -> tuple[int, str | None]:
        """Uploads by ``student`` to ``assignment`` received after ``since``, and the oldest one's time."""
        with self._connect() as db:
            row = db.execute("SELECT COUNT(*) AS n, MIN(received) AS first FROM submissions "
                             "WHERE student = ? AND assignment = ? AND received > ?",
                             (student, assignment, iso(since))).fetchone()
        return row["n"], row["first"]

    def add(self, sid: str, student: str, assignment: str, notebook: str, received: dt.datetime,
            late_s: float) -> list[str]:
        """Queue a submission; returns the ids of the queued older ones it superseded."""
        with self._connect(write=True) as db:
            older = [r["id"] for r in db.execute(
                "SELECT id FROM submissions WHERE student = ? AND assignment = ? AND status = ?",
                (student, assignment, QUEUED))]
            db.execute("UPDATE submissions SET status = ?, superseded_by = ?, finished = ?, "
                       "detail = 'a newer submission replaced it before it was graded' "
                       "WHERE student = ? AND assignment = ? AND status = ?",
                       (SUPERSEDED, sid, iso(now()), student, assignment, QUEUED))
            db.execute("INSERT INTO submissions (id, student, assignment, notebook, received, late_s, status) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (sid, student, assignment, notebook, iso(received), late_s,
                                                        QUEUED))
        return older

    def claim(self, busy: set[tuple[str, str]] = frozenset()) -> Submission | None:
        """The oldest queued submission whose (student, assignment) is not being graded,
        moved to ``grading`` with one more attempt; None when there is none."""
        with self._connect(write=True) as db:
            grading = {(r["student"], r["assignment"]) for r in
                       db.execute("SELECT student, assignment FROM submissions WHERE status = ?", (GRADING,))}
            for row in db.execute("SELECT * FROM submissions WHERE status = ? ORDER BY seq", (QUEUED,)):
                if (row["student"], row["assignment"]) in grading | set(busy):
                    continue
                db.execute("UPDATE submissions SET status = ?, attempts = attempts + 1, started = ? WHERE seq = ?",
                           (GRADING, iso(now()), row["seq"]))
                return Submission(**{**dict(row), "status": GRADING, "attempts": row["attempts"] + 1})
        return None

    def finish(self, sid: str, status: str, detail: str, score: float | None, max_score: float | None,
               seconds: float, waiting: float | None = None) -> bool:
        """Record a result once: only a submission in ``grading`` moves; False otherwise."""
        assert status in FINAL, status
        with self._connect(write=True) as db:
            return db.execute("UPDATE submissions SET status = ?, detail = ?, score = ?, max_score = ?, waiting = ?, "
                              "finished = ?, seconds = ? WHERE id = ? AND status = ?",
                              (status, detail, score, max_score, waiting, iso(now()), seconds, sid,
                               GRADING)).rowcount == 1

    def resume(self) -> int:
        """Put back in the queue what a stopped service was grading; how many."""
        with self._connect(write=True) as db:
            return db.execute("UPDATE submissions SET status = ?, started = NULL WHERE status = ?",
                              (QUEUED, GRADING)).rowcount

    def get(self, sid: str) -> Submission | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone()
        return Submission(**dict(row)) if row else None

    def listing(self, statuses: tuple[str, ...] | None = None, limit: int = 100,
                student: str | None = None) -> list[Submission]:
        """Submissions, newest first (only those statuses, or that student, when given)."""
        where, args = [], []
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            args.extend(statuses)
        if student:
            where.append("student = ?")
            args.append(student)
        sql = "SELECT * FROM submissions" + (" WHERE " + " AND ".join(where) if where else "")
        with self._connect() as db:
            rows = db.execute(sql + " ORDER BY seq DESC LIMIT ?", (*args, limit)).fetchall()
        return [Submission(**dict(r)) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._connect() as db:
            return {r["status"]: r["n"] for r in
                    db.execute("SELECT status, COUNT(*) AS n FROM submissions GROUP BY status")}
