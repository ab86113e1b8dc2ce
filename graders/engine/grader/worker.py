"""A grading worker: executes sanitized submissions with kernels started ahead of time.

A task (:class:`graders.engine.task.Task`) carries everything it needs: the notebooks' JSON (hidden tests included, restored
by the writer from the gradebook), the student and assignment names, the cell time
limit. So a worker needs no shared file system: a ``dask worker`` on another machine with
this package installed grades the same as one in a ``LocalCluster``.

Kernel start-up is most of stock nbgrader's time per notebook. Each worker process keeps
one kernel *ahead*: while a notebook is graded, the next kernel is already starting (the
sandbox, ipykernel, the bridge, and the course's usual imports). A kernel serves exactly
one notebook and is then thrown away, so no state ever passes between students.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import nbformat

from ..task import Executed, Task
from .execute import Session, Timings, execute
from .link import tree_cpu_ns
from .text import clean, writes_safely

PREIMPORT = "import numpy, matplotlib.pyplot\n"
"""Run in every new kernel before the student's code: the imports nearly every notebook makes."""


def sandbox_enabled() -> bool:
    if os.environ.get("GRADERS_SANDBOX", "1") == "0":
        return False
    return shutil.which("bwrap") is not None


KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "OPENBLAS_NUM_THREADS": "1",
              "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_ZYGOTES: dict[str, Any] = {}


def shutdown() -> bool:
    """Close this process's kernels started ahead, then its factories (their folders, logs
    and groups). Registered for the process's exit; a ``LocalCluster``'s workers are also
    asked to run it before the cluster closes, since a worker that is stopped does not
    always get to its exit handlers."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        try:
            pool.close()
        except Exception:
            pass
    for zygote in list(_ZYGOTES.values()):
        try:
            zygote.close()
        except Exception:
            pass
    _ZYGOTES.clear()
    return True


def forking_enabled() -> bool:
    return os.environ.get("GRADERS_FORK", "1") != "0"


def start_session(course: Path | None, student_env: dict[str, str] | None = None,
                  sandbox: bool | None = None) -> Session:
    """A fresh kernel (sandboxed when possible) with the bridge installed and preimports done.

    Sandboxed kernels are forked by a factory inside the sandbox (:mod:`.zygote`) unless
    ``GRADERS_FORK=0``; then each kernel is its own bubblewrap sandbox, started cold."""
    sandbox = sandbox_enabled() if sandbox is None else sandbox
    env = {**KERNEL_ENV, **(student_env or {})}
    if sandbox and forking_enabled() and not _FORK_FAILED:
        try:
            return _forked_session(course, env)
        except Exception as exc:  # e.g. no nested user namespaces here: cold sandboxes still work
            _FORK_FAILED.append(f"{type(exc).__name__}: {exc}")
    return _cold_session(course, env, sandbox)


_FORK_FAILED: list[str] = []
"""Why forking kernels failed in this process (then every kernel gets a cold sandbox)."""


def _forked_session(course: Path | None, env: dict[str, str]) -> Session:
    from ..sandbox.forked import Zygote

    key = str(course)
    zygote = _ZYGOTES.get(key)
    if zygote is None or zygote.proc.poll() is not None:
        if not _ZYGOTES:
            import atexit

            atexit.register(shutdown)
        # without a course there is nothing to hide: an empty folder stands in (hiding all of
        # /tmp instead would hide the factory's own folder from it)
        hidden = Path(course) if course else Path(tempfile.mkdtemp(prefix="graders-nocourse-"))
        zygote = _ZYGOTES[key] = Zygote(hidden, env)
        if not course:
            zygote.owned.append(hidden)
    km, kc, folder = zygote.spawn()
    session = Session(km, kc, folder)
    session.install_bridge()
    session.link._run(PREIMPORT, 60)
    return session


def _cold_session(course: Path | None, env: dict[str, str], sandbox: bool) -> Session:
    scratch = Path(tempfile.mkdtemp(prefix="graders-scratch-"))
    if sandbox:
        from ..sandbox.jupyter import start_sandboxed_kernel
        from ..sandbox.policy import Policy, remove_cgroup

        policy = Policy(scratch=scratch, course=Path(course or scratch), name=scratch.name, extra_env=env)
        km, kc = start_sandboxed_kernel(policy)
        session = Session(km, kc, scratch, on_close=lambda: remove_cgroup(policy))
    else:
        from jupyter_client import KernelManager

        km = KernelManager(kernel_name="python3", transport="ipc")
        km.ip = str(scratch / "kernel-ipc")
        km.connection_file = str(scratch / "kernel.json")
        km.start_kernel(cwd=str(scratch), env={**os.environ, **env}, extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        kc = km.blocking_client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        session = Session(km, kc, scratch)
    session.install_bridge()
    reply, _ = session.link._run(PREIMPORT, 60)
    return session


class Pool:
    """Keeps one kernel starting in the background while the current one is in use.

    Kernels are started by one long-lived thread: the sandbox kills a kernel when the
    *thread* that started it ends (bubblewrap's ``--die-with-parent`` is a per-thread
    parent-death signal), so a thread per start would kill each kernel as it finished.
    """

    def __init__(self, course: Path | None = None, sandbox: bool | None = None) -> None:
        self.course, self.sandbox = course, sandbox
        self._ready: queue.Queue = queue.Queue()
        self._orders: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="graders-kernel-starter")
        self._thread.start()
        self._orders.put(True)

    def _serve(self) -> None:
        while self._orders.get():
            try:
                self._ready.put(start_session(self.course, sandbox=self.sandbox))
            except BaseException as exc:
                self._ready.put(exc)

    def take(self) -> Session:
        got = self._ready.get()
        self._orders.put(True)
        if isinstance(got, BaseException):
            raise got
        return got

    def close(self) -> None:
        """Stop starting kernels; close those started ahead, one still starting included."""
        try:
            while True:  # orders not yet served would start more kernels first
                self._orders.get_nowait()
        except queue.Empty:
            pass
        self._orders.put(False)
        self._thread.join(timeout=60)
        while not self._ready.empty():
            got = self._ready.get()
            if isinstance(got, Session):
                got.close()


_POOLS: dict[tuple, Pool] = {}


_POOLS_LOCK = threading.Lock()


def pool_for(course: str | None, sandbox: bool | None) -> Pool:
    """This process's pool for a course (the warm-up and the first task may race for it)."""
    key = (course, sandbox)
    with _POOLS_LOCK:
        if key not in _POOLS:
            _POOLS[key] = Pool(Path(course) if course else None, sandbox)
        return _POOLS[key]


def warm_up(course: str | None, sandbox: bool | None) -> bool:
    """Start this worker's kernel factory and first kernel now, before any task arrives."""
    pool_for(course, sandbox)
    return True


def _kernel_cpu_s(session: Any) -> float:
    """CPU seconds the kernel's process tree has used so far (for --stats; 0 if unknown)."""
    try:
        pid = session.link._pid()
        return tree_cpu_ns(pid) / 1e9 if pid else 0.0
    except Exception:
        return 0.0


def grade_task(task: Task) -> Executed:
    """Execute every notebook of one submission. Never raises: a notebook that cannot be
    executed is in ``Executed.failed`` with its reason."""
    pool = pool_for(task.course, task.sandbox)
    executed: dict[str, str] = {}
    failed: dict[str, str] = {}
    timings: dict[str, dict] = {}
    for name, text in task.notebooks.items():
        t0 = time.monotonic()
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as exc:
            failed[name] = f"could not read the sanitized notebook: {exc}"
            continue
        try:
            session = pool.take()
        except Exception as exc:
            failed[name] = f"could not start a kernel: {type(exc).__name__}: {exc}"
            continue
        wait = time.monotonic() - t0
        cpu0 = time.process_time()
        kernel_cpu_s = 0.0
        try:
            times = execute(nb, session, float(task.timeout), student=task.student, budget_s=task.budget_s)
        except Exception as exc:
            failed[name] = f"the grading engine failed: {type(exc).__name__}: {exc}"
            times = Timings()
        finally:
            judge_cpu_s = time.process_time() - cpu0
            kernel_cpu_s = _kernel_cpu_s(session)
            t1 = time.monotonic()
            session.close()
            times.stop_s = time.monotonic() - t1
        times.start_s = wait
        times.total_s = time.monotonic() - t0
        if name not in failed:
            executed[name] = clean(writes_safely(nb))
        timings[name] = {"start_s": times.start_s, "kernel_cells_s": times.kernel_cells_s,
                         "test_cells_s": times.test_cells_s, "stop_s": times.stop_s,
                         "total_s": times.total_s, "overhead_s": times.overhead_s, "cells": times.cells,
                         "judge_cpu_s": judge_cpu_s, "kernel_cpu_s": kernel_cpu_s, "cpu": times.cpu}
    return Executed(task.student, task.assignment, executed,
                    {name: clean(reason) for name, reason in failed.items()},  # a reason can quote the kernel
                    timings, f"{os.uname().nodename}:{os.getpid()}")
