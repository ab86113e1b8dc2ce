"""``python -m graders pack-feedback ASSIGNMENT``: feedback pages back to the LMS they came from.

Writes ``<out>/<assignment>/<student>.zip`` per student and ``<out>/<assignment>.zip`` for the
class. A student collected from Moodle gets Moodle's own layout, the participant folder of
the download (``Full Name_123456_assignsubmission_file_/04_softmax.html``), which Moodle's
"Upload multiple feedback files in a zip" reads back to the right participant; anyone else
gets ``<student_id>/<page>.html``. The folder name comes from the ``lms.json`` collect left
beside the submission; being read from a zip entry's name it is used only when it is one
plain path component.
"""

from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..course import Course, load_course, CourseError
from . import HandinError
from .place import lms_record


@dataclass(frozen=True)
class Packed:
    student: str
    zip: Path
    """The student's own zip."""
    folder: str
    """The folder the pages sit in, inside both zips."""
    pages: tuple[str, ...]


def folder_for(course: Course, student: str, assignment: str) -> str:
    """Moodle's participant folder when collect recorded a sane one, else the student id."""
    record = lms_record(course, student, assignment)
    folder = record.get("folder") if record.get("lms") == "moodle" else None
    if isinstance(folder, str) and folder and "/" not in folder and "\\" not in folder \
            and folder not in (".", "..") and "\0" not in folder:
        return folder
    return student


def _write(path: Path, members: list[tuple[str, Path]]) -> None:
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, src in members:
            zf.write(src, arcname)
    tmp.replace(path)


def pack_feedback(root: Path, assignment: str, out: Path | None = None) -> tuple[Path, list[Packed]]:
    """Write the zips; returns the class zip and one Packed per student. HandinError when there is nothing to pack."""
    course = load_course(root)
    top = course.step_root("feedback")
    students = sorted(p.name for p in top.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if top.is_dir() else []
    out = Path(out) if out else course.root / "feedback_zips"
    packed, everything = [], []
    for student in students:
        pages = sorted(p for p in course.folder("feedback", student, assignment).glob("*.html") if p.is_file())
        if not pages:
            continue
        folder = folder_for(course, student, assignment)
        members = [(f"{folder}/{p.name}", p) for p in pages]
        (out / assignment).mkdir(parents=True, exist_ok=True)
        mine = out / assignment / f"{student}.zip"
        _write(mine, members)
        everything.extend(members)
        packed.append(Packed(student, mine, folder, tuple(p.name for p in pages)))
    if not packed:
        raise HandinError(f"no feedback pages in {course.folder('feedback', '*', assignment)}: "
                          f"run `make feedback` (python -m graders feedback) first")
    whole = out / f"{assignment}.zip"
    _write(whole, everything)
    return whole, packed


def run(args) -> int:
    try:
        whole, packed = pack_feedback(args.root, args.assignment, args.out)
    except CourseError as exc:  # HandinError, or the course's own config
        print(f"error: {exc}", file=sys.stderr)
        return 2
    moodle = sum(1 for p in packed if p.folder != p.student)
    print(f"pack-feedback {args.assignment}: {len(packed)} student zip(s) in {whole.with_suffix('')}")
    print(f"class zip: {whole} ({moodle} in Moodle's participant folders, "
          f"{len(packed) - moodle} as <student_id>/<page>.html)")
    return 0
