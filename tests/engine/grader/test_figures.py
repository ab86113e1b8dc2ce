"""Tests for graders.engine.grader.figures: the grader's copies of the kernel's figures.

The copies are drawn only when pyplot is used; these tests hold that to what drawing at
once would show, through every way a hidden test reaches pyplot.
"""

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graders.engine.grader import figures  # noqa: E402
from graders.engine.grader.figures import Mirror, Pending  # noqa: E402


class Link:
    """The mirror forwards ``close`` to the kernel; here there is none."""

    def request(self, *args, **kwargs):
        return {"ok": True}


def described(num, title="", bars=0):
    axes = {"title": title, "lines": [{"x": [0, 1], "y": [1, 2], "label": "a"}]}
    if bars:
        axes["bars"] = [{"x": list(range(bars)), "y": [0] * bars, "w": [0.8] * bars, "h": list(range(bars))}]
    return {"num": num, "axes": [axes]}


@pytest.fixture
def draws(monkeypatch):
    seen = []
    real = figures.draw

    def counting(desc):
        seen.append(desc["num"])
        return real(desc)

    monkeypatch.setattr(figures, "draw", counting)
    return seen


def test_nothing_is_drawn_until_pyplot_is_used(draws):
    mirror = Mirror(Link())
    mirror.sync([described(1, "first", bars=40), described(2, "second")])
    assert draws == []
    assert plt.gcf().number == 2 and draws == [1, 2]
    assert plt.figure(1).axes[0].get_title() == "first" and len(plt.figure(1).axes[0].patches) == 40


def test_a_newer_description_replaces_a_waiting_one(draws):
    mirror = Mirror(Link())
    for title in ("a", "b", "c"):
        mirror.sync([described(1, title)])
    assert plt.figure(1).axes[0].get_title() == "c" and draws == [1]


def test_close_all_drops_waiting_descriptions_without_drawing(draws):
    mirror = Mirror(Link())
    mirror.sync([described(1), described(2)])
    mirror.pyplot.close("all")
    plt.close("all")
    assert plt.get_fignums() == [] and draws == []


@pytest.mark.parametrize("reach", ["import", "from", "module", "proxy"])
def test_every_way_to_pyplot_sees_the_figures(reach):
    mirror = Mirror(Link())
    mirror.sync([described(4, "four")])
    if reach == "import":
        import matplotlib.pyplot as p
    elif reach == "from":
        from matplotlib import pyplot as p
    elif reach == "module":
        p = matplotlib.pyplot
    else:
        p = mirror.pyplot
    assert p.get_fignums() == [4] and p.gca().get_title() == "four"


def test_a_returned_figure_or_axes_is_the_drawn_one():
    mirror = Mirror(Link())
    mirror.sync([described(3, "three")])
    fig, ax = mirror.resolve((Pending({"t": "fig", "num": 3}), Pending({"t": "axes", "num": 3, "i": 0})))
    assert fig.number == 3 and ax is fig.axes[0] and ax.get_title() == "three"


def test_a_new_mirror_starts_with_nothing_in_view(draws):
    Mirror(Link()).sync([described(1)])
    Mirror(Link())
    assert plt.get_fignums() == [] and draws == []


def test_a_malformed_description_leaves_an_empty_figure():
    Mirror(Link()).sync([{"num": 5, "axes": [{"bars": [{"x": "oops"}]}]}])
    assert plt.get_fignums() == [5] and plt.figure(5).axes == []


_ops = st.lists(st.one_of(
    st.tuples(st.just("kernel draws"), st.integers(1, 3), st.sampled_from(["a", "b"])),
    st.tuples(st.just("kernel closes"), st.integers(1, 3)),
    st.tuples(st.just("test opens"), st.integers(1, 4)),
    st.tuples(st.just("test closes"), st.sampled_from([1, 2, 3, "all"])),
    st.tuples(st.just("test looks")),
), max_size=12)


def _play(ops, eager):
    """Run ``ops``; what every look saw. ``eager`` draws each description at once."""
    mirror = Mirror(Link())
    seen = []
    for op in ops:
        if op[0] == "kernel draws":
            mirror.sync([described(op[1], op[2])])
        elif op[0] == "kernel closes":
            mirror.sync([{"num": op[1], "closed": True}])
        elif op[0] == "test opens":
            plt.figure(op[1])
        elif op[0] == "test closes":
            plt.close(op[1])
        if eager:
            figures.flush()
        if op[0] == "test looks":
            nums = plt.get_fignums()
            seen.append((nums, plt.gcf().number if nums else None,
                         [[a.get_title() for a in plt.figure(n).axes] for n in nums]))
    return seen


@settings(max_examples=300, deadline=None)
@given(_ops)
@example([("kernel draws", 1, "a"), ("kernel draws", 2, "a"), ("kernel draws", 1, "b")])
@example([("kernel draws", 1, "a"), ("test closes", 1), ("kernel closes", 1), ("test opens", 1)])
def test_drawing_late_shows_what_drawing_at_once_would(ops):
    ops = ops + [("test looks",)]
    assert _play(ops, eager=False) == _play(ops, eager=True)
