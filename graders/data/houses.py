"""Bengaluru house prices for the normal-equation exercise: a known linear truth plus noise.

The exercise asks students to derive w = (X^T X)^-1 X^T y and check it on 1,000 houses
with three features. Because the true weights are published here (HOUSE_TRUTH), a grader
can check that a student's fitted weights land near them and that the RMSE is close to
the noise level, rather than comparing against one hard-coded answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: price_lakhs = intercept + sum(weight * feature) + N(0, noise_sd^2)
HOUSE_TRUTH = {"intercept": 15.0, "area_sqft": 0.062, "bedrooms": 6.5, "floor": 0.8}
HOUSE_NOISE_SD = 9.0
HOUSE_COLUMNS = ["area_sqft", "bedrooms", "floor", "price_lakhs"]


def make_houses(n: int = 1000, *, seed: int = 42) -> pd.DataFrame:
    """n flats: area 400-4000 sq ft (right-skewed), bedrooms growing with area, floor 0-30."""
    rng = np.random.default_rng(seed)
    area = np.clip(rng.lognormal(np.log(1200), 0.4, n), 400, 4000).round(0)
    bedrooms = np.clip(np.round(area / 550 + rng.normal(0, 0.6, n)), 1, 5).astype("int64")
    floor = np.minimum(rng.geometric(0.12, n) - 1, 30).astype("int64")
    t = HOUSE_TRUTH
    price = (t["intercept"] + t["area_sqft"] * area + t["bedrooms"] * bedrooms + t["floor"] * floor
             + rng.normal(0, HOUSE_NOISE_SD, n))
    return pd.DataFrame({"area_sqft": area, "bedrooms": bedrooms, "floor": floor,
                         "price_lakhs": np.round(price, 2)})
