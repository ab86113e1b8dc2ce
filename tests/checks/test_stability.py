"""Tests for graders.checks.stability (and the watching in graders.checks.fp_watch)."""

import inspect
import re
import warnings

import numpy as np
import pytest

from graders.checks.stability import check_finite, check_no_warnings, check_stable

LOGITS = {"z": np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])}
EXTREMES = {"z": np.array([-1000.0, -10.0, 0.0, 10.0, 1000.0])}


def line(func, text):
    """``line N: 'text'`` for the line of ``func``'s source that contains ``text``."""
    lines, first = inspect.getsourcelines(func)
    for offset, src in enumerate(lines):
        if text in src:
            return f"line {first + offset}: {src.strip()!r}"
    raise AssertionError(f"{text!r} not in {func.__name__}")


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def stable_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def stable_sigmoid(z):
    out = np.empty_like(z, dtype=float)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


def seterr_softmax(z):
    np.seterr(all="ignore")
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def filtered_softmax(z):
    warnings.filterwarnings("ignore")
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def seterr_sigmoid(z):
    np.seterr(all="ignore")
    return 1 / (1 + np.exp(-z))


def errstate_sigmoid(z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


@np.errstate(all="ignore")
def decorated_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def simplefilter_sigmoid(z):
    warnings.simplefilter("ignore", RuntimeWarning)
    return 1 / (1 + np.exp(-z))


# --- stage 2: warnings --------------------------------------------------------------------

def test_naive_softmax_overflow_is_named_with_the_line():
    """Does a naive softmax on logits of magnitude 1000 fail, naming the overflow and its line?"""
    r = check_stable(naive_softmax, LOGITS, name="softmax(z)", hint="subtract the row maximum")
    assert not r.passed
    assert r.details["stage"] == "warning"
    assert r.message.startswith("softmax(z) is not numerically stable: it triggered RuntimeWarning: "
                                f"overflow encountered in exp (at {line(naive_softmax, 'e = np.exp(z)')})")
    assert "Input: z = ndarray of shape (4, 3), dtype float64: [1000.0, 1001.0" in r.message
    assert "(stress input 1 of 1)" in r.message
    assert r.message.endswith("Hint: subtract the row maximum")


def test_stable_softmax_passes_all_stages():
    """Does a max-subtracting softmax pass warnings, finiteness, bounds and expected values?"""
    big = {"z": np.array([[1e3, -1e3], [1e-3, 2e-3]])}
    r = check_stable(stable_softmax, [LOGITS, big], name="softmax(z)", bounds=(0, 1),
                     expected=stable_softmax)
    assert r.passed, r.message
    assert r.message == ("softmax(z): stable on 2 stress input(s): no floating-point warnings, all outputs "
                         "finite, all outputs within [0, 1], outputs match the expected values.")


def test_naive_sigmoid_overflows_on_minus_1000():
    """Does 1/(1+np.exp(-z)) fail on z = -1000 with the overflow named?"""
    r = check_stable(naive_sigmoid, EXTREMES, name="sigmoid(z)")
    assert not r.passed
    assert f"RuntimeWarning: overflow encountered in exp (at {line(naive_sigmoid, 'return 1')})" in r.message


def test_stable_sigmoid_passes():
    """Does a sign-split sigmoid pass with bounds [0, 1]?"""
    r = check_stable(stable_sigmoid, EXTREMES, name="sigmoid(z)", bounds=(0, 1),
                     expected=lambda z: 0.5 * (1 + np.tanh(z / 2)))
    assert r.passed, r.message


def test_global_seterr_before_the_check_hides_nothing():
    """Does a notebook-wide np.seterr(all='ignore') still let the overflow be seen?"""
    with np.errstate(all="ignore"):
        r = check_stable(naive_sigmoid, EXTREMES, name="sigmoid(z)")
        assert np.geterr()["over"] == "ignore"
    assert r.details["stage"] == "warning"


def test_warning_inside_numpy_python_code_maps_to_students_line():
    """Is a RuntimeWarning raised inside numpy's own Python code traced to the student's call?"""
    def mean_of_huge(z):
        return np.mean(z[z > 1e9])

    r = check_no_warnings(mean_of_huge, EXTREMES, name="f(z)")
    assert f"RuntimeWarning: Mean of empty slice (at {line(mean_of_huge, 'np.mean')})" in r.message


def test_other_warning_categories_do_not_fail():
    """Does a UserWarning (not a floating-point problem) leave check_no_warnings passing?"""
    def chatty(z):
        warnings.warn("just saying", UserWarning)
        return z

    assert check_no_warnings(chatty, EXTREMES, name="f(z)").passed


def test_library_silencing_is_not_blamed_on_the_student():
    """Is numpy's own errstate(invalid='ignore') inside np.isclose not counted as silencing?"""
    def uses_isclose(z):
        return stable_sigmoid(z) * np.isclose(z, z)

    r = check_stable(uses_isclose, EXTREMES, name="f(z)")
    assert r.passed, r.message


# --- stage 6 and the silencing rule --------------------------------------------------------

@pytest.mark.parametrize("func, what", [
    (seterr_sigmoid, "np.seterr(all='ignore')"),
    (errstate_sigmoid, "np.errstate(over='ignore')"),
    (simplefilter_sigmoid, "warnings.simplefilter('ignore')"),
])
def test_silencing_fails_even_with_finite_correct_output(func, what):
    """Does hiding the overflow fail although the output is finite, in range and right?"""
    r = check_stable(func, EXTREMES, name="sigmoid(z)", bounds=(0, 1), expected=stable_sigmoid)
    assert not r.passed
    assert r.details["stage"] == "silenced"
    assert r.message.startswith(f"sigmoid(z) hides floating-point warnings: your code calls {what} at line ")
    assert "A stable formula needs no silencing" in r.message


def test_silencing_by_decorator_is_seen():
    """Is @np.errstate(all='ignore') on the function itself counted as silencing?"""
    r = check_no_warnings(decorated_sigmoid, EXTREMES, name="sigmoid(z)")
    assert "your code calls @np.errstate(all='ignore') at line " in r.message


def test_allow_silencing_passes_finite_correct_output():
    """With allow_silencing=True, does a silenced but correct sigmoid pass?"""
    r = check_stable(seterr_sigmoid, EXTREMES, name="sigmoid(z)", bounds=(0, 1),
                     expected=stable_sigmoid, allow_silencing=True)
    assert r.passed, r.message


@pytest.mark.parametrize("func, what", [
    (seterr_softmax, "np.seterr(all='ignore')"),
    (filtered_softmax, "warnings.filterwarnings('ignore')"),
])
def test_silenced_nan_fails_on_the_nan_check(func, what):
    """Does hiding the warning but returning nan fail the nan stage, naming the silencing?"""
    r = check_stable(func, LOGITS, name="softmax(z)")
    assert r.details["stage"] == "nonfinite"
    assert ("softmax(z) returned non-finite values: 4 of 12 outputs are nan, first at index (0, 0)"
            in r.message)
    assert f"Note: your code turned floating-point warnings off ({what} at line " in r.message


def test_error_settings_are_restored_after_the_call():
    """Do a student's np.seterr and warnings filters not outlive the check?"""
    before_err, before_filters = np.geterr(), list(warnings.filters)
    check_stable(seterr_softmax, LOGITS)
    check_stable(filtered_softmax, LOGITS)
    assert np.geterr() == before_err
    assert list(warnings.filters) == before_filters


# --- stages 1, 3, 4, 5 ------------------------------------------------------------------

def test_nan_positions_reported_like_numpy_testing():
    """Are nan counts and the first position given ("3 of 12 outputs are nan, first at (0, 2)")?"""
    def nan_column(z):
        out = np.ones((4, 3))
        out[:3, 2] = np.nan
        return out

    r = check_finite(nan_column, LOGITS, name="softmax(z)")
    assert "3 of 12 outputs are nan, first at index (0, 2)" in r.message
    assert r.details["first_nonfinite"] == ((0, 2), (1, 2), (2, 2))
    assert r.details["nan_count"] == 3


def test_inf_counted_separately():
    """Is a single inf counted with 'is' and its 1-D index?"""
    r = check_finite(lambda z: np.array([0.0, 1.0, np.inf, 2.0, 3.0]), EXTREMES, name="f(z)")
    assert "1 of 5 outputs is inf, first at index 2" in r.message
    assert r.details["inf_count"] == 1


def test_out_of_bounds_value_shown():
    """Does an output outside bounds fail with count, index and value?"""
    r = check_stable(lambda z: np.array([0.0, 0.5, 1.5, 1.0, 1.0]), EXTREMES, name="f(z)", bounds=(0, 1))
    assert r.details["stage"] == "bounds"
    assert ("f(z) returned values outside [0, 1]: 1 of 5 outputs is out of range, "
            "first at index 2: 1.5") in r.message


def test_wrong_values_delegate_to_check_close():
    """Does a value mismatch read like check_close ("values differ", mismatched elements)?"""
    r = check_stable(lambda z: stable_sigmoid(z) + np.array([0, 0, 0.1, 0, 0]), EXTREMES,
                     name="sigmoid(z)", expected=stable_sigmoid, atol=1e-9)
    assert r.details["stage"] == "expected"
    assert "sigmoid(z): values differ (rtol=1e-07, atol=1e-09)" in r.message
    assert "Mismatched elements: 1 / 5 (20%)" in r.message


def test_raising_function_reports_its_line():
    """Does an exception fail the check with its type, text and the student's line?"""
    def broken(z):
        raise ValueError("boom")

    r = check_stable(broken, EXTREMES, name="sigmoid(z)")
    assert r.message.startswith(f"sigmoid(z) raised ValueError: boom (at {line(broken, 'raise')})")
    assert r.details["stage"] == "raised"


def test_none_return_is_not_numbers():
    """Does a function returning None fail finiteness with 'expected numbers'?"""
    r = check_finite(lambda z: None, EXTREMES, name="sigmoid(z)")
    assert "sigmoid(z) returned None; expected numbers" in r.message


def test_second_stress_input_named():
    """When only the second stress input breaks the function, is it the one named?"""
    mild = {"z": np.array([-1.0, 0.0, 1.0])}
    r = check_stable(naive_sigmoid, [mild, EXTREMES], name="sigmoid(z)")
    assert "(stress input 2 of 2)" in r.message
    assert r.details["stress_index"] == 1


def test_student_cannot_alter_the_stress_input():
    """Does an in-place student leave the instructor's stress input (and expected) untouched?"""
    z = np.array([1.0, 2.0])
    def in_place(z):
        z *= 0
        return z

    r = check_stable(in_place, {"z": z}, expected=lambda z: z.copy(), name="f(z)")
    assert np.array_equal(z, [1.0, 2.0])
    assert r.details["stage"] == "expected"


def test_expected_list_must_match_inputs():
    """Is a wrong-length expected list an authoring error, raised at once?"""
    with pytest.raises(ValueError, match=re.escape("one output per stress input")):
        check_stable(stable_sigmoid, [EXTREMES, EXTREMES], expected=[np.zeros(5)])
