"""Tests for graders.result."""

import dataclasses

import pytest

from graders.result import Result, first_failure


def test_result_is_frozen_and_details_read_only():
    """Can a check's verdict or figures be changed after the fact? (They must not.)"""
    r = Result.fail("check_x", "bad", ratio=4.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.passed = True
    with pytest.raises(TypeError):
        r.details["ratio"] = 1.0


def test_truth_testing_is_refused():
    """Does `assert result` raise instead of silently passing on a failed check?"""
    with pytest.raises(TypeError, match="use `assert result.passed, result.message`"):
        assert Result.fail("check_x", "bad")


def test_ok_has_a_default_message():
    """Does a passing result always carry some text?"""
    assert Result.ok("check_x").message == "check_x: passed"


def test_passed_is_coerced_to_bool():
    """Is a numpy bool stored as a plain bool (so JSON export works)?"""
    import numpy as np
    assert Result("c", np.bool_(True), "m").passed is True


def test_first_failure_order():
    """Is the first failing stage reported, and the last result when all pass?"""
    a, b, c = Result.ok("a"), Result.fail("b", "x"), Result.fail("c", "y")
    assert first_failure(a, b, c) is b
    assert first_failure(a, Result.ok("z")).check == "z"
    with pytest.raises(ValueError):
        first_failure()


def test_results_are_recorded_as_data_without_expected_values():
    """Inside recording(), every Result made is kept in order; as data it holds only JSON
    (numbers, short text, small lists) and nothing that gives an expected value away."""
    import json

    import numpy as np

    from graders.checks.values import check_close
    from graders.result import recording

    with recording() as made:
        ok = Result.ok("check_speed", ratio=np.float64(1.5), repeats=np.int64(3), lower_bound=np.bool_(False))
        bad = check_close(np.array([0.0, 0.0]), np.array([0.123456, 0.987654]), name="f(x)", reveal=False)
    outside = Result.ok("check_x")
    assert made[0] is ok and made[-1] is bad and outside not in made  # stages of check_close in between
    data = [r.as_data() for r in made]
    assert data[0] == {"check": "check_speed", "passed": True,
                       "details": {"ratio": 1.5, "repeats": 3, "lower_bound": False}}
    text = json.dumps(data)
    assert "0.123" not in text and "0.987" not in text and "expected" not in text
    assert data[-1]["details"]["mismatched"] == 2 and data[-1]["passed"] is False
