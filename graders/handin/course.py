"""The course as nbgrader sees it: folders from nbgrader_config.py, timestamps in nbgrader's format.

Folders come from the course's own ``CourseDirectory`` (``submitted_directory``,
``feedback_directory``, ``directory_structure``), never hard-coded, so a course that renames
them gets its files where nbgrader looks. Timestamps are written with nbgrader's
``Exchange.timestamp_format`` in ``Exchange.timezone`` (``2026-12-04 15:23:01.123456 UTC`` by
default: what ``nbgrader submit`` writes) and read back with ``nbgrader.utils.parse_utc``, as
``nbgrader collect`` and autograde's late-penalty step read them.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
from dataclasses import dataclass
from pathlib import Path

from dateutil.tz import gettz


class HandinError(Exception):
    """A problem that stops the whole command (exit 2): a missing zip, a corrupt roster..."""


@dataclass(frozen=True)
class Course:
    root: Path
    coursedir: object
    """nbgrader's CourseDirectory configured from the course's nbgrader_config.py."""
    timestamp_format: str
    timezone: str
    config: object
    """The traitlets Config read from nbgrader_config.py (collector plugins take theirs from it)."""

    def folder(self, step: str, student: str, assignment: str) -> Path:
        """``<step>/<student>/<assignment>`` under the course, as nbgrader's format_path builds it."""
        name = {"submitted": self.coursedir.submitted_directory, "feedback": self.coursedir.feedback_directory,
                "release": self.coursedir.release_directory}[step]
        return Path(self.coursedir.format_path(name, student, assignment))

    def step_root(self, step: str) -> Path:
        """The folder that holds one sub-folder per student for ``step`` (``<root>/submitted``)."""
        probe = self.folder(step, "\0", "\0")
        parts = probe.parts
        return Path(*parts[:parts.index("\0")])

    def released_notebooks(self, assignment: str) -> list[str]:
        """File names of the notebooks students were given (``release/<assignment>/*.ipynb``)."""
        folder = self.folder("release", ".", assignment)
        return sorted(os.path.basename(p) for p in glob.glob(os.path.join(glob.escape(str(folder)), "*.ipynb")))

    def zone(self) -> dt.tzinfo:
        tz = gettz(self.timezone)
        if tz is None:
            raise HandinError(f"nbgrader_config.py: Exchange.timezone {self.timezone!r} is not a time zone")
        return tz

    def format_timestamp(self, when: dt.datetime) -> str:
        """``when`` (aware) as nbgrader's own submit writes timestamp.txt."""
        return when.astimezone(self.zone()).strftime(self.timestamp_format)


def parse_timestamp(text: str) -> dt.datetime | None:
    """A timestamp.txt's content as a naive UTC datetime (nbgrader's parse_utc); None if unreadable."""
    from nbgrader.utils import parse_utc

    text = text.strip()
    if not text:
        return None
    try:
        return parse_utc(text)
    except (ValueError, OverflowError):
        return None


def as_utc(when: dt.datetime) -> dt.datetime:
    """An aware datetime as the naive UTC datetime parse_utc returns, for comparisons."""
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)


def load_course(root: Path) -> Course:
    """The course at ``root``; nbgrader's defaults when the folder has no nbgrader_config.py."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.abc import Exchange
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    if not root.is_dir():
        raise HandinError(f"no course folder {root}")
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    exchange = Exchange(config=config)
    return Course(root, CourseDirectory(config=config), exchange.timestamp_format, exchange.timezone, config)
