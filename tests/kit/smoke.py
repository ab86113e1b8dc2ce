"""Run inside a virtualenv that has only the student kit (and its dependencies) installed.

    python -I smoke.py REQUEST.json

Imports every module of the installed ``graders``, runs each public check once on a case it
must pass and, where the check exists to catch something, once on a case it must fail, runs
every data generator and loader, executes the import statements of the released notebooks,
and asks for the instructor-only names. Prints one JSON object: versions, where ``graders``
was imported from, the modules imported, every expectation that did not hold, and digests of
the generated data (so a test can compare them with the instructor's).

Standard library, numpy, pandas and matplotlib only: this file must run on every Python and
library version the kit supports, and must not import anything from the repository.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import sys
import tempfile
import traceback
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROBLEMS: list[str] = []


def expect(label: str, result, passed: bool = True, says: str | None = None) -> None:
    """Record a problem unless ``result`` passed (or failed) as expected, saying ``says``."""
    if result.passed != passed:
        PROBLEMS.append(f"{label}: passed={result.passed}, expected {passed}: {result.message}")
    elif says is not None and says not in result.message:
        PROBLEMS.append(f"{label}: message lacks {says!r}: {result.message}")


def attempt(label: str, fn) -> None:
    """Run ``fn``; an exception is a problem, with its traceback."""
    try:
        fn()
    except Exception:  # noqa: BLE001 - every failure is reported, none stops the run
        PROBLEMS.append(f"{label} raised:\n{traceback.format_exc()}")


def digest(frame: pd.DataFrame) -> str:
    text = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return hashlib.sha256(text.encode()).hexdigest()


# --- functions a student might write ---------------------------------------------------

def sigmoid_stable(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_naive(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_silenced(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


@np.errstate(all="ignore")
def sigmoid_decorated(z):
    return 1.0 / (1.0 + np.exp(-z))


def square_all(x):
    return x ** 2


def square_each(x):
    out = np.empty_like(x)
    for i in range(len(x)):
        out[i] = x[i] ** 2
    return out


def centre_in_place(x):
    x -= x.mean()
    return x


def minibatches(X, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], start


def all_batches_at_once(X, batch_size):
    return iter([X[start:start + batch_size] for start in range(0, len(X), batch_size)])


def positive_sqrt(x):
    if x < 0:
        raise ValueError("x must be >= 0")
    return x ** 0.5


# --- the checks ------------------------------------------------------------------------

def run_checks() -> None:
    from graders import Result, first_failure
    from graders.checks.choices import check_choice, check_choice_format
    from graders.checks.frames import check_frame
    from graders.checks.iterators import check_is_generator, check_lazy, check_yields, collect
    from graders.checks.loops import check_no_loops, check_no_loops_dynamic, check_no_loops_static, find_loops
    from graders.checks.mutation import check_no_mutation
    from graders.checks.plots import (check_bars, check_figure, check_labels, check_lines, check_scatter,
                                      describe_figure)
    from graders.checks.raises import check_raises
    from graders.checks.shapes import check_array, check_dtype, check_shape, check_type
    from graders.checks.speed import check_speed
    from graders.checks.stability import check_finite, check_no_warnings, check_stable
    from graders.checks.values import check_close, check_equal
    from graders.describe import describe

    x = np.linspace(-3.0, 3.0, 7)
    expect("check_close", check_close(x * 1.0, x + 1e-12, rtol=1e-9, atol=1e-9, name="f(x)"))
    expect("check_close wrong", check_close(x + 1.0, x, name="f(x)"), False, "f(x)")
    expect("check_equal", check_equal(np.arange(4), np.arange(4)))
    expect("check_type", check_type(x))
    expect("check_type list", check_type([1.0, 2.0], name="f(x)"), False, "f(x)")
    expect("check_shape", check_shape(np.zeros((2, 3)), (2, 3)))
    expect("check_shape wrong", check_shape(np.zeros(4), (4, 1), name="f(x)"), False, "shape")
    expect("check_dtype", check_dtype(np.zeros(3, dtype=np.float32), np.float32))
    expect("check_array", check_array(np.zeros((2, 3)), shape=(2, 3), kind="f"))
    frame = pd.DataFrame({"team": ["a", "b", None], "runs": [1.5, 2.0, np.nan]})
    expect("check_frame", check_frame(frame.copy(), frame))
    expect("check_frame wrong", check_frame(frame.assign(runs=[1.5, 2.5, np.nan]), frame), False)

    expect("check_no_mutation", check_no_mutation(square_all, np.arange(5.0)))
    expect("check_no_mutation mutating", check_no_mutation(centre_in_place, np.arange(5.0)), False)

    make = lambda n: (np.arange(n, dtype=float),)  # noqa: E731
    expect("check_no_loops_static", check_no_loops_static(square_all))
    expect("check_no_loops_static loop", check_no_loops_static(square_each, name="square_each(x)"), False,
           "square_each(x)")
    expect("check_no_loops", check_no_loops(square_all, make))
    expect("check_no_loops loop", check_no_loops(square_each, make), False)
    expect("check_no_loops_dynamic", check_no_loops_dynamic(square_all, make))
    expect("check_no_loops_dynamic loop", check_no_loops_dynamic(square_each, make), False)
    if not find_loops(square_each) or find_loops(square_all):
        PROBLEMS.append("find_loops: wrong findings")
    expect("check_speed", check_speed(square_all, square_all, lambda: (np.arange(2000.0),), max_ratio=5.0,
                                      budget_s=1.0))

    stress = {"z": np.array([-1000.0, -10.0, 0.0, 10.0, 1000.0])}
    expect("check_stable", check_stable(sigmoid_stable, stress, name="sigmoid(z)", bounds=(0, 1),
                                        expected=sigmoid_stable))
    expect("check_stable naive", check_stable(sigmoid_naive, stress, name="sigmoid(z)"), False, "overflow")
    expect("check_stable silenced", check_stable(sigmoid_silenced, stress, name="sigmoid(z)"), False,
           "np.errstate(over='ignore')")
    expect("check_stable decorated", check_no_warnings(sigmoid_decorated, stress, name="sigmoid(z)"), False,
           "@np.errstate(all='ignore')")
    expect("check_no_warnings", check_no_warnings(sigmoid_stable, stress))
    expect("check_finite", check_finite(sigmoid_stable, stress))

    X = np.arange(20.0).reshape(10, 2)
    expect("check_is_generator", check_is_generator(minibatches(X, 4), strict=True))
    expect("check_lazy", check_lazy(minibatches, X, 2))
    expect("check_lazy eager", check_lazy(all_batches_at_once, X, 2), False)
    expect("check_yields", check_yields(minibatches(X, 4), count=3, item_type=tuple, item_len=2))
    if len(collect(minibatches(X, 4)).items) != 3:
        PROBLEMS.append("collect: wrong number of items")
    expect("check_raises", check_raises(positive_sqrt, (-1.0,), ValueError, match="must be"))
    expect("check_raises silent", check_raises(positive_sqrt, (4.0,), ValueError), False)
    expect("check_choice", check_choice("b", "b"))
    expect("check_choice wrong", check_choice("c", "b"), False)
    expect("check_choice_format", check_choice_format(" B "))
    expect("check_choice_format wrong", check_choice_format("e"), False)

    plt.close("all")
    fig, axes = plt.subplots(1, 3, figsize=(9, 3))
    axes[0].plot(x, sigmoid_stable(x), label="sigmoid")
    axes[0].set(title="The sigmoid", xlabel="z", ylabel="sigmoid(z)")
    axes[0].legend()
    axes[1].bar([1, 2, 3], [4.0, 5.0, 6.0])
    axes[1].set(title="Runs", xlabel="over", ylabel="runs")
    axes[2].scatter(x, 2 * x)
    axes[2].set(title="A line", xlabel="x", ylabel="y")
    expect("check_figure", check_figure(fig, n_axes=3))
    expect("check_figure wrong", check_figure(fig, n_axes=1), False)
    expect("check_lines", check_lines(fig, count=1, labels=["sigmoid"], data=[(x, sigmoid_stable(x))], axes=0))
    expect("check_labels", check_labels(fig, title="sigmoid", legend=["sigmoid"], axes=0))
    expect("check_bars", check_bars(fig, count=3, heights=[4.0, 5.0, 6.0], positions=[1, 2, 3], axes=1))
    expect("check_scatter", check_scatter(fig, n_points=7, data=(x, 2 * x), axes=2))
    if len(describe_figure(fig).axes) != 3:
        PROBLEMS.append("describe_figure: wrong number of axes")
    plt.close("all")

    if "ndarray of shape (2, 3)" not in describe(np.zeros((2, 3))):
        PROBLEMS.append(f"describe: {describe(np.zeros((2, 3)))}")
    expect("first_failure", first_failure(Result.ok("a", "fine"), check_type([1], name="f(x)")), False, "f(x)")


# --- the data --------------------------------------------------------------------------

def run_data(digests: dict[str, str]) -> None:
    from graders.data import HOUSE_TRUTH, load_ipl, make_houses, make_ipl, make_zomato
    from graders.data.ipl_worked import worked_ipl

    zomato, houses = make_zomato(200, seed=7), make_houses(200, seed=7)
    if len(zomato) != 200 or len(houses) != 200 or not HOUSE_TRUTH:
        PROBLEMS.append("make_zomato/make_houses: wrong sizes")
    deliveries, matches = make_ipl(n_seasons=1, seed=3)
    digests.update(zomato=digest(zomato), houses=digest(houses), deliveries=digest(deliveries),
                   matches=digest(matches))
    for frame, col in ((deliveries, "extras_type"), (deliveries, "player_dismissed"), (matches, "method")):
        text = frame[col].dropna()
        if frame[col].notna().all() or text.isin(["None", "nan", "<NA>"]).any():
            PROBLEMS.append(f"make_ipl: missing values of {col} are not missing: {frame[col].unique()[:5]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ipl"
        folder.mkdir()
        deliveries.to_csv(folder / "deliveries.csv", index=False, lineterminator="\n")
        matches.to_csv(folder / "matches.csv", index=False, lineterminator="\n", date_format="%Y-%m-%d")
        loaded = load_ipl(folder)
    pd.testing.assert_frame_equal(loaded.deliveries, deliveries)
    pd.testing.assert_frame_equal(loaded.matches, matches)
    worked = worked_ipl()
    if len(worked.deliveries) == 0 or set(worked.deliveries.columns) != set(deliveries.columns):
        PROBLEMS.append("worked_ipl: columns differ from make_ipl's")


# --- the package -----------------------------------------------------------------------

def run_package(request: dict) -> list[str]:
    import graders

    modules = sorted({"graders"} | {m.name for m in pkgutil.walk_packages(graders.__path__, "graders.")})
    for name in modules:
        attempt(f"import {name}", lambda name=name: importlib.import_module(name))
    for name in graders.__all__:
        attempt(f"graders.{name}", lambda name=name: getattr(graders, name))
    for statement in request.get("imports", []):
        attempt(statement, lambda statement=statement: exec(statement, {}))
    attempt("from graders.data import *", lambda: exec("from graders.data import *", {}))
    for module, name in (("graders", "grading_rng"), ("graders.data", "awkward_ipl"),
                         ("graders.data", "variant_seed"), ("graders.data", "stats_table")):
        try:
            exec(f"from {module} import {name}", {})
        except ImportError as exc:
            if "is part of the instructor's package, not the student kit" not in str(exc):
                PROBLEMS.append(f"from {module} import {name}: unclear ImportError: {exc}")
        else:
            PROBLEMS.append(f"from {module} import {name} worked in the student kit")
    return modules


def main() -> int:
    request = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
    import graders

    digests: dict[str, str] = {}
    modules = run_package(request)
    attempt("checks", run_checks)
    attempt("data", lambda: run_data(digests))
    print(json.dumps({
        "python": "%d.%d.%d" % sys.version_info[:3],
        "versions": {m.__name__: m.__version__ for m in (np, pd, matplotlib)},
        "graders_file": graders.__file__,
        "modules": modules,
        "problems": PROBLEMS,
        "digests": digests,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
