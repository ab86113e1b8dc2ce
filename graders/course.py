"""The course as nbgrader sees it: its config, its folders, its gradebook, its timestamps.

Every command (the autograde runner, the reports, collect and pack-feedback) reads the course
through :func:`load_course`, once per run: ``nbgrader_config.py`` is loaded in one place and
handed on as this object, never read again by the modules it reaches.

Folders come from the course's own ``CourseDirectory`` (``submitted_directory``,
``feedback_directory``, ``directory_structure``), never hard-coded, so a course that renames
them gets its files where nbgrader looks. Timestamps are written with nbgrader's
``Exchange.timestamp_format`` in ``Exchange.timezone`` (``2026-12-04 15:23:01.123456 UTC`` by
default: what ``nbgrader submit`` writes) and read back with ``nbgrader.utils.parse_utc``, as
``nbgrader collect`` and autograde's late-penalty step read them. The gradebook is
``CourseDirectory.db_url`` (SQLite ``gradebook.db`` by default, or PostgreSQL), opened so that
a wrong URL fails with its name. :func:`diagnose` says why a submission could not be graded,
from the submitted file alone: the runner and the reports give the same reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateutil.tz import gettz

STEPS = {"source": "source_directory", "release": "release_directory", "submitted": "submitted_directory",
         "autograded": "autograded_directory", "feedback": "feedback_directory"}
"""nbgrader's steps, and the CourseDirectory setting that names each one's folder."""


class CourseError(Exception):
    """The course cannot be used as configured: no such folder, a time zone that is none."""


@dataclass(frozen=True)
class Course:
    root: Path
    coursedir: object
    """nbgrader's CourseDirectory configured from the course's nbgrader_config.py."""
    config: object
    """The traitlets Config read from nbgrader_config.py (collector plugins take theirs from it)."""

    @functools.cached_property
    def _exchange(self) -> object:
        """nbgrader's Exchange settings, read when a timestamp is first needed: importing
        nbgrader's exchange costs half a second that grading with nothing to do never needs."""
        from nbgrader.exchange.abc import Exchange

        return Exchange(config=self.config)

    @property
    def timestamp_format(self) -> str:
        """``c.Exchange.timestamp_format``: how nbgrader writes timestamp.txt."""
        return self._exchange.timestamp_format

    @property
    def timezone(self) -> str:
        """``c.Exchange.timezone``: the zone timestamp.txt is written in."""
        return self._exchange.timezone

    def folder(self, step: str, student: str, assignment: str) -> Path:
        """``<step>/<student>/<assignment>`` under the course, as nbgrader's format_path builds it.

        ``step`` is one of nbgrader's: source, release, submitted, autograded, feedback; the
        student is ``"."`` for source and release, which have no student level."""
        try:
            name = getattr(self.coursedir, STEPS[step])
        except KeyError:
            raise ValueError(f"unknown course step {step!r} (one of {', '.join(STEPS)})") from None
        return Path(self.coursedir.format_path(name, student, assignment))

    def notebook(self, step: str, student: str, assignment: str, notebook: str) -> Path:
        """One notebook of a submission (``autograded/<student>/<assignment>/<notebook>.ipynb``)."""
        return self.folder(step, student, assignment) / f"{notebook}.ipynb"

    def assignments(self) -> list[str]:
        """The assignments the instructor wrote (folders of ``source/``), sorted."""
        top = self.step_root("source", student=False)
        return sorted(p.name for p in top.iterdir() if p.is_dir()) if top.is_dir() else []

    def source_notebooks(self, assignment: str) -> list[Path]:
        """The notebooks of an assignment as the instructor wrote them."""
        return sorted(self.folder("source", ".", assignment).glob("*.ipynb"))

    def students_with(self, step: str, assignments: list[str] | str) -> list[str]:
        """Students with a folder for any of ``assignments`` under ``step`` (who handed in:
        ``submitted``), sorted."""
        wanted = [assignments] if isinstance(assignments, str) else list(assignments)
        top = self.step_root(step)
        if not top.is_dir():
            return []
        return sorted(p.name for p in top.iterdir()
                      if p.is_dir() and any(self.folder(step, p.name, a).is_dir() for a in wanted))

    @property
    def gradebook_url(self) -> str:
        """``CourseDirectory.db_url`` (a course's own gradebook.db unless configured)."""
        return str(self.coursedir.db_url)

    def gradebook(self) -> Any:
        """The gradebook, opened (a context manager); a wrong URL fails with its name."""
        return open_gradebook(self.gradebook_url)

    def step_root(self, step: str, student: bool = True) -> Path:
        """The folder that holds one sub-folder per student for ``step`` (``<root>/submitted``);
        with ``student=False``, the one holding one folder per assignment (``<root>/source``)."""
        probe = self.folder(step, "\0" if student else ".", "\0")
        parts = probe.parts
        return Path(*parts[:parts.index("\0")])

    def released_notebooks(self, assignment: str) -> list[str]:
        """File names of the notebooks students were given (``release/<assignment>/*.ipynb``)."""
        folder = self.folder("release", ".", assignment)
        return sorted(os.path.basename(p) for p in glob.glob(os.path.join(glob.escape(str(folder)), "*.ipynb")))

    def zone(self) -> dt.tzinfo:
        tz = gettz(self.timezone)
        if tz is None:
            raise CourseError(f"nbgrader_config.py: Exchange.timezone {self.timezone!r} is not a time zone")
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
    from .nbgrader_lean import import_nbgrader

    import_nbgrader()  # before the config's own nbgrader imports
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    if not root.is_dir():
        raise CourseError(f"no course folder {root}")
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return Course(root, CourseDirectory(config=config), config)


def as_course(where: Path | Course) -> Course:
    """``where`` itself when a command has already loaded the course, else the course at that
    folder: so one command reads ``nbgrader_config.py`` once, whichever functions it calls."""
    return where if isinstance(where, Course) else load_course(where)


def redacted(url: str) -> str:
    """A database URL fit for a message: no password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def open_gradebook(url: str) -> Any:
    """``Gradebook(url)``, or an error that names the database (never a hang or a riddle)."""
    from nbgrader.api import Gradebook

    try:
        return Gradebook(url)
    except Exception as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise ConnectionError(f"cannot open the gradebook database at {redacted(url)}: "
                              f"{detail[0] if detail else type(exc).__name__}") from None


def diagnose(submitted: Path, notebook: str) -> str:
    """Why a submitted notebook has no autograded twin, as far as the files can tell."""
    import json

    import nbformat

    path = submitted / f"{notebook}.ipynb"
    if not submitted.is_dir():
        return "the submission folder is missing (it is in the gradebook only)"
    if not path.is_file():
        found = sorted(p.name for p in submitted.glob("*.ipynb"))
        other = f" (found: {', '.join(found)})" if found else " (no notebook at all)"
        return f"no notebook named {notebook}.ipynb in the submission{other}"
    try:
        raw = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return f"the submitted notebook is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    try:
        nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"the submitted notebook is not a valid notebook ({first[:200]})"
    return ("autograding failed while running the notebook (the kernel died, hung, or nbgrader "
            "stopped on an error): see the autograde log")
