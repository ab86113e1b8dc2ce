"""The one thread that grades: takes queued submissions, hands them to the engine, writes.

It is the runner of ``python -m graders autograde`` fed from the queue instead of a folder:
the same :class:`~graders.engine.runner.pipeline.Writer` (the only writer of the gradebook
and ``autograded/``), the same tasks (:func:`~graders.engine.runner.autograde.make_task`,
built from the upload as received), the same workers (a Dask ``LocalCluster`` of
``workers`` processes, an existing cluster at ``scheduler``, or this thread with
``workers=0``) and the same classification (:func:`~graders.engine.runner.autograde.finish`).

At most one submission per (student, assignment) is in flight, so results are written in
the order they were received. Up to two tasks per worker are in flight, so a worker never
waits for the next one to be sanitized. Every result is recorded with
:meth:`~graders.serve.store.Store.finish`, which counts it once; ``graded`` (here) covers the
runner's "graded" and "graded with failures" (the points tell them apart).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

from ..course import Course
from ..engine.runner.autograde import NOT_GRADED as RUN_NOT_GRADED, cell_timeout, finish, make_task, notebook_budget
from ..engine.task import Executed, Task
from .policy import SubmissionPolicy, deadline
from .store import GRADED, NOT_GRADED, Store, Submission
from .views import write_pages

log = logging.getLogger("graders.serve")


class Dispatcher(threading.Thread):
    def __init__(self, course: Course, policy: SubmissionPolicy, store: Store, state: Path,
                 duedates: dict, upload_path: Callable[[str, str], Path], workers: int = 2,
                 scheduler: str | None = None, sandbox: bool | None = None) -> None:
        super().__init__(name="graders-dispatch", daemon=True)
        self.course, self.policy, self.store, self.state = course, policy, store, state
        self.duedates, self.upload_path = duedates, upload_path
        self.workers, self.scheduler, self.sandbox = workers, scheduler, sandbox
        self.wake, self.stopping, self.ready = threading.Event(), threading.Event(), threading.Event()
        self.error: BaseException | None = None
        self.inflight: dict[str, tuple[Submission, Any, float]] = {}
        self.graded = 0

    # the thread ---------------------------------------------------------------------------
    def run(self) -> None:
        from ..engine.runner.pipeline import Writer

        try:
            self.writer = Writer(self.course)
            self.timeout = cell_timeout(self.writer.config)
            self.budget_s = notebook_budget(self.writer.config, self.timeout)
            self.client, self.cluster = self._connect()
        except BaseException as exc:  # the service reports it and stops taking uploads
            self.error = exc
            self.ready.set()
            raise
        self.ready.set()
        try:
            while not self.stopping.is_set():
                try:
                    self._fill()
                    if self.inflight:
                        self._collect(0.2)
                    else:
                        self.wake.wait(0.5)
                        self.wake.clear()
                except Exception:  # a locked store, a lost scheduler: logged, and the loop goes on
                    log.exception("the grading loop met an error; retrying in 2 s")
                    self.stopping.wait(2.0)
        finally:
            self._close()

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        self.wake.set()
        self.join(timeout)

    # grading ------------------------------------------------------------------------------
    @property
    def capacity(self) -> int:
        return 1 if self.client is None else 2 * max(self.workers, 1)

    def _connect(self) -> tuple[Any, Any]:
        if self.workers <= 0 and not self.scheduler:
            return None, None
        from dask.distributed import Client, LocalCluster

        from ..engine.grader.worker import warm_up

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=40)
            client = Client(cluster)
        client.run(warm_up, str(self.course.root), self.sandbox)
        return client, cluster

    def _close(self) -> None:
        if getattr(self, "client", None) is None:
            return
        from ..engine.grader.worker import shutdown

        try:
            if self.cluster is not None:
                self.client.run(shutdown)
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()

    def _fill(self) -> None:
        from ..engine.grader.worker import grade_task

        busy = {(s.student, s.assignment) for s, _, _ in self.inflight.values()}
        while len(self.inflight) < self.capacity and not self.stopping.is_set():
            sub = self.store.claim(busy)
            if sub is None:
                return
            busy.add((sub.student, sub.assignment))
            t0 = time.perf_counter()
            try:
                task, problems = make_task(self.writer, self.course, sub.assignment, sub.student, self.timeout,
                                           self.sandbox, self.budget_s,
                                           paths=[self.upload_path(sub.id, sub.notebook)])
            except Exception as exc:  # a submission that cannot even be read fails alone
                self._record(sub, Executed(sub.student, sub.assignment, failed={sub.notebook: f"{exc}"}), t0)
                continue
            if problems:
                self._record(sub, Executed(sub.student, sub.assignment, failed=problems), t0)
                continue
            if self.client is None:
                self._record(sub, grade_task(task), t0)
                continue
            fut = self.client.submit(grade_task, task, pure=False, key=f"serve-{sub.id}")
            self.inflight[fut.key] = (sub, fut, t0)

    def _collect(self, timeout: float) -> None:
        from dask.distributed import wait

        futures = [fut for _, fut, _ in self.inflight.values()]
        try:
            wait(futures, timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return
        for key, (sub, fut, t0) in list(self.inflight.items()):
            if not fut.done():
                continue
            del self.inflight[key]
            try:
                result = fut.result()
            except Exception as exc:  # a worker that died: this submission is reported, the service goes on
                result = Executed.lost(_task_of(sub), f"the grading worker failed: {type(exc).__name__}: {exc}")
            self._record(sub, result, t0)

    def _record(self, sub: Submission, result: Executed, t0: float) -> None:
        """Write through nbgrader, render the pages, record the result once."""
        from ..report.collect import collect
        from ..report.feedback import write_feedback

        try:
            outcome = finish(self.writer, self.course, result, time.perf_counter() - t0)
            records = [r for r in collect(self.course, [sub.assignment], [sub.student]) if r.notebook == sub.notebook]
            due = deadline(self.policy, sub.assignment, self.duedates)
            write_pages(self.state, sub.id, records, due)
            write_feedback(self.course, records)
            status, score, top, waiting = NOT_GRADED, None, None, None
            if outcome.status != RUN_NOT_GRADED:
                status = GRADED
                score = sum(r.score - r.late_penalty for r in records)
                top = sum(r.max_score for r in records)
                waiting = sum(c.max_score for r in records for c in r.cells if c.score is None)
            detail = outcome.detail
        except Exception as exc:  # nothing about one submission stops the service
            log.exception("recording %s failed", sub.id)
            status, score, top, waiting = NOT_GRADED, None, None, None
            detail = f"the service could not record the result: {exc}"
        if self.store.finish(sub.id, status, detail, score, top, time.perf_counter() - t0, waiting):
            self.graded += 1


def _task_of(sub: Submission) -> Task:
    return Task(sub.student, sub.assignment, {sub.notebook: ""}, 0.0)
