"""Tests for graders.describe: message text that never raises."""

import numpy as np
import pandas as pd

from graders.describe import block, describe, describe_inputs, hint_line, safe_repr, shape_words


class Hostile:
    def __repr__(self):
        raise RuntimeError("no")


class BadRepr:
    def __repr__(self):
        return 42


def test_safe_repr_survives_hostile_objects():
    """Does a raising or non-string __repr__ become a marker instead of an exception?"""
    assert safe_repr(Hostile()).startswith("[repr failed for ")
    assert safe_repr(BadRepr()).endswith("BadRepr: TypeError]")


def test_safe_repr_cuts_long_text_and_big_arrays():
    """Is a million-element array described in a few lines and characters?"""
    text = safe_repr(np.zeros((1000, 1000)))
    assert len(text) <= 240 and text.count("\n") <= 2
    assert safe_repr("x" * 1000).endswith(" ...")


def test_shape_words():
    """Are the four shapes students confuse named in words?"""
    assert shape_words((5,)) == "(5,) (a 1-D vector)"
    assert shape_words((5, 1)) == "(5, 1) (a column vector)"
    assert shape_words((1, 5)) == "(1, 5) (a row vector)"
    assert shape_words(()) == "() (a 0-d scalar array)"
    assert shape_words((2, 3, 4)) == "(2, 3, 4) (a 3-D array)"


def test_describe_values():
    """Does describe say type, shape, dtype and a few values?"""
    assert describe(np.arange(6).reshape(2, 3)) == "ndarray of shape (2, 3), dtype int64: [0, 1, 2, 3, ...]"
    assert describe(np.zeros(0)) == "ndarray of shape (0,), dtype float64: [] (empty)"
    assert describe(None) == "None"
    assert describe(2.5) == "float 2.5"
    assert describe((x for x in [])) == "a generator object (not yet run)"
    assert describe(pd.DataFrame({"a": [1]})) == "pandas.DataFrame of shape (1, 1)"
    assert describe([1, 2]) == "list of length 2: [1, 2]"


def test_describe_inputs_mapping():
    """Are several inputs listed by argument name?"""
    text = describe_inputs({"X": np.zeros((2, 2)), "batch_size": 64})
    assert text == "X = ndarray of shape (2, 2), dtype float64: [0.0, 0.0, 0.0, 0.0]; batch_size = int 64"
    assert describe_inputs(None) == ""


def test_block_and_hints():
    """Are empty parts dropped and a duplicated hint shown once?"""
    assert block("a", None, "", "b") == "a\nb"
    assert hint_line(None) is None
    assert hint_line("x", "x") == "Hint: x"
    assert hint_line("x", "y") == "Hint: x\nHint: y"
