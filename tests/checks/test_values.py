"""Tests for graders.checks.values: check_close and check_equal."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.checks.values import check_close, check_equal
from graders.describe import type_name


class ReprRaises:
    def __repr__(self):
        raise RuntimeError("boom")


class ArrayRaises:
    def __array__(self, *a, **k):
        raise RuntimeError("no array for you")

    def __repr__(self):
        return "ArrayRaises()"


def test_equal_arrays_pass():
    """Do identical arrays pass and say so?"""
    r = check_close(np.arange(3.0), np.arange(3.0), name="f(x)")
    assert r.passed and r.message == "f(x): values match (rtol=1e-07, atol=0)"


def test_value_mismatch_message_like_numpy_testing():
    """Does a value mismatch report count, max differences, first index and both outputs?"""
    exp = np.array([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    act = exp.copy()
    act[1, 2] = 0.58
    r = check_close(act, exp, rtol=1e-6, atol=1e-9, name="softmax(z)", hint="normalise per row")
    assert not r.passed
    lines = r.message.splitlines()
    assert lines[0] == "softmax(z): values differ (rtol=1e-06, atol=1e-09)"
    assert "Mismatched elements: 1 / 6 (16.7%)" in lines
    assert "Max absolute difference: 0.18" in lines
    assert "First mismatch at index (1, 2): yours 0.58, expected 0.4" in lines
    assert any(line.startswith(" YOUR OUTPUT: array([[0.1 , 0.2 , 0.7 ],") for line in lines)
    assert any(line.startswith(" EXPECTED   : array(") for line in lines)
    assert lines[-1] == "Hint: normalise per row"
    assert r.details["mismatched"] == 1


def test_reveal_false_hides_expected_values():
    """With reveal=False, is no expected value printed (but kept in details for the engine)?"""
    exp = np.array([0.123456, 0.987654])
    r = check_close(np.array([0.0, 0.0]), exp, name="f(x)", reveal=False)
    assert "0.123" not in r.message and "0.987" not in r.message
    assert "not shown (this is a hidden test on a fresh input)" in r.message
    assert "Max relative difference: of order 1e+00" in r.message
    assert "0.1235" in r.details["expected"]


@pytest.mark.parametrize(
    "value, first_line",
    [
        (None, "f(x) returned None, expected a numpy.ndarray"),
        ([0.5, 0.5], "f(x) returned a list, expected a numpy.ndarray"),
        ((v for v in [0.5]), "f(x) returned a generator, expected a numpy.ndarray"),
        (ReprRaises(), "f(x) returned a {T}, expected a numpy.ndarray"),
        ("0.5", "f(x) returned a str, expected a numpy.ndarray"),
        (np.asmatrix([[0.5, 0.5]]), "f(x) returned a numpy.matrix, expected a numpy.ndarray"),
    ],
)
def test_exotic_returns_never_crash(value, first_line):
    """Are exotic return values reported by type, never crashing the message builder?"""
    r = check_close(value, np.array([0.5, 0.5]), name="f(x)")
    assert not r.passed
    assert r.message.splitlines()[0] == first_line.format(T=type_name(value))


def test_repr_failure_is_reported_in_place():
    """Is a raising __repr__ shown as '[repr failed ...]' rather than raised?"""
    r = check_close(ReprRaises(), [1.0, 2.0], name="f(x)")
    assert not r.passed
    assert f"Returned: [could not describe" in r.message or "[repr failed for" in r.message


def test_unconvertible_object_against_list_expected():
    """Does an object whose __array__ raises give a type failure, not a traceback?"""
    r = check_close(ArrayRaises(), [1.0, 2.0], name="f(x)")
    assert not r.passed
    assert r.message.splitlines()[0].startswith("f(x) returned")


def test_scalar_expected_accepts_python_and_numpy_numbers():
    """Is a scalar answer accepted as float, numpy scalar or 0-d array?"""
    for v in (0.5, np.float64(0.5), np.array(0.5), np.float32(0.5)):
        assert check_close(v, 0.5).passed


def test_scalar_expected_rejects_array_with_shape_words():
    """Is a (1,) array where a number is expected named by its shape?"""
    r = check_close(np.array([0.5]), 0.5, name="rmse(y, p)")
    assert r.message.splitlines()[0] == "rmse(y, p) returned shape (1,) (a 1-D vector), expected a single number"


def test_scalar_expected_rejects_none_and_bool():
    """Are None and a bool reported as such when a number is expected?"""
    assert check_close(None, 0.5, name="f()").message.startswith("f() returned None, expected a number")
    assert check_close(True, 1.0, name="f()").message.startswith("f() returned a bool, expected a number")


def test_shape_failure_comes_before_values():
    """Does a shape error stop the check before any element-wise diff is printed?"""
    r = check_close(np.zeros(10_000), np.zeros((10_000, 1)), name="f(x)")
    assert r.details["stage"] == "shape"
    assert "Mismatched" not in r.message
    assert "(10000, 1) (a column vector)" in r.message


def test_bool_array_where_numbers_expected():
    """Is a comparison result (bool array) rejected at the dtype stage?"""
    r = check_close(np.array([True, False]), np.array([1.0, 0.0]), name="relu(x)")
    assert r.details["stage"] == "dtype"
    assert "a bool array is a comparison, not a value" in r.message


def test_nan_positions_reported():
    """Are nan outputs reported by count and first index before values are compared?"""
    act = np.array([[0.1, np.nan], [np.nan, 0.4]])
    r = check_close(act, np.full((2, 2), 0.25), name="softmax(z)")
    assert r.message.splitlines()[0] == "softmax(z): 2 of 4 values are nan where no nan was expected, first at index (0, 1)"
    assert r.details["stage"] == "nan"


def test_inf_where_finite_expected_and_missing_inf():
    """Are an unexpected inf and a missing inf both caught?"""
    r = check_close(np.array([np.inf, 1.0]), np.array([1.0, 1.0]), name="f(x)")
    assert "1 of 2 values are inf where no inf was expected" in r.message
    r = check_close(np.array([1.0, 1.0]), np.array([-np.inf, 1.0]), name="f(x)")
    assert "1 of 2 values should be inf but are finite" in r.message
    assert check_close(np.array([-np.inf, 1.0]), np.array([-np.inf, 1.0])).passed
    r = check_close(np.array([np.inf, 1.0]), np.array([-np.inf, 1.0]))
    assert not r.passed


def test_equal_nan_policy():
    """Do matching nans pass by default and fail with equal_nan=False?"""
    a = np.array([np.nan, 1.0])
    assert check_close(a, a.copy()).passed
    assert not check_close(a, a.copy(), equal_nan=False).passed


def test_atol_for_zero_expected():
    """Does atol rescue comparisons against exact zeros, where rtol cannot?"""
    assert not check_close(np.array([1e-12]), np.array([0.0])).passed
    assert check_close(np.array([1e-12]), np.array([0.0]), atol=1e-9).passed


def test_int_results_compared_as_numbers():
    """Is an integer array with the right values accepted against float expectations?"""
    assert check_close(np.array([1, 2]), np.array([1.0, 2.0])).passed


def test_check_equal_exact():
    """Does check_equal demand exact equality and say 'exactly'?"""
    assert check_equal(np.array([3, 4]), np.array([3, 4])).passed
    r = check_equal(np.array([3, 5]), np.array([3, 4]), name="top_scores(d)")
    assert r.check == "check_equal"
    assert r.message.splitlines()[0] == "top_scores(d): values differ (exactly)"


def test_non_numeric_expected_is_instructor_error():
    """Is a non-numeric expectation an error in the test, not a student failure?"""
    with pytest.raises(TypeError, match=re.escape("expected must be numeric")):
        check_close(np.zeros(1), np.array(["a"]))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5),
                  elements=st.floats(-1e6, 1e6)))
def test_any_array_matches_itself_and_not_a_shifted_copy(a):
    """Does every finite array match itself and fail against itself + 1?"""
    assert check_close(a, a.copy()).passed
    r = check_close(a + 1.0, a, rtol=0, atol=0.5, reveal=False)
    assert not r.passed and r.details["mismatched"] == a.size


def test_a_nan_on_small_inputs_is_not_blamed_on_exp_overflowing():
    """exp() overflows only past |x| > 700: on small inputs the hint names 0/0 (an empty
    group); on large ones it names the overflow."""
    import numpy as np

    from graders.checks.values import check_close

    small = check_close(np.array([1.0, np.nan]), np.array([1.0, 2.0]), inputs={"x": np.array([1.0, 2.0])})
    large = check_close(np.array([1.0, np.nan]), np.array([1.0, 2.0]), inputs={"x": np.array([1000.0, 2.0])})
    assert "empty group" in small.message and "overflow" not in small.message
    assert "overflowing" in large.message
