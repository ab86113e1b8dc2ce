"""Reading a matplotlib figure as data, so plot checks never compare pixels.

Pixel comparison fails students for a different font or line width; what a plot exercise
asks is *what was drawn*: which curves with which values, how many bars of which heights,
which labels. :func:`describe_figure` turns a Figure into plain frozen dataclasses holding
exactly that, using only matplotlib's public API (``Axes.get_lines``, ``Axes.containers``,
``Axes.collections``, ``get_title``...), so the checks in :mod:`graders.checks.plots` are
ordinary comparisons on numbers and strings.

Which figure is "the student's figure" is decided in :mod:`graders.checks.plots.target`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import AxLine, Line2D


@dataclass(frozen=True)
class LineInfo:
    """One ``Line2D`` on an axes."""

    label: str | None
    """The legend label, or None when matplotlib would leave it out (``_child0``...)."""
    x: np.ndarray
    y: np.ndarray
    kind: str = "data"
    """``"data"`` for ``plot``-style lines; ``"axhline"``, ``"axvline"``, ``"axline"`` for
    reference lines, which checks do not count as the student's curves."""
    markers_only: bool = False
    """True for ``plot(x, y, "o")``: drawn as points, no connecting line."""

    @property
    def n_points(self) -> int:
        return int(self.y.size)


@dataclass(frozen=True)
class BarsInfo:
    """One ``BarContainer`` (from ``bar``, ``barh``, ``hist`` or ``DataFrame.plot.bar``)."""

    label: str | None
    orientation: str
    """``"vertical"`` or ``"horizontal"``."""
    positions: np.ndarray
    """Bar centres along the category axis (x for vertical bars)."""
    heights: np.ndarray
    """Bar lengths along the value axis (widths, for horizontal bars)."""
    widths: np.ndarray
    """Bar thickness along the category axis."""


@dataclass(frozen=True)
class ScatterInfo:
    """One ``PathCollection`` from ``scatter``."""

    label: str | None
    offsets: np.ndarray
    """(n, 2) array of the points' (x, y) data coordinates."""
    sizes: np.ndarray


@dataclass(frozen=True)
class AxesSummary:
    """Everything the checks look at on one axes."""

    index: int
    """Position among the figure's plotting axes (``fig.axes`` without colorbars), which is
    the row-major order of ``plt.subplots``."""
    lines: tuple[LineInfo, ...]
    bars: tuple[BarsInfo, ...]
    scatters: tuple[ScatterInfo, ...]
    title: str
    """The centre title, or the left/right one when only those are set."""
    xlabel: str
    ylabel: str
    legend: tuple[str, ...] | None
    """Texts of the legend drawn on these axes (or on the figure); None when there is none."""
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    xscale: str
    yscale: str
    n_other: int
    """Other things drawn (images, filled areas, step-histogram outlines, patches)."""

    @property
    def data_lines(self) -> tuple[LineInfo, ...]:
        return tuple(line for line in self.lines if line.kind == "data")

    @property
    def n_bars(self) -> int:
        return sum(int(b.heights.size) for b in self.bars)

    @property
    def n_scatter_points(self) -> int:
        return sum(int(s.offsets.shape[0]) for s in self.scatters)

    @property
    def is_empty(self) -> bool:
        return not (self.lines or self.bars or self.scatters or self.n_other)

    def contents(self) -> str:
        """``"2 lines, a bar chart (5 bars)"``: what is drawn, for messages."""
        parts = []
        if self.data_lines:
            parts.append(plural(len(self.data_lines), "line"))
        if self.bars:
            parts.append(f"a bar chart ({plural(self.n_bars, 'bar')})")
        if self.scatters:
            parts.append(f"a scatter plot ({plural(self.n_scatter_points, 'point')})")
        refs = len(self.lines) - len(self.data_lines)
        if refs:
            parts.append(plural(refs, "reference line"))
        if self.n_other:
            parts.append(plural(self.n_other, "other shape"))
        return ", ".join(parts) if parts else "nothing"


@dataclass(frozen=True)
class FigureSummary:
    axes: tuple[AxesSummary, ...]
    suptitle: str

    @property
    def n_axes(self) -> int:
        return len(self.axes)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def legend_label(artist: Any) -> str | None:
    """An artist's label as a legend would show it; None for ``_``-prefixed labels, which
    matplotlib leaves out of legends (every unlabelled artist gets ``_child<N>``)."""
    try:
        label = artist.get_label()
    except Exception:
        return None
    if not isinstance(label, str) or not label or label.startswith("_"):
        return None
    return label


def plotting_axes(fig: Figure | SubFigure) -> list[Axes]:
    """``fig.axes`` without colorbars: students count their subplots, not colorbars."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def describe_figure(fig: Figure | SubFigure) -> FigureSummary:
    """Summarise every plotting axes of ``fig``; see :class:`AxesSummary`."""
    fig_legend = _legend_texts(fig.legends[0]) if getattr(fig, "legends", None) else None
    axes = tuple(describe_axes(ax, i, fig_legend) for i, ax in enumerate(plotting_axes(fig)))
    return FigureSummary(axes, _text(fig.get_suptitle) if hasattr(fig, "get_suptitle") else "")


def describe_axes(ax: Axes, index: int = 0, fig_legend: tuple[str, ...] | None = None) -> AxesSummary:
    legend = ax.get_legend()
    title = next((t for t in (ax.get_title(loc) for loc in ("center", "left", "right")) if t), "")
    counted: set[int] = set()
    bars = []
    for c in ax.containers:
        if isinstance(c, BarContainer):
            bars.append(_bars(c))
            counted.update(id(p) for p in c.patches)
    other = sum(1 for p in ax.patches if id(p) not in counted)
    other += len(ax.images)
    other += sum(1 for c in ax.collections if not isinstance(c, PathCollection))
    return AxesSummary(
        index=index,
        lines=tuple(_line(line, ax) for line in ax.get_lines()),
        bars=tuple(bars),
        scatters=tuple(_scatter(c) for c in ax.collections if isinstance(c, PathCollection)),
        title=title,
        xlabel=ax.get_xlabel(),
        ylabel=ax.get_ylabel(),
        legend=_legend_texts(legend) if legend is not None else fig_legend,
        xlim=tuple(float(v) for v in ax.get_xlim()),
        ylim=tuple(float(v) for v in ax.get_ylim()),
        xscale=ax.get_xscale(),
        yscale=ax.get_yscale(),
        n_other=other,
    )


def _legend_texts(legend: Any) -> tuple[str, ...]:
    return tuple(t.get_text() for t in legend.get_texts())


def _text(getter: Any) -> str:
    try:
        return str(getter() or "")
    except Exception:
        return ""


def _floats(values: Any) -> np.ndarray:
    """Plotted data as float; data matplotlib stores in other units stays as given."""
    try:
        return np.asarray(np.ma.filled(np.ma.asarray(values, dtype=float), np.nan), dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return np.asarray(values, dtype=object).reshape(-1)


def _line(line: Line2D, ax: Axes) -> LineInfo:
    kind = "data"
    transform = line.get_transform()
    if isinstance(line, AxLine):
        kind = "axline"
    elif transform is ax.get_yaxis_transform(which="grid"):
        kind = "axhline"
    elif transform is ax.get_xaxis_transform(which="grid"):
        kind = "axvline"
    markers_only = line.get_linestyle() in ("None", "none", "", " ") and line.get_marker() not in (None, "None", "none", "", " ")
    return LineInfo(
        label=legend_label(line),
        x=_floats(line.get_xdata(orig=False)),
        y=_floats(line.get_ydata(orig=False)),
        kind=kind,
        markers_only=markers_only,
    )


def _bars(c: BarContainer) -> BarsInfo:
    orientation = getattr(c, "orientation", None) or "vertical"
    pos, val, width = [], [], []
    for r in c.patches:
        x, y, w, h = r.get_x(), r.get_y(), r.get_width(), r.get_height()
        if orientation == "horizontal":
            pos.append(y + h / 2), val.append(w), width.append(h)
        else:
            pos.append(x + w / 2), val.append(h), width.append(w)
    return BarsInfo(legend_label(c), orientation, _floats(pos), _floats(val), _floats(width))


def _scatter(c: PathCollection) -> ScatterInfo:
    offsets = np.ma.filled(np.ma.asarray(c.get_offsets(), dtype=float), np.nan).reshape(-1, 2)
    return ScatterInfo(legend_label(c), np.asarray(offsets), np.asarray(c.get_sizes(), dtype=float))
