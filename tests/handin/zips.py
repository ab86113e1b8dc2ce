"""Zips as each LMS downloads them, and a small course to collect them into.

Entry names follow the real layouts (see graders/handin/lms.py): Moodle's participant
folders and older flat files, Canvas's lastnamefirstname_userid_attachmentid_file, Google
Classroom's "First Last - file" from a Drive folder download. Dates are written into the
entries as an LMS does, so "the latest wins" is decided by what the zip says.
"""

from __future__ import annotations

import json
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

A = "04_softmax"
CONFIG = 'c = get_config()\nc.CourseDirectory.course_id = "pnd4dl"\n'


def notebook(tag: str = "answer") -> bytes:
    """A small valid nbformat 4 notebook whose one cell says ``tag`` (to tell copies apart)."""
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
                     "source": f"# {tag}\n"}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1).encode()


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes = b""
    when: tuple = (2026, 12, 4, 15, 23, 0)
    symlink: bool = False
    utc: int | None = None
    """A Unix time to store in an extended-timestamp (0x5455) field."""


def write_zip(path: Path, entries: list[Entry]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for e in entries:
            info = zipfile.ZipInfo(e.name, e.when)
            info.compress_type = zipfile.ZIP_DEFLATED
            if e.symlink:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            if e.utc is not None:
                info.extra = struct.pack("<HHBi", 0x5455, 5, 1, e.utc)
            zf.writestr(info, e.data)
    return path


def moodle(name: str, pid: int, file: str, data: bytes, when: tuple = (2026, 12, 4, 15, 23, 0),
           flat: bool = False, trailing: bool = True) -> Entry:
    """Moodle's "Download all submissions": a folder per participant (or the older flat file)."""
    prefix = f"{name}_{pid}_assignsubmission_file"
    if flat:
        return Entry(f"{prefix}_{file}", data, when)
    return Entry(f"{prefix}{'_' if trailing else ''}/{file}", data, when)


def canvas(name: str, uid: int, att: int, file: str, data: bytes, when: tuple = (2026, 12, 4, 15, 23, 0),
           late: str = "") -> Entry:
    """Canvas's "Download submissions": lastnamefirstname[_LATE]_userid_attachmentid_file."""
    return Entry(f"{name}{'_' + late if late else ''}_{uid}_{att}_{file}", data, when)


def classroom(name: str, file: str, data: bytes, when: tuple = (2026, 12, 4, 15, 23, 0),
              folder: str = "04_softmax") -> Entry:
    """A Google Classroom assignment's Drive folder, downloaded: 'First Last - file'."""
    return Entry(f"{folder}/{name} - {file}" if folder else f"{name} - {file}", data, when)


def make_course(tmp: Path, config: str = CONFIG, release: str = "release") -> Path:
    """A course folder with nbgrader_config.py and release/04_softmax/04_softmax.ipynb."""
    root = tmp / "course"
    (root / release / A).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(config)
    (root / release / A / f"{A}.ipynb").write_bytes(notebook("release"))
    return root


def write_roster(path: Path, rows: list[tuple], lms_id: bool = True) -> Path:
    head = "id,first_name,last_name,email" + (",lms_id" if lms_id else "")
    path.write_text("\n".join([head, *(",".join(map(str, r)) for r in rows)]) + "\n", encoding="utf-8")
    return path


def tree(root: Path) -> set[str]:
    """Every file under ``root``, relative, '/' separated."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
