"""The laziness probe: an ndarray view that counts how often it is indexed.

:func:`graders.checks.iterators.check_lazy` hands it to a student's generator to see
whether items are read on demand. When the generator runs in the student's kernel, the
bridge there makes the probe from this same file, loaded by path (the bridge imports
nothing from the ``graders`` package), so both ends count reads the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class ReadCounter(np.ndarray):
    """An ndarray view that counts indexing (``x[...]``, ``x.take``, iteration by rows) into
    a counter shared with every array derived from it (``X[perm]`` counts, and so does
    slicing the shuffled copy later)."""

    _reads: list[int] | None = None

    def __array_finalize__(self, obj: Any) -> None:
        self._reads = getattr(obj, "_reads", None)

    def __getitem__(self, key: Any) -> Any:
        if self._reads is not None:
            self._reads[0] += 1
        return super().__getitem__(key)

    def __repr__(self) -> str:  # messages show plain arrays, never the probe
        return repr(self.view(np.ndarray))

    def take(self, *args: Any, **kwargs: Any) -> Any:
        if self._reads is not None:
            self._reads[0] += 1
        return super().take(*args, **kwargs)


# A student's generator must not tell the probe from an ordinary array by its type's name
# (and behave lazily only when probed): the class goes by numpy's own names.
ReadCounter.__name__ = ReadCounter.__qualname__ = "ndarray"
ReadCounter.__module__ = "numpy"
ReadCounter.__graders_probe__ = True


def counting(values: Any, reads: list[int]) -> Any:
    """``values`` as a probe that adds its reads to ``reads[0]``."""
    view = np.asarray(values).view(ReadCounter)
    view._reads = reads
    return view


def is_probe(a: Any) -> bool:
    """Is ``a`` a probe with a counter (by a class attribute, not by class: the bridge's copy
    of the class is loaded from this file under another module name)?"""
    return (isinstance(a, np.ndarray) and getattr(type(a), "__graders_probe__", False) is True
            and getattr(a, "_reads", None) is not None)


def plain(a: Any) -> Any:
    """``a`` without the probe (a plain ndarray view), anything else as it is."""
    return a.view(np.ndarray) if isinstance(a, ReadCounter) else a
