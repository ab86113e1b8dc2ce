"""Tests for graders.checks.shapes: type, shape and dtype discipline."""

import numpy as np
import pandas as pd
import pytest

from graders.checks.shapes import check_array, check_dtype, check_shape, check_type


@pytest.mark.parametrize(
    "value, said",
    [
        ([1.0, 2.0], "returned a list, expected a numpy.ndarray"),
        ((1.0, 2.0), "returned a tuple, expected a numpy.ndarray"),
        (None, "returned None, expected a numpy.ndarray"),
        (np.asmatrix(np.eye(2)), "returned a numpy.matrix, expected a numpy.ndarray"),
        (pd.Series([1.0]), "returned a pandas.Series, expected a numpy.ndarray"),
        ((x for x in [1]), "returned a generator, expected a numpy.ndarray"),
        (3.0, "returned a scalar (float), expected a numpy.ndarray"),
    ],
)
def test_non_array_returns_are_named(value, said):
    """Is each non-array return value named as what it is, with the function's name?"""
    r = check_type(value, name="sigmoid(z)")
    assert not r.passed
    assert r.message.splitlines()[0] == f"sigmoid(z) {said}"


def test_none_return_hints_at_missing_return():
    """Does returning None point at a forgotten return statement?"""
    r = check_type(None, name="f(x)")
    assert "Hint: did you forget the `return` statement?" in r.message


def test_matrix_hint_mentions_asarray():
    """Is np.matrix explained, not just rejected?"""
    r = check_type(np.asmatrix(np.eye(2)), name="f(x)")
    assert "np.asarray(...)" in r.message


def test_plain_array_passes_type():
    """Does a plain ndarray pass the type stage?"""
    assert check_type(np.zeros(3)).passed


@pytest.mark.parametrize(
    "got, expected, first_line, hint",
    [
        ((4,), (4, 1), "f(x) returned shape (4,) (a 1-D vector), expected (4, 1) (a column vector)",
         "use keepdims=True in the reduction, or .reshape(-1, 1)"),
        ((4,), (1, 4), "f(x) returned shape (4,) (a 1-D vector), expected (1, 4) (a row vector)",
         "use .reshape(1, -1)"),
        ((4, 1), (4,), "f(x) returned shape (4, 1) (a column vector), expected (4,) (a 1-D vector)",
         "use .ravel() or reduce without keepdims"),
        ((1, 4), (4,), "f(x) returned shape (1, 4) (a row vector), expected (4,) (a 1-D vector)",
         "use .ravel() or reduce without keepdims"),
        ((3, 5), (5, 3), "f(x) returned shape (3, 5) (a 2-D array), expected (5, 3) (a 2-D array)",
         "the result looks transposed"),
        ((4, 4), (4, 1), "f(x) returned shape (4, 4) (a 2-D array), expected (4, 1) (a column vector)",
         "broadcast together into (n, n)"),
        ((3,), (3, 4), "f(x) returned shape (3,) (a 1-D vector), expected (3, 4) (a 2-D array)",
         "a reduction without keepdims=True drops its axis"),
        ((12,), (3, 4), "f(x) returned shape (12,) (a 1-D vector), expected (3, 4) (a 2-D array)",
         "the number of elements is right but the shape is not"),
        ((), (3,), "f(x) returned shape () (a 0-d scalar array), expected (3,) (a 1-D vector)", None),
    ],
)
def test_shape_pitfalls_are_named(got, expected, first_line, hint):
    """Is each classic shape pitfall named in words, with a hint for its usual cause?"""
    r = check_shape(np.zeros(got), expected, name="f(x)")
    assert not r.passed
    assert r.message.splitlines()[0] == first_line
    if hint:
        assert hint in r.message
    assert r.details["shape"] == got


def test_shape_wildcard():
    """Does None in an expected shape accept any length there, and print as 'any'?"""
    assert check_shape(np.zeros((7, 3)), (None, 3)).passed
    r = check_shape(np.zeros((7, 2)), (None, 3), name="f(x)")
    assert r.message.splitlines()[0] == "f(x) returned shape (7, 2) (a 2-D array), expected (any, 3)"


def test_shape_checks_type_first():
    """Is a list reported as a list, not as a shape error?"""
    r = check_shape([[1, 2]], (1, 2), name="f(x)")
    assert r.check == "check_type"


def test_shape_message_names_input():
    """Does a shape failure say on what input it happened?"""
    z = np.arange(6.0).reshape(2, 3)
    r = check_shape(np.zeros(2), (2, 1), name="f(z)", inputs={"z": z})
    assert "Input: z = ndarray of shape (2, 3), dtype float64: [0.0, 1.0, 2.0, 3.0, ...]" in r.message


def test_dtype_precision_preserved():
    """Is a float32 input upcast to float64 caught, with the usual cause in the hint?"""
    r = check_dtype(np.zeros(3, np.float64), np.float32, name="sigmoid(z)")
    assert not r.passed
    assert r.message.splitlines()[0] == "sigmoid(z) returned dtype float64, expected float32"
    assert "upcasts it" in r.message
    assert check_dtype(np.zeros(3, np.float32), np.float32).passed


def test_dtype_kind():
    """Does kind='f' accept any float and reject ints with a conversion hint?"""
    assert check_dtype(np.zeros(2, np.float16), kind="f").passed
    r = check_dtype(np.zeros(2, np.int64), kind="f", name="f(x)")
    assert r.message.splitlines()[0] == "f(x) returned dtype int64, expected a float dtype"


def test_dtype_object_array_explained():
    """Is an object array explained as ragged lists or mixed types?"""
    r = check_dtype(np.array([1, "a"], dtype=object), kind="f")
    assert "unequal length or mixed types" in r.message


def test_dtype_requires_expectation():
    """Is calling check_dtype with nothing to check an instructor error?"""
    with pytest.raises(ValueError, match="needs `expected` or `kind`"):
        check_dtype(np.zeros(2))


def test_check_array_order_type_shape_dtype():
    """Does check_array stop at the first failing stage, in numpy.testing order?"""
    assert check_array([1], shape=(1,), kind="f").check == "check_type"
    assert check_array(np.zeros(2, int), shape=(3,), kind="f").check == "check_shape"
    assert check_array(np.zeros(3, int), shape=(3,), kind="f").check == "check_dtype"
    r = check_array(np.zeros(3), shape=(3,), kind="f", name="f(x)")
    assert r.passed and r.message == "f(x) is a numpy.ndarray of shape (3,), dtype float64"


def test_instructor_hint_added_to_diagnosis():
    """Are the check's diagnosis and the instructor's hint both shown?"""
    r = check_shape(np.zeros(4), (4, 1), name="f(x)", hint="see section 3.2")
    assert "Hint: you returned a 1-D vector" in r.message
    assert "Hint: see section 3.2" in r.message
