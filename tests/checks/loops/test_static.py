"""The static signal: which spellings are loops, allowances, helpers and recursion."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from graders.checks.loops.findings import KINDS, normalise_allowed
from graders.checks.loops.static import scan_loops
from graders.checks.loops import SourceUnavailableError, find_loops

LOOKUP = {0: "neg", 1: "pos"}


def kinds_of(func, **kwargs) -> list[str]:
    return [f.kind for f in find_loops(func, **kwargs)]


def minibatches(X, y, batch_size):
    order = np.arange(len(X))
    for start in range(0, len(X), batch_size):
        part = order[start:start + batch_size]
        yield X[part], y[part]


def minibatches_two_loops(X, y, batch_size):
    for start in range(0, len(X), batch_size):
        rows = []
        for i in range(start, min(start + batch_size, len(X))):
            rows.append(X[i])
        yield np.array(rows), y[start:start + batch_size]


def test_one_allowed_for_loop_is_tolerated():
    """Does allowed={"for": 1} tolerate the loop over batches and report nothing?"""
    scan = scan_loops(minibatches, allowed={"for": 1})
    assert scan.findings == ()
    assert [f.kind for f in scan.allowed] == ["for"]


def test_second_for_loop_is_still_reported():
    """With allowed={"for": 1}, is the second (per-row) loop reported at its line?"""
    found = find_loops(minibatches_two_loops, allowed={"for": 1})
    assert [f.kind for f in found] == ["for"]
    assert found[0].text == "for i in range(start, min(start + batch_size, len(X))):"


def test_allowed_as_names_means_any_number():
    """Does allowed=("for",) tolerate every for loop?"""
    assert find_loops(minibatches_two_loops, allowed=("for",)) == []


def test_unknown_allowed_kind_raises():
    """Is a misspelt allowance an error rather than a silent no-op?"""
    with pytest.raises(ValueError, match=re.escape("unknown loop kind 'fors'")):
        normalise_allowed({"fors": 1})


def test_every_kind_can_be_allowed():
    """Does allowed= accept every kind a finding can have?"""
    assert set(normalise_allowed(tuple(KINDS))) == set(KINDS)


def uses_reduce_ufunc_and_re_compile(x):
    pattern = re.compile("a+")
    return np.add.reduce(x), pattern


def uses_series_map_with_dict(y):
    return pd.Series(y).map(LOOKUP)


def uses_agg_with_string(x):
    return pd.DataFrame(x).agg("mean")


def test_vectorised_spellings_that_look_like_loops_are_not_flagged():
    """Are np.add.reduce, re.compile, Series.map(dict) and .agg("mean") left alone?"""
    for func in (uses_reduce_ufunc_and_re_compile, uses_series_map_with_dict,
                 uses_agg_with_string):
        assert kinds_of(func) == [], func.__name__


def imports_inside(x):
    from functools import reduce
    import numpy

    return reduce(lambda a, b: a + b, numpy.vectorize(abs)(x))


def test_names_imported_inside_the_function_are_recognised_by_spelling():
    """Are reduce and numpy.vectorize found even when imported inside the body?"""
    assert kinds_of(imports_inside) == ["reduce", "np.vectorize"]


def evaluates(x):
    return eval("x + 1"), exec("y = 2"), compile("1", "<s>", "eval")


def test_exec_eval_compile_are_flagged():
    """Is code hidden in strings reported, each at its call?"""
    assert kinds_of(evaluates) == ["eval", "exec", "compile"]


def _step(v):
    return v if v > 0 else 0.0


def relu_vectorized_helper(x):
    return np.vectorize(_step)(x)


def test_function_passed_as_value_is_read_too():
    """Is a student function handed to np.vectorize read as a helper (and clean here)?"""
    scan = scan_loops(relu_vectorized_helper)
    assert scan.functions == ("relu_vectorized_helper", "_step")
    assert [f.kind for f in scan.findings] == ["np.vectorize"]


def ping(x, k=3):
    return x if k == 0 else pong(x, k)


def pong(x, k):
    return ping(x, k - 1)


def test_mutual_recursion_names_the_cycle():
    """Is mutual recursion reported with the chain of calls that closes the cycle?"""
    (finding,) = find_loops(ping)
    assert finding.kind == "recursion"
    assert finding.detail == "ping() -> pong() -> ping()"
    assert finding.helper and finding.function == "pong"
    line = pong.__code__.co_firstlineno + 1
    assert str(finding) == (f"line {line}: 'return ping(x, k - 1)' "
                            "(recursion: ping() -> pong() -> ping() in helper pong())")


def nested_recursion(x):
    def go(i):
        return 0 if i == 0 else go(i - 1)

    return go(len(x))


def test_recursion_of_a_nested_function():
    """Is a nested function calling itself reported, though its name is not a global?"""
    assert kinds_of(nested_recursion) == ["recursion"]


def test_helpers_are_not_followed_when_asked():
    """With follow_helpers=False, is a helper's content ignored?"""
    from samples.loop_corpus.loopy import relu_via_helper

    assert kinds_of(relu_via_helper) == ["for"]
    assert kinds_of(relu_via_helper, follow_helpers=False) == []


def test_find_loops_raises_without_source():
    """Does find_loops say the source is unavailable rather than return no loops?"""
    namespace: dict = {}
    exec(compile("def f(x):\n    return x\n", "<gone>", "exec"), namespace)
    with pytest.raises(SourceUnavailableError):
        find_loops(namespace["f"])
    assert scan_loops(namespace["f"]).available is False


def agg_lambda(x):
    return pd.DataFrame(x).agg(lambda col: col.max() - col.min())


def transform_helper(x):
    return pd.DataFrame(x).transform(_step)


def frame_map_builtin(x):
    return pd.DataFrame(x).map(abs)


def starmap_local(x):
    from itertools import starmap

    return list(starmap(pow, zip(x, x)))


relu_lambda = lambda x: np.array([max(v, 0.0) for v in x])  # noqa: E731


@pytest.mark.parametrize("func, expected", [
    (agg_lambda, [("pandas.agg", "with a lambda")]),
    (transform_helper, [("pandas.transform", "with _step()")]),
    (frame_map_builtin, [("pandas.map", "with abs")]),
    (starmap_local, [("itertools", "itertools.starmap")]),
    (relu_lambda, [("listcomp", "")]),
])
def test_pandas_itertools_and_lambda_spellings(func, expected):
    """Are .agg/.transform/.map with Python functions, a locally imported starmap, and a
    comprehension inside a module-level lambda each reported with their detail?"""
    assert [(f.kind, f.detail) for f in find_loops(func)] == expected
