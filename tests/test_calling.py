"""Tests for graders.calling: a student's exception becomes data."""

import sys

from graders.calling import call


def divides(x):
    y = x * 2
    return y / 0


def test_exception_becomes_data_with_student_line():
    """Is the student's failing line found and quoted?"""
    c = call(divides, 3)
    assert c.raised and isinstance(c.error, ZeroDivisionError)
    line = divides.__code__.co_firstlineno + 2
    assert c.where == f"line {line}: 'return y / 0'"
    assert c.error_text("f(3)") == f"f(3) raised ZeroDivisionError: division by zero (at line {line}: 'return y / 0')"


def test_value_returned():
    """Does a normal call return its value and no error text?"""
    c = call(lambda a, b=1: a + b, 1, b=2)
    assert c.value == 3 and not c.raised and c.error_text("f") == ""


def test_system_exit_and_keyboard_interrupt_do_not_escape():
    """Can sys.exit() or a KeyboardInterrupt in student code end a grading run? (No.)"""
    assert isinstance(call(sys.exit, 3).error, SystemExit)

    def interrupt():
        raise KeyboardInterrupt

    assert isinstance(call(interrupt).error, KeyboardInterrupt)


def test_exception_whose_str_raises():
    """Is an exception with a broken __str__ still described?"""
    class Weird(Exception):
        def __str__(self):
            raise RuntimeError("no")

    def f():
        raise Weird()

    assert "raised Weird:" in call(f).error_text("f()")
