"""Does 02_sigmoid grade each aspect separately through real nbgrader autograde?

Each archetype is a plausible wrong submission; it must lose exactly the points of the
aspects it gets wrong and keep every other automatic point.
"""

import pytest

from tests.course.harness import grade_submissions, lost

A = "02_sigmoid"
AUTO = {"sigmoid_correct", "sigmoid_shape", "sigmoid_stability", "sigmoid_loops", "sigmoid_speed",
        "sigmoid_mutation", "sigmoid_derivative_correct", "sigmoid_derivative_shape",
        "sigmoid_derivative_stability", "sigmoid_derivative_loops", "plot_sigmoid_plot"}

SIG = 'def sigmoid(z):\n    """Sigmoid."""\n'
DER = 'def sigmoid_derivative(z):\n    """Derivative."""\n'

ARCHETYPES = {
    # a per-element Python loop: slow, and the derivative inherits the loop
    "loop": ({"sigmoid": SIG + """    import math
    z = np.asarray(z)
    flat = z.astype(z.dtype if z.dtype.kind == "f" else np.float64).ravel()
    out = np.empty_like(flat)
    for i in range(flat.size):
        v = float(flat[i])
        out[i] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out.reshape(z.shape)
"""}, {"sigmoid_loops", "sigmoid_speed", "sigmoid_derivative_loops"}),
    # float32 silently upcast to float64
    "upcast": ({"sigmoid": SIG + """    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
"""}, {"sigmoid_shape"}),
    # the textbook formula typed literally: overflows for large negative z
    "unstable": ({"sigmoid": SIG + "    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"},
                 {"sigmoid_shape", "sigmoid_stability", "sigmoid_derivative_stability"}),
    # |z| computed in place: right values, corrupted input (and so a wrong plot)
    "mutation": ({"sigmoid": SIG + """    z = np.asarray(z)
    if z.dtype.kind != "f":
        z = z.astype(np.float64)
    neg = z < 0
    z[neg] = -z[neg]
    e = np.exp(-z)
    return np.where(neg, e / (1 + e), 1 / (1 + e))
"""}, {"sigmoid_mutation", "plot_sigmoid_plot"}),
    # hard-coded to the public example: sigmoid(0) = 0.5 everywhere
    "hardcoded": ({"sigmoid": SIG + "    return np.full(np.shape(z), 0.5)\n"},
                  {"sigmoid_correct", "sigmoid_shape", "sigmoid_stability", "sigmoid_derivative_correct",
                   "plot_sigmoid_plot"}),
    # a correct but unstable derivative formula
    "unstable_derivative": ({"sigmoid_derivative": DER + "    return np.exp(-z) / (1 + np.exp(-z)) ** 2\n"},
                            {"sigmoid_derivative_stability"}),
    # a wrong derivative: sigma(1 + sigma)
    "wrong_derivative": ({"sigmoid_derivative": DER + "    s = sigmoid(z)\n    return s * (1 + s)\n"},
                         {"sigmoid_derivative_correct", "sigmoid_derivative_stability", "plot_sigmoid_plot"}),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_submissions(tmp_path_factory.mktemp("sigmoid"), A,
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
