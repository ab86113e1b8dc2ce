"""Are failure messages grouped, and speed and loop figures read back, reliably?"""

from graders.report.messages import headline, normalise


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
