"""Calling a student's function without letting its failure become a grading crash.

Checks that need to run the student's code (mutation, stability, loops, speed, errors)
call it through :func:`call`, which turns an exception into data: the exception type,
its text, and the line of the *student's* code where it happened, so a message can say
``softmax(z) raised ValueError at line 4: 'e = np.exp(z - z.max(axis=1))'``.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any, Callable

from .describe import safe_repr


@dataclass(frozen=True)
class Call:
    """The outcome of one call of a student's function."""

    value: Any = None
    """What the function returned (None when it raised)."""

    error: BaseException | None = None
    """The exception it raised, if any."""

    where: str = ""
    """``line N: 'source text'`` of the deepest frame in the student's own code."""

    @property
    def raised(self) -> bool:
        return self.error is not None

    def error_text(self, name: str) -> str:
        """``name raised TypeError: ... at line 3: '...'``; empty when it did not raise."""
        if self.error is None:
            return ""
        exc = self.error
        if type(exc) is NotImplementedError:  # the release's stub, still in place
            text = f"{name} is not answered yet: it raised NotImplementedError"
            if self.where:
                text += f" (at {self.where})"
            return text + "; replace `raise NotImplementedError()` with your code"
        text = f"{name} raised {type(exc).__name__}: {safe_repr_exc(exc)}"
        if self.where:
            text += f" (at {self.where})"
        return text


def safe_repr_exc(exc: BaseException) -> str:
    try:
        return str(exc)[:300] or "(no message)"
    except Exception:
        return safe_repr(exc)


def call(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Call:
    """Run ``func(*args, **kwargs)``; never raises an ``Exception`` subclass.

    ``KeyboardInterrupt`` and ``SystemExit`` are turned into data too: a student's
    ``sys.exit()`` must cost them the check, not end the grading run.
    """
    try:
        return Call(value=func(*args, **kwargs))
    except (Exception, KeyboardInterrupt, SystemExit) as exc:
        return Call(error=exc, where=student_frame(exc, func))


def student_frame(exc: BaseException, func: Callable[..., Any]) -> str:
    """The deepest traceback frame that belongs to the student's function's file.

    Notebook cells compile to pseudo-files like ``<ipython-input-3-...>``; we match on the
    code object's filename rather than on paths so this works in a kernel and in tests.
    Line numbers are those of the cell (or file), as IPython's own tracebacks show them.
    """
    remote = getattr(exc, "__graders_where__", None)
    if remote is not None:  # raised in the student's kernel: the kernel found the line
        return remote
    code = getattr(func, "__code__", None)
    home = getattr(code, "co_filename", None)
    try:
        frames = traceback.extract_tb(exc.__traceback__)
    except Exception:
        return ""
    mine = [f for f in frames if home is None or f.filename == home]
    if not mine:
        return ""
    f = mine[-1]
    line = (f.line or "").strip()
    return f"line {f.lineno}: {line!r}" if line else f"line {f.lineno}"
