"""The dynamic loop signal: run the function on a small and a large input and count
the Python events in the student's own code.

Whole-array NumPy code runs the same student lines whatever the input size; per-element
Python work (a loop, a comprehension, a lambda called by ``np.vectorize`` or
``df.apply``, code run by ``exec``) runs more lines as the input grows. Counting only in
student frames (see :func:`.source.is_student_file`) keeps library internals out of
the figure, so it does not move when NumPy or pandas change how they are written.

Python 3.11 has no ``sys.monitoring``; ``sys.settrace`` is used, with a local trace
function installed only on student frames, so library frames cost one call each.
"""

from __future__ import annotations

import inspect
import linecache
import os
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from ...calling import Call, call, student_frame
from ...protocol import remote, where
from .source import is_student_frame, unwrap

MAX_ITEMS = 100_000
"""A generator returned by the function is drained up to this many items."""


REMOTE_TEXT: dict = {}
"""Line texts reported by a student's kernel, for hot lines of functions traced there."""

TAMPERED = "it replaced the trace function (sys.settrace), so its Python work cannot be counted"


class Args:
    """Positional and keyword arguments for one call, for ``make_input`` to return when a
    plain tuple (positional only) or dict (keywords only) will not do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs

    def __repr__(self) -> str:
        return f"Args(*{self.args!r}, **{self.kwargs!r})"


def as_args(made: Any) -> tuple[tuple, dict]:
    """How ``make_input(n)``'s value becomes a call: ``Args`` as given, a tuple as the
    positional arguments, a dict as keywords, anything else as the single argument."""
    if isinstance(made, Args):
        return made.args, dict(made.kwargs)
    if isinstance(made, tuple):
        return made, {}
    if isinstance(made, dict):
        return (), dict(made)
    return (made,), {}


class _Counter:
    """Counts ``call`` and ``line`` events in student frames, per line too."""

    def __init__(self) -> None:
        self.events = 0
        self.tampered = False
        """True when the traced code replaced the trace function (its count is a floor)."""
        self.lines: Counter = Counter()
        self._student: dict[Any, bool] = {}

    def _is_student(self, frame: Any) -> bool:
        code = frame.f_code
        known = self._student.get(code)
        if known is None:
            known = self._student[code] = is_student_frame(frame)
        return known

    def global_trace(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "call" and self._is_student(frame):
            self.events += 1
            return self.local_trace
        return None

    def local_trace(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            self.events += 1
            self.lines[(frame.f_code.co_filename, frame.f_lineno)] += 1
        return self.local_trace


@contextmanager
def counting_events() -> Iterator[_Counter]:
    """Trace student frames while the block runs; always restore the previous tracer."""
    counter = _Counter()
    previous = sys.gettrace()
    sys.settrace(counter.global_trace)
    try:
        yield counter
    finally:
        counter.tampered = sys.gettrace() != counter.global_trace
        sys.settrace(previous)


def _drain(value: Any) -> Any:
    """Run a generator's body (where its loop is) by taking its items."""
    if inspect.isgenerator(value):
        for i, _ in enumerate(value):
            if i + 1 >= MAX_ITEMS:
                break
    return value


@dataclass(frozen=True)
class HotLine:
    """A student line whose run count grew with the input."""

    filename: str
    line: int
    text: str
    counts: tuple[int, int]
    elsewhere: bool = False
    """True when the line is not in the checked function's own file (or cell)."""

    def __str__(self) -> str:
        where = f"line {self.line}: {self.text!r}" if self.text else f"line {self.line}"
        if self.filename == "<string>":
            where += " of code run by exec/eval"
        elif self.elsewhere:
            where += f" of {os.path.basename(self.filename)}"
        return f"{where} ran {self.counts[0]} then {self.counts[1]} times"


@dataclass(frozen=True)
class Growth:
    """What the dynamic signal measured."""

    sizes: tuple[int, int]
    events: tuple[int, int] | None = None
    """Python events (calls + lines) in student code at each size; None if a call raised."""

    ratio: float = 2.0
    slack: int = 32
    error: Call | None = None
    """The call that raised, when one did (its ``error_text`` names the student's line)."""

    error_size: int | None = None
    hot_lines: tuple[HotLine, ...] = field(default_factory=tuple)
    inputs: dict = field(default_factory=dict)
    """The large input, as argument name -> value, for the message."""

    @property
    def ran(self) -> bool:
        return self.events is not None

    @property
    def flagged(self) -> bool:
        """Events grew by more than ``ratio`` times and by more than ``slack`` events."""
        if self.events is None:
            return False
        small, large = self.events
        return large > self.ratio * small and large - small > self.slack

    def growth_text(self) -> str:
        if self.events is None:
            return ""
        small, large = self.events
        factor = self.sizes[1] / self.sizes[0] if self.sizes[0] else float("inf")
        factor_text = f"{factor:g}x"
        if self.flagged:
            return (f"Python events grew from {small} to {large} when the input grew "
                    f"{factor_text}: per-element Python work")
        return (f"Python events went from {small} to {large} when the input grew "
                f"{factor_text}: no per-element Python work")


def _named_inputs(func: Callable, args: tuple, kwargs: dict) -> dict:
    """Arguments by parameter name, so the message says ``x = ...`` not ``args[0]``."""
    bound = None
    for candidate in (unwrap(func), func):
        try:
            signature = inspect.signature(candidate)
            bound = signature.bind(*args, **kwargs)
            break
        except (TypeError, ValueError):
            continue
    if bound is not None:
        named: dict = {}
        for key, value in bound.arguments.items():
            kind = signature.parameters[key].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                named.update({f"{key}[{i}]": v for i, v in enumerate(value)})
            elif kind is inspect.Parameter.VAR_KEYWORD:
                named.update(value)
            else:
                named[key] = value
        return named
    named = {f"args[{i}]": a for i, a in enumerate(args)}
    named.update(kwargs)
    return named


def _hot_lines(small: Counter, large: Counter, home: str | None,
               limit: int = 3) -> tuple[HotLine, ...]:
    grown = sorted(((large[k] - small.get(k, 0), k) for k in large), reverse=True)
    out = []
    for extra, (filename, lineno) in grown[:limit]:
        if extra <= 0:
            break
        text = linecache.getline(filename, lineno).strip() or REMOTE_TEXT.get((filename, lineno), "")
        counts = (small.get((filename, lineno), 0), large[(filename, lineno)])
        out.append(HotLine(filename, lineno, text, counts, filename != home))
    return tuple(out)


def trace_growth(func: Callable, make_input: Callable[[int], Any],
                 sizes: tuple[int, int] = (32, 512), *, ratio: float = 2.0,
                 slack: int = 32) -> Growth:
    """Run ``func(*make_input(n))`` for each ``n`` in ``sizes`` under the event counter.

    Inputs are made outside the traced region, so ``make_input``'s own loops never
    count. A generator result is drained inside it, so its body is measured. For a
    generator that is allowed one loop over batches, let ``make_input`` keep the number
    of batches fixed (batch size grows with ``n``): the loop then runs the same number
    of times at both sizes and only per-element work inside it grows.
    """
    sizes = (int(sizes[0]), int(sizes[1]))
    counts, per_line = [], []
    named: dict = {}
    for n in sizes:
        args, kwargs = as_args(make_input(n))
        named = _named_inputs(func, args, kwargs)
        if remote(func) is not None:
            counted = _remote_count(func, args, kwargs)
            if isinstance(counted, Call):
                return Growth(sizes, None, ratio, slack, counted, n, inputs=named)
            counts.append(counted[0])
            per_line.append(counted[1])
            continue
        with counting_events() as counter:
            result = call(lambda: _drain(func(*args, **kwargs)))
        if counter.tampered and not result.raised:
            result = Call(error=RuntimeError(TAMPERED))
        if result.raised:
            fixed = Call(error=result.error, where=_student_where(result, func))
            return Growth(sizes, None, ratio, slack, fixed, n, inputs=named)
        counts.append(counter.events)
        per_line.append(counter.lines)
    return Growth(sizes, (counts[0], counts[1]), ratio, slack, None, None,
                  _hot_lines(per_line[0], per_line[1], _home(func)), named)


def _remote_count(func: Any, args: tuple, kwargs: dict) -> "Call | tuple[int, Counter]":
    """Events counted in the student's kernel. That count is the student's to forge, so
    it can only fail a check: the static scan, made here from the notebook's text, is
    what a loop cannot hide from."""
    out = func.__graders_trace__(args, kwargs)
    if out.get("exception") is not None:
        exc = out["exception"]
        return Call(error=exc, where=where(exc))
    if out.get("tampered"):
        return Call(error=RuntimeError(TAMPERED))
    lines = Counter()
    for f, n, c, text in out.get("lines") or []:
        lines[(f, n)] = c
        REMOTE_TEXT[(f, n)] = text
    return int(out.get("events") or 0), lines


def _home(func: Callable) -> str | None:
    code = getattr(unwrap(func), "__code__", None)
    return getattr(code, "co_filename", None)


def _student_where(result: Call, func: Callable) -> str:
    """``call`` was handed a wrapper lambda; find the line in ``func``'s own file."""
    return student_frame(result.error, unwrap(func)) if result.error is not None else ""
