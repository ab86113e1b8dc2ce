"""pandas results: ``check_frame`` for tables students build with groupby and friends.

A DataFrame answer goes wrong in its own ways: a column named differently or in another
order, a missing row after a filter, an index where a column was asked for, or values off in
one group. The check follows numpy.testing's order for tables: type, columns, row count,
index (when asked), then each column's values (numbers with a tolerance through
:func:`check_close`, text exactly), and reports the first problem only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..describe import block, describe, describe_inputs, hint_line, labelled, safe_repr
from ..result import Result
from .values import check_close


def _fail(message: str, **details: Any) -> Result:
    return Result.fail("check_frame", message, **details)


def _numeric_column(got: pd.Series, exp: pd.Series, col: str, name: str, where: str | None,
                    hint: str | None, rtol: float, atol: float, inputs: Any, reveal: bool) -> Result | None:
    try:
        gv = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return _fail(block(f"{name}: column {col!r} is not numeric (dtype {got.dtype})", where,
                           hint_line("convert with pd.to_numeric or .astype(float)", hint)), column=col)
    r = check_close(gv, exp.to_numpy(dtype=float), rtol=rtol, atol=atol, name=f"{name}, column {col!r}",
                    inputs=inputs, hint=hint, reveal=reveal)
    return None if r.passed else Result.fail("check_frame", r.message, column=col, **dict(r.details))


def _text_column(got: pd.Series, exp: pd.Series, col: str, name: str, where: str | None,
                 hint: str | None, reveal: bool) -> Result | None:
    gl, el = [str(x) for x in got], [str(x) for x in exp]
    bad = [i for i, (a, b) in enumerate(zip(gl, el)) if a != b]
    if not bad:
        return None
    first = bad[0]
    expected = f", expected {el[first]!r}" if reveal else ""
    return _fail(block(f"{name}: column {col!r} differs in {len(bad)} of {len(el)} rows; the first is "
                       f"row {first}, where you have {safe_repr(gl[first], 60)}{expected}", where,
                       hint_line("check the sort order and the filter", hint)), column=col, rows=bad[:20])


def check_frame(actual: Any, expected: pd.DataFrame, *, rtol: float = 1e-9, atol: float = 1e-9,
                check_index: bool = False, name: str = "result", inputs: Any = None,
                hint: str | None = None, reveal: bool = True) -> Result:
    """Is ``actual`` a DataFrame with exactly ``expected``'s columns (in order), rows (in
    order) and values? ``check_index=True`` also compares the index, by value.

    Row order matters: sort both sides first when the task does not fix an order.
    ``reveal=False`` keeps expected values out of the message (hidden tests).
    """
    where = labelled("Input", describe_inputs(inputs))
    if not isinstance(actual, pd.DataFrame):
        extra = " (a Series: use .reset_index() or .to_frame())" if isinstance(actual, pd.Series) else ""
        return _fail(block(f"{name} returned {describe(actual)}, expected a pandas DataFrame{extra}",
                           where, hint_line(None, hint)), stage="type")
    got_cols, exp_cols = [str(c) for c in actual.columns], [str(c) for c in expected.columns]
    if got_cols != exp_cols:
        missing = [c for c in exp_cols if c not in got_cols]
        extra_cols = [c for c in got_cols if c not in exp_cols]
        why = (f"missing {missing}" if missing else "") + ("; " if missing and extra_cols else "") + \
              (f"unexpected {extra_cols}" if extra_cols else "")
        why = why or "same names in another order"
        return _fail(block(f"{name} returned columns {got_cols}, expected exactly {exp_cols} in that order "
                           f"({why})", where,
                           hint_line("a column that should be data may have ended up in the index: "
                                     "try .reset_index()" if missing and actual.index.name in missing else None,
                                     hint)),
                     stage="columns", columns=got_cols)
    if len(actual) != len(expected):
        return _fail(block(f"{name} returned {len(actual)} rows, expected {len(expected)}", where,
                           hint_line("check which rows your filter keeps or drops", hint)),
                     stage="rows", rows=len(actual), expected_rows=len(expected))
    pairs = [(c, actual[c], expected[c]) for c in expected.columns]
    if check_index:
        label = f"index ({expected.index.name})" if expected.index.name else "index"
        pairs.insert(0, (label, pd.Series(actual.index), pd.Series(expected.index)))
    for col, g, e in pairs:
        g = g.reset_index(drop=True)
        e = e.reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(e.dtype) and not pd.api.types.is_bool_dtype(e.dtype):
            r = _numeric_column(g, e, str(col), name, where, hint, rtol, atol, inputs, reveal)
        else:
            r = _text_column(g, e, str(col), name, where, hint, reveal)
        if r is not None:
            return r
    return Result.ok("check_frame", f"{name}: all {len(expected)} rows match", rows=len(expected))
