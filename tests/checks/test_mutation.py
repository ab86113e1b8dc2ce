"""Tests for graders.checks.mutation: inputs left unchanged."""

import numpy as np
import pandas as pd

from graders.checks.mutation import check_no_mutation


def softmax_inplace(z):
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def softmax_copy(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def batches_shuffling_in_place(X, y, batch_size=2):
    rng = np.random.default_rng(0)
    rng.shuffle(X)
    for i in range(0, len(X), batch_size):
        yield X[i:i + batch_size], y[i:i + batch_size]


def batches_ok(X, y, batch_size=2):
    idx = np.random.default_rng(0).permutation(len(X))
    for i in range(0, len(X), batch_size):
        yield X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]


def test_in_place_softmax_is_caught_with_first_change():
    """Is `z -= ...` caught, naming the argument and the first changed element?"""
    z = np.array([[1.0, 2.0], [3.0, 5.0]])
    r = check_no_mutation(softmax_inplace, z, name="softmax(z)")
    assert not r.passed
    first = r.message.splitlines()[0]
    assert first.startswith("softmax(z) changed its input `z` in place: 4 of 4 values changed "
                            "(first at index (0, 0): was 1.0, now ")
    assert "Input before the call: z = ndarray of shape (2, 2), dtype float64: [1.0, 2.0, 3.0, 5.0]" in r.message
    assert "use rng.permutation(n)" in r.message
    assert r.details["changed"] == ["z"]


def test_copying_softmax_passes():
    """Does a function that works on copies pass?"""
    z = np.array([[1.0, 2.0], [3.0, 5.0]])
    r = check_no_mutation(softmax_copy, z, name="softmax(z)")
    assert r.passed and r.message == "softmax(z) left its inputs unchanged"


def test_generator_mutation_found_after_draining():
    """Is a generator that shuffles X in place caught, though the call itself runs nothing?"""
    X, y = np.arange(12.0).reshape(6, 2), np.arange(6)
    r = check_no_mutation(batches_shuffling_in_place, X, y, name="get_mini_batches(X, y)")
    assert not r.passed
    assert "changed its input `X` in place" in r.message
    assert check_no_mutation(batches_ok, X.copy(), y.copy()).passed


def test_nan_inputs_unchanged_are_not_false_alarms():
    """Do nan values that stay nan count as unchanged?"""
    z = np.array([np.nan, 1.0])
    assert check_no_mutation(lambda v: v + 1, z).passed


def test_dataframe_and_list_mutation():
    """Are a mutated DataFrame column and an appended list reported?"""
    df = pd.DataFrame({"a": [1, 2]})

    def add_col(frame):
        frame["b"] = 1
        return frame

    r = check_no_mutation(add_col, df, name="features(df)")
    assert "changed its input `frame` in place: its contents changed" in r.message
    r = check_no_mutation(lambda xs: xs.append(3), [1, 2], name="f(xs)")
    assert not r.passed


def test_raising_function_cannot_show_safety():
    """Does a function that raises fail with its error instead of passing vacuously?"""
    def broken(z):
        raise ValueError("nope")

    r = check_no_mutation(broken, np.zeros(2), name="f(z)")
    assert not r.passed
    assert r.message.startswith("could not check that f(z) leaves its inputs unchanged: "
                                "f(z) raised ValueError: nope (at line ")


def test_kwargs_and_dtype_change():
    """Are keyword arguments checked too, and a dtype change named?"""
    def retype(x, *, w):
        w.dtype = np.int64  # reinterpret in place
        return x

    w = np.zeros(2)
    r = check_no_mutation(retype, np.zeros(1), w=w, name="f(x, w=w)")
    assert "changed its input `w` in place: its dtype changed from float64 to int64" in r.message


def test_infinite_generator_is_capped():
    """Does an infinite generator stop at the cap instead of hanging the grader?"""
    def forever(x):
        while True:
            yield x

    assert check_no_mutation(forever, np.zeros(1)).passed
