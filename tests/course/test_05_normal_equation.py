"""Does 05_normal_equation grade each aspect separately through real nbgrader autograde?

Each archetype is the reference answer with one plausible mistake; it must lose exactly the
points of the aspects that mistake breaks (including honest knock-on effects, e.g. a wrong
add_bias feeding normal_equation) and keep every other automatic point.
"""

import pytest

from tests.course.harness import grade_submissions, lost

A = "05_normal_equation"
AUTO = {"add_bias_correct", "add_bias_shape", "add_bias_mutation", "normal_equation_correct",
        "normal_equation_shape", "normal_equation_stability", "normal_equation_loops", "rmse_correct",
        "rmse_shape", "rmse_loops", "rmse_mutation", "plot_predictions_plot"}

AB = 'def add_bias(X):\n    """Bias."""\n'
NE = 'def normal_equation(X, y):\n    """Fit."""\n'
RM = 'def rmse(y_true, y_pred):\n    """Error."""\n'
PL = 'def plot_predictions(y_true, y_pred):\n    """Plot."""\n'

ARCHETYPES = {
    # the textbook formula typed literally: fine on good data, inaccurate on collinear features
    "inv": ({"normal_equation": NE + """    Xb = add_bias(X)
    return np.linalg.inv(Xb.T @ Xb) @ Xb.T @ y
"""}, {"normal_equation_stability"}),
    # no ones column: d weights, no intercept
    "no_bias": ({"normal_equation": NE + """    X = np.asarray(X, dtype=float)
    return np.linalg.solve(X.T @ X, X.T @ y)
"""}, {"normal_equation_correct", "normal_equation_shape", "normal_equation_stability"}),
    # the ones column appended last, so the bias comes out last
    "bias_last": ({"normal_equation": NE + """    Xb = np.column_stack([np.asarray(X, dtype=float), np.ones(len(X))])
    return np.linalg.lstsq(Xb, y, rcond=None)[0]
"""}, {"normal_equation_correct", "normal_equation_stability"}),
    # the sums of X^T X accumulated row by row in Python
    "gram_loop": ({"normal_equation": NE + """    Xb = add_bias(X)
    G = np.zeros((Xb.shape[1], Xb.shape[1]))
    for row in Xb:
        G += np.outer(row, row)
    return np.linalg.solve(G, Xb.T @ y)
"""}, {"normal_equation_loops"}),
    # add_bias puts the ones last: wrong design matrix, and normal_equation inherits it
    "add_bias_last": ({"add_bias": AB + """    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((X.shape[0], 1))])
"""}, {"add_bias_correct", "normal_equation_correct", "normal_equation_stability"}),
    # integer X gives an integer design matrix
    "add_bias_int": ({"add_bias": AB + """    X = np.asarray(X)
    return np.hstack([np.ones((X.shape[0], 1), dtype=X.dtype), X])
"""}, {"add_bias_shape"}),
    # mean squared error: the square root forgotten
    "mse_not_rmse": ({"rmse": RM + "    return float(np.mean((np.ravel(y_true) - np.ravel(y_pred)) ** 2))\n"},
                     {"rmse_correct"}),
    # (n,) - (n, 1) broadcasts to (n, n): a plausible but wrong number
    "rmse_broadcast": ({"rmse": RM + "    return np.sqrt(np.mean((y_true - y_pred) ** 2))\n"}, {"rmse_correct"}),
    # the mean taken along axis 0: an array, and an (n, n) one for mixed shapes
    "rmse_axis": ({"rmse": RM + "    return np.sqrt(np.mean((y_true - y_pred) ** 2, axis=0))\n"},
                  {"rmse_correct", "rmse_shape"}),
    # a Python loop over the samples
    "rmse_loop": ({"rmse": RM + """    a, b = np.ravel(y_true), np.ravel(y_pred)
    total = 0.0
    for i in range(a.size):
        total += (a[i] - b[i]) ** 2
    return float(np.sqrt(total / a.size))
"""}, {"rmse_loops"}),
    # the difference computed in place in the caller's y_pred
    "rmse_in_place": ({"rmse": RM + """    d = np.ravel(y_pred)
    d -= np.ravel(y_true)
    return float(np.sqrt(np.mean(d ** 2)))
"""}, {"rmse_mutation"}),
    # the scatter without the ideal line
    "plot_no_ideal": ({"plot_predictions": PL + """    fig, ax = plt.subplots()
    ax.scatter(np.ravel(y_true), np.ravel(y_pred))
    ax.set_xlabel("actual")
    ax.set_ylabel("predicted")
    ax.set_title("predicted vs actual")
    return fig
"""}, {"plot_predictions_plot"}),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_submissions(tmp_path_factory.mktemp("normal_equation"), A,
                             {n: answers for n, (answers, _) in ARCHETYPES.items()})


def test_key_gets_every_automatic_point(graded):
    """Does the instructor's notebook, submitted as is, get every automatic point?"""
    assert set(graded["key"]) == AUTO | {"normal_equation_written"}
    assert lost(graded["key"]) & AUTO == set()


def test_release_gets_zero_without_crash(graded):
    """Is the untouched release graded, losing every automatic point?"""
    assert lost(graded["blank"]) & AUTO == AUTO


@pytest.mark.parametrize("archetype", sorted(ARCHETYPES))
def test_archetype_loses_exactly_its_aspects(graded, archetype):
    """Does each wrong submission lose exactly the points of what it gets wrong?"""
    assert lost(graded[archetype]) & AUTO == ARCHETYPES[archetype][1]
