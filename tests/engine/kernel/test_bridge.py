"""Tests for the kernel's end of the bridge that need no kernel: telling whether a call
changed its arguments (what is copied back, and what a mutation check sees)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.engine.kernel.bridge import _same, _snapshot


def frame(n=30_000):
    return pd.DataFrame({"n": np.arange(n), "x": np.linspace(0, 1, n),
                         "s": pd.array([f"p{i % 97}" for i in range(n)], dtype="string"),
                         "o": pd.Series([("a", i % 3) for i in range(n)], dtype=object)})


def _set(row, col, value):
    def change(d):
        d.loc[row, col] = value
    return change


def _drop_column(d):
    del d["o"]


def _rename(d):
    d.columns = ["m", "x", "s", "o"]


def _retype(d):
    d["s"] = d["s"].astype(object)


def _reindex(d):
    d.index = d.index + 1


@pytest.mark.parametrize("change", [_set(7, "s", "other"), _set(7, "n", -1), _set(7, "x", np.nan),
                                    _set(7, "o", ("a", 9)), _retype, _drop_column, _rename, _reindex],
                         ids=["text", "int", "float", "object", "dtype", "column gone", "renamed", "index"])
def test_any_change_is_seen(change):
    d = frame()
    snap = _snapshot(d)
    change(d)
    assert not _same(d, snap)


def test_an_untouched_frame_a_copy_and_a_series_are_the_same():
    d = frame()
    snap = _snapshot(d)
    assert _same(d, snap) and _same(d.copy(deep=True), snap)
    assert _same(d["s"], _snapshot(d["s"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=1, max_size=30), st.integers(0, 29),
       st.one_of(st.none(), st.text(max_size=3)))
def test_text_columns_agree_with_pandas_equals(values, where, new):
    """The pointer shortcut never says "same" where pandas' equals would not."""
    d = pd.DataFrame({"s": pd.array(values, dtype="string")})
    snap = _snapshot(d)
    d.loc[where % len(values), "s"] = new
    assert _same(d, snap) == d.equals(snap)
