"""Who an LMS file belongs to in the course: LMS ids and names mapped to nbgrader student ids.

The roster is nbgrader's own (``id,first_name,last_name,email``, what ``nbgrader db student
import`` reads) plus an optional ``lms_id`` column (Moodle participant id or Canvas user id).
An LMS id found in the roster decides; otherwise the name does, compared without case,
accents, spaces or punctuation in either order (so Canvas's ``lastnamefirstname`` and
Moodle's "First Last" or "Last First" all match), and only when one student has it.
Without a roster the LMS's name, made a safe folder name, is the student id: a name is the
one thing all three LMSs give, and Moodle's participant id changes with every assignment.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import HandinError
from .lms import LmsFile

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")


def squash(text: str) -> str:
    """Letters and digits only, accents dropped, case folded: 'Zoë  O'Brien' -> 'zoeobrien'."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def safe_id(name: str) -> str:
    """A folder name from an LMS name: 'Zoë O'Brien' -> 'zoe_o_brien' ('' when nothing is left)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:64]


@dataclass(frozen=True)
class Match:
    student: str
    """The course's student id ('' when none)."""
    how: str
    """'lms id', 'name', 'no roster', or why there is no student (the table's reason)."""


@dataclass
class Roster:
    path: Path
    by_lms_id: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)
    lms_id_of: dict[str, str] = field(default_factory=dict)
    people: dict[str, dict[str, str]] = field(default_factory=dict)
    """Student id to its roster columns first_name, last_name and email ('' when absent)."""

    def match(self, f: LmsFile) -> Match:
        if f.lms_id and f.lms_id in self.by_lms_id:
            return Match(self.by_lms_id[f.lms_id], "lms id")
        ids = self.by_name.get(squash(f.lms_name), set())
        if len(ids) == 1:
            student = next(iter(ids))
            known = self.lms_id_of.get(student, "")
            if f.lms == "canvas" and known and f.lms_id and known != f.lms_id:  # Canvas ids never change
                return Match("", f"{f.who()} has the name of {student}, whose lms_id in {self.path.name} is {known}")
            return Match(student, "name")
        if len(ids) > 1:
            return Match("", f"{f.who()} matches several students in {self.path.name}: {', '.join(sorted(ids))}")
        return Match("", f"unknown student {f.who()}: not in {self.path.name}")


def no_roster_match(f: LmsFile) -> Match:
    student = safe_id(f.lms_name)
    if not student:
        return Match("", f"no usable student name in {f.lms_name!r}: pass --roster")
    return Match(student, "no roster")


def read_roster(path: Path) -> Roster:
    """The roster at ``path``; HandinError naming the file and line when it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HandinError(f"no such roster: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HandinError(f"cannot read roster {path}: {exc}") from None
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as exc:
        raise HandinError(f"roster {path} is not valid CSV: {exc}") from None
    columns = set(rows[0]) if rows else set()
    if "id" not in columns:
        raise HandinError(f"roster {path} has no 'id' column (nbgrader's roster columns: "
                          f"id,first_name,last_name,email[,lms_id])")
    roster = Roster(path)
    for line, row in enumerate(rows, start=2):
        sid = (row.get("id") or "").strip()
        if not SAFE_ID.fullmatch(sid):
            raise HandinError(f"roster {path} line {line}: student id {sid!r} is not a safe folder name")
        lms_id = (row.get("lms_id") or "").strip()
        if lms_id:
            if roster.by_lms_id.get(lms_id, sid) != sid:
                raise HandinError(f"roster {path} line {line}: lms_id {lms_id} is also student "
                                  f"{roster.by_lms_id[lms_id]}'s")
            roster.by_lms_id[lms_id] = sid
            roster.lms_id_of[sid] = lms_id
        first, last = (row.get("first_name") or "").strip(), (row.get("last_name") or "").strip()
        if sid in roster.people:
            raise HandinError(f"roster {path} line {line}: student id {sid} appears twice")
        roster.people[sid] = {"first_name": first, "last_name": last, "email": (row.get("email") or "").strip()}
        for key in {squash(first + last), squash(last + first)} - {""}:
            roster.by_name.setdefault(key, set()).add(sid)
    return roster
