"""Comparing plotted numbers with expected ones, numpy.testing style.

Plots are checked strictly on data: a curve is right when its values are within
``rtol``/``atol`` of the expected ones, point for point. The sentences built here follow
``assert_allclose``: how many values differ, the largest difference and where, and both
arrays cut to a few values, so a student sees *which* part of the curve is off.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ...describe import block, safe_repr
from .inspect import LineInfo, plural


def compare_values(got: Any, want: Any, rtol: float, atol: float, what: str, reveal: bool = True) -> str | None:
    """None when ``got`` matches ``want``; else one numpy.testing-style sentence and the two
    arrays (cut short), naming ``what`` ("y values", "bar heights"). With ``reveal=False``
    (hidden tests) the expected values are never shown, only how many there are."""
    try:
        g = np.asarray(got, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return f"your {what} are not numbers: {safe_repr(got, 80)}"
    try:
        w = np.asarray(want, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return f"the expected {what} are not numbers" + (f": {safe_repr(want, 80)}" if reveal else "")
    if g.size != w.size:
        return f"{plural(g.size, 'value')} where {w.size} were expected for the {what}"
    bad = ~np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return None
    diff = np.abs(np.where(bad, g - w, 0.0))
    where = int(np.nanargmax(np.where(np.isnan(diff), np.inf, diff)))
    biggest = float(diff[where])
    if reveal or not np.isfinite(biggest):
        size = f"{biggest:.4g}"
    else:
        size = f"of order 1e{int(np.floor(np.log10(biggest))) if biggest > 0 else 0:+03d}"
    return block(
        f"{what} differ (rtol={rtol:g}, atol={atol:g}): {int(bad.sum())} / {g.size} differ, "
        f"max absolute difference {size} (at index {where})",
        f" YOURS:    {safe_repr(g)}",
        f" EXPECTED: {safe_repr(w)}" if reveal else f" EXPECTED: {plural(w.size, 'value')}, not shown (a hidden test)",
    )


def curve(expected: Any) -> tuple[Any, Any]:
    """An expected curve is ``(x, y)``, or ``y`` alone (x not checked)."""
    if isinstance(expected, (tuple, list)) and len(expected) == 2:
        return expected[0], expected[1]
    return None, expected


def curve_problem(line: LineInfo, expected: Any, rtol: float, atol: float, reveal: bool = True) -> str | None:
    x, y = curve(expected)
    if x is not None:
        bad = compare_values(line.x, x, rtol, atol, "x values", reveal)
        if bad:
            return bad
    return compare_values(line.y, y, rtol, atol, "y values", reveal)


def closest(lines: Sequence[LineInfo], expected: Any, taken: set[int]) -> int:
    """The line to show beside an unmatched curve: same length and smallest y error first."""
    _, y = curve(expected)
    try:
        y = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return 0
    free = [j for j in range(len(lines)) if j not in taken] or list(range(len(lines)))

    def score(j: int) -> tuple[int, float]:
        ly = lines[j].y
        if ly.size != y.size or ly.dtype == object:
            return (1, 0.0)
        return (0, float(np.nan_to_num(np.nanmax(np.abs(ly - y), initial=0.0), nan=np.inf)))

    return min(free, key=score)


