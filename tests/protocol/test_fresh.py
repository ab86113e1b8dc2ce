"""Fresh inputs for timed calls (graders/protocol/fresh.py): the same rows, another order."""

import numpy as np

from graders.protocol.fresh import MAX_INPUTS, count, permuted


def test_rows_are_reordered_and_pairs_stay_paired():
    """Arrays of one length share one order (X and y stay paired); other arguments are untouched."""
    X = np.arange(40.0).reshape(20, 2)
    y = X[:, 0] * 10
    w = np.arange(3.0)
    (X2, y2, w2, k), kw = permuted((X, y, w, 5), {"z": np.arange(20.0)}, seed=7)
    assert not np.array_equal(X2, X) and np.array_equal(np.sort(X2, axis=0), X)
    assert np.array_equal(y2, X2[:, 0] * 10)
    assert not np.array_equal(w2, w) or np.array_equal(np.sort(w2), w)
    assert k == 5 and np.array_equal(np.sort(kw["z"]), np.arange(20.0))
    assert X2 is not X and not np.shares_memory(X2, X)


def test_the_same_seed_gives_the_same_input_on_both_ends():
    """The grader rebuilds the input of the call it checks from the seed alone."""
    z = np.random.default_rng(0).normal(size=(50, 4))
    a, b, c = (permuted((z,), {}, s)[0][0] for s in (3, 3, 4))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_scalars_and_single_rows_are_left_alone():
    one = np.ones((1, 5))
    (s, o), _ = permuted((np.float64(2.0), one), {}, seed=1)
    assert s == 2.0 and o is one


def test_count_is_bounded_by_calls_inputs_and_memory():
    small, big = np.zeros(10), np.zeros(40 * 2**20 // 8)  # 40 MB
    assert count((small,), {}, 3) == 3
    assert count((small,), {}, 1000) == MAX_INPUTS
    assert count((big,), {}, 1000) == 12
    assert count((np.zeros(2**30 // 8),), {}, 5) == 1  # 1 GB: one input, reused
