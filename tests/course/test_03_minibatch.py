"""Does 03_minibatch grade each aspect of get_mini_batches separately through real nbgrader autograde?

Each archetype is the reference generator with one plausible mistake; it must lose exactly
the points of the aspects that mistake breaks and keep every other automatic point.
"""

import pytest

from tests.course.harness import grade_submissions, lost

A = "03_minibatch"
AUTO = {"get_mini_batches_correct", "get_mini_batches_shuffle", "get_mini_batches_shape",
        "get_mini_batches_errors", "get_mini_batches_mutation", "get_mini_batches_loops"}

HEAD = 'def get_mini_batches(X, y, batch_size=64, shuffle=True, seed=None):\n    """Batches."""\n'
CHECKS = """    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
"""
ORDER = "    n = len(X)\n    idx = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)\n"
LOOP = """    for start in range(0, n, batch_size):
        rows = idx[start:start + batch_size]
        yield X[rows], y[rows]
"""


def answer(checks: str = CHECKS, order: str = ORDER, loop: str = LOOP) -> dict[str, str]:
    return {"get_mini_batches": HEAD + checks + order + loop}


ARCHETYPES = {
    # one append per row: a Python loop over samples inside the loop over batches
    "per_sample_loop": (answer(loop="""    for start in range(0, n, batch_size):
        xb, yb = [], []
        for i in idx[start:start + batch_size]:
            xb.append(X[i])
            yb.append(y[i])
        yield np.array(xb), np.array(yb)
"""), {"get_mini_batches_loops"}),
    # the rows are reordered in the caller's arrays (the batches themselves are right)
    "shuffle_in_place": (answer(order="""    n = len(X)
    if shuffle:
        perm = np.random.default_rng(seed).permutation(n)
        X[:] = X[perm]
        y[:] = y[perm]
    idx = np.arange(n)
"""), {"get_mini_batches_mutation"}),
    # X and y shuffled with two different permutations: rows no longer paired
    "pairing_broken": (answer(order="""    n = len(X)
    rng = np.random.default_rng(seed)
    idx = rng.permutation(n) if shuffle else np.arange(n)
    idx_y = rng.permutation(n) if shuffle else np.arange(n)
""", loop="""    for start in range(0, n, batch_size):
        yield X[idx[start:start + batch_size]], y[idx_y[start:start + batch_size]]
"""), {"get_mini_batches_correct"}),
    # only full batches: the remainder is silently dropped
    "drops_last": (answer(loop="""    for start in range(0, n - batch_size + 1, batch_size):
        rows = idx[start:start + batch_size]
        yield X[rows], y[rows]
"""), {"get_mini_batches_correct"}),
    # every batch built up front and returned as a list
    "returns_list": (answer(loop="""    batches = []
    for start in range(0, n, batch_size):
        rows = idx[start:start + batch_size]
        batches.append((X[rows], y[rows]))
    return batches
"""), {"get_mini_batches_shape"}),
    # no argument checks at all
    "no_validation": (answer(checks=""), {"get_mini_batches_errors"}),
    # `type(...) is int` refuses np.int64
    "rejects_numpy_int": (answer(checks=CHECKS.replace(
        "not isinstance(batch_size, (int, np.integer))", "type(batch_size) is not int")),
        {"get_mini_batches_errors"}),
    # the global generator: seed is ignored, so runs are not reproducible
    "ignores_seed": (answer(order="    n = len(X)\n    idx = np.random.permutation(n) if shuffle else np.arange(n)\n"),
                     {"get_mini_batches_shuffle"}),
    # y batches flattened: a column y of shape (n, 1) comes back as (b,)
    "flattens_y": (answer(loop=LOOP.replace("yield X[rows], y[rows]", "yield X[rows], y[rows].ravel()")),
                   {"get_mini_batches_shape"}),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_submissions(tmp_path_factory.mktemp("minibatch"), A,
                             {n: answers for n, (answers, _) in ARCHETYPES.items()})


def test_key_gets_every_automatic_point(graded):
    """Does the instructor's notebook, submitted as is, get every automatic point?"""
    assert set(graded["key"]) == AUTO
    assert lost(graded["key"]) == set()


def test_release_gets_zero_without_crash(graded):
    """Is the untouched release graded, losing every automatic point?"""
    assert lost(graded["blank"]) == AUTO


@pytest.mark.parametrize("archetype", sorted(ARCHETYPES))
def test_archetype_loses_exactly_its_aspects(graded, archetype):
    """Does each wrong submission lose exactly the points of what it gets wrong?"""
    assert lost(graded[archetype]) == ARCHETYPES[archetype][1]
