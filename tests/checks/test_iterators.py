"""Tests for graders.checks.iterators: laziness and what generators yield, on mini-batch
generator archetypes."""

import re

import numpy as np
import pytest

from graders.checks.iterators import check_is_generator, check_lazy, check_yields, collect
from graders.protocol.read_counter import counting

X = np.arange(20.0).reshape(10, 2)
Y = np.arange(10.0)


def correct(X, y, batch_size):
    perm = np.random.default_rng(0).permutation(len(X))
    Xs, ys = X[perm], y[perm]
    for i in range(0, len(X), batch_size):
        yield Xs[i:i + batch_size], ys[i:i + batch_size]


def eager_list(X, y, batch_size):
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]


def eager_iter(X, y, batch_size):
    return iter(eager_list(X, y, batch_size))


def eager_generator(X, y, batch_size):
    batches = [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]
    yield from batches


def infinite(X, y, batch_size):
    i = 0
    while True:
        yield X[i:i + batch_size], y[i:i + batch_size]
        i = (i + batch_size) % len(X)


def raising_midway(X, y, batch_size):
    for i in range(0, len(X), batch_size):
        if i >= 4:
            raise IndexError("index 10 is out of bounds")
        yield X[i:i + batch_size], y[i:i + batch_size]


def yields_lists(X, y, batch_size):
    for i in range(0, len(X), batch_size):
        yield list(X[i:i + batch_size]), list(y[i:i + batch_size])


def wrong_tuple_length(X, y, batch_size):
    for i in range(0, len(X), batch_size):
        yield X[i:i + batch_size], y[i:i + batch_size], i


def rejects_subclasses(X, y, batch_size):
    if type(X) is not np.ndarray:
        raise TypeError("X must be a numpy array")
    yield from correct(X, y, batch_size)


def test_correct_generator_passes_everything():
    """Does a correct shuffling mini-batch generator pass every check?"""
    assert check_is_generator(correct(X, Y, 2), strict=True).passed
    r = check_lazy(correct, X, Y, 2)
    assert r.passed and r.details["probe"] == "lazy"
    assert r.details["reads_at_first"] < r.details["reads_total"]
    r = check_yields(correct(X, Y, 3), count=4, item_len=2, part_type=np.ndarray)
    assert r.passed and r.details["n_items"] == 4
    assert sorted(np.concatenate([yb for _, yb in r.details["items"]])) == list(Y)


def test_list_return_is_named_a_list():
    """Is a list return named as a list, with a hint to yield?"""
    r = check_is_generator(eager_list(X, Y, 2), name="get_mini_batches(X, y, 2)")
    assert not r.passed
    assert r.message.startswith("get_mini_batches(X, y, 2) returned list of length 5:")
    assert "expected a generator (or another iterator), which holds every item in memory at once." in r.message
    assert "Hint: use `yield` inside the loop" in r.message
    r = check_lazy(eager_list, X, Y, 2, name="get_mini_batches(X, y, 2)")
    assert not r.passed and "returned list of length 5" in r.message
    assert "_ReadCounter" not in r.message


def test_none_and_function_are_explained():
    """Are a None return and a forgotten call explained?"""
    assert "did you `return` instead?" in check_is_generator(None).message
    assert "gave the function itself, not its result" in check_is_generator(correct).message


def test_strict_asks_for_a_real_generator():
    """Does strict=True refuse map objects that strict=False accepts?"""
    m = map(int, "123")
    assert check_is_generator(m).passed
    assert not check_is_generator(m, strict=True).passed


@pytest.mark.parametrize("func, when", [(eager_iter, "when called"),
                                        (eager_generator, "before handing out the first one")])
def test_eager_iterators_are_caught_by_the_probe(func, when):
    """Is an iterator that builds every batch up front called not lazy, with read counts?"""
    r = check_lazy(func, X, Y, 2, name="get_mini_batches(X, y, batch_size=2)")
    assert not r.passed
    assert r.message.startswith(
        f"get_mini_batches(X, y, batch_size=2) is not lazy: it built all its items {when}. It indexed its array "
        f"inputs 10 times for the first item, and 10 times in total for 5 items.")
    assert r.details["probe"] == "eager"


def test_probe_off_falls_back_to_the_type_test():
    """With the probe turned off by the test's author, only the return type is judged."""
    r = check_lazy(eager_iter, X, Y, 2, probe=False)
    assert r.passed and r.details["probe"] == "off"


def asarray_first_lazy(X, y, batch_size):
    X, y = np.asarray(X), np.array(y, dtype=float)
    idx = np.random.default_rng(0).permutation(len(X))
    for i in range(0, len(X), batch_size):
        yield X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]


def asarray_first_eager(X, y, batch_size):
    X, y = np.asarray(X, dtype=float), np.ascontiguousarray(y)
    idx = np.random.default_rng(0).permutation(len(X))
    batches = [(X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]) for i in range(0, len(X), batch_size)]
    yield from batches


def through_lists(X, y, batch_size):
    rows, targets = X.tolist(), y.tolist()
    batches = [(np.array(rows[i:i + batch_size]), np.array(targets[i:i + batch_size]))
               for i in range(0, len(rows), batch_size)]
    yield from batches


def all_as_one(X, y, batch_size):
    yield X, y


def empty_when_probed(X, y, batch_size):
    if type(X) is not np.ndarray:
        return
    yield from eager_generator(X, y, batch_size)


@pytest.mark.parametrize("func, verdict", [(asarray_first_lazy, "lazy"), (asarray_first_eager, "eager")])
def test_numpy_conversions_keep_the_probe(func, verdict):
    """Does the probe survive np.asarray / np.array / np.ascontiguousarray, the honest first line,
    so that laziness is still judged on its merits (and numpy is itself again afterwards)?"""
    r = check_lazy(func, X, Y, 2, name="g")
    assert r.passed is (verdict == "lazy") and r.details["probe"] == verdict
    assert type(np.asarray(np.zeros(2).view(type(counting(np.zeros(2), [0]))))) is np.ndarray


@pytest.mark.parametrize("func, verdict, words", [
    (rejects_subclasses, "refused", "raised TypeError: X must be a numpy array"),
    (through_lists, "blind", "handed out 5 items without ever indexing its array inputs"),
    (all_as_one, "single", "handed out a single item for inputs that hold data"),
    (empty_when_probed, "empty", "handed out no items at all for inputs that hold data"),
])
def test_an_inconclusive_probe_never_passes_on_data(func, verdict, words):
    """A function the probe cannot see into fails, with what the check could not see; on inputs
    without data the same emptiness passes."""
    r = check_lazy(func, X, Y, 2, name="g")
    assert not r.passed and r.details["probe"] == verdict
    assert r.message.startswith("g ") and words in r.message and "Hint:" in r.message
    if verdict in ("empty", "single"):
        r = check_lazy(func, X[:0], Y[:0], 2, name="g")
        assert r.passed and r.details["probe"] in ("inconclusive", "lazy")


def test_infinite_generator_is_lazy_but_does_not_yield_forever():
    """Does an infinite generator stop at the cap in both checks, and fail check_yields?"""
    r = check_lazy(infinite, X, Y, 2, limit=50)
    assert r.passed and r.details["n_items"] == 52
    r = check_yields(infinite(X, Y, 2), count=5, limit=100, name="get_mini_batches(X, y, 2)")
    assert not r.passed
    assert r.message.startswith("get_mini_batches(X, y, 2) yielded more than 100 items without stopping; "
                                "expected it to end after 5 items.")
    assert r.details["hit_limit"] and len(r.details["items"]) == 100


def test_error_midway_names_the_student_line():
    """Is an exception mid-iteration reported with its type, text, line and item count?"""
    r = check_yields(raising_midway(X, Y, 2), name="get_mini_batches(X, y, 2)")
    assert not r.passed
    assert re.search(r"get_mini_batches\(X, y, 2\) raised IndexError: index 10 is out of bounds "
                     r"\(at line \d+: 'raise IndexError\(\"index 10 is out of bounds\"\)'\), "
                     r"after yielding 2 items\.", r.message)
    assert r.details["error"] == "IndexError"
    r = check_lazy(raising_midway, X, Y, 2)
    assert not r.passed and "raised IndexError" in r.message


def test_lists_instead_of_arrays_and_wrong_tuple_length():
    """Are batches built as lists, and (X, y, i) triples, caught with the item named?"""
    r = check_yields(yields_lists(X, Y, 2), part_type=np.ndarray, name="g")
    assert "g yielded item 0 made of (list, list); expected each part to be a numpy.ndarray." in r.message
    r = check_yields(wrong_tuple_length(X, Y, 2), item_len=2, name="g")
    assert r.message.startswith("g yielded an item of length 3 as item 0, expected length 2:")
    r = check_yields(iter([[X, Y]]), name="g")
    assert r.message.startswith("g yielded list of length 2:") and "as item 0; expected a tuple." in r.message


def test_count_and_not_iterable():
    """Are a wrong number of batches and a non-iterable return reported?"""
    r = check_yields(correct(X, Y, 2), count=4, name="g")
    assert r.message.startswith("g yielded 5 items, expected 4.")
    r = check_yields(None, name="g")
    assert r.message.startswith("g returned None; expected a generator (or another iterator), which cannot be "
                                "iterated.")


def test_collect_closes_unfinished_generators_and_catches_system_exit():
    """Does collect close what it leaves unfinished and turn sys.exit into data?"""
    closed = []

    def gen():
        try:
            while True:
                yield 1
        finally:
            closed.append(True)

    got = collect(gen(), limit=3)
    assert got.items == (1, 1, 1) and got.hit_limit and closed == [True]

    def exits():
        yield 1
        raise SystemExit(2)

    got = collect(exits())
    assert got.items == (1,) and isinstance(got.error, SystemExit) and not got.hit_limit
