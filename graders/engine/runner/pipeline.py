"""nbgrader's autograde, split so that execution can happen elsewhere, in parallel.

Stock ``nbgrader autograde`` does, per submission: sanitize (restore test cells from the
gradebook), execute, then save scores and write ``autograded/``. The middle step is the
slow one and the only one we replace. So:

1. :func:`sanitize` runs nbgrader's own sanitizing preprocessors here, in memory, and the
   result (hidden tests restored) becomes a task;
2. a worker executes it (:mod:`graders.engine.grader.worker`), anywhere;
3. :class:`Writer` runs nbgrader's ``Autograde`` converter for the submission, with its
   ``Execute`` preprocessor replaced by :class:`Inject`, which takes the worker's outputs.
   Everything else (student and submission records, timestamps and late penalties,
   copying files, zeroing missing notebooks, ``SaveAutoGrades``, ``LimitOutput``, the
   autograded notebook) is nbgrader's, in one process: the gradebook has one writer.

The converter's own first pass (sanitizing) takes the notebook step 1 produced
(:class:`Sanitized`) instead of sanitizing it a second time. Inject checks that the notebook
it is given is cell for cell the one that was executed in step 2; otherwise it refuses, and
the submission is reported, not guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from ...course import Course, as_course
from ..task import Executed


def sanitizers(config: Any, coursedir: Any) -> list:
    """The sanitizing preprocessors the course configures for nbgrader's autograde."""
    from nbgrader.converters import Autograde

    return list(Autograde(coursedir=coursedir, config=config).sanitize_preprocessors)


def run_sanitizers(classes: list, config: Any, nb: Any, resources: dict) -> Any:
    for cls in classes:
        nb, resources = cls(config=config)(nb, resources)
    return nb


def sanitize(config: Any, coursedir: Any, student: str, assignment: str, path: Path,
             classes: list | None = None) -> Any:
    """The submitted notebook as nbgrader's sanitizing step leaves it (tests restored)."""
    nb = nbformat.read(str(path), as_version=4)
    resources = {"unique_key": path.stem, "output_files_dir": f"{path.stem}_files",
                 "nbgrader": {"student": student, "assignment": assignment, "notebook": path.stem,
                              "db_url": coursedir.db_url}}
    return run_sanitizers(classes or sanitizers(config, coursedir), config, nb, resources)


class Sanitized(Preprocessor):
    """Stands where nbgrader's sanitizing preprocessors stand, in the writer's first pass.

    The runner sanitized each submission with those same preprocessors, against the same
    gradebook, moments before dispatching it (:func:`sanitize`); running them again when
    writing would only repeat the work. So the writer's first pass takes that result, handed
    in the notebook's ``resources["graders"]`` (see :class:`HandedAutograde`). A notebook the
    runner did not sanitize is sanitized here, with the course's own steps, as nbgrader would.
    """

    enabled = Bool(True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        handed = resources.get("graders")
        if handed is None:
            raise RuntimeError("this step runs only in the grading writer, which hands it the course's sanitizers")
        if handed.get("sanitized") is not None:
            return handed["sanitized"], resources
        return run_sanitizers(handed["sanitizers"], self.config, nb, resources), resources


class Inject(Preprocessor):
    """Stands where nbgrader's ``Execute`` stands; gives the cells the worker's outputs
    (``resources["graders"]["executed"]``), or fails the notebook with the worker's reason."""

    enabled = Bool(True)
    """nbconvert preprocessors are off unless enabled; nbgrader's own are on by default too."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        handed = resources.get("graders") or {}
        if handed.get("failed"):
            raise RuntimeError(handed["failed"])  # the worker's reason, for the summary and the log
        done = handed.get("executed")
        if done is None:
            raise RuntimeError(f"notebook {resources['nbgrader']['notebook']} was not executed by a grading worker")
        ran = nbformat.reads(done, as_version=4) if isinstance(done, (str, bytes)) else done
        if len(ran.cells) != len(nb.cells) or any(
                a.source != b.source or a.cell_type != b.cell_type for a, b in zip(ran.cells, nb.cells)):
            raise RuntimeError("the executed notebook does not match the sanitized submission")
        for mine, theirs in zip(nb.cells, ran.cells):
            if mine.cell_type == "code":
                mine.outputs = theirs.outputs
                mine.execution_count = theirs.execution_count
        return nb, resources


def handed_autograde() -> type:
    """nbgrader's ``Autograde`` converter, handed what the runner and the workers made for
    each notebook through that notebook's ``resources`` (nbgrader builds them per notebook,
    in both of its passes): no class attribute, lock or global carries a submission."""
    from nbgrader.converters import Autograde

    class HandedAutograde(Autograde):
        def __init__(self, handed: dict[str, dict], sanitizers: list, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.handed, self.sanitizers = handed, sanitizers

        def init_single_notebook_resources(self, notebook_filename: str) -> dict:
            resources = super().init_single_notebook_resources(notebook_filename)
            mine = self.handed.get(resources["nbgrader"]["notebook"], {})
            resources["graders"] = {"sanitizers": self.sanitizers, **mine}
            return resources

    return HandedAutograde


def autograde_steps(config: Any, coursedir: Any) -> list:
    """The course's own autograde steps (``c.Autograde.autograde_preprocessors``, nbgrader's
    defaults unless configured), with :class:`Inject` in place of ``Execute``, nbgrader's own
    ``SaveAutoGrades`` saved in one transaction (:mod:`.savegrades`, same rows) and nothing else
    changed: a step the course adds or removes is added or removed here too."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.utils.importstring import import_item

    from nbgrader.preprocessors import SaveAutoGrades

    from .savegrades import SaveAutoGradesOnce

    steps = [import_item(s) if isinstance(s, str) else s
             for s in Autograde(coursedir=coursedir, config=config).autograde_preprocessors]
    executes = [s for s in steps if isinstance(s, type) and issubclass(s, Execute)]
    if len(executes) != 1:
        raise ValueError(f"c.Autograde.autograde_preprocessors must hold exactly one Execute step to run in the "
                         f"grading workers; it holds {len(executes)}")
    swap = {executes[0]: Inject, SaveAutoGrades: SaveAutoGradesOnce}
    return [swap.get(s, s) for s in steps]


class Writer:
    """The one process that writes the gradebook and ``autograded/``."""

    def __init__(self, course: Course | Path) -> None:
        import copy

        from nbgrader.apps import NbGraderAPI

        import warnings

        from sqlalchemy.exc import SAWarning

        from .nbgrader_speedups import install

        install()
        # nbgrader's ORM use warns "Object of type <SubmittedAssignment> not in session" for
        # every new submission, in stock nbgrader too; it buries the summary that matters
        warnings.filterwarnings("ignore", category=SAWarning, message=".*not in session.*")
        self.course = as_course(course)
        self.root = self.course.root
        self.config = copy.deepcopy(self.course.config)  # the steps below are the writer's alone
        self.config.Autograde.autograde_preprocessors = autograde_steps(self.config, self.course.coursedir)
        self.coursedir = self.course.coursedir
        self.sanitizers = sanitizers(self.config, self.coursedir)
        self.config.Autograde.sanitize_preprocessors = [Sanitized]
        self.api = NbGraderAPI(coursedir=self.coursedir, config=self.config)
        self.converter = handed_autograde()
        self.kept: dict[tuple[str, str], dict[str, Any]] = {}
        """(student, assignment) to {notebook: sanitized node}, from :meth:`sanitize` to :meth:`write`."""

    def sanitize(self, student: str, assignment: str, path: Path) -> Any:
        """Sanitize a submitted notebook and keep the result for :meth:`write`."""
        nb = sanitize(self.config, self.coursedir, student, assignment, path, self.sanitizers)
        self.kept.setdefault((student, assignment), {})[path.stem] = nb  # nothing changes it before write
        return nb

    def write(self, done: Executed) -> dict:
        """Hand a worker's notebooks to nbgrader's Autograde, as the API's own ``autograde``
        does; returns its result dict (``success``, ``error``, ``log``)."""
        from nbgrader.utils import capture_log, temp_attrs

        kept = self.kept.pop((done.student, done.assignment), {})
        handed: dict[str, dict] = {}
        for name in {*kept, *done.notebooks, *done.failed}:
            mine = handed[name] = {"sanitized": kept.get(name)}
            if name in done.failed:
                mine["failed"] = done.failed[name]
            elif name in done.notebooks:
                mine["executed"] = done.notebooks[name]
        with temp_attrs(self.coursedir, assignment_id=done.assignment, student_id=done.student):
            app = self.converter(handed, self.sanitizers, coursedir=self.coursedir, parent=self.api)
            app.force = True
            app.create_student = True
            return capture_log(app)
