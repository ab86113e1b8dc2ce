"""What each LMS calls a submitted file, as nbgrader ``zip_collect`` collector plugins.

Each LMS is a ``FileNameCollectorPlugin`` whose ``named_regexp`` (a traitlet, so a course can
change it in nbgrader_config.py) yields nbgrader's ``student_id`` and ``file_id`` groups, so
the same classes also work with stock ``nbgrader zip_collect --collector=graders.handin.lms.MoodleCollector``.
``parse`` adds what nbgrader's dict does not carry: the LMS's name for the person, Moodle's
per-participant folder (feedback goes back under it) and the LMS's own order among
duplicates (Canvas attachment ids, Canvas ``-1`` and Classroom ``(1)`` copies).

Layouts:
  Moodle "Download all submissions", per-participant folders (Moodle >= 3.1; without the
  trailing ``_`` since 4.1) ``Full Name_123456_assignsubmission_file_/04_softmax.ipynb``, or
  the older flat files ``Full Name_123456_assignsubmission_file_04_softmax.ipynb``; 123456 is
  the participant id (per assignment), and Moodle turns ``_`` in names into spaces.
  Canvas "Download submissions": ``lastnamefirstname_[LATE_]<userid>_<attachmentid>_<file>``,
  a file re-uploaded under a taken name becomes ``04_softmax-1.ipynb``.
  Google Classroom (the assignment's Drive folder downloaded): ``First Last - 04_softmax.ipynb``,
  Drive's duplicates ``First Last - 04_softmax (1).ipynb``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode


@dataclass(frozen=True)
class LmsFile:
    lms: str
    """'moodle', 'canvas' or 'classroom'."""
    lms_id: str
    """Moodle participant id or Canvas user id; '' for Classroom, which gives none."""
    lms_name: str
    """The person's name as the LMS wrote it (Canvas: lastnamefirstname)."""
    file_name: str
    """The student's own file name, as uploaded."""
    folder: str
    """Moodle's per-participant folder or file prefix (feedback goes back under it); '' otherwise."""
    late: bool
    """The LMS marked the file late (Canvas)."""
    order: int
    """The LMS's own order among one student's files (Canvas attachment id), 0 when it gives none."""

    def candidates(self) -> list[tuple[str, int]]:
        """(file name, copy number): the name as uploaded, then without the LMS's duplicate marker."""
        out = [(self.file_name, 0)]
        marker = DUPLICATE.get(self.lms)
        m = marker.fullmatch(self.file_name) if marker else None
        if m:
            out.append((m["stem"] + m["ext"], int(m["n"])))
        return out

    def who(self) -> str:
        return f"{self.lms_name} ({LABEL[self.lms]} id {self.lms_id})" if self.lms_id else self.lms_name


LABEL = {"moodle": "Moodle", "canvas": "Canvas", "classroom": "Google Classroom"}
DUPLICATE = {"canvas": re.compile(r"(?P<stem>.+)-(?P<n>\d+)(?P<ext>\.[^.]*)"),
             "classroom": re.compile(r"(?P<stem>.+) \((?P<n>\d+)\)(?P<ext>\.[^.]*)")}


class LmsCollector(FileNameCollectorPlugin):
    """An LMS's file names; ``parse`` turns a zip entry's name into an LmsFile or None."""

    lms = ""
    example = ""

    def parse(self, name: str) -> Optional[LmsFile]:
        m = re.match(self.named_regexp, name)
        if not m:
            return None
        return self.file(m.groupdict())

    def file(self, g: dict) -> LmsFile:
        raise NotImplementedError

    def _match(self, filename: str) -> Optional[dict]:
        """nbgrader's contract: the groups of a match, quietly None for other files."""
        m = re.match(self.named_regexp, filename)
        return m.groupdict() if m else None


class MoodleCollector(LmsCollector):
    lms = "moodle"
    example = "Full Name_123456_assignsubmission_file_/NOTEBOOK"
    named_regexp = Unicode(
        r"(?:.*/)?(?P<folder>(?P<lms_name>[^/_]+)_(?P<student_id>\d+)_assignsubmission_file_?)(?:/|(?<=_))"
        r"(?P<file_id>[^/].*)$",
        help="A Moodle download entry: participant folder (or flat prefix), then the file.").tag(config=True)

    def file(self, g: dict) -> LmsFile:
        return LmsFile("moodle", g["student_id"], g["lms_name"].strip(), g["file_id"], g["folder"], False, 0)


class CanvasCollector(LmsCollector):
    lms = "canvas"
    example = "lastnamefirstname_12345_67890_NOTEBOOK"
    named_regexp = Unicode(
        r"(?:.*/)?(?P<lms_name>[^/_]+?)(?:_(?P<late>LATE|late))?_(?P<student_id>\d+)_(?P<attachment_id>\d+)_"
        r"(?P<file_id>[^/]+)$",
        help="A Canvas download entry: lastnamefirstname[_LATE]_userid_attachmentid_file.").tag(config=True)

    def file(self, g: dict) -> LmsFile:
        return LmsFile("canvas", g["student_id"], g["lms_name"], g["file_id"], "", bool(g["late"]),
                       int(g["attachment_id"]))


class ClassroomCollector(LmsCollector):
    lms = "classroom"
    example = "First Last - NOTEBOOK"
    named_regexp = Unicode(
        r"(?:.*/)?(?P<student_id>[^/]+?) - (?P<file_id>[^/]+)$",
        help="A Google Classroom (Drive folder) entry: 'First Last - file'.").tag(config=True)

    def file(self, g: dict) -> LmsFile:
        return LmsFile("classroom", "", g["student_id"].strip(), g["file_id"].strip(), "", False, 0)


COLLECTORS = {c.lms: c for c in (MoodleCollector, CanvasCollector, ClassroomCollector)}


def detect(names: list[str], config=None) -> Optional[LmsCollector]:
    """The collector that recognises most names (Moodle, then Canvas, then Classroom on a tie); None if none does."""
    best, best_count = None, 0
    for cls in COLLECTORS.values():
        collector = cls(config=config) if config is not None else cls()
        count = sum(1 for n in names if collector.parse(n))
        if count > best_count:
            best, best_count = collector, count
    return best
