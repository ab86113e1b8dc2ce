"""Tests for graders.checks.plots.inspect and .target: reading a figure as data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from graders.checks.plots.inspect import describe_figure  # noqa: E402
from graders.checks.plots.target import current_figure, resolve_target  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    plt.close("all")
    yield
    plt.close("all")


def test_summary_holds_data_labels_and_axes_settings():
    """Does the summary hold each artist's data and the axes' words, limits and scales?"""
    fig, axs = plt.subplots(1, 3)
    axs[0].plot([1, 2, 3], [1, 4, 9], label="squares")
    axs[0].plot([1, 2, 3], [0, 0, 0])
    axs[0].legend()
    axs[0].set(title="T", xlabel="x", ylabel="y", xlim=(0, 4), yscale="log")
    axs[1].bar([0, 1], [5, 6], label="bars")
    axs[2].scatter([1, 2], [3, 4], s=[10, 20])
    s = describe_figure(fig)
    assert s.n_axes == 3
    a0 = s.axes[0]
    assert [line.label for line in a0.lines] == ["squares", None]
    np.testing.assert_array_equal(a0.lines[0].y, [1, 4, 9])
    assert (a0.title, a0.xlabel, a0.ylabel, a0.legend) == ("T", "x", "y", ("squares",))
    assert a0.xlim == (0.0, 4.0) and a0.yscale == "log" and a0.xscale == "linear"
    assert s.axes[1].bars[0].label == "bars" and s.axes[1].n_bars == 2
    np.testing.assert_array_equal(s.axes[1].bars[0].heights, [5, 6])
    np.testing.assert_array_equal(s.axes[2].scatters[0].offsets, [[1, 3], [2, 4]])
    np.testing.assert_array_equal(s.axes[2].scatters[0].sizes, [10, 20])
    assert s.axes[1].legend is None


def test_underscore_labels_are_not_legend_labels():
    """Is an artist labelled '_hidden' (or unlabelled) treated as having no label?"""
    _, ax = plt.subplots()
    ax.plot([1, 2], label="_hidden")
    ax.plot([1, 2], label="shown")
    s = describe_figure(ax.figure)
    assert [line.label for line in s.axes[0].lines] == [None, "shown"]


def test_contents_in_words():
    """Does the one-line description name lines, bars, scatter and reference lines?"""
    _, ax = plt.subplots()
    ax.plot([1, 2])
    ax.bar([1], [2])
    ax.scatter([1], [1])
    ax.axhline(0)
    assert describe_figure(ax.figure).axes[0].contents() == \
        "1 line, a bar chart (1 bar), a scatter plot (1 point), 1 reference line"


def test_targets_students_hand_in():
    """Are Figure, Axes, (fig, ax), (fig, axs) and arrays of Axes all resolved?"""
    fig, axs = plt.subplots(2, 2)
    assert resolve_target(fig).figure is fig and resolve_target(fig).axes is None
    assert resolve_target(axs[1, 0]).axes is axs[1, 0]
    assert resolve_target((fig, axs[0, 1])).axes is axs[0, 1]
    t = resolve_target((fig, axs))
    assert t.figure is fig and t.axes is None
    assert resolve_target(axs).figure is fig
    assert resolve_target(None).figure is fig
    assert current_figure() is fig


def test_hostile_targets_never_raise():
    """Do self-containing lists and objects with broken attributes give a problem, not a crash?"""
    loop = []
    loop.append(loop)

    class Broken:
        def __repr__(self):
            raise RuntimeError("no")

    for bad in (loop, Broken(), 3.5, {"fig": 1}, np.zeros(3)):
        t = resolve_target(bad)
        assert t.figure is None and t.problem.startswith("expected a matplotlib Figure or Axes, got")
