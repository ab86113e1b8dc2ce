"""The one value every check returns.

A grade cell reads ``r = check_x(...); assert r.passed, r.message``. Keeping the verdict,
the student-facing text and the machine-readable figures in one frozen object lets the
grading engine record *why* a point was lost, and lets reports aggregate figures (speed
ratios, loop lines) without parsing messages.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Mapping

MIME = "application/vnd.graders.results+json"
"""The MIME type under which the grading engine stores a grade cell's results in the
autograded notebook (a ``display_data`` output that feedback and formgrader never show)."""

_recording: contextvars.ContextVar[list | None] = contextvars.ContextVar("graders_results", default=None)


def _freeze(details: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(details or {}))


@dataclass(frozen=True)
class Result:
    """The verdict of one check on one student answer."""

    check: str
    """Name of the check that produced this result, e.g. ``"check_close"``."""

    passed: bool
    """True when the answer satisfies the check."""

    message: str
    """Text for the student: what was wrong, on what input, what came back, what was
    expected, and a hint. Short and positive when the check passed."""

    details: Mapping[str, Any] = field(default_factory=dict)
    """Figures for the engine and reports (ratios, counts, offending lines). Read-only."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "passed", bool(self.passed))
        object.__setattr__(self, "details", _freeze(self.details))
        sink = _recording.get()
        if sink is not None:
            sink.append(self)

    def as_data(self) -> dict[str, Any]:
        """The result as JSON-safe data: check, passed, and the details that are numbers,
        short strings, or small lists and mappings of them. Arrays are left out, and so is
        anything that gives an expected value away (``expected``, the differences from it,
        which with the student's own answer would give it back): the data is stored in the
        autograded notebook, and a report has no use for them."""
        details = {str(k): v for k, v in ((k, _plain(v)) for k, v in self.details.items()
                                          if not _secret(str(k))) if v is not _DROP}
        return {"check": self.check, "passed": self.passed, "details": details}

    @classmethod
    def ok(cls, check: str, message: str = "", **details: Any) -> "Result":
        """A passing result."""
        return cls(check, True, message or f"{check}: passed", details)

    @classmethod
    def fail(cls, check: str, message: str, **details: Any) -> "Result":
        """A failing result; ``message`` must say what to fix."""
        return cls(check, False, message, details)

    def __bool__(self) -> bool:
        """Refuse truth-testing: ``assert result`` would pass on a failing check."""
        raise TypeError("use `assert result.passed, result.message`, not `assert result`")


def first_failure(*results: Result) -> Result:
    """The first failing result, or the last one when all pass.

    Lets a check run its stages in numpy.testing order (type, shape, dtype, nan/inf,
    values) and report only the first thing that is wrong.
    """
    if not results:
        raise ValueError("first_failure() needs at least one Result")
    for r in results:
        if not r.passed:
            return r
    return results[-1]


@contextlib.contextmanager
def recording() -> Iterator[list[Result]]:
    """Every Result made in this context while the block runs, in order: the grading engine
    stores them with the grade cell, so reports read figures, never message text."""
    sink: list[Result] = []
    token = _recording.set(sink)
    try:
        yield sink
    finally:
        _recording.reset(token)


_DROP = object()
_SECRET_KEYS = ("max_abs_diff", "max_rel_diff")


def _secret(key: str) -> bool:
    return "expected" in key or key in _SECRET_KEYS

_MAX_ITEMS = 50
_MAX_TEXT = 500


def _plain(v: Any, depth: int = 0) -> Any:
    """``v`` as JSON data, or ``_DROP``."""
    if v is None or isinstance(v, (bool, str, int)) and not hasattr(v, "dtype"):
        return v[:_MAX_TEXT] if isinstance(v, str) else v
    if isinstance(v, float) or type(v).__module__ == "numpy" and getattr(v, "ndim", None) == 0:
        try:
            x = v.item() if hasattr(v, "item") else v
        except Exception:
            return _DROP
        if isinstance(x, float) and not math.isfinite(x):
            return None
        return x if isinstance(x, (bool, int, float, str)) else _DROP
    if depth >= 3:
        return _DROP
    if isinstance(v, (list, tuple)) and len(v) <= _MAX_ITEMS:
        items = [_plain(x, depth + 1) for x in v]
        return _DROP if any(x is _DROP for x in items) else items
    if isinstance(v, Mapping) and len(v) <= _MAX_ITEMS:
        return {str(k): x for k, x in ((k, _plain(x, depth + 1)) for k, x in v.items()) if x is not _DROP}
    return _DROP
