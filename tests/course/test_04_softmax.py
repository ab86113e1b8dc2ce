"""Does 04_softmax grade each aspect separately through real nbgrader autograde?"""

import pytest

from tests.course.harness import grade_submissions, lost

A = "04_softmax"
AUTO = {"softmax_correct", "softmax_shape", "softmax_stability", "softmax_mutation", "softmax_loops",
        "softmax_speed"}
SM = 'def softmax(z):\n    """Softmax."""\n'

ARCHETYPES = {
    # one Python loop iteration per row
    "loop": ({"softmax": SM + """    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for i in range(z.shape[0] if z.ndim == 2 else 1):
        row = z[i] if z.ndim == 2 else z
        e = np.exp(row - row.max())
        if z.ndim == 2:
            out[i] = e / e.sum()
        else:
            out = e / e.sum()
    return out
"""}, {"softmax_loops", "softmax_speed"}),
    # np.atleast_2d: a (K,) vector comes back as (1, K)
    "shape": ({"softmax": SM + """    z = np.atleast_2d(np.asarray(z, dtype=float))
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""}, {"softmax_shape"}),
    # normalised down the columns instead of along each row
    "wrong_axis": ({"softmax": SM + """    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
"""}, {"softmax_correct", "softmax_stability"}),
    # no shift at all: overflows at 1000
    "unstable": ({"softmax": SM + """    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)
"""}, {"softmax_stability"}),
    # one global maximum for the whole batch: rows far below it underflow to 0/0
    "global_max": ({"softmax": SM + """    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)
"""}, {"softmax_stability"}),
    # shifts the caller's array in place
    "mutation": ({"softmax": SM + """    z = np.asarray(z, dtype=float)
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
"""}, {"softmax_mutation"}),
    # "rows sum to 1" hard-coded: a uniform distribution
    "hardcoded": ({"softmax": SM + "    z = np.asarray(z, dtype=float)\n    return np.full(z.shape, 1.0 / z.shape[-1])\n"},
                  {"softmax_correct", "softmax_shape", "softmax_stability"}),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_submissions(tmp_path_factory.mktemp("softmax"), A,
                             {n: answers for n, (answers, _) in ARCHETYPES.items()})


def test_key_gets_every_automatic_point(graded):
    """Does the instructor's notebook get every automatic point?"""
    assert AUTO <= set(graded["key"])
    assert lost(graded["key"]) & AUTO == set()


def test_release_gets_zero_without_crash(graded):
    """Is the untouched release graded, losing every automatic point?"""
    assert lost(graded["blank"]) & AUTO == AUTO


@pytest.mark.parametrize("archetype", sorted(ARCHETYPES))
def test_archetype_loses_exactly_its_aspects(graded, archetype):
    """Does each wrong submission lose exactly the points of what it gets wrong?"""
    assert lost(graded[archetype]) & AUTO == ARCHETYPES[archetype][1]
