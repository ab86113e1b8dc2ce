"""Tests for graders.data.houses."""

import numpy as np

from graders.data import HOUSE_NOISE_SD, HOUSE_TRUTH, make_houses


def test_shape_columns_and_ranges():
    """Are there 1,000 houses with area, bedrooms, floor and a positive price?"""
    h = make_houses()
    assert list(h.columns) == ["area_sqft", "bedrooms", "floor", "price_lakhs"]
    assert len(h) == 1000
    assert h["area_sqft"].between(400, 4000).all() and h["bedrooms"].between(1, 5).all()
    assert (h["price_lakhs"] > 0).all()


def test_normal_equation_recovers_the_truth():
    """Does the normal equation recover the published weights, with RMSE near the noise?"""
    h = make_houses(seed=42)
    X = np.c_[np.ones(len(h)), h[["area_sqft", "bedrooms", "floor"]].to_numpy(float)]
    y = h["price_lakhs"].to_numpy()
    w = np.linalg.solve(X.T @ X, X.T @ y)
    assert abs(w[1] - HOUSE_TRUTH["area_sqft"]) < 0.005
    assert abs(w[2] - HOUSE_TRUTH["bedrooms"]) < 2.0 and abs(w[3] - HOUSE_TRUTH["floor"]) < 0.3
    rmse = np.sqrt(np.mean((X @ w - y) ** 2))
    assert abs(rmse - HOUSE_NOISE_SD) < 1.0


def test_seed_determines_the_data():
    """Does the same seed repeat the data and another seed change it?"""
    assert make_houses(seed=3).equals(make_houses(seed=3))
    assert not make_houses(seed=3).equals(make_houses(seed=4))
