"""Tests for graders.checks.raises: does bad input raise the right exception?"""

import re
import sys

import numpy as np

from graders.checks.raises import check_raises

X = np.zeros((6, 2))
Y = np.zeros(6)
CALL = "get_mini_batches(X, y, batch_size=0)"


def validating_generator(X, y, batch_size):
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    for i in range(0, len(X), batch_size):
        yield X[i:i + batch_size], y[i:i + batch_size]


def validating_function(X, y, batch_size):
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    return (b for b in [(X, y)])


def no_validation(X, y, batch_size):
    for i in range(0, len(X), max(batch_size, 1)):
        yield X[i:i + 1], y[i:i + 1]


def list_no_validation(X, y, batch_size):
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]


def wrong_type(X, y, batch_size):
    raise TypeError("bad batch size")


def exits(X, y, batch_size):
    sys.exit("bye")


class Abort(BaseException):
    pass


def aborts(X, y, batch_size):
    raise Abort("stop")


def test_error_at_first_next_counts():
    """Does a generator function raising at its first next() pass, saying when it raised?"""
    r = check_raises(validating_generator, (X, Y, 0), ValueError, match="positive", name=CALL)
    assert r.passed
    assert r.message == f"{CALL} raised ValueError at the first next(): batch_size must be positive, got 0"
    assert r.details["when"] == "first next()"
    r = check_raises(validating_function, (X, Y, 0), ValueError, name=CALL)
    assert r.passed and r.details["when"] == "call"


def test_at_call_requires_call_time_validation():
    """Does at_call=True fail a generator that validates only at its first next()?"""
    r = check_raises(validating_generator, (X, Y, 0), ValueError, at_call=True, name=CALL)
    assert not r.passed
    assert r.message.startswith(f"{CALL} raised ValueError only at the first next(), expected it when called.")


def test_did_not_raise():
    """Is a missing check reported with the reason and what came back?"""
    r = check_raises(no_validation, (X, Y, 0), ValueError, reason="batch_size <= 0", name=CALL,
                     inputs={"batch_size": 0})
    assert not r.passed
    assert r.message.startswith(f"{CALL} did not raise; expected ValueError for batch_size <= 0. It returned a "
                                "generator whose first item is tuple of length 2:")
    assert "Input: batch_size = int 0" in r.message
    assert "Hint: check the arguments at the top of the function and `raise ValueError(...)`" in r.message
    assert r.details["raised"] is None


def test_accidental_error_is_refused_by_match():
    """Does an accidental ValueError from range() fail when match asks for the student's message?"""
    r = check_raises(list_no_validation, (X, Y, 0), ValueError, match="batch_size", name=CALL)
    assert not r.passed
    assert r.message.startswith(f"{CALL} raised ValueError as expected, but its message "
                                "'range() arg 3 must not be zero' does not match r'batch_size'.")


def test_wrong_type_names_both_types_and_the_line():
    """Is 'raised TypeError, expected ValueError' said, with the student's line?"""
    r = check_raises(wrong_type, [X, Y, 0], ValueError, name=CALL)
    assert re.match(re.escape(f"{CALL} raised TypeError, expected ValueError. Your error: TypeError: bad batch size "
                              "(at line ") + r"\d+: 'raise TypeError\(\"bad batch size\"\)'\)", r.message)
    assert check_raises(wrong_type, (X, Y, 0), (ValueError, TypeError)).passed


def test_base_exceptions_do_not_end_grading():
    """Do sys.exit and a custom BaseException become a failing (or expected) result?"""
    r = check_raises(exits, (X, Y, 0), ValueError, name=CALL)
    assert not r.passed and r.message.startswith(f"{CALL} raised SystemExit, expected ValueError.")
    assert check_raises(exits, (X, Y, 0), SystemExit).passed
    assert check_raises(aborts, (X, Y, 0), Abort).passed
    assert check_raises(aborts, (X, Y, 0), Abort).message == "aborts(...) raised Abort: stop"


def test_the_stub_is_not_answered_yet():
    """Does a generator still raising the release's NotImplementedError say 'not answered yet',
    not 'raised NotImplementedError, expected ValueError'?"""
    def get_mini_batches(X, y, batch_size=64):
        raise NotImplementedError()
        yield  # a generator, as the release's stub of a generator exercise is

    r = check_raises(get_mini_batches, ([1], [1]), ValueError, kwargs={"batch_size": 0})
    assert not r.passed
    assert "is not answered yet" in r.message and "replace `raise NotImplementedError()`" in r.message
