"""Finding the figure, and the one axes, that a plot check is about.

Students' plotting code hands back whatever is natural to it: a ``Figure``, an ``Axes``
(``DataFrame.plot`` returns one), ``(fig, ax)`` or ``(fig, axs)`` from ``plt.subplots``, an
array of Axes, or nothing at all (a cell that just calls ``plt.plot``). Checks accept every
one of these, so an exercise never fails a student for *how* they returned their plot, and
anything else (None with no figure open, a list of numbers, a string) becomes a failing
Result that says what came instead. ``None`` means the current pyplot figure, but only
when one is open: ``plt.gcf()`` would silently create an empty figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from ...describe import block, describe, hint_line, safe_repr
from ...result import Result
from .inspect import AxesSummary, describe_axes, plotting_axes, plural

def current_figure() -> Figure | None:
    """The current pyplot figure, or None when no figure is open (never creates one)."""
    import matplotlib.pyplot as plt

    return plt.gcf() if plt.get_fignums() else None


@dataclass(frozen=True)
class Target:
    """What a check was handed, resolved to a figure and possibly one chosen axes."""

    figure: Figure | SubFigure | None
    axes: Axes | None = None
    problem: str = ""
    """Why no figure could be found, in words for a student; empty when resolved."""


def resolve_target(obj: Any) -> Target:
    """Accept a Figure, an Axes, ``(fig, ax)``, ``(fig, axs)``, a list/array of Axes, or
    None (the current pyplot figure). Anything else gives a :class:`Target` whose
    ``problem`` says what came instead; this never raises."""
    try:
        return _resolve(obj)
    except Exception as exc:  # a hostile object must cost the check, not the grader
        return Target(None, problem=f"could not read {describe(obj)} as a figure ({type(exc).__name__})")


def _resolve(obj: Any) -> Target:
    if obj is None:
        fig = current_figure()
        if fig is None:
            return Target(None, problem="no figure is open: nothing has been plotted yet")
        return Target(fig)
    if isinstance(obj, (Figure, SubFigure)):
        return Target(obj)
    if isinstance(obj, Axes):
        return Target(obj.figure, obj)
    if isinstance(obj, (tuple, list, np.ndarray)):
        items = flatten_axes_like(obj)
        figs = [x for x in items if isinstance(x, (Figure, SubFigure))]
        axes = [x for x in items if isinstance(x, Axes)]
        if figs or axes:
            fig = figs[0] if figs else axes[0].figure
            chosen = axes[0] if len(axes) == 1 else None
            return Target(fig, chosen)
    return Target(None, problem=f"expected a matplotlib Figure or Axes, got {describe(obj)}")


def flatten_axes_like(obj: Any, limit: int = 1000) -> list[Any]:
    """Flatten nested tuples/lists/object arrays (``(fig, axs)`` with ``axs`` 2-D) into one
    list; numeric arrays stay whole, and at most ``limit`` items are looked at."""
    out: list[Any] = []
    stack = [obj]
    steps = 0
    while stack and steps < limit:  # steps, not len(out): a list may contain itself
        steps += 1
        x = stack.pop(0)
        if isinstance(x, np.ndarray) and x.dtype == object:
            stack[:0] = x.reshape(-1).tolist()[:limit]
        elif isinstance(x, (list, tuple)):
            stack[:0] = list(x)[:limit]
        else:
            out.append(x)
    return out


def subject(name: str | None) -> str:
    """``"plot_loss(): your figure"``, or ``"Your figure"`` for a cell with no function."""
    return f"{name}: your figure" if name else "Your figure"


def fail(check: str, text: str, hint: str | None, default_hint: str | None = None, **details: Any) -> Result:
    """A failing Result; the exercise's ``hint`` replaces the check's default hint."""
    return Result.fail(check, block(text, hint_line(hint or default_hint)), **details)


FIND_HINT = "return the figure (or ax) from your function, or plot in the cell being checked"
EMPTY_HINT = "plot with plt.plot(...) or fig, ax = plt.subplots(); ax.plot(...)"


def pick_axes(target: Any, axes: int | None, check: str, name: str | None,
              hint: str | None) -> tuple[AxesSummary | None, Result | None]:
    """``(summary, None)`` for the axes a check looks at, or ``(None, failing Result)``.

    ``axes`` indexes the figure's subplots (colorbars excluded, row-major as laid out by
    ``plt.subplots``); when None, the Axes the student handed over is used, else axes 0.
    """
    t = resolve_target(target)
    if t.figure is None:
        return None, fail(check, f"{name + ': c' if name else 'C'}annot check the plot: {t.problem}.", hint, FIND_HINT)
    try:
        all_axes = plotting_axes(t.figure)
        if not all_axes:
            return None, fail(check, f"{subject(name)} is empty: it has no axes (nothing was plotted).",
                              hint, EMPTY_HINT, n_axes=0)
        if t.axes is not None and axes is None:
            ax, i = t.axes, next((k for k, a in enumerate(all_axes) if a is t.axes), 0)
        else:
            i = 0 if axes is None else int(axes)
            if not 0 <= i < len(all_axes):
                return None, fail(check, f"{subject(name)} has {plural(len(all_axes), 'subplot')}; "
                                  f"there is no axes {i}.", hint, "fig, axs = plt.subplots(1, 2) makes 2 subplots",
                                  n_axes=len(all_axes))
            ax = all_axes[i]
        legends = getattr(t.figure, "legends", None)
        fig_legend = tuple(x.get_text() for x in legends[0].get_texts()) if legends else None
        summary = describe_axes(ax, i, fig_legend)
    except Exception as exc:  # a half-built or hostile figure costs the check, not the grader
        return None, fail(check, f"{name + ': c' if name else 'C'}ould not read the figure "
                          f"({type(exc).__name__}: {safe_repr(str(exc), 120)}).", hint, FIND_HINT)
    return summary, None
