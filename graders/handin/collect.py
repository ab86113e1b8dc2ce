"""``python -m graders collect ASSIGNMENT ZIP``: an LMS download into nbgrader's ``submitted/``.

Every file in the zip ends in the table: placed, or not placed and why (unknown student,
wrong notebook name, not a notebook, older copy, hostile entry name...), so nothing is
dropped without a word. The rest is still placed when some file is not (exit 1); a zip or
roster that cannot be used stops everything (exit 2) before anything is written.

Built on nbgrader's zip_collect collector plugins (``lms``), not on its extractor or its
transfer step: those extract every entry to disk by name (setuptools' unpacker, with no size
cap, archives inside archives unpacked too, entries with ``..`` skipped silently), stop the
whole run on a duplicate without timestamps, and ``--force`` deletes existing submissions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..course import load_course, CourseError
from . import HandinError
from .lms import COLLECTORS, LABEL, LmsFile, detect
from .place import Incoming, place
from .roster import Match, no_roster_match, read_roster
from .safezip import ZipEntry, open_zip, read_entry

PLACED = ("placed", "replaced", "unchanged")


@dataclass(frozen=True)
class Row:
    entry: str
    """The zip entry's name."""
    student: str
    """The course student id it went to (or would have), '' when unknown."""
    result: str
    """'placed', 'replaced', 'unchanged', 'not placed' or 'ignored'."""
    note: str
    """Why not placed, or what the user should know about a placed file."""
    when: dt.datetime | None = None


@dataclass
class Outcome:
    assignment: str
    zip: Path
    lms: str
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if any(r.result == "not placed" for r in self.rows) else 0


@dataclass(frozen=True)
class Candidate:
    entry: ZipEntry
    file: LmsFile
    match: Match
    notebook: str
    copy: int

    def key(self) -> tuple:
        """Newest last: the zip's date, then the LMS's order (Canvas attachment id), then the copy number."""
        when = self.entry.when or dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        return when, self.file.order, self.copy, self.entry.name


def notebook_problem(data: bytes) -> str:
    """Why these bytes are not a notebook nbgrader can read, or ''."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not a notebook: not UTF-8 text"
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if not (isinstance(nb, dict) and nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list)
            and all(isinstance(c, dict) and "cell_type" in c for c in nb["cells"])):
        return "JSON but not a Jupyter notebook (no nbformat 4 'cells')"
    return ""


def which_notebook(f: LmsFile, expected: list[str]) -> tuple[str, int] | str:
    """(released notebook, copy number) this file is, or why it is none."""
    for name, copy in f.candidates():
        if name in expected:
            return name, copy
    want = ", ".join(expected)
    suffix = PurePosixPath(f.file_name).suffix
    if suffix != ".ipynb":
        return f"not a notebook ({suffix or 'no extension'} file {f.file_name!r}); expected {want}"
    return f"wrong notebook name {f.file_name!r} (expected {want})"


def collect(root: Path, assignment: str, zip_path: Path, roster_path: Path | None = None, lms: str = "auto",
            max_bytes: int = 1024 * 10**6, now: dt.datetime | None = None) -> Outcome:
    now = now or dt.datetime.now(dt.timezone.utc)
    course = load_course(root)
    expected = course.released_notebooks(assignment)
    if not expected:
        raise HandinError(f"no notebooks in {course.folder('release', '.', assignment)}: "
                          f"is {assignment!r} an assignment of this course?")
    roster = read_roster(roster_path) if roster_path else None
    zf, entries = open_zip(zip_path, max_bytes, course.zone())
    with zf:
        usable = [e for e in entries if not e.unsafe and not e.metadata]
        if lms == "auto":
            collector = detect([e.name for e in usable], course.config)
            if collector is None:
                raise HandinError(f"{zip_path}: no file in it is named the way Moodle, Canvas or "
                                  f"Google Classroom name downloaded submissions; pass --lms to say which LMS it came from")
        else:
            collector = COLLECTORS[lms](config=course.config)
        out = Outcome(assignment, Path(zip_path), collector.lms)
        if roster is None:
            out.warnings.append(f"no roster: student ids are the {LABEL[collector.lms]} names made folder-safe "
                                f"(e.g. 'Zoë Lee' -> 'zoe_lee'); pass --roster roster.csv "
                                f"(id,first_name,last_name,email[,lms_id]) to use the course's ids")
        candidates = []
        for e in sorted(entries, key=lambda e: e.name):
            c = _candidate(zf, e, collector, expected, roster, out)
            if c is not None:
                candidates.append(c)
        for student, group in _by_student(candidates, out).items():
            _place_student(course, zf, assignment, student, group, now, out)
    return out


def _candidate(zf, e: ZipEntry, collector, expected, roster, out: Outcome) -> Candidate | None:
    def refuse(note: str, student: str = "") -> None:
        out.rows.append(Row(e.name, student, "not placed", note, e.when))

    if e.metadata:
        out.rows.append(Row(e.name, "", "ignored", "operating-system metadata, not a student's file"))
        return None
    if e.unsafe:
        return refuse(e.unsafe)
    f = collector.parse(e.name)
    if f is None:
        return refuse(f"not named as a {LABEL[collector.lms]} download names files "
                      f"(e.g. {collector.example.replace('NOTEBOOK', expected[0])})")
    nb = which_notebook(f, expected)
    match = roster.match(f) if roster is not None else no_roster_match(f)
    if isinstance(nb, str):
        return refuse(nb, match.student)
    if not match.student:
        return refuse(match.how)
    try:
        problem = notebook_problem(read_entry(zf, e))
    except ValueError as exc:
        problem = str(exc)
    if problem:
        return refuse(problem, match.student)
    return Candidate(e, f, match, nb[0], nb[1])


def _by_student(candidates: list[Candidate], out: Outcome) -> dict[str, list[Candidate]]:
    """Candidates per student; two LMS people landing on one student id are refused, not merged."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        groups[c.match.student].append(c)
    for student, group in list(groups.items()):
        ids = {c.file.lms_id for c in group if c.file.lms_id}
        if len(ids) > 1 and any(c.match.how != "lms id" for c in group):
            for c in group:
                out.rows.append(Row(c.entry.name, student, "not placed",
                                    f"{len(ids)} different {LABEL[c.file.lms]} people ({', '.join(sorted(ids))}) "
                                    f"would become student {student!r}: add them to the roster with their lms_id",
                                    c.entry.when))
            del groups[student]
    return groups


def _place_student(course, zf, assignment: str, student: str, group: list[Candidate], now, out: Outcome) -> None:
    winners: dict[str, Candidate] = {}
    for c in sorted(group, key=Candidate.key):
        winners[c.notebook] = c  # sorted oldest first: the newest of each notebook wins
    for c in group:
        w = winners[c.notebook]
        if c is not w:
            out.rows.append(Row(c.entry.name, student, "not placed",
                                f"older copy of {c.notebook}: {w.entry.name} is newer and was placed", c.entry.when))
    chosen = sorted(winners.values(), key=lambda c: c.notebook)
    dated = [c.entry.when for c in chosen if c.entry.when is not None]
    when = max(dated) if dated else now
    first = chosen[0].file
    record = {"lms": first.lms, "lms_id": first.lms_id, "lms_name": first.lms_name, "folder": first.folder,
              "files": {c.notebook: c.entry.name for c in chosen}, "zip": out.zip.name,
              "matched_by": chosen[0].match.how, "late": any(c.file.late for c in chosen)}
    files = {c.notebook: read_entry(zf, c.entry) for c in chosen}
    placement = place(course, assignment, Incoming(student, files, when, record), now)
    for c in chosen:
        notes = []
        copies = sum(1 for g in group if g.notebook == c.notebook)
        if copies > 1:
            notes.append(f"newest of {copies} copies")
        if c.match.how == "name":
            notes.append("matched to the roster by name")
        if c.file.late:
            notes.append(f"{LABEL[c.file.lms]} marked it late")
        if not dated:
            notes.append("no date in the zip: timestamp is the time of collecting")
        if placement.detail:
            notes.append(placement.detail)
        out.rows.append(Row(c.entry.name, student, placement.status, "; ".join(notes), when))


def run(args) -> int:
    """The verb: collect, print the table (warnings to stderr); 2 with a one-line error when it cannot start."""
    import sys

    from .table import render

    try:
        out = collect(args.root, args.assignment, args.zip, args.roster, args.lms, int(args.max_mb * 10**6))
    except CourseError as exc:  # HandinError, or the course's own config
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for w in out.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print("\n".join(render(out, str(args.roster) if args.roster else None)))
    return out.exit_code
