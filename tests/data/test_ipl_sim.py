"""Tests for graders.data.ipl_sim (and the engine and squads behind it)."""

import numpy as np
import pandas as pd
import pytest

from graders.data import CANONICAL_DELIVERY_DTYPES, CANONICAL_MATCH_DTYPES, make_ipl, stats_table
from graders.data import ipl_sim


@pytest.fixture(scope="module")
def default_run():
    return make_ipl(seed=42)


@pytest.fixture(scope="module")
def small_run():
    return make_ipl(2, seed=7)


@pytest.fixture(scope="module")
def default_table(default_run):
    return stats_table(*default_run)


def test_default_run_is_about_a_thousand_matches(default_run):
    """Does the default run hold about 1,000 matches with deliveries for each?"""
    deliveries, matches = default_run
    assert 950 <= len(matches) <= 1150
    assert set(deliveries["match_id"]) == set(matches["id"])


def test_every_target_statistic_is_within_tolerance(default_table):
    """Does the default run land inside every TARGETS.md tolerance?"""
    checked = default_table[default_table["rule"] != "info"]
    assert len(checked) == 39
    failing = checked[~checked["within"].astype(bool)]
    assert failing.empty, failing.to_string()


def test_canonical_columns_and_dtypes(small_run):
    """Are both frames in the canonical column order with the canonical dtypes?"""
    deliveries, matches = small_run
    assert {c: str(t) for c, t in deliveries.dtypes.items()} == CANONICAL_DELIVERY_DTYPES
    assert {c: str(t) for c, t in matches.dtypes.items()} == CANONICAL_MATCH_DTYPES


def test_same_seed_gives_the_same_bytes(small_run):
    """Does the same seed reproduce the data to the byte?"""
    again = ipl_sim._simulate(2, 7)  # simulated afresh, not the kept copy
    assert small_run.deliveries.to_csv().encode() == again.deliveries.to_csv().encode()
    assert small_run.matches.to_csv().encode() == again.matches.to_csv().encode()


def test_different_seeds_give_different_data(small_run):
    """Does another seed give other data (not a relabelled copy)?"""
    other = make_ipl(2, seed=8)
    assert not small_run.deliveries["total_runs"].equals(other.deliveries["total_runs"])
    assert not small_run.matches["winner"].equals(other.matches["winner"])


def test_repeated_calls_hand_out_independent_copies(small_run):
    """Is a kept data set handed out as a fresh copy, so one caller's edits reach no other?"""
    first = make_ipl(2, seed=7)
    first.deliveries.loc[:, "total_runs"] = -1
    first.matches.drop(columns="winner", inplace=True)
    again = make_ipl(2, seed=7)
    assert again.deliveries["total_runs"].equals(small_run.deliveries["total_runs"])
    assert "winner" in again.matches.columns
    assert again.deliveries is not small_run.deliveries


def test_kept_data_sets_are_few(monkeypatch):
    """Does make_ipl keep only its last few data sets, simulating again after that?"""
    calls = []
    real = ipl_sim._simulate
    monkeypatch.setattr(ipl_sim, "_simulate", lambda n, seed: calls.append(seed) or real(n, seed))
    monkeypatch.setattr(ipl_sim, "_MADE", type(ipl_sim._MADE)())
    for seed in range(ipl_sim._MADE_KEEP + 1):
        make_ipl(1, seed=seed)
    make_ipl(1, seed=ipl_sim._MADE_KEEP)  # the newest is kept
    make_ipl(1, seed=0)  # the oldest was let go
    assert calls == list(range(ipl_sim._MADE_KEEP + 1)) + [0]
    assert len(ipl_sim._MADE) == ipl_sim._MADE_KEEP


def _innings(deliveries):
    d = deliveries[deliveries["inning"] <= 2]
    legal = ~d["extras_type"].isin(["wides", "noballs"])
    g = d.assign(legal=legal).groupby(["match_id", "inning"])
    return pd.DataFrame({"runs": g["total_runs"].sum(), "wickets": g["is_wicket"].sum(),
                         "legal": g["legal"].sum(), "team": g["batting_team"].first()})


def test_innings_end_at_ten_wickets_or_120_legal_balls(default_run):
    """Does no innings go past 10 wickets or 120 legal balls?"""
    inns = _innings(default_run.deliveries)
    assert inns["wickets"].max() == 10
    assert inns["legal"].max() == 120


def test_chase_stops_at_the_target_and_results_agree(default_run):
    """Are winner, result and margin the ones the two innings totals imply?"""
    deliveries, matches = default_run
    inns = _innings(deliveries).unstack("inning")
    normal = matches[matches["method"].isna() & matches["result"].isin(["runs", "wickets"])].set_index("id")
    r1, r2 = inns[("runs", 1)].reindex(normal.index), inns[("runs", 2)].reindex(normal.index)
    chased = normal["result"] == "wickets"
    assert (r2[chased] > r1[chased]).all()
    assert (r2[~chased] < r1[~chased]).all()
    assert (normal.loc[~chased, "result_margin"] == (r1 - r2)[~chased]).all()
    # the chase ends on the ball that passes the target: at most 6 runs beyond it
    assert ((r2 - r1)[chased] <= 6).all()
    assert (normal["winner"] == np.where(chased, inns[("team", 2)].reindex(normal.index),
                                         inns[("team", 1)].reindex(normal.index))).all()


def test_wides_and_no_balls_are_rebowled(default_run):
    """Does an over hold six legal balls plus one row per wide or no-ball?"""
    d = default_run.deliveries
    d = d[d["inning"] <= 2]
    legal = (~d["extras_type"].isin(["wides", "noballs"])).groupby([d["match_id"], d["inning"], d["over"]]).sum()
    rows = d.groupby(["match_id", "inning", "over"]).size()
    assert legal.max() == 6
    assert rows.max() > 6


def test_bowlers_bowl_at_most_four_overs_never_two_running(default_run):
    """Does every bowler respect the four-over limit and never bowl consecutive overs?"""
    d = default_run.deliveries
    d = d[d["inning"] <= 2]
    per_over = d.groupby(["match_id", "inning", "over"])["bowler"].agg(["first", "nunique"])
    assert (per_over["nunique"] == 1).all()
    overs = per_over.groupby(["match_id", "inning", "first"]).size()
    assert overs.max() <= 4
    prev = per_over["first"].groupby(level=["match_id", "inning"]).shift()
    assert not (prev == per_over["first"]).any()


def test_ties_have_super_overs_and_rare_outcomes_exist(default_run):
    """Are ties settled by super-over innings, and do no results and D/L matches occur?"""
    deliveries, matches = default_run
    ties = matches.loc[matches["result"] == "tie", "id"]
    assert len(ties) > 0
    so = deliveries[deliveries["inning"] >= 3]
    assert set(so["match_id"]) == set(ties)
    assert matches.loc[matches["result"] == "tie", "winner"].notna().all()
    assert (matches["result"] == "no result").any() and (matches["method"] == "D/L").any()
    assert matches.loc[matches["result"] == "no result", "winner"].isna().all()


def test_players_differ_in_skill(default_table):
    """Do individual scores and economy rates spread out as real ones do?"""
    t = default_table.set_index("statistic")["value"]
    assert 110 <= t["10th-highest individual score"] <= 180
    assert t["economy, regular bowlers: 90% quantile"] - t["economy, regular bowlers: 10% quantile"] > 1.5


def test_scoring_rises_in_the_last_seasons(default_run):
    """Are 2023-2024 first innings higher scoring than the early seasons?"""
    deliveries, matches = default_run
    first = _innings(deliveries).xs(1, level="inning")["runs"]
    season = matches.set_index("id")["season"].reindex(first.index)
    assert first[season >= 2023].mean() > first[season <= 2015].mean() + 10
