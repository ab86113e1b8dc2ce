"""Running one hidden-test cell in the grader's process, against the student's kernel.

The cell's code never enters the kernel: it runs here, in a :class:`~.remote.Namespace`
that fetches the student's names on first use. So patched numpy, replaced builtins,
IPython input transformers, custom exception handlers, a disabled tracer or a doctored
clock in the kernel change nothing here: the verdict (did the cell raise?) is computed
from data alone, in a process the student's code never touched.

The outputs follow Jupyter's format, so nbgrader scores the cell as it scores any
executed cell (an ``error`` output costs the points). A traceback holds only the error's
type and message, never the hidden test's source lines.

All of a cell's work is bounded: requests to the kernel by the cell's time limit, and the
grader's own work on what came back by the same limit plus ``GRACE_S`` (a watchdog raises
in this thread), so no submission holds a worker past it.

A check can ask to be repeated when the cell ends (``link.end_of_cell``): the mutation check
looks at the student's copies of its inputs once more, after giving the kernel's threads a
moment, so a change made after the call returned still costs the cell.

Text written to stderr during the cell (a library's deprecation warning raised by a correct
answer, a student's debugging print, a warning in the grader's own computations) is kept
but written as a ``stdout`` stream: nbgrader gives 0 to a grade cell with any stderr output,
and a warning is not a wrong answer. Only the stability checks judge warnings, with a
message that says so.
"""

from __future__ import annotations

import contextlib
import functools
import io
import time
from typing import Any

from nbformat.v4 import new_output

from ... import protocol
from ...protocol.budget import CutOff, OutOfBudget
from ...result import MIME, recording
from .remote import KernelLost, Namespace

MAX_TEXT = 100_000
GRACE_S = 10.0
"""Past the cell's limit plus this, the grader's own work on the cell (checks on what the
kernel sent, figures drawn from its descriptions) is cut off: the cell fails, the worker
moves on. Requests to the kernel are bounded by the cell's limit itself (``link.deadline``)."""


class _Sink(io.TextIOBase):
    def __init__(self, outputs: list, name: str) -> None:
        self.outputs, self.name = outputs, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        add_stream(self.outputs, self.name, text)
        return len(text)


def add_stream(outputs: list, name: str, text: str) -> None:
    """Append text to the last stream output of that name (as Jupyter merges them), capped."""
    if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1].get("name") == name:
        have = outputs[-1]["text"]
        if len(have) >= MAX_TEXT:
            return
        outputs[-1]["text"] = (have + text)[:MAX_TEXT]
    else:
        outputs.append(new_output("stream", name=name, text=text[:MAX_TEXT]))


def error_output(exc: BaseException) -> Any:
    ename = type(exc).__name__
    try:
        evalue = str(exc)
    except Exception:
        evalue = "(message could not be read)"
    where = protocol.where(exc)
    lines = [f"{ename}: {evalue}"] + ([f"(raised by your code at {where})"] if where else [])
    return new_output("error", ename=ename, evalue=evalue, traceback=lines)


def run_grade_cell(source: str, link: Any, timeout: float, filename: str = "<hidden tests>") -> tuple[list, float]:
    """Execute ``source`` here; return (outputs, seconds)."""
    outputs: list = []
    link.on_output = lambda name, text: add_stream(outputs, "stdout", text)
    ns = Namespace(link)
    start = time.monotonic()
    link.deadline = start + timeout
    link.end_of_cell = []
    results: list = []
    where = ""
    try:
        code = _compile(source, filename)
        watchdog = CutOff(timeout + GRACE_S)
        watchdog.start()
        try:
            with contextlib.redirect_stdout(_Sink(outputs, "stdout")), \
                    contextlib.redirect_stderr(_Sink(outputs, "stdout")), recording() as results:
                exec(code, ns)
                _end_of_cell(link)
        finally:
            watchdog.disarm()
    except OutOfBudget:
        where = ""
        outputs.append(error_output(TimeoutError(
            f"this test ran past its time limit of {timeout:.0f} s (the grader's work on your answer included)")))
    except KernelLost as exc:
        outputs.append(error_output(exc))
    except BaseException as exc:  # KeyboardInterrupt/SystemExit from the student's code are its answer
        where = failed_in(exc, filename, source)
        outputs.append(error_output(exc))
    finally:
        link.deadline = float("inf")
        link.on_output = lambda name, text: None
        link.end_of_cell = None
    if results or where:
        outputs.append(results_output(results, where))
    return outputs, time.monotonic() - start


HIDDEN_MARK = "BEGIN HIDDEN TESTS"


def failed_in(exc: BaseException, filename: str, source: str) -> str:
    """Which part of a test cell raised: 'visible' (a statement before the cell's
    ``### BEGIN HIDDEN TESTS``, which students have in their notebook), 'hidden', or '' when
    no line of the cell is on the traceback (a time limit, a check repeated at the end). The
    statement is the cell's own, at its top level: a function defined above the mark and
    called below it fails the hidden part."""
    line = None
    tb = exc.__traceback__
    while tb is not None and line is None:  # the outermost frame of the cell: the statement running
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None:
        return ""
    mark = next((i for i, text in enumerate(source.splitlines(), start=1) if HIDDEN_MARK in text), None)
    return "hidden" if mark is not None and line > mark else "visible"


def results_output(results: list, where: str = "") -> Any:
    """Every check's Result of the cell as data (graders.result.MIME), for reports, and
    which part of the cell failed (``metadata[MIME]["failed_in"]``, see :func:`failed_in`)."""
    data = []
    for r in results[:MAX_RESULTS]:
        try:
            data.append(r.as_data())
        except Exception:  # a detail that cannot be read is left out, never the cell's grade
            data.append({"check": str(getattr(r, "check", "?")), "passed": bool(getattr(r, "passed", False)),
                         "details": {}})
    return new_output("display_data", data={MIME: data}, metadata={MIME: {"failed_in": where}} if where else {})


MAX_RESULTS = 200
"""Results stored per cell at most (a check called in a long loop)."""


SETTLE_S = 0.2
"""Kernel time given to the student's threads before the end-of-cell checks look again."""


def _end_of_cell(link: Any) -> None:
    """The checks a cell asked to repeat when it ends (a mutation check: was the input changed
    by a thread after the call returned?). The first failure fails the cell."""
    for i, again in enumerate(link.end_of_cell or []):
        message = again(SETTLE_S if i == 0 else 0.0)
        if message:
            raise AssertionError(message)


def _compile(source: str, filename: str) -> Any:
    """Hidden tests are plain Python; cells with IPython syntax still compile."""
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError:
        return compile(ipython_transformer().transform_cell(source), filename, "exec", dont_inherit=True)


@functools.lru_cache(maxsize=1)
def ipython_transformer() -> Any:
    """IPython's input transformer, as the kernel's shell has it (stateless between cells)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager()
