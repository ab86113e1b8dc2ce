"""Turning arbitrary values into short, safe text for failure messages.

Every check builds its message from these helpers so that (1) building a message never
raises, whatever a student returned (generators, objects whose ``__repr__`` raises, huge
arrays), and (2) students see values in one consistent, numpy-like form.
"""

from __future__ import annotations

import inspect
import reprlib
from typing import Any, Mapping

import numpy as np

MAX_REPR_CHARS = 240
"""Longest value text shown in a message; longer text is cut with ' ...'."""

MAX_REPR_LINES = 3
"""Array reprs are cut to this many lines (numpy.testing shows whole arrays; we do not)."""


def safe_repr(obj: Any, limit: int = MAX_REPR_CHARS) -> str:
    """``repr(obj)`` cut to ``limit`` characters; never raises.

    numpy arrays are printed with a summarised, 4-significant-digit format so a
    (100000, 100) array costs as much to describe as a (3, 3) one.
    """
    try:
        if isinstance(obj, np.ndarray):
            with np.printoptions(threshold=12, edgeitems=2, precision=4, linewidth=72):
                text = repr(obj)
            lines = text.splitlines()
            if len(lines) > MAX_REPR_LINES:
                text = "\n".join(lines[:MAX_REPR_LINES]) + " ...]"
        elif isinstance(obj, (list, tuple, dict, set, frozenset)):
            r = reprlib.Repr()
            r.maxlist = r.maxtuple = r.maxdict = r.maxset = 6
            r.maxlevel = 3
            r.maxother = r.maxstring = 60
            text = r.repr(obj)
        else:
            text = repr(obj)
    except Exception as exc:  # a hostile or broken __repr__ must not break grading
        return f"[repr failed for {type_name(obj)}: {type(exc).__name__}]"
    if not isinstance(text, str):  # only reachable through reprlib on odd containers
        return f"[repr failed for {type_name(obj)}: returned {type(text).__name__}]"
    if len(text) > limit:
        text = text[: limit - 4].rstrip() + " ..."
    return text


def type_name(obj: Any) -> str:
    """A readable type name: ``numpy.ndarray``, ``list``, ``generator``, ``NoneType``."""
    try:
        t = type(obj)
        mod = getattr(t, "__module__", "") or ""
        name = getattr(t, "__qualname__", None) or getattr(t, "__name__", "?")
        if mod in ("builtins", "__main__", ""):
            return name
        if mod.startswith("numpy"):
            return f"numpy.{name}"
        if mod.startswith("pandas"):
            return f"pandas.{name}"
        return f"{mod}.{name}"
    except Exception:  # pragma: no cover - type() itself cannot be patched per object
        return "?"


def shape_words(shape: tuple[int, ...]) -> str:
    """Name a shape the way students think of it, so ``(n,)`` vs ``(n, 1)`` vs ``(1, n)``
    is spelled out rather than left to be spotted in a tuple."""
    shape = tuple(int(s) for s in shape)
    if len(shape) == 0:
        return "() (a 0-d scalar array)"
    if len(shape) == 1:
        return f"{shape} (a 1-D vector)"
    if len(shape) == 2 and shape[1] == 1 and shape[0] != 1:
        return f"{shape} (a column vector)"
    if len(shape) == 2 and shape[0] == 1 and shape[1] != 1:
        return f"{shape} (a row vector)"
    return f"{shape} (a {len(shape)}-D array)"


def describe(obj: Any) -> str:
    """One line saying what a value is: type, shape and dtype for arrays, length for
    sequences, and a few values. Used for both inputs and returned values."""
    try:
        if isinstance(obj, np.ndarray):
            head = f"ndarray of shape {tuple(obj.shape)}, dtype {obj.dtype}"
            return f"{head}: {_flat_preview(obj)}"
        if isinstance(obj, np.generic):
            return f"numpy scalar {type(obj).__name__} {safe_repr(obj)}"
        if isinstance(obj, (bool, int, float, complex)):
            return f"{type(obj).__name__} {safe_repr(obj)}"
        if obj is None:
            return "None"
        if inspect.isgenerator(obj):
            return "a generator object (not yet run)"
        if is_pandas(obj):
            return f"{type_name(obj)} of shape {getattr(obj, 'shape', '?')}"
        if isinstance(obj, (list, tuple)):
            return f"{type(obj).__name__} of length {len(obj)}: {safe_repr(obj, 80)}"
        return f"{type_name(obj)}: {safe_repr(obj, 80)}"
    except Exception as exc:
        return f"[could not describe {type_name(obj)}: {type(exc).__name__}]"


def describe_inputs(inputs: Any) -> str:
    """The ``on input`` part of a message. ``inputs`` is a mapping of argument names to
    values, a single value, or None (nothing said)."""
    if inputs is None:
        return ""
    if isinstance(inputs, Mapping):
        parts = [f"{k} = {describe(v)}" for k, v in inputs.items()]
        return "; ".join(parts)
    return describe(inputs)


def _flat_preview(a: np.ndarray, k: int = 4) -> str:
    """The first few values of an array, flattened, as ``[0.1, 0.2, 0.3, ...]``."""
    if a.size == 0:
        return "[] (empty)"
    flat = a.reshape(-1)
    shown = [safe_repr(x.item() if hasattr(x, "item") else x, 24) for x in flat[:k]]
    more = ", ..." if a.size > k else ""
    return "[" + ", ".join(shown) + more + "]"


def is_pandas(obj: Any) -> bool:
    """A pandas object (Series, DataFrame, Index ...), told without importing pandas."""
    mod = getattr(type(obj), "__module__", "") or ""
    return mod.startswith("pandas")


def block(*lines: str | None) -> str:
    """Join message lines, dropping empty ones: checks assemble optional parts freely."""
    return "\n".join(line for line in lines if line)


def labelled(label: str, text: str | None) -> str | None:
    """``"Input: ..."`` when there is text, else None (dropped by :func:`block`)."""
    return f"{label}: {text}" if text else None


def hint_line(hint: str | None, extra: str | None = None) -> str | None:
    """``Hint: ...`` lines. ``hint`` is the check's own diagnosis (e.g. a recognised shape
    pitfall); ``extra`` is the instructor's exercise-specific hint. Both are shown, the
    diagnosis first, because each says something the other cannot."""
    lines = [f"Hint: {h}" for h in (hint, extra) if h]
    if len(lines) == 2 and hint == extra:
        lines = lines[:1]
    return "\n".join(lines) or None
