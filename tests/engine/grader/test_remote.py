"""Do the grader-side proxies behave as local objects would, for the checks that use them?"""

import numpy as np
import pandas as pd
import pytest

from graders.calling import call
from graders.engine.grader.remote import Namespace, RemoteFunction, StudentError, rebuild_error


@pytest.mark.parametrize("info, cls", [
    ({"type": "ValueError", "module": "builtins", "msg": "bad"}, ValueError),
    ({"type": "KeyboardInterrupt", "module": "builtins", "msg": ""}, KeyboardInterrupt),
    ({"type": "LinAlgError", "module": "numpy.linalg", "msg": "Singular matrix"}, np.linalg.LinAlgError),
])
def test_known_exception_types_are_rebuilt_as_themselves(info, cls):
    """Does a ValueError raised in the kernel arrive as a ValueError (check_raises compares types)?"""
    exc = rebuild_error(info)
    assert type(exc) is cls


def test_student_exception_class_keeps_its_name_and_builtin_base():
    """A student's ``class BadShape(ValueError)`` still satisfies ``except ValueError``."""
    exc = rebuild_error({"type": "BadShape", "module": "__main__", "mro": ["BadShape", "ValueError", "Exception"],
                         "msg": "no", "where": {"lineno": 3, "line": "raise BadShape('no')"}})
    assert isinstance(exc, ValueError) and type(exc).__name__ == "BadShape"
    assert exc.__graders_where__ == "line 3: \"raise BadShape('no')\""


def test_unknown_exception_becomes_student_error():
    exc = rebuild_error({"type": "Weird", "module": "x", "mro": ["Weird", "Exception"], "msg": "m"})
    assert isinstance(exc, StudentError) and type(exc).__name__ == "Weird"


def test_call_reports_the_kernel_side_line():
    """Does calling.call name the student's line that the kernel reported?"""
    def raiser():
        raise rebuild_error({"type": "ZeroDivisionError", "module": "builtins", "msg": "division by zero",
                             "where": {"lineno": 2, "line": "return 1 / 0"}})

    assert call(raiser).where == "line 2: 'return 1 / 0'"


class FakeLink:
    """Answers ``get`` requests from a dict; records what was asked."""

    def __init__(self, names):
        self.names, self.asked = names, []

    def fetch(self, name):
        self.asked.append(("get", name))
        if name in self.names:
            return {"ok": True, "value": self.names[name]}
        return {"ok": False}


def test_namespace_fetches_student_names_once_and_never_builtins():
    """Does a test cell see the student's names, while len/range stay the grader's own?"""
    link = FakeLink({"answer": 42})
    ns = Namespace(link)
    exec("x = answer + answer + len([1])", ns)
    assert ns["x"] == 85
    assert link.asked == [("get", "answer")]


def test_namespace_missing_name_is_a_name_error():
    ns = Namespace(FakeLink({}))
    with pytest.raises(NameError, match="softmax"):
        exec("softmax(1)", ns)


def test_remote_function_never_changes_the_callers_arguments_and_raises_rebuilt_errors():
    """A proxy call: what the kernel did to its copy of an argument never reaches the
    caller's object (tests compute expected values from it); errors keep their types."""
    class CallLink:
        def __init__(self):
            self.out = {}

        def request(self, op, **payload):
            return self.out

        def reemit(self, out):
            pass

    link = CallLink()
    fn = RemoteFunction(link, {"h": 1, "name": "scale"})
    x = np.ones(2)
    link.out = {"ok": True, "value": 3, "after": [np.zeros(2)]}
    assert fn(x) == 3 and x.tolist() == [1.0, 1.0]
    link.out = {"ok": False, "error": {"type": "TypeError", "module": "builtins", "msg": "nope"}}
    with pytest.raises(TypeError, match="nope"):
        fn(x)
    assert fn.__name__ == "scale"
