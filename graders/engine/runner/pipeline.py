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

import threading
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from ...course import Course, load_course


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
    writing would only repeat the work. So the writer's first pass takes that result. A
    notebook the runner did not sanitize (none kept) is sanitized here, as nbgrader would.
    """

    enabled = Bool(True)
    kept: ClassVar[dict[tuple[str, str], dict[str, Any]]] = {}  # (student, assignment): {notebook: nb}
    classes: ClassVar[list] = []
    lock: ClassVar[threading.Lock] = threading.Lock()

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        info = resources["nbgrader"]
        with self.lock:
            done = self.kept.get((info["student"], info["assignment"]), {}).pop(info["notebook"], None)
        if done is not None:
            return done, resources
        return run_sanitizers(self.classes, self.config, nb, resources), resources


def is_reason(executed: str) -> bool:
    """A worker's answer for a notebook is its JSON, or a reason why there is none."""
    return not executed.lstrip().startswith("{")


class Inject(Preprocessor):
    """Stands where nbgrader's ``Execute`` stands; gives the cells the worker's outputs."""

    enabled = Bool(True)
    """nbconvert preprocessors are off unless enabled; nbgrader's own are on by default too."""

    executed: ClassVar[dict[tuple[str, str, str], Any]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        info = resources["nbgrader"]
        key = (info["student"], info["assignment"], info["notebook"])
        with self.lock:
            done = self.executed.pop(key, None)
        if done is None:
            raise RuntimeError(f"notebook {info['notebook']} was not executed by a grading worker")
        if isinstance(done, str) and is_reason(done):
            raise RuntimeError(done)  # the worker's reason, for the summary and the log
        ran = nbformat.reads(done, as_version=4) if isinstance(done, (str, bytes)) else done
        if len(ran.cells) != len(nb.cells) or any(
                a.source != b.source or a.cell_type != b.cell_type for a, b in zip(ran.cells, nb.cells)):
            raise RuntimeError("the executed notebook does not match the sanitized submission")
        for mine, theirs in zip(nb.cells, ran.cells):
            if mine.cell_type == "code":
                mine.outputs = theirs.outputs
                mine.execution_count = theirs.execution_count
        return nb, resources


def autograde_steps(config: Any, coursedir: Any) -> list:
    """The course's own autograde steps (``c.Autograde.autograde_preprocessors``, nbgrader's
    defaults unless configured), with :class:`Inject` in place of ``Execute`` and nothing else
    changed: a step the course adds or removes is added or removed here too."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.utils.importstring import import_item

    steps = [import_item(s) if isinstance(s, str) else s
             for s in Autograde(coursedir=coursedir, config=config).autograde_preprocessors]
    executes = [s for s in steps if isinstance(s, type) and issubclass(s, Execute)]
    if len(executes) != 1:
        raise ValueError(f"c.Autograde.autograde_preprocessors must hold exactly one Execute step to run in the "
                         f"grading workers; it holds {len(executes)}")
    return [Inject if s is executes[0] else s for s in steps]


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
        self.course = course if isinstance(course, Course) else load_course(course)
        self.root = self.course.root
        self.config = copy.deepcopy(self.course.config)  # the steps below are the writer's alone
        self.config.Autograde.autograde_preprocessors = autograde_steps(self.config, self.course.coursedir)
        self.coursedir = self.course.coursedir
        self.sanitizers = sanitizers(self.config, self.coursedir)
        Sanitized.classes = self.sanitizers
        self.config.Autograde.sanitize_preprocessors = [Sanitized]
        self.api = NbGraderAPI(coursedir=self.coursedir, config=self.config)

    def sanitize(self, student: str, assignment: str, path: Path) -> Any:
        """Sanitize a submitted notebook and keep the result for :meth:`write`."""
        nb = sanitize(self.config, self.coursedir, student, assignment, path, self.sanitizers)
        with Sanitized.lock:
            Sanitized.kept.setdefault((student, assignment), {})[path.stem] = nb  # nothing changes it before write
        return nb

    def write(self, student: str, assignment: str, executed: dict[str, Any]) -> dict:
        """Hand the executed notebooks to nbgrader's Autograde; returns its result dict."""
        with Inject.lock:
            for name, nb in executed.items():
                Inject.executed[(student, assignment, name)] = nb
        try:
            return self.api.autograde(assignment, student, force=True, create=True)
        finally:
            with Inject.lock:
                for name in executed:
                    Inject.executed.pop((student, assignment, name), None)
            with Sanitized.lock:
                Sanitized.kept.pop((student, assignment), None)
