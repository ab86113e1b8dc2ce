"""The one value every check returns.

A grade cell reads ``r = check_x(...); assert r.passed, r.message``. Keeping the verdict,
the student-facing text and the machine-readable figures in one frozen object lets the
grading engine record *why* a point was lost, and lets reports aggregate figures (speed
ratios, loop lines) without parsing messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping


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
