"""Writing one student's submission into ``submitted/`` without losing anything already there.

A submission already in ``submitted/<student>/<assignment>/`` is never deleted: when the
incoming one is newer (or the old one has no readable timestamp) the old folder is moved to
``submitted/.replaced/<student>/<assignment>-<when moved>/``; when the old one is newer it
stays and the incoming one is reported. nbgrader never looks there: its globs
(``submitted/*/<assignment>``) skip dot-folders, and even unskipped the folder holds no
``<assignment>`` sub-folder. The new folder is built beside the final one, complete, and then
swapped with the old one in one atomic ``renameat2(RENAME_EXCHANGE)`` (Linux; elsewhere two
renames), so a reader (the grader) or an interrupted run always finds a whole submission at
``submitted/<student>/<assignment>/``, the old one or the new one, never none or half.

Besides the notebooks and nbgrader's ``timestamp.txt``, the folder gets ``lms.json``: what the
LMS called the submission (Moodle's participant folder), which pack-feedback needs later.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..course import Course, as_utc, parse_timestamp

LMS_RECORD = "lms.json"
REPLACED = ".replaced"


@dataclass(frozen=True)
class Incoming:
    student: str
    files: dict[str, bytes]
    """Notebook file name -> the bytes from the zip, written as they are."""
    when: dt.datetime
    """When it was handed in (aware), written to timestamp.txt."""
    record: dict
    """What the LMS called it, written to lms.json."""


@dataclass(frozen=True)
class Placement:
    placed: bool
    """The incoming submission is what submitted/ now holds."""
    status: str
    """'placed', 'replaced', 'unchanged' or 'not placed'."""
    detail: str
    """The table's note: where the old one went, or why nothing was written."""


def _linked(course: Course, dest: Path) -> Path | None:
    """The first symbolic link between submitted/ and ``dest`` (writing through one could land anywhere)."""
    top = course.step_root("submitted")
    for p in [*reversed(dest.relative_to(top).parents), dest.relative_to(top)]:
        if p != Path(".") and (top / p).is_symlink():
            return top / p
    return None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same(dest: Path, files: dict[str, bytes]) -> bool:
    return all((dest / name).is_file() and (dest / name).read_bytes() == data for name, data in files.items())


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False when the
    system cannot, and nothing was changed."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system or kernel without it
        return False
    raise OSError(err, os.strerror(err), str(b))


def set_aside(course: Course, student: str, assignment: str, now: dt.datetime, src: Path | None = None) -> Path:
    """Move the current submission (or ``src``, which holds it) to
    submitted/.replaced/<student>/<assignment>-<now>/; returns where."""
    dest = src or course.folder("submitted", student, assignment)
    base = course.step_root("submitted") / REPLACED / student
    stamp = as_utc(now).strftime("%Y%m%dT%H%M%SZ")
    target, n = base / f"{assignment}-{stamp}", 1
    while target.exists():
        n += 1
        target = base / f"{assignment}-{stamp}-{n}"
    base.mkdir(parents=True, exist_ok=True)
    shutil.move(str(dest), str(target))
    return target


def place(course: Course, assignment: str, incoming: Incoming, now: dt.datetime) -> Placement:
    dest = course.folder("submitted", incoming.student, assignment)
    link = _linked(course, dest)
    if link is not None:
        return Placement(False, "not placed", f"{link} is a symbolic link: not writing through it")
    new_ts = as_utc(incoming.when)
    moved = None
    if dest.exists():
        old_ts = parse_timestamp((dest / "timestamp.txt").read_text(errors="replace")) \
            if (dest / "timestamp.txt").is_file() else None
        if old_ts is not None and old_ts > new_ts:
            return Placement(False, "not placed",
                             f"submitted/ already holds a newer submission ({old_ts:%Y-%m-%d %H:%M} UTC, "
                             f"this one {new_ts:%Y-%m-%d %H:%M}): kept it")
        if old_ts == new_ts and _same(dest, incoming.files):
            return Placement(True, "unchanged", "already in submitted/")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.incoming-", dir=dest.parent))
    tmp.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide the submission from the course's TAs
    for name, data in incoming.files.items():
        (tmp / name).write_bytes(data)
    (tmp / "timestamp.txt").write_text(course.format_timestamp(incoming.when))
    (tmp / LMS_RECORD).write_text(json.dumps(incoming.record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not dest.exists():
        os.rename(tmp, dest)
    elif exchange(tmp, dest):  # dest is the new submission now, tmp the old one
        moved = set_aside(course, incoming.student, assignment, now, src=tmp)
    else:
        moved = set_aside(course, incoming.student, assignment, now)
        os.rename(tmp, dest)
    if moved is not None:
        return Placement(True, "replaced", f"the older one moved to {moved.relative_to(course.root)}")
    return Placement(True, "placed", "")


def lms_record(course: Course, student: str, assignment: str) -> dict:
    """The lms.json collect left beside a submission ({} when there is none or it is unreadable)."""
    path = course.folder("submitted", student, assignment) / LMS_RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
