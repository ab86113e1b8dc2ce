"""``python -m graders autograde ASSIGNMENT``: grade a class, in parallel, resumably.

Stock ``nbgrader autograde`` is serial, runs hidden tests inside the student's kernel and
reduces a batch to one exit code. This runner splits nbgrader's autograde
(:mod:`graders.engine.runner.pipeline`): this process sanitizes each submission with nbgrader's
own preprocessors, workers execute them (:mod:`graders.engine.grader.worker`: sandboxed kernels
started ahead, hidden tests run outside the kernel), and this process, the only writer,
hands each result back to nbgrader's ``Autograde`` to save grades and write
``autograded/``, so formgrader, feedback and export keep working. Workers are a Dask
``LocalCluster`` (``--workers N``), an existing cluster (``--scheduler ADDRESS``), or this
process itself (``--workers 0``). It offers:

- a progress bar with ETA;
- ``--student`` to (re)grade chosen students;
- resume: a submission whose autograded copy is newer than the submission is skipped
  unless ``--force``;
- a summary that separates *graded* (every grade cell reached a verdict), *graded with
  failures* (the student's code raised, timed out or was missing in some grade cells) and
  *could not grade* (with the reason nbgrader or the files give);
- exit code 0 when everything could be graded, 1 otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ...cells import grade_id, is_grade
from ...course import Course, as_course, diagnose
from ..task import Executed, Task

GRADED, WITH_FAILURES, NOT_GRADED, SKIPPED = "graded", "graded with failures", "could not grade", "skipped"


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission."""

    student: str
    status: str
    detail: str = ""
    seconds: float = 0.0
    assignment: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(NOT_GRADED) else 0

    def lines(self) -> list[str]:
        out = [f"{self.count(GRADED)} graded, {self.count(WITH_FAILURES)} graded with failures, "
               f"{self.count(NOT_GRADED)} could not grade, {self.count(SKIPPED)} skipped (already graded)"]
        several = len({o.assignment for o in self.outcomes}) > 1
        for o in self.outcomes:
            if o.status in (WITH_FAILURES, NOT_GRADED):
                who = f"{o.student}/{o.assignment}" if several else o.student
                out.append(f"  {who}: {o.status}: {o.detail}")
        return out



def submitted_students(course: Course, assignment: str) -> list[str]:
    """Who handed ``assignment`` in (a folder under the course's submitted step)."""
    return course.students_with("submitted", assignment)


def up_to_date(course: Course, student: str, assignment: str) -> bool:
    """Was this submission graded after it was last handed in?"""
    graded = course.folder("autograded", student, assignment)
    submitted = course.folder("submitted", student, assignment)
    notebooks = list(graded.glob("*.ipynb"))
    if not notebooks:
        return False
    newest_submitted = max((p.stat().st_mtime for p in submitted.rglob("*") if p.is_file()), default=0.0)
    return min(p.stat().st_mtime for p in notebooks) >= newest_submitted


def cell_failures(executed: dict[str, str]) -> list[str]:
    """Grade cells where the student's code, not a check, failed: 'name (NameError)'.

    Read from the executed notebooks the workers sent back (the JSON nbgrader was handed),
    so the notebooks just written to ``autograded/`` need not be read and validated again.
    """
    import json

    failures = []
    for name in sorted(executed):
        for cell in json.loads(executed[name]).get("cells", []):
            if not is_grade(cell) or cell.get("cell_type") != "code":
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") != "AssertionError":
                    failures.append(f"{grade_id(cell)} ({out.get('ename')})")
                    break
    return failures


def reason(result: dict, course: Course, student: str, assignment: str) -> str:
    """A one-line reason a submission could not be graded."""
    submitted = course.folder("submitted", student, assignment)
    error = (result.get("error") or result.get("log") or "").strip().splitlines()
    last = error[-1][:200] if error else "nbgrader gave no reason"
    for nb in course.source_notebooks(assignment):
        found = diagnose(submitted, nb.stem)
        if not found.startswith("autograding failed while running"):
            return found
    return f"autograding failed while running the notebook: {last}"


def _weight(course: Course, assignment: str) -> int:
    """How long an assignment's notebooks take to grade, roughly: the length of the code in
    its source notebooks (hidden tests included). Dispatching the longest first leaves
    short ones for the end, so workers finish together instead of one waiting on a long
    last notebook."""
    import json

    total = 0
    for path in course.source_notebooks(assignment):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            total += sum(len("".join(c.get("source", ""))) for c in cells if c.get("cell_type") == "code")
        except (OSError, ValueError, AttributeError, TypeError):
            continue
    return total


def cell_timeout(config) -> float:
    from nbgrader.preprocessors import Execute

    return float(Execute(config=config).timeout or 30)


def notebook_budget(config, timeout: float) -> float:
    """A notebook's time budget in seconds: ``c.NotebookBudget.cells`` cell limits
    (nbgrader_config.py; default :data:`graders.engine.grader.execute.BUDGET_CELLS`)."""
    from ..grader.execute import NotebookBudget

    cells = NotebookBudget(config=config).cells
    if not cells > 0:
        raise ValueError(f"c.NotebookBudget.cells must be a positive number of cell limits, got {cells!r}")
    return float(cells) * timeout


def make_task(writer, course: Course, assignment: str, student: str, timeout: float, sandbox,
              budget_s: float | None = None, paths: Sequence[Path] | None = None) -> tuple[Task, dict]:
    """The task for one submission, and the reasons of notebooks that could not be sanitized.

    The notebooks are the submitted folder's, or ``paths`` (the submission service grades the
    upload it kept, named ``<notebook>.ipynb``, so a newer upload cannot change it)."""
    import nbformat

    folder = course.folder("submitted", student, assignment)
    known = {p.stem for p in course.source_notebooks(assignment)}
    notebooks, problems = {}, {}
    for path in sorted(folder.glob("*.ipynb")) if paths is None else list(paths):
        if known and path.stem not in known:
            continue
        try:
            notebooks[path.stem] = nbformat.writes(writer.sanitize(student, assignment, path))
        except Exception as exc:  # nbgrader meets the same problem when it writes, and reports it
            problems[path.stem] = f"{type(exc).__name__}: {exc}"
    return Task(student, assignment, notebooks, timeout, budget_s, str(course.root), sandbox), problems


def finish(writer, course: Course, result: Executed, seconds: float) -> Outcome:
    """Write one worker result through nbgrader and classify the submission."""
    student, assignment = result.student, result.assignment
    outcome = writer.write(result)
    if not outcome.get("success"):
        if result.failed:
            return Outcome(student, NOT_GRADED, "; ".join(f"{n}: {r}" for n, r in result.failed.items()), seconds,
                           assignment)
        return Outcome(student, NOT_GRADED, reason(outcome, course, student, assignment), seconds, assignment)
    failures = cell_failures(result.notebooks)
    if failures:
        return Outcome(student, WITH_FAILURES, ", ".join(failures), seconds, assignment)
    return Outcome(student, GRADED, "", seconds, assignment)


def autograde(root: Path | Course, assignment: str | Sequence[str] | None, students: Iterable[str] | None = None,
              force: bool = False, progress: bool = True, workers: int = 2,
              scheduler: str | None = None, sandbox: bool | None = None,
              stats: dict | None = None) -> Summary:
    """Grade every submission of ``assignment`` (one name, several, or None for every
    assignment in ``source/``), or only the chosen students'.

    ``workers=0`` (and no ``scheduler``) executes in this process; otherwise a Dask
    cluster does. Submissions are sanitized and dispatched one by one, and results are
    written as they come back, so workers start at once and the writer keeps pace.
    ``stats``, when given, is filled with timings per notebook.
    """
    from tqdm import tqdm

    from .pipeline import Writer

    t_start = time.perf_counter()
    course = as_course(root)  # nbgrader_config.py, read once for the whole run
    if assignment is None:
        assignments = course.assignments()
    else:
        assignments = [assignment] if isinstance(assignment, str) else list(assignment)
    summary = Summary()
    jobs: list[tuple[str, str]] = []
    for a in sorted(assignments, key=lambda a: -_weight(course, a)):  # longest first: a short tail
        for student in (sorted(students) if students else submitted_students(course, a)):
            if not force and up_to_date(course, student, a):
                summary.outcomes.append(Outcome(student, SKIPPED, assignment=a))
            else:
                jobs.append((a, student))
    if not jobs:  # nothing to grade: no writer, no gradebook, no cluster to start and stop
        if stats is not None:
            stats.update(wall_s=time.perf_counter() - t_start, notebooks={}, workers=workers, writer_s=0.0,
                         runner_cpu_s=time.process_time(), scheduler=scheduler or "local", assignments=assignments)
        return summary
    writer = Writer(course)
    course.gradebook().close()  # a wrong db_url fails here, by name
    timeout = cell_timeout(writer.config)
    budget_s = notebook_budget(writer.config, timeout)
    writer_s = [0.0]
    label = assignments[0] if len(assignments) == 1 else f"{len(assignments)} assignments"
    bar = tqdm(total=len(jobs), desc=f"autograde {label}", unit="sub", disable=not progress)
    timings: dict[str, dict] = {}

    def tasks() -> Iterator[Task]:
        for a, student in jobs:
            t0 = time.perf_counter()
            task = make_task(writer, course, a, student, timeout, sandbox, budget_s)[0]
            writer_s[0] += time.perf_counter() - t0
            yield task

    def done(result: Executed, seconds: float) -> None:
        timings.update({f"{result.student}/{n}": t for n, t in result.timings.items()})
        t_write = time.perf_counter()
        summary.outcomes.append(finish(writer, course, result, seconds))
        writer_s[0] += time.perf_counter() - t_write
        bar.set_postfix_str(f"{result.student}/{result.assignment}" if len(assignments) > 1 else result.student)
        bar.update(1)

    if workers <= 0 and not scheduler:
        from ..grader.worker import grade_task

        for task in tasks():
            t0 = time.perf_counter()
            done(grade_task(task), time.perf_counter() - t0)
    else:
        _on_dask(tasks(), workers, scheduler, done, course=str(course.root), sandbox=sandbox)
    bar.close()
    if stats is not None:
        stats.update(wall_s=time.perf_counter() - t_start, notebooks=timings, workers=workers, writer_s=writer_s[0],
                     runner_cpu_s=time.process_time(),
                     scheduler=scheduler or "local", assignments=assignments)
    return summary


def _on_dask(tasks: Iterator[Task], workers: int, scheduler: str | None, done, course: str,
             sandbox: bool | None) -> None:
    """Run tasks on a Dask cluster; results come back here, to the single writer.

    Each worker starts its kernel factory as soon as it joins (``client.run``), while this
    process is still sanitizing the first submissions."""
    from dask.distributed import Client, LocalCluster, as_completed

    from ..grader.worker import grade_task, shutdown, warm_up

    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)  # no fixed port to collide on
        client = Client(cluster)
    try:
        client.run(warm_up, course, sandbox)  # returns at once: the factory starts in the background
        started: dict = {}
        pending = as_completed()

        def collect(fut) -> None:
            task, t0 = started.pop(fut.key)
            try:
                result = fut.result()
            except Exception as exc:  # a worker that died: the submission is reported, the batch goes on
                result = Executed.lost(task, f"the grading worker failed: {type(exc).__name__}: {exc}")
            done(result, time.perf_counter() - t0)

        for task in tasks:
            fut = client.submit(grade_task, task, pure=False, key=task.key)
            started[fut.key] = (task, time.perf_counter())
            pending.add(fut)
            for ready in pending.next_batch(block=False) if pending.has_ready() else ():
                collect(ready)
        for fut in pending:
            collect(fut)
        if cluster is not None:
            # our own workers close their kernel factories now: a worker the cluster stops
            # may not get to its exit handlers, and would leave their folders and logs
            client.run(shutdown)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
