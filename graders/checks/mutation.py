"""Did the student's function change its inputs in place?

In-place updates (``z -= z.max()``, ``X[mask] = 0``, ``np.random.shuffle(X)``) are the
classic hidden bug of NumPy code: the function's own output is right, and the caller's
data is silently corrupted. The check calls the function on copies it keeps, runs a
returned generator to the end (a mini-batch generator that shuffles ``X`` in place only
does so once iterated), and compares every array-like argument with its snapshot.
"""

from __future__ import annotations

import copy
import inspect
import itertools
from typing import Any, Callable

import numpy as np

from ..calling import call
from ..protocol import remote
from ..describe import block, describe_inputs, hint_line, is_pandas, labelled
from ..result import Result

DRAIN_LIMIT = 100_000
"""A returned generator is run for at most this many items (an infinite one must not hang)."""


def _snapshot(value: Any) -> Any:
    """A deep copy to compare against later; arrays keep dtype and memory layout."""
    if isinstance(value, np.ndarray):
        return value.copy(order="K")
    try:
        return copy.deepcopy(value)
    except Exception:
        return None


def _difference(before: Any, after: Any) -> str | None:
    """How ``after`` differs from ``before``, in words; None when they are equal."""
    if before is None:
        return None
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray):
            return "it was replaced by a non-array"
        if after.shape != before.shape:
            return f"its shape changed from {before.shape} to {after.shape}"
        if after.dtype != before.dtype:
            return f"its dtype changed from {before.dtype} to {after.dtype}"
        kind = before.dtype.kind
        same = (before == after) | (np.isnan(before) & np.isnan(after)) if kind in "fc" \
            else (before == after)
        if np.all(same):
            return None
        changed = ~np.asarray(same)
        idx = tuple(int(i) for i in np.argwhere(changed)[0]) if before.ndim else ()
        was, now = before[idx].item(), after[idx].item()
        return (f"{int(changed.sum())} of {before.size} values changed "
                f"(first at index {idx}: was {was!r}, now {now!r})")
    if is_pandas(before):
        try:
            return None if before.equals(after) else "its contents changed"
        except Exception:
            return "it could not be compared after the call"
    try:
        equal = before == after
        if isinstance(equal, np.ndarray):
            equal = bool(np.all(equal))
        return None if equal else "its contents changed"
    except Exception:
        return None


def _drain(value: Any, each: Callable[[], None] = lambda: None) -> BaseException | None:
    """Run a returned generator/iterator to the end (capped), calling ``each()`` after every
    item (a generator can change its input and put it back before it ends); return what it
    raised."""
    if not (inspect.isgenerator(value) or (hasattr(value, "__next__") and hasattr(value, "__iter__"))):
        return None
    try:
        for _ in itertools.islice(value, DRAIN_LIMIT):
            each()
    except (Exception, KeyboardInterrupt, SystemExit) as exc:
        return exc
    return None


def check_no_mutation(func: Callable[..., Any], *args: Any, name: str | None = None,
                      hint: str | None = None, **kwargs: Any) -> Result:
    """Does ``func(*args, **kwargs)`` leave every argument exactly as it was?

    The arguments are the caller's own objects (pass fresh copies if they matter); each is
    snapshotted before the call and compared after it, after every item of a returned
    generator, and (in the grading engine) again when the test cell ends. A call that
    raises is reported as such: it cannot show that inputs are safe.

    In the grading engine the function runs in the student's kernel on copies; the kernel
    sends its copies back and the comparison is made here, where the student's code
    cannot reach (``__graders_watch__``).
    """
    label = name or f"{getattr(func, '__name__', 'function')}(...)"
    sig_names = _arg_names(func, len(args))
    named = dict(zip(sig_names, args)) | kwargs
    snaps = {k: _snapshot(v) for k, v in named.items()}
    proxy = remote(func)
    if proxy is not None:
        watched = proxy.__graders_watch__(args, kwargs)
        outcome = watched.outcome

        def now() -> dict:
            return dict(zip(sig_names, watched.after)) | watched.kwafter
    else:
        outcome = call(func, *args, **kwargs)

        def now() -> dict:
            return named

    changed: dict[str, str] = {}

    def compare(when: str = "") -> None:
        state = now()
        for k in named:
            if k not in changed and k in state and (d := _difference(snaps[k], state[k])) is not None:
                changed[k] = d + when

    compare()
    error = outcome.error_text(label) if outcome.raised else None
    if not outcome.raised:
        drained = _drain(outcome.value, lambda: compare(" (while being iterated)"))
        if drained is not None:
            error = f"{label} raised {type(drained).__name__} while being iterated: {drained}"
        compare(" (after being iterated)")
    if changed:
        return _changed(label, changed, snaps, hint)
    if error:
        msg = block(f"could not check that {label} leaves its inputs unchanged: {error}",
                    labelled("Input", describe_inputs(named)), hint_line(None, hint))
        return Result.fail("check_no_mutation", msg, error=error)
    if proxy is not None:
        def later(w: Any) -> str | None:
            compare(" (after the call had returned)")
            return _changed(label, changed, snaps, hint).message if changed else None

        watched.at_end_of_cell(later)
    return Result.ok("check_no_mutation", f"{label} left its inputs unchanged")


def _changed(label: str, changed: dict, snaps: dict, hint: str | None) -> Result:
    lines = [f"{label} changed its input `{k}` in place: {d}" for k, d in changed.items()]
    msg = block(*lines,
                labelled("Input before the call", describe_inputs({k: snaps[k] for k in changed})),
                hint_line("work on a copy: write `z = z - m` instead of `z -= m`, "
                          "use rng.permutation(n) instead of np.random.shuffle(X), "
                          "or start with X = X.copy()", hint))
    return Result.fail("check_no_mutation", msg, changed=sorted(changed))


def _arg_names(func: Callable[..., Any], n: int) -> list[str]:
    """The names of the first ``n`` positional parameters (``arg{i}`` where there are none:
    ``*args`` names no single argument)."""
    try:
        params = [p.name for p in inspect.signature(func).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"arg{i}" for i in range(n)]
