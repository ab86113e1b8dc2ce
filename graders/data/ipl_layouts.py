"""The public IPL file layouts and how each maps onto the canonical one.

Each layout is recognised by a few columns no other layout has, lists every column it
needs, and has two small adapters (deliveries, matches) that rename and derive columns.
Casting and validation happen afterwards, once, in `ipl_schema.to_canonical`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .ipl_schema import DELIVERY_COLUMNS, MATCH_COLUMNS


@dataclass(frozen=True)
class Layout:
    name: str
    signature: tuple[str, ...]  # columns that identify the layout
    delivery_columns: tuple[str, ...]  # every deliveries column the adapter reads
    numeric: tuple[str, ...]  # deliveries columns that must hold whole numbers
    match_columns: tuple[str, ...]
    deliveries: Callable[[pd.DataFrame], pd.DataFrame]
    matches: Callable[[pd.DataFrame], pd.DataFrame]


def _year(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates, errors="coerce", format="mixed").dt.year.astype("Int64")


def _no_result(m: pd.DataFrame) -> pd.DataFrame:
    """Sources leave `result` empty (or spell it their way) for abandoned matches."""
    m["result"] = m["result"].where(m["result"].notna() | m["winner"].notna(), "no result")
    return m


# --- canonical (our own files) ---------------------------------------------------------

def _canon_d(d):
    return d


def _canon_m(m):
    return m


# --- original Kaggle 2008-2016 ----------------------------------------------------------

def _k16_d(d):
    d = d.rename(columns={"x": "fielder"})
    kinds = [("wide_runs", "wides"), ("noball_runs", "noballs"), ("bye_runs", "byes"),
             ("legbye_runs", "legbyes"), ("penalty_runs", "penalty")]
    d["extras_type"] = pd.Series(np.select([d[c] > 0 for c, _ in kinds], [k for _, k in kinds], ""),
                                 index=d.index).replace("", None)
    d["is_wicket"] = d["player_dismissed"].notna().astype(int)
    return d


def _k16_m(m):
    m = m.copy()
    by_runs = m["win_by_runs"].fillna(0) > 0
    m["result"] = np.select([m["result"] == "normal", m["result"] == "tie"],
                            [np.where(by_runs, "runs", "wickets"), "tie"], "no result")
    margin = np.where(by_runs, m["win_by_runs"], m["win_by_wickets"])
    m["result_margin"] = pd.Series(margin, index=m.index).where(m["result"].isin(["runs", "wickets"]))
    m["method"] = pd.Series(np.where(m["dl_applied"] == 1, "D/L", None), index=m.index)
    m["super_over"] = np.where(m["result"] == "tie", "Y", "N")
    return m


# --- IPL Complete Dataset 2008-2020 ------------------------------------------------------

def _k20_d(d):
    d = d.rename(columns={"id": "match_id"})
    d["over"] = d["over"] + 1
    return d


def _k20_m(m):
    m = _no_result(m.copy())
    m["season"] = _year(m["date"])
    m["super_over"] = np.where(m["eliminator"] == "Y", "Y", "N")
    return m


# --- IPL Complete Dataset 2008-2022 ------------------------------------------------------

def _k22_d(d):
    d = d.rename(columns={
        "ID": "match_id", "innings": "inning", "overs": "over", "ballnumber": "ball",
        "batter": "batsman", "non-striker": "non_striker", "batsman_run": "batsman_runs",
        "extras_run": "extra_runs", "total_run": "total_runs", "extra_type": "extras_type",
        "isWicketDelivery": "is_wicket", "player_out": "player_dismissed", "kind": "dismissal_kind",
        "fielders_involved": "fielder", "BattingTeam": "batting_team"})
    d["over"] = d["over"] + 1
    teams = d.groupby("match_id")["batting_team"].unique()
    other = {(mid, t): next((u for u in ts if u != t), None) for mid, ts in teams.items() for t in ts}
    d["bowling_team"] = [other.get(k) for k in zip(d["match_id"], d["batting_team"])]
    return d


def _k22_m(m):
    m = m.rename(columns={
        "ID": "id", "City": "city", "Date": "date", "Venue": "venue", "Team1": "team1", "Team2": "team2",
        "TossWinner": "toss_winner", "TossDecision": "toss_decision", "WinningTeam": "winner",
        "Margin": "result_margin", "SuperOver": "super_over"})
    m["season"] = _year(m["date"])
    won_by = m["WonBy"].astype("str").str.lower()
    m["result"] = won_by.map({"runs": "runs", "wickets": "wickets", "superover": "tie"}).fillna("no result")
    m["super_over"] = np.where(m["super_over"] == "Y", "Y", "N")
    return m


# --- IPL Complete Dataset 2008-2024 ------------------------------------------------------

def _k24_d(d):
    d = d.rename(columns={"batter": "batsman"})
    d["over"] = d["over"] + 1
    return d


def _k24_m(m):
    m = _no_result(m.copy())
    m["season"] = _year(m["date"])  # the file's labels read like "2007/08" for 2008
    return m


_BASE = ("inning", "batting_team", "bowling_team", "over", "ball", "non_striker", "bowler",
         "batsman_runs", "extra_runs", "total_runs", "player_dismissed", "dismissal_kind")
_RUNS = ("inning", "over", "ball", "batsman_runs", "extra_runs", "total_runs")
_M_COMMON = ("id", "date", "venue", "city", "team1", "team2", "toss_winner", "toss_decision", "winner")

LAYOUTS = (
    Layout("canonical (synthetic)", ("match_id", "batsman", "is_wicket", "extras_type", "bowling_team"),
           tuple(DELIVERY_COLUMNS), ("match_id", *_RUNS, "is_wicket"), tuple(MATCH_COLUMNS),
           _canon_d, _canon_m),
    Layout("Kaggle 2008-2016", ("match_id", "batsman", "wide_runs", "noball_runs"),
           ("match_id", "batsman", *_BASE, "wide_runs", "bye_runs", "legbye_runs", "noball_runs",
            "penalty_runs"),
           ("match_id", *_RUNS, "wide_runs", "bye_runs", "legbye_runs", "noball_runs", "penalty_runs"),
           ("id", "season", "city", "date", "team1", "team2", "toss_winner", "toss_decision", "result",
            "dl_applied", "winner", "win_by_runs", "win_by_wickets", "venue"), _k16_d, _k16_m),
    Layout("IPL 2008-2020", ("id", "batsman", "is_wicket", "extras_type"),
           ("id", "batsman", *_BASE, "is_wicket", "extras_type", "fielder"), ("id", *_RUNS, "is_wicket"),
           (*_M_COMMON, "result", "result_margin", "eliminator", "method"), _k20_d, _k20_m),
    Layout("IPL 2008-2022", ("ID", "innings", "overs", "ballnumber"),
           ("ID", "innings", "overs", "ballnumber", "batter", "bowler", "non-striker", "extra_type",
            "batsman_run", "extras_run", "total_run", "isWicketDelivery", "player_out", "kind",
            "fielders_involved", "BattingTeam"),
           ("ID", "innings", "overs", "ballnumber", "batsman_run", "extras_run", "total_run", "isWicketDelivery"),
           ("ID", "City", "Date", "Team1", "Team2", "Venue", "TossWinner", "TossDecision", "SuperOver",
            "WinningTeam", "WonBy", "Margin", "method"), _k22_d, _k22_m),
    Layout("IPL 2008-2024", ("match_id", "batter", "is_wicket"),
           ("match_id", "batter", *_BASE, "is_wicket", "extras_type", "fielder"),
           ("match_id", *_RUNS, "is_wicket"),
           (*_M_COMMON, "result", "result_margin", "super_over", "method"), _k24_d, _k24_m),
)


def detect_layout(columns) -> tuple[Layout | None, Layout]:
    """(the layout whose signature is present or None, the closest layout by columns present)."""
    cols = set(columns)
    for layout in LAYOUTS:
        if set(layout.signature) <= cols:
            return layout, layout
    closest = max(LAYOUTS, key=lambda lay: len(cols & set(lay.delivery_columns)) / len(lay.delivery_columns))
    return None, closest


def derive_matches(d: pd.DataFrame) -> pd.DataFrame:
    """A matches table rebuilt from canonical deliveries, for a deliveries file given alone.

    Winner and margin follow from the two innings totals; what deliveries cannot say
    (date, venue, toss, D/L) is left missing.
    """
    main = d[d["inning"] <= 2]
    g = main.groupby(["match_id", "inning"])
    inns = pd.DataFrame({"runs": g["total_runs"].sum(), "wk": g["is_wicket"].sum(),
                         "team": g["batting_team"].first(), "opp": g["bowling_team"].first()}).unstack("inning")
    m = pd.DataFrame({"id": inns.index})
    r1, r2 = inns[("runs", 1)].to_numpy(), inns.get(("runs", 2), pd.Series(np.nan, index=inns.index)).to_numpy()
    t1, t2 = inns[("team", 1)].to_numpy(), inns[("opp", 1)].to_numpy()
    wk2 = inns.get(("wk", 2), pd.Series(np.nan, index=inns.index)).to_numpy()
    has2 = ~np.isnan(r2)
    m["team1"], m["team2"] = t1, t2
    m["result"] = np.select([~has2, r2 > r1, r2 == r1], ["no result", "wickets", "tie"], "runs")
    m["winner"] = pd.Series(np.select([m["result"] == "wickets", m["result"] == "runs"], [t2, t1], None))
    m["result_margin"] = np.where(m["result"] == "wickets", 10 - np.nan_to_num(wk2),
                                  np.where(m["result"] == "runs", r1 - np.nan_to_num(r2), np.nan))
    m["result_margin"] = m["result_margin"].where(m["result"].isin(["runs", "wickets"]))
    m["super_over"] = np.where(d.groupby("match_id")["inning"].max().reindex(m["id"]).to_numpy() > 2, "Y", "N")
    for col in ("season", "date", "venue", "city", "toss_winner", "toss_decision", "method"):
        m[col] = None
    return m
