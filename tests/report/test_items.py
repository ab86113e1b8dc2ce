"""Does the item analysis tell discriminating cells from uninformative ones?"""

import math

import numpy as np
import pandas as pd

from graders.report.items import discrimination, item_analysis, point_biserial


def test_an_item_passed_by_exactly_the_strong_half_correlates_fully():
    """Is r near 1 (numpy's Pearson r) and D = 1 when only the students with the highest rest-score pass?"""
    passed = pd.Series([0, 0, 0, 1, 1, 1])
    rest = pd.Series([1.0, 2.0, 3.0, 7.0, 8.0, 9.0])
    assert math.isclose(point_biserial(passed, rest), np.corrcoef(passed, rest)[0, 1])
    assert point_biserial(passed, rest) > 0.95
    assert discrimination(passed, rest) == 1.0


def test_an_item_everyone_passes_has_no_correlation():
    """Is a constant item reported as NaN rather than 0 or an error?"""
    assert math.isnan(point_biserial(pd.Series([1, 1, 1]), pd.Series([1.0, 2.0, 3.0])))


def test_a_reversed_item_is_negative():
    """Does an item passed only by the weakest students get a negative index?"""
    passed = pd.Series([1, 1, 0, 0])
    rest = pd.Series([1.0, 2.0, 8.0, 9.0])
    assert discrimination(passed, rest) == -1.0
    assert point_biserial(passed, rest) < -0.9


def test_rest_score_excludes_the_cell_itself():
    """Is the rest-score the notebook total minus the cell, not the total?"""
    rows = []
    for s, (a, b) in {"s1": (3, 0), "s2": (0, 1), "s3": (3, 1)}.items():
        rows += [{"key": "k", "student": s, "cell": "a", "score": a, "passed": a == 3, "manual": False},
                 {"key": "k", "student": s, "cell": "b", "score": b, "passed": b == 1, "manual": False}]
    out = item_analysis(pd.DataFrame(rows)).set_index("cell")
    # rest for cell b is the score of a: (3, 0, 3) vs passed (0, 1, 1)
    assert math.isclose(out.loc["b", "point_biserial"], point_biserial(pd.Series([0, 1, 1]), pd.Series([3, 0, 3])))
    assert out.loc["a", "n"] == 3
