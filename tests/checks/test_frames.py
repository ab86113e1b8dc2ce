"""Tests for graders.checks.frames: DataFrame answers."""

import numpy as np
import pandas as pd

from graders.checks.frames import check_frame

EXP = pd.DataFrame({"bowler": ["A", "B", "C"], "overs": [4.0, 3.5, 2.0], "economy": [6.25, 8.0, 9.5]})


def test_identical_frame_passes():
    """Does an equal table pass, whatever its index?"""
    got = EXP.copy()
    got.index = [10, 11, 12]
    r = check_frame(got, EXP, name="economy_rates(d)")
    assert r.passed and r.message == "economy_rates(d): all 3 rows match"


def test_not_a_frame():
    """Are a Series and None named, with the Series hint?"""
    r = check_frame(EXP.set_index("bowler")["economy"], EXP, name="f(d)")
    assert r.message.startswith("f(d) returned pandas.Series of shape (3,), expected a pandas DataFrame "
                                "(a Series: use .reset_index() or .to_frame())")
    assert check_frame(None, EXP, name="f(d)").message.startswith("f(d) returned None, expected a pandas DataFrame")


def test_columns_missing_in_index_get_reset_index_hint():
    """Is a key column left in the index spotted and the fix named?"""
    r = check_frame(EXP.set_index("bowler"), EXP, name="f(d)")
    assert r.message.splitlines()[0] == ("f(d) returned columns ['overs', 'economy'], expected exactly "
                                         "['bowler', 'overs', 'economy'] in that order (missing ['bowler'])")
    assert "try .reset_index()" in r.message


def test_column_order():
    """Are the same columns in another order reported as such?"""
    r = check_frame(EXP[["overs", "bowler", "economy"]], EXP, name="f(d)")
    assert "(same names in another order)" in r.message


def test_row_count():
    """Is a missing row reported by count before any value is compared?"""
    r = check_frame(EXP.iloc[:2], EXP, name="f(d)")
    assert r.message.startswith("f(d) returned 2 rows, expected 3")
    assert r.details["stage"] == "rows"


def test_numeric_values_go_through_check_close():
    """Is a wrong number reported with its column and mismatch figures, hidden when asked?"""
    got = EXP.copy()
    got.loc[1, "economy"] = 8.5
    r = check_frame(got, EXP, name="f(d)", reveal=False)
    assert r.message.splitlines()[0] == "f(d), column 'economy': values differ (rtol=1e-09, atol=1e-09)"
    assert "Mismatched elements: 1 / 3" in r.message
    assert "8.0" not in r.message.replace("8.5", "")
    assert r.details["column"] == "economy"


def test_text_values_reveal_policy():
    """Is a wrong name reported by row, and the expected name shown only with reveal=True?"""
    got = EXP.copy()
    got.loc[2, "bowler"] = "Z"
    r = check_frame(got, EXP, name="f(d)", reveal=False)
    assert "column 'bowler' differs in 1 of 3 rows; the first is row 2, where you have 'Z'" in r.message
    assert "'C'" not in r.message
    assert "expected 'C'" in check_frame(got, EXP, name="f(d)").message


def test_non_numeric_where_numbers_expected():
    """Is a text column where numbers are expected named with a conversion hint?"""
    got = EXP.assign(overs=["4", "3.5", "two"])
    r = check_frame(got, EXP, name="f(d)")
    assert "column 'overs' is not numeric (dtype" in r.message


def test_index_compared_when_asked():
    """Does check_index compare the index values too?"""
    exp = EXP.set_index("bowler")
    got = exp.rename(index={"B": "X"})
    assert check_frame(got, exp).passed
    assert not check_frame(got, exp, check_index=True).passed


def test_nan_values_match_nan():
    """Do missing values in the same places count as equal?"""
    exp = pd.DataFrame({"x": [1.0, np.nan]})
    assert check_frame(exp.copy(), exp).passed
