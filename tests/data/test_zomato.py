"""Tests for graders.data.zomato."""

import numpy as np
import pandas as pd

from graders.data import make_zomato


def _chapter_recipe(n=5000):
    """The chapter's own steps, on the global generator, as the chapter runs them."""
    np.random.seed(42)
    distance = np.random.exponential(3, n) + 0.5
    rating = np.clip(np.random.normal(3.8, 0.5, n), 1, 5)
    num_items = np.random.randint(1, 8, n)
    time_of_day = np.random.randint(8, 24, n)
    delivery_time = 10 + 3 * distance - 2 * rating + 1.5 * num_items + np.random.randn(n) * 5
    return pd.DataFrame({"distance_km": np.round(distance, 1), "rating": np.round(rating, 1),
                         "num_items": num_items, "time_of_day": time_of_day,
                         "delivery_min": np.round(delivery_time, 1)})


def test_matches_the_chapter_row_for_row():
    """Are the 5,000 orders exactly those the chapter's seed-42 recipe produces?"""
    ours = make_zomato()
    assert ours.shape == (5000, 5)
    pd.testing.assert_frame_equal(ours, _chapter_recipe(), check_dtype=False)


def test_leaves_the_global_random_state_alone():
    """Does generating the data leave NumPy's global random stream untouched?"""
    np.random.seed(5)
    expected = np.random.random(3)
    np.random.seed(5)
    make_zomato(n=10)
    assert np.array_equal(np.random.random(3), expected)


def test_other_seeds_give_other_orders():
    """Does another seed give a different variant of the same shape?"""
    a, b = make_zomato(n=200, seed=1), make_zomato(n=200, seed=2)
    assert a.shape == b.shape and not a.equals(b)
    assert a.equals(make_zomato(n=200, seed=1))
