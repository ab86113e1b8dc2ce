"""Are failure messages grouped, and speed and loop figures read back, reliably?"""

from graders.report.messages import headline, normalise, speed_ratio, uses_loops


def test_same_mistake_on_different_inputs_groups_together():
    """Do two messages differing only in numbers and arrays normalise to the same text?"""
    a = "softmax(z): 3 of 12 values differ; got array([0.1, 0.2]) for z = 'abc'\nHint: axis"
    b = "softmax(z): 5 of 20 values differ; got array([0.7]) for z = 'xyz'\nHint: other"
    assert normalise(a) == normalise(b) == "softmax(z): N of N values differ; got array(…) for z = '…'"


def test_names_with_digits_are_kept():
    """Is 'log1p' or 'float64' left alone while standalone numbers become N?"""
    assert normalise("use log1p on float64 input of size 10") == "use log1p on float64 input of size N"


def test_headline_skips_blank_lines():
    """Is the headline the first non-empty line?"""
    assert headline("\n\n  first\nsecond") == "first"


def test_speed_ratio_parsed_with_lower_bound():
    """Are '41.3x slower' and 'at least 85x slower' read as (41.3, False) and (85.0, True)?"""
    assert speed_ratio("f(x): 41.3x slower than the reference (median ...)") == (41.3, False)
    assert speed_ratio("f(x): at least 85x slower than the reference (its fastest ...)") == (85.0, True)
    assert speed_ratio("f(x): fast enough: 1.2x the reference's CPU time") is None


def test_loop_usage_only_when_loops_were_found():
    """Is 'could not be checked for loops' not counted as loop usage?"""
    assert uses_loops("f(x): uses Python loops; this exercise asks for whole-array NumPy code.")
    assert not uses_loops("f(x): could not be checked for loops.")
