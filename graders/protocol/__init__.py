"""The contract between the checks and the grading engine: what a callable under test can be asked.

A check observes calls: it times them, traces them for loops, watches what they do to their
arguments, reads the function's source. Where the student's function is local (Colab, a
laptop, ``make check``), the check does all of that itself. In the grading engine the
function lives in the student's sandboxed kernel and the hidden test holds a proxy for it
(:class:`graders.engine.grader.remote.RemoteFunction`); the same questions are then answered
from outside the kernel, where the student's code cannot forge the answers.

This package names those questions once. Checks ask :func:`remote` whether a callable is a
proxy and then call only what :class:`Remote` lists; the engine's proxies implement
:class:`Remote`. Neither side imports the other's internals: both import this.

Its submodules run on both sides of the wire, and inside the kernel too (loaded there by
:mod:`graders.engine.boot`), so they import the standard library and numpy only:

- :mod:`.read_counter`: a probe array that counts the reads made through it (laziness);
- :mod:`.fresh`: the per-call reorderings of a timed input, built alike on both sides;
- :mod:`.budget`: the cut-off that stops a call running past its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    from ..calling import Call

MARK = "__graders_remote__"
"""A class attribute, true on the engine's proxies: the one thing :func:`remote` reads."""


@dataclass(frozen=True)
class Sample:
    """CPU time of ``loops`` back-to-back calls."""

    seconds: float
    """CPU seconds for all ``loops`` calls (up to the cut-off or the error)."""

    loops: int
    """Number of calls asked for."""

    failure: Call | None = None
    """The failed call when the function raised (carries the student's line)."""

    cut: bool = False
    """True when the cut-off stopped the calls before they finished."""

    kept: Callable[[], Any] | None = None
    """For a function timed in the student's kernel with ``keep``: fetches the value one of
    the timed calls returned."""

    @property
    def per_call(self) -> float:
        return self.seconds / self.loops


class Watched(Protocol):
    """A call made with its arguments watched (the answer to :meth:`Remote.__graders_watch__`)."""

    outcome: Call
    """What the call returned or raised."""

    after: list
    """The positional arguments as they are after the call (the kernel's copies)."""

    kwafter: dict
    """The keyword arguments likewise."""


class Remote(Protocol):
    """What a proxy for a function in another process answers, from outside that process.

    The names are dunders so that they can never be mistaken for, or hide, an attribute of
    the student's own function, which the proxy forwards."""

    def __graders_time__(self, args: tuple, loops: int, cut_after_s: float | None,
                         keep: int | None = None, fresh: int | None = None) -> Sample:
        """CPU time of ``loops`` calls on ``args``, read from the kernel's processes; with
        ``fresh`` (a seed) each call gets its own reordering of the rows (:mod:`.fresh`);
        with ``keep``, ``Sample.kept()`` fetches the value call number ``keep`` returned."""

    def __graders_trace__(self, args: tuple, kwargs: dict) -> dict:
        """One call traced in the kernel: ``events`` (count), ``lines`` (``[[file, line,
        count], ...]``), ``tampered``, or ``exception``. The kernel's own account, so it may
        only ever fail a check."""

    def __graders_watch__(self, args: tuple, kwargs: dict) -> Watched:
        """One call with its arguments copied before and reported after."""

    @property
    def __graders_shadow__(self) -> Callable | None:
        """The function compiled in the grader from the notebook's own text (never run), for
        reading its source and its helpers; None when the text cannot be found."""


def remote(func: Any) -> Remote | None:
    """``func`` itself when it is a proxy for a function in another process, else None."""
    return func if getattr(type(func), MARK, False) else None


def where(exc: BaseException) -> str:
    """``line N: 'source'`` of the student's code where a call in another process raised
    (set on the rebuilt exception by the engine), or ``""``."""
    return getattr(exc, "__graders_where__", "") or ""
