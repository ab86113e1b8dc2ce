"""Tests for graders.data.ipl_stats."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graders.data import load_ipl, make_ipl, stats_table
from graders.data.ipl_stats import TARGETS, compute_stats, format_table

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "ipl-real"


@pytest.fixture(scope="module")
def small():
    return make_ipl(2, seed=3)


def test_table_has_one_row_per_target(small):
    """Does the table list every target with value, tolerance and a verdict?"""
    table = stats_table(*small)
    assert list(table.columns) == ["statistic", "value", "target", "tolerance", "rule", "within"]
    assert list(table["statistic"]) == [t[0] for t in TARGETS]
    assert table.loc[table["rule"] == "info", "within"].isna().all()


def test_statistics_agree_with_a_hand_count(small):
    """Do runs per legal ball and wides per innings match a direct count?"""
    d = small.deliveries[small.deliveries["inning"] <= 2]
    s = compute_stats(*small)
    legal = ~d["extras_type"].isin(["wides", "noballs"])
    assert s["runs per legal ball"] == pytest.approx(d["total_runs"].sum() / legal.sum())
    n_inns = d.groupby(["match_id", "inning"]).ngroups
    assert s["wides per innings"] == pytest.approx((d["extras_type"] == "wides").sum() / n_inns)


def test_super_over_rows_are_left_out(small):
    """Does adding a super-over innings leave the statistics unchanged?"""
    d, m = small
    extra = d[d["inning"] == 1].head(8).assign(inning=3, total_runs=6, batsman_runs=6)
    before, after = compute_stats(d, m), compute_stats(pd.concat([d, extra]), m)
    assert after["sixes per delivery row"] == before["sixes per delivery row"]


def test_rare_rule_needs_presence_and_under_three_percent(small):
    """Is a rare outcome judged 'present and under 3%' (none at all fails)?"""
    d, m = small
    m = m.assign(method=pd.Series([None] * len(m), dtype="str"))
    row = stats_table(d, m).set_index("statistic").loc["matches with D/L"]
    assert row["value"] == 0
    assert not row["within"]


def test_format_table_prints_values_and_verdicts(small):
    """Does the printed table show each statistic, its target and a count of passes?"""
    text = format_table(stats_table(*small))
    assert "runs per legal ball" in text and "1.383" in text
    assert "checked statistics within tolerance" in text


def test_without_matches_match_level_rows_are_na(small):
    """Without a matches table, are toss and result shares reported as n/a, not crashes?"""
    table = stats_table(small.deliveries, None).set_index("statistic")
    assert np.isnan(table.loc["toss decision: field share", "value"])
    assert np.isfinite(table.loc["runs per legal ball", "value"])


@pytest.mark.skipif(not (REAL / "kaggle_2008_2016").is_dir(), reason="shared real data absent")
def test_real_2008_2016_statistics_are_plausible():
    """Does the real 2008-2016 file give plausible phase run rates and first-innings mean?"""
    table = stats_table(*load_ipl(REAL / "kaggle_2008_2016")).set_index("statistic")["value"]
    assert 150 <= table["1st-innings total, full matches: mean"] <= 170
    assert 6.5 <= table["run rate per over: powerplay (1-6)"] <= 8.5
    assert 6.5 <= table["run rate per over: middle (7-15)"] <= 8.5
    assert 8.5 <= table["run rate per over: death (16-20)"] <= 10.5
    assert 5 <= table["wickets per innings"] <= 7
