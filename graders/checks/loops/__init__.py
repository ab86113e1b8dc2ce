"""Checks that a student's function does its work with whole-array NumPy, not Python loops.

Two independent signals, both reported in one :class:`~graders.result.Result`:

* **static** (:func:`find_loops`, :func:`check_no_loops_static`): the function's source
  (from ``inspect``, from ``linecache`` for notebook cells and exec'd code, or an explicit
  ``source=`` string) is parsed and every loop or loop in disguise is reported with its
  line as the notebook shows it: ``line 3: 'for i in range(n):'``. Student helpers it
  calls are read too. See :data:`KINDS` for what counts.
* **dynamic** (:func:`trace_growth`, :func:`check_no_loops_dynamic`): the function runs
  on a small and a 16x larger input and the Python events in student code are counted;
  events that grow with the input mean per-element Python work, however it is spelled
  (this catches loops in helper modules, ``exec`` strings, ``getattr`` tricks).

Allowing loops: some exercises need one loop, e.g. the loop over batches in a mini-batch
generator. ``allowed={"for": 1}`` tolerates the first ``for`` statement (in reading
order, helpers included); a second one is still reported. ``allowed=("for",)`` tolerates
any number. Keys are the kinds in :data:`KINDS`; an unknown key raises ValueError. For the
dynamic signal, make the allowed loop run a fixed number of times: let ``make_input(n)``
keep the batch *count* fixed and grow the batch *size* with ``n``.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Iterable, Mapping

from ...describe import block, describe_inputs, hint_line, labelled
from ...protocol import remote
from ...result import Result
from .source import SourceUnavailableError, unwrap
from .findings import KINDS, LoopFinding, StaticScan
from .static import scan_loops
from .trace import Args, Growth, trace_growth

__all__ = [
    "Args", "Growth", "KINDS", "LoopFinding", "StaticScan", "SourceUnavailableError",
    "check_no_loops", "check_no_loops_dynamic", "check_no_loops_static", "find_loops",
    "scan_loops", "trace_growth",
]

DEFAULT_HINT = ("replace the loop with a whole-array expression: np.where, boolean masks, "
                "broadcasting, axis= reductions")
DEFAULT_SIZES = (32, 512)
"""``n`` and ``16 n``: large enough for growth to stand out, small enough that a
per-element Python loop under the tracer still finishes in milliseconds."""

Allowed = Mapping[str, int] | Iterable[str] | None


def find_loops(func: Callable, *, source: str | None = None, allowed: Allowed = None,
               follow_helpers: bool = True) -> list[LoopFinding]:
    """The loops in ``func`` (and its student helpers) beyond what ``allowed`` tolerates.

    Raises :class:`SourceUnavailableError` when the source cannot be read; use
    :func:`scan_loops` to get that as data instead.
    """
    scan = scan_loops(func, source=source, allowed=allowed, follow_helpers=follow_helpers)
    if not scan.available:
        raise SourceUnavailableError(scan.reason)
    return list(scan.findings)


def _default_name(func: Any) -> str:
    inner = unwrap(func)
    fname = str(getattr(inner, "__name__", None) or type(func).__name__)
    fname = fname.removesuffix(" (vectorized)")
    try:
        params = ", ".join(inspect.signature(inner).parameters)
    except (TypeError, ValueError):
        params = "..."
    return f"{fname}({params})"


def _static_lines(scan: StaticScan | None) -> list[str]:
    if scan is None:
        return []
    if not scan.available:
        return [f"Static check could not run: source unavailable ({scan.reason}); "
                "pass source= (the cell text) to enable it."]
    if not scan.findings:
        tolerated = f" beyond the {len(scan.allowed)} allowed" if scan.allowed else ""
        return [f"Static check: no Python loops found{tolerated}."]
    count = len(scan.findings)
    noun = "loop" if count == 1 else "loops"
    head = f"Static check: {count} Python {noun} found"
    head += f" (beyond the {len(scan.allowed)} allowed):" if scan.allowed else ":"
    return [head] + [f"  {f}" for f in scan.findings]


def _dynamic_lines(growth: Growth | None, name: str) -> list[str]:
    if growth is None:
        return []
    small, large = growth.sizes
    if growth.error is not None:
        return [f"Dynamic check could not run: {growth.error.error_text(name)} "
                f"(input size n={growth.error_size})."]
    lines = [f"Dynamic check (n={small} and n={large}): {growth.growth_text()}."]
    if growth.flagged and growth.hot_lines:
        lines.append(f"  busiest line: {growth.hot_lines[0]}")
    return lines


def _details(scan: StaticScan | None, growth: Growth | None) -> dict[str, Any]:
    details: dict[str, Any] = {
        "static": [f.as_dict() for f in scan.findings] if scan else [],
        "static_allowed": [f.as_dict() for f in scan.allowed] if scan else [],
        "static_available": bool(scan and scan.available),
        "static_flagged": bool(scan and scan.flagged),
        "static_reason": scan.reason if scan else "not run",
        "events": growth.events if growth else None,
        "sizes": growth.sizes if growth else None,
        "dynamic_flagged": bool(growth and growth.flagged),
        "dynamic_error": None,
        "hot_lines": [],
    }
    if growth is not None:
        details["hot_lines"] = [(h.filename, h.line, h.text, h.counts) for h in growth.hot_lines]
        if growth.error is not None:
            details["dynamic_error"] = type(growth.error.error).__name__
    return details


def _verdict(check: str, name: str, scan: StaticScan | None, growth: Growth | None,
             inputs: Any, hint: str | None, remote: bool = False) -> Result:
    """One Result from whichever signals ran.

    Fails when a signal flags, when the function raised, or when no signal could run.
    A missing source alone does not fail (the dynamic signal still decides) but is
    said in the message and in ``details["static_available"]``, except for a function
    graded in the student's kernel (``remote``): there the dynamic signal is the kernel's
    own account, and only the notebook's text, read by the grader, is beyond its reach. A
    graded function whose definition is not in the notebook fails, saying so.
    """
    details = _details(scan, growth)
    flagged = details["static_flagged"] or details["dynamic_flagged"]
    raised = growth is not None and growth.error is not None
    static_ran = scan is not None and scan.available
    dynamic_ran = growth is not None and growth.ran
    body = _static_lines(scan) + _dynamic_lines(growth, name)
    shown = inputs if inputs is not None else (growth.inputs if growth else None)
    input_line = labelled("Input", describe_inputs(shown)) if (flagged or raised) else None
    if scan is not None and scan.unanswered:
        head = (f"{name}: not answered yet: replace `raise NotImplementedError()` in "
                f"{', '.join(scan.unanswered)} with your code.")
        return Result.fail(check, head, **details)
    if remote and scan is not None and not scan.available and not flagged:
        head = (f"{name}: could not be checked for loops: its definition was not found in your notebook's "
                "cells (it was made with exec, loaded from a file, or had its code replaced).")
        return Result.fail(check, block(head, hint_line(hint or "define the function with `def` in a code "
                                                        "cell of this notebook")), **details)
    if flagged:
        head = f"{name}: uses Python loops; this exercise asks for whole-array NumPy code."
        return Result.fail(check, block(head, *body, input_line, hint_line(hint or DEFAULT_HINT)),
                           **details)
    if raised:
        head = f"{name}: could not be checked for loops."
        return Result.fail(check, block(head, *body, input_line, hint_line(hint)), **details)
    if not (static_ran or dynamic_ran):
        head = f"{name}: could not be checked for loops (no source and no make_input)."
        return Result.fail(check, block(head, *body, hint_line(hint)), **details)
    head = f"{name}: no Python loops found."
    return Result.ok(check, block(head, *body), **details)


def check_no_loops(func: Callable, make_input: Callable[[int], Any] | None = None, *,
                   source: str | None = None, allowed: Allowed = None,
                   sizes: tuple[int, int] = DEFAULT_SIZES, name: str | None = None,
                   inputs: Any = None, hint: str | None = None,
                   follow_helpers: bool = True) -> Result:
    """Both signals: fails if the source shows a loop or the Python work grows with ``n``.

    ``make_input(n)`` returns the arguments for a call of size ``n``: a tuple
    (positional), a dict (keywords), an :class:`Args`, or a single value. Without it only
    the static signal runs. ``details``: ``static`` (list of findings), ``events``
    (small, large), ``sizes``, flags for each signal, ``hot_lines``.
    """
    name = name or _default_name(func)
    scan = scan_loops(func, source=source, allowed=allowed, follow_helpers=follow_helpers)
    growth = trace_growth(func, make_input, sizes) if make_input is not None else None
    return _verdict("check_no_loops", name, scan, growth, inputs, hint,
                    remote=remote(func) is not None and source is None)


def check_no_loops_static(func: Callable, *, source: str | None = None,
                          allowed: Allowed = None, name: str | None = None,
                          hint: str | None = None, follow_helpers: bool = True) -> Result:
    """The static signal alone; fails when the source cannot be read (nothing was checked)."""
    name = name or _default_name(func)
    scan = scan_loops(func, source=source, allowed=allowed, follow_helpers=follow_helpers)
    return _verdict("check_no_loops_static", name, scan, None, None, hint)


def check_no_loops_dynamic(func: Callable, make_input: Callable[[int], Any], *,
                           sizes: tuple[int, int] = DEFAULT_SIZES, name: str | None = None,
                           inputs: Any = None, hint: str | None = None) -> Result:
    """The dynamic signal alone: works on functions whose source cannot be read."""
    name = name or _default_name(func)
    growth = trace_growth(func, make_input, sizes)
    return _verdict("check_no_loops_dynamic", name, None, growth, inputs, hint)
