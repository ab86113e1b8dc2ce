"""Timing calls of a function: CPU clocks, garbage-collection policy and a cut-off.

:mod:`graders.checks.speed` decides verdicts; this module only measures. The two are kept
apart so that the measuring part, which must not be in reach of student code, can move
out of the student's process with the grading engine without touching the verdict logic.

Why CPU time, and which CPU clock
---------------------------------
Wall-clock time grows whenever the scheduler hands our core to someone else (another
student's kernel, a test run, a busy-looping process on the other core competing for the
same core). CPU time counts only the time the code actually ran, so it is not inflated by
other processes. Two CPU clocks are offered:

``"thread"`` (default)
    CPU time of the calling thread only. It also ignores the other threads of our own
    process (a kernel's heartbeat threads, and BLAS worker threads that keep spinning for
    a while after a matrix product has returned, which would otherwise be charged to
    whichever function runs next). Its blind spot: work done *for* the call on BLAS worker
    threads is not counted, so a multi-threaded matrix product looks cheaper than it is.
    The course's speed exercises (softmax, sigmoid, normalisation, broadcasting) are
    elementwise and reductions, which numpy runs on the calling thread.
``"process"``
    CPU time of all threads of the process. Use it when the reference leans on
    multi-threaded BLAS (large ``@``), accepting some noise from spinning threads.

Neither clock removes contention for shared caches and memory bandwidth, which a busy
neighbour can cause; medians over interleaved samples (see speed.py) absorb most of it.

The clocks and the gc switches are captured when this module is imported, so a student's
``time.perf_counter = ...`` or ``gc.enable = ...`` later on cannot change a measurement.
"""

from __future__ import annotations

import gc
import time
from typing import Any, Callable

from ..calling import Call, student_frame
from ..protocol import Sample, remote
from ..protocol.budget import CutOff, OutOfBudget

CLOCKS: dict[str, Callable[[], int]] = {
    "thread": time.thread_time_ns,
    "process": time.process_time_ns,
}
"""CPU clocks in nanoseconds, by name, captured at import."""

wall_ns: Callable[[], int] = time.perf_counter_ns
"""Wall clock (ns), used only for the time budget, never for verdicts."""

_gc_disable, _gc_enable, _gc_isenabled = gc.disable, gc.enable, gc.isenabled


def time_calls(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    loops: int,
    clock: Callable[[], int],
    *,
    cut_after_s: float | None = None,
    keep: int | None = None,
    fresh: int | None = None,
) -> Sample:
    """CPU time of ``loops`` calls ``func(*args)``, with the garbage collector off.

    gc is disabled during the timed calls, as :mod:`timeit` does, so a collection
    triggered by earlier allocations is not charged to whichever function happens to be
    running; the previous gc state is restored afterwards, also when the function raises
    or is cut off. Never raises for the function's exceptions: they come back as
    ``Sample.failure``.
    """
    proxy = remote(func)
    if proxy is not None:
        # the student's function runs in its kernel: the grader reads that kernel's CPU
        # time from outside (graders.engine.grader.link), where the student's code cannot reach
        return proxy.__graders_time__(args, loops, cut_after_s, keep=keep, fresh=fresh)
    cut_off = CutOff(cut_after_s) if cut_after_s is not None else None
    gc_was_enabled = _gc_isenabled()
    failure: Call | None = None
    cut = False
    t0 = clock()
    t1 = t0
    try:
        try:
            _gc_disable()
            if cut_off is not None:
                cut_off.start()
            t0 = clock()
            for _ in range(loops):
                func(*args)
            t1 = clock()
        finally:
            if cut_off is not None:
                cut_off.disarm()
    except OutOfBudget:
        t1 = clock()
        cut = True
    except (Exception, KeyboardInterrupt, SystemExit) as exc:
        t1 = clock()
        failure = Call(error=exc, where=student_frame(exc, func))
    finally:
        if gc_was_enabled:
            _gc_enable()
    return Sample(seconds=max(t1 - t0, 0) / 1e9, loops=loops, failure=failure, cut=cut)


def calibrate(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    clock: Callable[[], int],
    min_sample_s: float,
    *,
    first: Sample | None = None,
    max_loops: int = 10_000_000,
) -> Sample:
    """The first sample whose duration reaches ``min_sample_s``, like ``timeit.autorange``.

    A sample of a few microseconds is mostly clock granularity and loop overhead; a
    sample of a few milliseconds is not. Each step aims at 1.2x the target from the last
    measured time per call, growing at most 100-fold per step.
    """
    sample = first or time_calls(func, args, 1, clock)
    while sample.failure is None and sample.seconds < min_sample_s and sample.loops < max_loops:
        per_call = max(sample.per_call, 1e-9)
        loops = int(min(max_loops, sample.loops * 100, 1.2 * min_sample_s / per_call + 1))
        sample = time_calls(func, args, max(loops, sample.loops + 1), clock)
    return sample
