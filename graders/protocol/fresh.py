"""Fresh inputs for timed calls: the same work, never the same input twice.

A function whose results are cached (by the input's identity, its bytes, or its rounded
contents) would be timed on the cache, not on its work. The speed check therefore calls the
student's function on a different input every time: call ``i`` of a timed round gets every
array argument with its rows (first axis) in the order ``np.random.default_rng(seed + i)``
draws, the same order for arrays of the same length so that paired inputs stay paired. The
cost of elementwise and row-wise work does not depend on the order of the rows; a cached
result made for another order comes back in the wrong order, which the grader's spot check
of a randomly chosen call sees.

Both ends use this file: the grader to rebuild the input of the call it checks, the bridge
in the student's kernel (started there by graders.engine.boot: standard library and numpy only) to build the
inputs before the timed loop starts, so building them is never counted as the student's time.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def permuted(args: tuple, kwargs: dict, seed: int) -> tuple[tuple, dict]:
    """``(args, kwargs)`` with the rows of every ndarray of 2 rows or more reordered by one
    permutation per length, drawn from ``seed``; anything else as it is."""
    rng = np.random.default_rng(seed)
    orders: dict[int, np.ndarray] = {}

    def one(a: Any) -> Any:
        if type(a) is not np.ndarray or a.ndim == 0 or a.shape[0] < 2:
            return a
        n = a.shape[0]
        if n not in orders:
            orders[n] = rng.permutation(n)
        return a[orders[n]]

    return tuple(one(a) for a in args), {k: one(v) for k, v in kwargs.items()}


MAX_INPUTS = 32
"""Distinct inputs per timed loop at most; a longer loop reuses them in turn (a function so
fast that it needs more calls per sample gains nothing worth caching)."""

MAX_BYTES = 512 * 2**20
"""Memory the inputs of one timed loop may take in the kernel."""


def count(args: tuple, kwargs: dict, loops: int) -> int:
    """How many distinct inputs a timed loop of ``loops`` calls gets."""
    size = sum(a.nbytes for a in [*args, *kwargs.values()] if isinstance(a, np.ndarray))
    return max(1, min(int(loops), MAX_INPUTS, MAX_BYTES // max(size, 1)))
