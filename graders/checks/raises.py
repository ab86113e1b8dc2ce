"""Does a student's function refuse bad input with the right exception?

Validation exercises ("raise ValueError when batch_size <= 0") are graded by calling the
function on the bad input. A generator function complicates this: calling it runs none
of its body, so its checks run only at the first ``next()``. Both moments count here,
because both are what a caller sees before getting any data, and requiring call-time
errors would force one code shape (a plain function returning an inner generator). An
exercise that does want call-time validation passes ``at_call=True``.

A student raising ``SystemExit`` (``sys.exit()``) or ``KeyboardInterrupt`` gets a
failing check, not an ended grading run; so does any other ``BaseException`` the check
was told to expect.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from ..calling import Call, call, safe_repr_exc, student_frame
from ..describe import block, describe, describe_inputs, hint_line, labelled, safe_repr
from ..result import Result
from .iterators import CAUGHT, is_iterator, step

__all__ = ["check_raises"]


def _words(exc_type: type | tuple[type, ...]) -> str:
    types = exc_type if isinstance(exc_type, tuple) else (exc_type,)
    return " or ".join(getattr(t, "__name__", str(t)) for t in types)


def _extra(exc_type: type | tuple[type, ...]) -> tuple[type, ...]:
    """Expected exception types that :func:`graders.calling.call` would not catch."""
    types = exc_type if isinstance(exc_type, tuple) else (exc_type,)
    return tuple(t for t in types if isinstance(t, type) and issubclass(t, BaseException)
                 and not issubclass(t, CAUGHT)) or (_Never,)


class _Never(Exception):
    """Placeholder for an ``except`` clause that must catch nothing."""


def check_raises(func: Callable[..., Any], args: Any, exc_type: type | tuple[type, ...], *,
                 kwargs: Mapping[str, Any] | None = None, match: str | None = None, reason: str | None = None,
                 at_call: bool = False, name: str | None = None, inputs: Any = None,
                 hint: str | None = None) -> Result:
    """Does ``func(*args, **kwargs)`` raise ``exc_type`` (a subclass counts), at the call or,
    when it returns an iterator, at the first ``next()``?

    ``match`` is a regex searched in the exception's text. ``reason`` names the bad input
    for messages: ``"get_mini_batches(X, y, batch_size=0) did not raise; expected
    ValueError for batch_size <= 0"``. ``name`` is the call as students wrote it (default
    ``func(...)``). ``details`` holds ``raised`` (type name or None), ``when`` ("call",
    "first next()" or None) and ``error`` (its text).
    """
    name = name or f"{getattr(func, '__name__', 'the function')}(...)"
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    want = _words(exc_type) + (f" for {reason}" if reason else "")
    extra = _extra(exc_type)
    try:
        c = call(func, *args, **dict(kwargs or {}))
    except extra as exc:
        c = Call(error=exc, where=student_frame(exc, func))
    when, returned = "call", ""
    if not c.raised and is_iterator(c.value):
        try:
            item, finished, error, where = step(c.value)
        except extra as exc:
            item, finished, error, where = None, True, exc, ""
        if error is not None:
            c, when = Call(error=error, where=where), "first next()"
        else:
            kind = "a generator" if hasattr(c.value, "gi_code") else "an iterator"
            returned = (f"It returned {kind} that yielded nothing." if finished else
                        f"It returned {kind} whose first item is {describe(item)}.")
    elif not c.raised:
        returned = f"It returned {describe(c.value)}."

    def fail(first: str, default_hint: str | None = None) -> Result:
        return Result.fail("check_raises", block(first, labelled("Input", describe_inputs(inputs)),
                                                 hint_line(hint or default_hint)), **details)

    exc = c.error
    details = {"raised": type(exc).__name__ if exc is not None else None, "when": when if exc is not None else None,
               "error": safe_repr_exc(exc) if exc is not None else None}
    if exc is None:
        return fail(f"{name} did not raise; expected {want}. {returned}",
                    f"check the arguments at the top of the function and `raise {_words(exc_type).split(' or ')[0]}"
                    f"(...)` when they are invalid")
    at = f" (at {c.where})" if c.where else ""
    if type(exc) is NotImplementedError and not isinstance(exc, exc_type):  # the release's stub
        return fail(Call(error=exc, where=c.where).error_text(name) + ".")
    if not isinstance(exc, exc_type):
        return fail(f"{name} raised {type(exc).__name__}, expected {want}. "
                    f"Your error: {type(exc).__name__}: {safe_repr_exc(exc)}{at}")
    if at_call and when != "call":
        return fail(f"{name} raised {type(exc).__name__} only at the first next(), expected it when called{f' for {reason}' if reason else ''}.",
                    "validate the arguments in a plain function, then `return` an inner generator")
    text = safe_repr_exc(exc)
    if match is not None and re.search(match, "" if text == "(no message)" else text) is None:
        return fail(f"{name} raised {type(exc).__name__} as expected, but its message {safe_repr(text, 120)} "
                    f"does not match r{safe_repr(match, 80)}.", "say in the message which argument is wrong and why")
    moment = " at the first next()" if when != "call" else ""
    return Result.ok("check_raises", f"{name} raised {type(exc).__name__}{moment}: {text}", **details)
