"""The laziness probe: an ndarray view that counts how often it is indexed.

:func:`graders.checks.iterators.check_lazy` hands it to a student's generator to see
whether items are read on demand. When the generator runs in the student's kernel, the
bridge there makes the probe from this same file (started in the kernel by
:mod:`graders.engine.boot` under another package name), so both ends count reads the same
way.

A probe that a student's first line can shed is no probe: ``np.asarray(X)``, the most common
first line of an honest answer, returns a plain view of any ndarray subclass. So while a
probed call runs (:func:`keeping`), numpy's conversion functions hand back a probe on the
same counter whenever they are given one; a function that still reaches the data without
indexing it leaves the check blind, and a blind check fails rather than passes.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from typing import Any, Iterator

import numpy as np


class ReadCounter(np.ndarray):
    """An ndarray view that counts indexing (``x[...]``, ``x.take``, iteration by rows) into
    a counter shared with every array derived from it (``X[perm]`` counts, and so does
    slicing the shuffled copy later).

    The counter's attribute name starts with ``__graders``, a name the tamper scan
    (:mod:`graders.engine.grader.tamper`) reports when a notebook writes it."""

    __graders_reads__: list[int] | None = None

    def __array_finalize__(self, obj: Any) -> None:
        self.__graders_reads__ = getattr(obj, "__graders_reads__", None)

    def __getitem__(self, key: Any) -> Any:
        if self.__graders_reads__ is not None:
            self.__graders_reads__[0] += 1
        return super().__getitem__(key)

    def __repr__(self) -> str:  # messages show plain arrays, never the probe
        return repr(self.view(np.ndarray))

    def take(self, *args: Any, **kwargs: Any) -> Any:
        if self.__graders_reads__ is not None:
            self.__graders_reads__[0] += 1
        return super().take(*args, **kwargs)


# A student's generator must not tell the probe from an ordinary array by its type's name
# (and behave lazily only when probed): the class goes by numpy's own names.
ReadCounter.__name__ = ReadCounter.__qualname__ = "ndarray"
ReadCounter.__module__ = "numpy"
ReadCounter.__graders_probe__ = True


def counting(values: Any, reads: list[int]) -> Any:
    """``values`` as a probe that adds its reads to ``reads[0]``."""
    view = np.asarray(values).view(ReadCounter)
    view.__graders_reads__ = reads
    return view


def is_probe(a: Any) -> bool:
    """Is ``a`` a probe with a counter (by a class attribute, not by class: the bridge's copy
    of the class is loaded from this file under another module name)?"""
    return (isinstance(a, np.ndarray) and getattr(type(a), "__graders_probe__", False) is True
            and getattr(a, "__graders_reads__", None) is not None)


def counter_of(a: Any) -> list[int] | None:
    """The counter a probe adds its reads to, None for anything else."""
    return a.__graders_reads__ if is_probe(a) else None


def plain(a: Any) -> Any:
    """``a`` without the probe (a plain ndarray view), anything else as it is."""
    return a.view(np.ndarray) if isinstance(a, ReadCounter) else a


CONVERSIONS = ("asarray", "asanyarray", "array", "ascontiguousarray", "asfortranarray", "asarray_chkfinite",
               "copy", "require", "atleast_1d", "atleast_2d")
"""numpy functions that return a plain array for a probe and so would blind the check."""

_lock = threading.Lock()
_depth = [0]
_saved: dict[str, Any] = {}


def _following(convert: Any) -> Any:
    @functools.wraps(convert)
    def keep(a: Any, *args: Any, **kwargs: Any) -> Any:
        out = convert(a, *args, **kwargs)
        reads = counter_of(a)
        if reads is not None and isinstance(out, np.ndarray) and not is_probe(out):
            out = out.view(ReadCounter)
            out.__graders_reads__ = reads
        return out
    return keep


@contextlib.contextmanager
def keeping() -> Iterator[None]:
    """While the block runs, ``np.asarray(probe)`` (and the other :data:`CONVERSIONS`) return
    a probe on the probe's counter; re-entrant, restored on exit."""
    with _lock:
        if _depth[0] == 0:
            for name in CONVERSIONS:
                original = getattr(np, name, None)
                if original is not None:
                    _saved[name] = original
                    setattr(np, name, _following(original))
        _depth[0] += 1
    try:
        yield
    finally:
        with _lock:
            _depth[0] -= 1
            if _depth[0] == 0:
                for name, original in _saved.items():
                    setattr(np, name, original)
                _saved.clear()
