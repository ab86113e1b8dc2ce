"""graders: checks, grading engine and reports for the course kit.

Hidden test cells import checks from here and read like sentences::

    from graders import check_close
    r = check_close(softmax(z), expected, rtol=1e-6, name="softmax(z)", inputs={"z": z})
    assert r.passed, r.message
"""

from .result import Result, first_failure

__all__ = ["Result", "first_failure"]
