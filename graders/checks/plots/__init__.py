"""Checks on what a student's plot shows: its axes, lines, bars, scatter points and labels.

Every check takes the student's figure in any of the forms their code naturally yields
(a Figure, an Axes, ``(fig, ax)``, ``(fig, axs)``, or None for the current pyplot figure;
see :mod:`graders.checks.plots.target`) and an ``axes=`` index into the
figure's subplots (row-major, as ``plt.subplots`` lays them out; default: the Axes that
was passed, else axes 0). Nothing is compared as pixels. Data is compared strictly, with
numpy.testing-style tolerances; words leniently (see :mod:`graders.checks.plots.labels`).

A grade cell for a plotting exercise reads::

    fig = plot_sigmoid()
    r = check_lines(fig, count=2, labels=["sigmoid", "derivative"], what="sigmoid and its derivative")
    assert r.passed, r.message
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ...describe import block, safe_repr
from ...result import Result
from .inspect import AxesSummary, LineInfo, describe_figure, plural
from .data import closest, compare_values, curve_problem
from .labels import Expected, assign, check_labels_on, expectation_words, quoted, text_matches
from .target import EMPTY_HINT, FIND_HINT, current_figure, fail, pick_axes, resolve_target, subject

__all__ = ["check_figure", "check_lines", "check_bars", "check_scatter", "check_labels",
           "describe_figure", "current_figure", "resolve_target"]


def check_figure(fig: Any = None, *, n_axes: int | None = None, name: str | None = None,
                 hint: str | None = None) -> Result:
    """Is there a figure, with ``n_axes`` subplots (colorbars not counted), none of them empty?"""
    t = resolve_target(fig)
    if t.figure is None:
        return fail("check_figure", f"{name + ': c' if name else 'C'}annot check the plot: {t.problem}.", hint, FIND_HINT)
    try:
        summary = describe_figure(t.figure)
    except Exception as exc:
        return fail("check_figure", f"Could not read the figure ({type(exc).__name__}).", hint, FIND_HINT)
    contents = [a.contents() for a in summary.axes]
    details = {"n_axes": summary.n_axes, "contents": contents}
    if summary.n_axes == 0:
        return fail("check_figure", f"{subject(name)} is empty: it has no axes (nothing was plotted).", hint,
                    EMPTY_HINT, **details)
    if n_axes is not None and summary.n_axes != n_axes:
        return fail("check_figure", f"{subject(name)} has {plural(summary.n_axes, 'subplot')}, expected {n_axes}. "
                    f"Found: {'; '.join(f'axes {i}: {c}' for i, c in enumerate(contents))}.", hint,
                    f"fig, axs = plt.subplots(1, {n_axes}) makes {n_axes} subplots side by side", **details)
    empty = [a.index for a in summary.axes if a.is_empty]
    if empty:
        return fail("check_figure", f"{subject(name)} has nothing drawn on axes {', '.join(map(str, empty))}.",
                    hint, "draw on every subplot you create (axs[i].plot(...))", **details)
    text = "; ".join(f"axes {i}: {c}" for i, c in enumerate(contents))
    return Result.ok("check_figure", f"{subject(name)} has {plural(summary.n_axes, 'subplot')} ({text}).",
                     **details)


def _line_words(line: LineInfo) -> str:
    who = safe_repr(line.label, 60) if line.label else "an unlabelled line"
    return f"{who} ({plural(line.n_points, 'point')}{', markers only' if line.markers_only else ''})"


def _others(ax: AxesSummary) -> str:
    parts = []
    if ax.bars:
        parts.append(f"a bar chart ({plural(ax.n_bars, 'bar')})")
    if ax.scatters:
        parts.append(f"a scatter plot ({plural(ax.n_scatter_points, 'point')})")
    return " and ".join(parts)


def check_lines(target: Any = None, *, count: int | None = None, labels: Sequence[Expected] | None = None,
                data: Sequence[Any] | None = None, min_points: int | None = None, any_order: bool = True,
                rtol: float = 1e-5, atol: float = 1e-8, contains: bool = True, what: str | None = None,
                axes: int | None = None, name: str | None = None, hint: str | None = None,
                reveal: bool = True) -> Result:
    """Does one axes show the expected curves?

    Stages, first failure reported: line count, points per line (``min_points``), labels
    (each expected label matched leniently to a distinct line), data (each expected ``(x, y)``
    or ``y`` matched to a distinct line within ``rtol``/``atol``; in the given order when
    ``any_order=False``). Reference lines (``axhline``, ``axvline``, ``axline``) are not
    counted: students add them freely. ``reveal=False`` (hidden tests) never shows the
    expected values, only how many there are (also in check_bars and check_scatter).
    """
    ax, failed = pick_axes(target, axes, "check_lines", name, hint)
    if failed is not None:
        return failed
    lines = ax.data_lines
    found = ", ".join(_line_words(line) for line in lines) or "none"
    details = {"axes": ax.index, "n_lines": len(lines), "labels": [line.label for line in lines],
               "n_points": [line.n_points for line in lines]}
    head = f"{subject(name)} has {plural(len(lines), 'line')} on axes {ax.index}"
    if count is not None and len(lines) != count:
        others = _others(ax)
        extra = f" It has {others} {'instead' if not lines else 'as well'}." if others else ""
        return fail("check_lines", f"{head}, expected {count}{f' ({what})' if what else ''}. "
                    f"Lines found: {found}.{extra}", hint, "draw each curve with ax.plot(x, y, label=...)", **details)
    if min_points is not None:
        short = [line for line in lines if line.n_points < min_points]
        if short:
            return fail("check_lines", f"{subject(name)} has a line with too few points on axes {ax.index}: "
                        f"{_line_words(short[0])}, expected at least {min_points}.", hint,
                        f"evaluate on a finer grid, e.g. np.linspace(start, stop, {min_points})", **details)
    if labels:
        names = [line.label or "" for line in lines]
        pairs = assign(len(labels), len(lines), lambda i, j: text_matches(names[j], labels[i], contains=contains))
        missing = [lab for i, lab in enumerate(labels) if i not in pairs]
        if missing:
            want = ", ".join(expectation_words(m, contains=contains) for m in missing)
            return fail("check_lines", f"{head}; no line has a label {want}. Line labels found: "
                        f"{quoted([n for n in names if n])}.", hint, "ax.plot(x, y, label='...') then ax.legend()",
                        **details)
    if data is not None:
        data = list(data)
        if any_order:
            pairs = assign(len(data), len(lines), lambda i, j: curve_problem(lines[j], data[i], rtol, atol) is None)
        else:
            pairs = {i: i for i in range(min(len(data), len(lines)))
                     if curve_problem(lines[i], data[i], rtol, atol) is None}
        for i, expected in enumerate(data):
            if i in pairs:
                continue
            about = f"expected curve {i + 1} of {len(data)}{f' ({what})' if what else ''}"
            if not lines or (not any_order and i >= len(lines)):
                return fail("check_lines", f"{head}; there is no line for {about}.", hint, None, **details)
            j = i if not any_order else closest(lines, expected, set(pairs.values()))
            return fail("check_lines", block(
                f"{head}; line {j} does not match {about}." if not any_order else f"{head}; no line matches {about}.",
                f"Closest: {_line_words(lines[j])}: {curve_problem(lines[j], expected, rtol, atol, reveal)}"),
                hint, None, unmatched=i, **details)
    return Result.ok("check_lines", f"{head}: {found}.", **details)


def check_bars(target: Any = None, *, count: int | None = None, heights: Any = None, positions: Any = None,
               rtol: float = 1e-5, atol: float = 1e-8, what: str | None = None, axes: int | None = None,
               name: str | None = None, hint: str | None = None,
               reveal: bool = True) -> Result:
    """Does one axes show a bar chart (``bar``, ``barh``, ``hist``, ``DataFrame.plot.bar``) with
    ``count`` bars of the given ``heights`` at the given ``positions`` (bar centres)? Bars from
    several calls are taken in drawing order; for horizontal bars, heights are the widths."""
    ax, failed = pick_axes(target, axes, "check_bars", name, hint)
    if failed is not None:
        return failed
    h = np.concatenate([b.heights for b in ax.bars]) if ax.bars else np.zeros(0)
    p = np.concatenate([b.positions for b in ax.bars]) if ax.bars else np.zeros(0)
    details = {"axes": ax.index, "n_bars": int(h.size), "heights": h.tolist(), "positions": p.tolist()}
    head = f"{subject(name)} has {plural(int(h.size), 'bar')} on axes {ax.index}"
    want = f"{f', expected {count}' if count is not None else ''}{f' ({what})' if what else ''}"
    if not ax.bars:
        return fail("check_bars", f"{head}{want}. It has {ax.contents()} instead.", hint,
                    "draw bars with ax.bar(x, heights) (or ax.hist(values) for a histogram)", **details)
    if count is not None and h.size != count:
        return fail("check_bars", f"{head}{want}.", hint, None, **details)
    for values, expected, words in ((h, heights, "bar heights"), (p, positions, "bar positions")):
        if expected is not None:
            bad = compare_values(values, expected, rtol, atol, words, reveal)
            if bad:
                return fail("check_bars", block(f"{head}{f' ({what})' if what else ''}; {bad}"), hint, None, **details)
    return Result.ok("check_bars", f"{head}.", **details)


def check_scatter(target: Any = None, *, n_points: int | None = None, data: Any = None, any_order: bool = True,
                  allow_markers: bool = True, rtol: float = 1e-5, atol: float = 1e-8, what: str | None = None,
                  axes: int | None = None, name: str | None = None, hint: str | None = None,
                  reveal: bool = True) -> Result:
    """Does one axes show ``n_points`` scatter points at ``data`` (``(x, y)`` or an (n, 2) array)?

    Points of every ``scatter`` call are pooled; with ``allow_markers`` so are lines drawn as
    markers only (``plot(x, y, "o")``), a legitimate way to draw a scatter plot. With
    ``any_order`` the points are compared as a set (both sides sorted by x, then y).
    """
    ax, failed = pick_axes(target, axes, "check_scatter", name, hint)
    if failed is not None:
        return failed
    pts = [s.offsets for s in ax.scatters]
    if allow_markers:
        pts += [np.column_stack([line.x, line.y]) for line in ax.data_lines
                if line.markers_only and line.x.dtype != object and line.x.size == line.y.size]
    xy = np.concatenate(pts) if pts else np.zeros((0, 2))
    details = {"axes": ax.index, "n_points": int(xy.shape[0])}
    head = f"{subject(name)} has {plural(int(xy.shape[0]), 'scatter point')} on axes {ax.index}"
    want = f"{f', expected {n_points}' if n_points is not None else ''}{f' ({what})' if what else ''}"
    if not pts:
        return fail("check_scatter", f"{head}{want}. It has {ax.contents()} instead.", hint,
                    "draw points with ax.scatter(x, y)", **details)
    if n_points is not None and xy.shape[0] != n_points:
        return fail("check_scatter", f"{head}{want}.", hint, None, **details)
    if data is not None:
        try:
            d = np.column_stack(data) if isinstance(data, (tuple, list)) and len(data) == 2 else np.asarray(data, float)
            d = np.asarray(d, dtype=float).reshape(-1, 2)
        except (TypeError, ValueError):
            return fail("check_scatter", "the expected points are not (x, y) numbers"
                        + (f": {safe_repr(data, 80)}" if reveal else ""),
                        hint, None, **details)
        if d.shape[0] != xy.shape[0]:
            return fail("check_scatter", f"{head}, expected {d.shape[0]}.", hint, None, **details)
        if any_order:
            xy, d = xy[np.lexsort((xy[:, 1], xy[:, 0]))], d[np.lexsort((d[:, 1], d[:, 0]))]
        for k, axis in enumerate("xy"):
            bad = compare_values(xy[:, k], d[:, k], rtol, atol, f"{axis} coordinates", reveal)
            if bad:
                order = " (points sorted by x, then y)" if any_order else ""
                return fail("check_scatter", block(f"{head}; {bad}{order}"), hint, None, **details)
    return Result.ok("check_scatter", f"{head}.", **details)


def check_labels(target: Any = None, *, title: Expected = True, xlabel: Expected = True, ylabel: Expected = True,
                 legend: bool | Sequence[Expected] | None = None, contains: bool = True, axes: int | None = None,
                 name: str | None = None, hint: str | None = None) -> Result:
    """Are the title, axis labels and legend there (``True``) or do they say what was asked
    (a word, matched ignoring case and whitespace, contained in the text unless
    ``contains=False``; or a compiled regex)? ``legend`` is True (any legend with an entry)
    or a list of entries each matched to a distinct legend text. A figure ``suptitle``
    counts as the title. Every problem is listed, each with its own hint."""
    ax, failed = pick_axes(target, axes, "check_labels", name, hint)
    if failed is not None:
        return failed
    suptitle = ""
    t = resolve_target(target)
    if t.figure is not None and hasattr(t.figure, "get_suptitle"):
        suptitle = t.figure.get_suptitle() or ""
    return check_labels_on(ax, title=title, xlabel=xlabel, ylabel=ylabel, legend=legend, contains=contains,
                           suptitle=suptitle, name=name, hint=hint)

