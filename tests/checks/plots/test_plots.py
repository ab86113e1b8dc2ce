"""Tests for graders.checks.plots (and its labels, data and target modules): checks on
real Agg figures, never on pixels."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from graders.checks.plots import check_bars, check_figure, check_labels, check_lines, check_scatter  # noqa: E402

X = np.linspace(-5, 5, 200)
SIG = 1 / (1 + np.exp(-X))
DSIG = SIG * (1 - SIG)


@pytest.fixture(autouse=True)
def _close_figures():
    plt.close("all")
    yield
    plt.close("all")


def sigmoid_plot(*, legend=True, ylabel="sigma(x)", second=True):
    fig, ax = plt.subplots()
    ax.plot(X, SIG, label="sigmoid")
    if second:
        ax.plot(X, DSIG, label="derivative")
    ax.set_title("The sigmoid")
    ax.set_xlabel("x")
    if ylabel:
        ax.set_ylabel(ylabel)
    if legend:
        ax.legend()
    return fig, ax


def test_two_labelled_lines_with_legend_pass():
    """Does a correct plot pass every check, whatever form it is handed in?"""
    fig, ax = sigmoid_plot()
    for target in (fig, ax, (fig, ax), None):
        assert check_lines(target, count=2, labels=["Sigmoid", "DERIVATIVE"], data=[(X, DSIG), (X, SIG)],
                           min_points=100).passed
        assert check_labels(target, legend=["sigmoid", "derivative"]).passed
        assert check_figure(target, n_axes=1).passed


def test_wrong_line_count_names_what_was_found():
    """Does a missing curve say how many lines there are and list them?"""
    fig, _ = sigmoid_plot(second=False)
    r = check_lines(fig, count=2, what="sigmoid and its derivative", name="plot_sigmoid()")
    assert not r.passed
    assert r.message.startswith("plot_sigmoid(): your figure has 1 line on axes 0, expected 2 (sigmoid and its "
                                "derivative). Lines found: 'sigmoid' (200 points).")
    assert r.details["n_lines"] == 1 and r.details["n_points"] == [200]


def test_bar_chart_when_lines_expected_is_named():
    """Is a bar chart handed in for a line plot called a bar chart?"""
    _, ax = plt.subplots()
    ax.bar(["a", "b", "c"], [1, 2, 3])
    r = check_lines(ax, count=2)
    assert not r.passed
    assert "has 0 lines on axes 0, expected 2. Lines found: none. It has a bar chart (3 bars) instead." in r.message


def test_missing_legend_and_ylabel_are_both_reported_with_hints():
    """Are all missing labels listed, each with its own hint?"""
    fig, _ = sigmoid_plot(legend=False, ylabel=None)
    r = check_labels(fig, legend=True)
    assert not r.passed
    assert "The y-axis has no label. Hint: ax.set_ylabel(...)" in r.message
    assert "The plot has no legend. Hint:" in r.message
    assert list(r.details["missing"]) == ["ylabel", "legend"]


def test_label_text_is_matched_leniently_but_can_be_strict():
    """Are case and whitespace forgiven, containment the default, and regex/exact available?"""
    fig, ax = sigmoid_plot(ylabel="  Activation   VALUE ")
    assert check_labels(fig, ylabel="activation value").passed
    assert check_labels(fig, ylabel="activation").passed
    assert not check_labels(fig, ylabel="activation", contains=False).passed
    assert check_labels(fig, title=re.compile(r"^the sigmoid$", re.I)).passed
    r = check_labels(fig, title="loss")
    assert "The plot title is 'The sigmoid', expected a title containing 'loss'." in r.message


def test_legend_entries_are_matched_one_to_one():
    """Does one legend entry not count for two expected ones, and is the missing one named?"""
    fig, _ = sigmoid_plot()
    assert not check_labels(fig, legend=["sigmoid", "sigmoid"]).passed
    r = check_labels(fig, legend=["sigmoid", "tanh"])
    assert "The legend has entries 'sigmoid', 'derivative', but none containing 'tanh'." in r.message


def test_wrong_data_shows_the_differences():
    """Is a wrong curve reported with numpy.testing-style figures, and order forgiven by default?"""
    fig, _ = sigmoid_plot()
    assert check_lines(fig, data=[DSIG, SIG]).passed
    r = check_lines(fig, data=[(X, SIG), (X, DSIG + 0.01)])
    assert not r.passed
    assert "no line matches expected curve 2 of 2." in r.message
    assert "Closest: 'derivative' (200 points): y values differ (rtol=1e-05, atol=1e-08): 200 / 200 differ, " \
           "max absolute difference 0.01" in r.message
    r = check_lines(fig, data=[(X, DSIG), (X, SIG)], any_order=False)
    assert "line 0 does not match expected curve 1 of 2." in r.message


def test_too_few_points_and_x_values():
    """Are a coarse grid and wrong x values caught?"""
    _, ax = plt.subplots()
    xs = np.linspace(-5, 5, 5)
    ax.plot(xs, 1 / (1 + np.exp(-xs)))
    r = check_lines(ax, min_points=100)
    assert "Your figure has a line with too few points on axes 0: an unlabelled line (5 points), expected at least 100." in r.message
    r = check_lines(ax, data=[(xs + 1, 1 / (1 + np.exp(-xs)))])
    assert not r.passed
    assert "no line matches expected curve 1 of 1." in r.message
    assert "x values differ (rtol=1e-05, atol=1e-08): 5 / 5 differ, max absolute difference 1" in r.message


def test_reference_lines_are_not_counted():
    """Does an axhline(0) added by the student leave the line count alone?"""
    fig, ax = sigmoid_plot()
    ax.axhline(0, color="k")
    ax.axvline(0)
    assert check_lines(fig, count=2).passed


def test_bars_and_histograms():
    """Are bar heights and positions, and histogram counts, checked strictly?"""
    _, ax = plt.subplots()
    ax.bar([1, 2, 3], [4, 5, 6])
    assert check_bars(ax, count=3, heights=[4, 5, 6], positions=[1, 2, 3]).passed
    r = check_bars(ax, heights=[4, 5, 7], what="sales per region")
    assert "has 3 bars on axes 0 (sales per region); bar heights differ" in r.message
    assert not check_bars(ax, count=4).passed
    data = np.random.default_rng(0).normal(size=500)
    _, ax2 = plt.subplots()
    ax2.hist(data, bins=12)
    assert check_bars(ax2, count=12, heights=np.histogram(data, bins=12)[0]).passed
    _, ax3 = plt.subplots()
    ax3.barh(["a", "b"], [3, 1])
    assert check_bars(ax3, heights=[3, 1], positions=[0, 1]).passed


def test_lines_when_bars_expected():
    """Is a line plot handed in for a bar chart named as lines?"""
    fig, _ = sigmoid_plot()
    r = check_bars(fig, count=3)
    assert "has 0 bars on axes 0, expected 3. It has 2 lines instead." in r.message


def test_scatter_counts_and_points_in_any_order():
    """Are scatter points counted and compared as a set, and plot(x, y, 'o') accepted?"""
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(30, 2))
    _, ax = plt.subplots()
    ax.scatter(pts[:20, 0], pts[:20, 1])
    ax.scatter(pts[20:, 0], pts[20:, 1])
    assert check_scatter(ax, n_points=30, data=pts[::-1]).passed
    assert not check_scatter(ax, data=pts[::-1], any_order=False).passed
    r = check_scatter(ax, n_points=40)
    assert "has 30 scatter points on axes 0, expected 40." in r.message
    _, ax2 = plt.subplots()
    ax2.plot(pts[:, 0], pts[:, 1], "o")
    assert check_scatter(ax2, data=(pts[:, 0], pts[:, 1])).passed
    assert not check_scatter(ax2, allow_markers=False).passed


def test_multiple_axes_are_addressed_by_index():
    """Do checks reach each subplot of plt.subplots(1, 2), and name a missing one?"""
    fig, axs = plt.subplots(1, 2)
    axs[0].plot(X, SIG)
    axs[1].bar([0, 1], [2, 3])
    assert check_figure((fig, axs), n_axes=2).passed
    assert check_lines((fig, axs), count=1).passed
    assert check_bars((fig, axs), axes=1, count=2).passed
    assert check_bars(axs[1], count=2).passed
    r = check_lines(fig, axes=2)
    assert "Your figure has 2 subplots; there is no axes 2." in r.message
    r = check_figure(fig, n_axes=3)
    assert "has 2 subplots, expected 3. Found: axes 0: 1 line; axes 1: a bar chart (2 bars)." in r.message


def test_colorbar_is_not_a_subplot():
    """Does a colorbar leave the subplot count alone?"""
    fig, ax = plt.subplots()
    fig.colorbar(ax.scatter([1, 2], [3, 4], c=[0, 1]))
    assert check_figure(fig, n_axes=1).passed


def test_empty_figures():
    """Are a figure without axes and an axes without drawing called empty?"""
    r = check_figure(plt.figure())
    assert r.message.startswith("Your figure is empty: it has no axes (nothing was plotted).")
    fig, axs = plt.subplots(1, 2)
    axs[0].plot([1, 2])
    r = check_figure(fig)
    assert "Your figure has nothing drawn on axes 1." in r.message
    assert "Your figure is empty" in check_lines(plt.figure()).message


@pytest.mark.parametrize("bad, words", [
    (None, "no figure is open: nothing has been plotted yet"),
    ([1, 2, 3], "expected a matplotlib Figure or Axes, got list of length 3: [1, 2, 3]"),
    ("my plot", "expected a matplotlib Figure or Axes, got str: 'my plot'"),
])
def test_non_figures_give_a_clear_message(bad, words):
    """Does every check fail with the same clear message on a non-figure, without crashing?"""
    for check in (check_figure, check_lines, check_bars, check_scatter, check_labels):
        r = check(bad, name="plot_it()")
        assert not r.passed
        assert r.message.startswith(f"plot_it(): cannot check the plot: {words}.")


def test_none_never_creates_a_figure():
    """Does checking None with no figure open leave pyplot without figures?"""
    check_lines(None)
    assert plt.get_fignums() == []


def test_pandas_plot():
    """Does a DataFrame.plot figure (an Axes with a legend) work?"""
    df = pd.DataFrame({"train": [0.9, 0.5, 0.3], "valid": [1.0, 0.7, 0.6]})
    ax = df.plot(title="Loss")
    assert check_lines(ax, count=2, labels=["train", "valid"],
                       data=[([0, 1, 2], df["valid"]), ([0, 1, 2], df["train"])]).passed
    assert check_labels(ax, xlabel=None, ylabel=None, legend=["train", "valid"]).passed
    ax2 = df.plot.bar()
    assert check_bars(ax2, count=6, heights=[0.9, 0.5, 0.3, 1.0, 0.7, 0.6]).passed


def test_figure_level_legend_and_suptitle_count():
    """Do fig.legend() and fig.suptitle() satisfy the legend and title checks?"""
    fig, ax = plt.subplots()
    ax.plot([1, 2], label="a")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    fig.legend()
    fig.suptitle("Overview")
    assert check_labels(fig, title="overview", legend=["a"]).passed


def test_reveal_false_never_shows_the_expected_curve_bars_or_points():
    """Hidden plot checks say how many values differ and show the student's, never the expected ones."""
    import matplotlib.pyplot as plt

    from graders.checks.plots import check_bars, check_lines, check_scatter

    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0.0, 0.0, 0.0])
    want = (np.array([0, 1, 2]), np.array([0.9975, 0.5123, 0.0071]))
    shown = check_lines(fig, data=[want], name="f()")
    hidden = check_lines(fig, data=[want], name="f()", reveal=False)
    assert "0.9975" in shown.message and "0.9975" not in hidden.message
    assert "EXPECTED: 3 values, not shown (a hidden test)" in hidden.message
    plt.close(fig)
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1.0, 2.0])
    ax.scatter([0, 1], [5.0, 6.0])
    for r in (check_bars(fig, heights=[7.25, 8.5], reveal=False),
              check_scatter(fig, data=([0, 1], [9.75, 6.0]), reveal=False)):
        assert not r.passed and "not shown (a hidden test)" in r.message
        assert "7.25" not in r.message and "9.75" not in r.message
    plt.close(fig)
