"""The calibration statistics of IPL ball-by-ball data, next to the real-data targets.

One set of functions over the canonical frames serves two jobs: tests assert that the
generator lands inside every tolerance, and the CLI describes any real file the same way,
so a difference between synthetic and real numbers is never a difference in definitions.

Definitions: super-over innings (3+) are left out; a legal ball is not a wide or no-ball;
a wicket is an ``is_wicket`` row other than "retired hurt"; a full match has no D/L and a
result; per-over figures average over the (match, innings, over) groups that exist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# (statistic, real value, tolerance, rule); rule "abs": |value - target| <= tolerance,
# "rare": present and under 3% of matches, "info": described, not checked.
TARGETS = [
    ("delivery rows per match", 238.1, 8, "abs"),
    ("runs per legal ball", 1.383, 0.04, "abs"),
    ("dot-ball share of legal balls", 0.360, 0.03, "abs"),
    ("wickets per innings", 5.90, 0.5, "abs"),
    ("1st-innings total, full matches: mean", 166.4, 6, "abs"),
    ("1st-innings total, full matches: std", 31.4, 6, "abs"),
    ("1st-innings total: 5% quantile", 115, 12, "abs"),
    ("1st-innings total: median", 166, 12, "abs"),
    ("1st-innings total: 95% quantile", 218, 12, "abs"),
    ("powerplay runs per innings: mean", 46.95, 3, "abs"),
    ("powerplay runs per innings: std", 12.5, 3, "abs"),
    ("powerplay wickets per innings", 1.42, 0.2, "abs"),
    ("runs in over 1", 6.1, 0.8, "abs"),
    ("runs in over 6", 8.5, 0.8, "abs"),
    ("runs in over 7", 6.8, 0.8, "abs"),
    ("runs in over 20", 10.5, 0.8, "abs"),
    ("wickets in over 1", 0.20, 0.08, "abs"),
    ("wickets in over 20", 0.77, 0.15, "abs"),
    ("run rate per over: powerplay (1-6)", 7.85, 0.4, "abs"),
    ("run rate per over: middle (7-15)", 7.79, 0.4, "abs"),
    ("run rate per over: death (16-20)", 9.96, 0.4, "abs"),
    ("fours per delivery row", 0.114, 0.012, "abs"),
    ("sixes per delivery row", 0.050, 0.008, "abs"),
    ("rows with any extra", 0.054, 0.01, "abs"),
    ("wides per innings", 3.83, 0.6, "abs"),
    ("no-balls per innings", 0.49, 0.2, "abs"),
    ("dismissals: caught", 0.623, 0.03, "abs"),
    ("dismissals: bowled", 0.171, 0.03, "abs"),
    ("dismissals: run out", 0.086, 0.03, "abs"),
    ("dismissals: lbw", 0.062, 0.03, "abs"),
    ("dismissals: caught and bowled", 0.028, 0.03, "abs"),
    ("dismissals: stumped", 0.028, 0.03, "abs"),
    ("batting-first win % (decided matches)", 45.7, 5, "abs"),
    ("toss decision: field share", 0.643, 0.08, "abs"),
    ("matches with a super over", 0.013, np.nan, "rare"),
    ("matches with no result", 0.005, np.nan, "rare"),
    ("matches with D/L", 0.019, np.nan, "rare"),
    ("1st innings all out", 0.070, 0.03, "abs"),
    ("1st innings using all 120 legal balls", 0.946, 0.03, "abs"),
    ("2nd-innings total, full matches: mean", 153.8, np.nan, "info"),
    ("death / middle run rate", 1.3, np.nan, "info"),
    ("death / middle wickets per legal ball", 2.0, np.nan, "info"),
    ("10th-highest individual score", 120, np.nan, "info"),
    ("highest individual score", 175, np.nan, "info"),
    ("economy, regular bowlers: 10% quantile", 6.5, np.nan, "info"),
    ("economy, regular bowlers: 90% quantile", 9.5, np.nan, "info"),
    ("1st-innings mean, last season", np.nan, np.nan, "info"),
]


def _innings_frame(d: pd.DataFrame) -> pd.DataFrame:
    """Per (match, innings): runs, wickets, legal balls, powerplay runs and wickets."""
    g = d.groupby(["match_id", "inning"], sort=False)
    pp = d["over"] <= 6
    return pd.DataFrame({
        "runs": g["total_runs"].sum(),
        "wickets": g["wicket"].sum(),
        "legal": g["legal"].sum(),
        "pp_runs": d["total_runs"].where(pp, 0).groupby([d["match_id"], d["inning"]], sort=False).sum(),
        "pp_wickets": d["wicket"].where(pp, False).groupby([d["match_id"], d["inning"]], sort=False).sum(),
    }).reset_index()


def _full_match_ids(matches: pd.DataFrame | None, inns: pd.DataFrame) -> pd.Index:
    both = inns.groupby("match_id")["inning"].nunique()
    ids = both.index[both == 2]
    if matches is not None and len(matches):
        ok = matches["method"].isna() & (matches["result"] != "no result")
        ids = ids.intersection(pd.Index(matches.loc[ok, "id"]))
    return ids


def compute_stats(deliveries: pd.DataFrame, matches: pd.DataFrame | None = None) -> dict[str, float]:
    """Every statistic of TARGETS as a number (NaN when the data cannot say)."""
    d = deliveries[deliveries["inning"] <= 2].copy()
    d["legal"] = ~d["extras_type"].isin(["wides", "noballs"])
    d["wicket"] = (d["is_wicket"] == 1) & (d["dismissal_kind"] != "retired hurt")
    inns = _innings_frame(d)
    full = inns[inns["match_id"].isin(_full_match_ids(matches, inns))]
    first = full[full["inning"] == 1]
    legal = d[d["legal"]]
    n_rows, n_inns = len(d), len(inns)
    per_over = d.groupby(["match_id", "inning", "over"])[["total_runs", "wicket"]].sum()
    over_mean = per_over.groupby(level="over").mean()
    phase = pd.cut(d["over"], [0, 6, 15, 20], labels=["pp", "mid", "death"])
    by_phase = d.groupby(phase, observed=False)[["total_runs", "wicket", "legal"]].sum()
    rate = by_phase["total_runs"] / by_phase["legal"] * 6  # all runs, extras too, per 6 legal balls
    wk_rate = by_phase["wicket"] / by_phase["legal"]
    kinds = d.loc[d["wicket"], "dismissal_kind"].value_counts(normalize=True)
    s = {
        "delivery rows per match": n_rows / d["match_id"].nunique(),
        "runs per legal ball": d["total_runs"].sum() / len(legal),
        "dot-ball share of legal balls": (legal["total_runs"] == 0).mean(),
        "wickets per innings": d["wicket"].sum() / n_inns,
        "1st-innings total, full matches: mean": first["runs"].mean(),
        "1st-innings total, full matches: std": first["runs"].std(),
        "1st-innings total: 5% quantile": first["runs"].quantile(0.05),
        "1st-innings total: median": first["runs"].quantile(0.5),
        "1st-innings total: 95% quantile": first["runs"].quantile(0.95),
        "powerplay runs per innings: mean": full["pp_runs"].mean(),
        "powerplay runs per innings: std": full["pp_runs"].std(),
        "powerplay wickets per innings": full["pp_wickets"].mean(),
        "runs in over 1": over_mean["total_runs"].get(1, np.nan),
        "runs in over 6": over_mean["total_runs"].get(6, np.nan),
        "runs in over 7": over_mean["total_runs"].get(7, np.nan),
        "runs in over 20": over_mean["total_runs"].get(20, np.nan),
        "wickets in over 1": over_mean["wicket"].get(1, np.nan),
        "wickets in over 20": over_mean["wicket"].get(20, np.nan),
        "run rate per over: powerplay (1-6)": rate["pp"],
        "run rate per over: middle (7-15)": rate["mid"],
        "run rate per over: death (16-20)": rate["death"],
        "fours per delivery row": (d["batsman_runs"] == 4).mean(),
        "sixes per delivery row": (d["batsman_runs"] == 6).mean(),
        "rows with any extra": d["extras_type"].notna().mean(),
        "wides per innings": (d["extras_type"] == "wides").sum() / n_inns,
        "no-balls per innings": (d["extras_type"] == "noballs").sum() / n_inns,
        "1st innings all out": (first["wickets"] >= 10).mean(),
        "1st innings using all 120 legal balls": (first["legal"] >= 120).mean(),
        "2nd-innings total, full matches: mean": full.loc[full["inning"] == 2, "runs"].mean(),
        "death / middle run rate": rate["death"] / rate["mid"],
        "death / middle wickets per legal ball": wk_rate["death"] / wk_rate["mid"],
    }
    for kind in ("caught", "bowled", "run out", "lbw", "caught and bowled", "stumped"):
        s[f"dismissals: {kind}"] = kinds.get(kind, 0.0)
    s.update(_player_stats(d))
    s.update(_match_stats(d, matches, inns.merge(full[["match_id"]].drop_duplicates(), on="match_id")))
    return s


def _player_stats(d: pd.DataFrame) -> dict[str, float]:
    scores = d.groupby(["match_id", "inning", "batsman"])["batsman_runs"].sum().sort_values()
    bowled = d[~d["extras_type"].isin(["byes", "legbyes", "penalty"])]
    by_bowler = bowled.groupby("bowler").agg(runs=("total_runs", "sum"))
    by_bowler["balls"] = d[d["legal"]].groupby("bowler").size()
    regular = by_bowler[by_bowler["balls"] >= 300]
    economy = regular["runs"] / regular["balls"] * 6
    return {
        "10th-highest individual score": scores.iloc[-10] if len(scores) >= 10 else np.nan,
        "highest individual score": scores.iloc[-1] if len(scores) else np.nan,
        "economy, regular bowlers: 10% quantile": economy.quantile(0.1) if len(economy) else np.nan,
        "economy, regular bowlers: 90% quantile": economy.quantile(0.9) if len(economy) else np.nan,
    }


def _match_stats(d: pd.DataFrame, matches: pd.DataFrame | None, full_inns: pd.DataFrame) -> dict[str, float]:
    if matches is None or len(matches) == 0:
        return {}
    m = matches
    bat1 = d[d["inning"] == 1].groupby("match_id")["batting_team"].first()
    decided = m[m["result"].isin(["runs", "wickets"]) & m["winner"].notna()]
    first_bat = decided["id"].map(bat1)
    known = first_bat.notna()
    out = {
        "batting-first win % (decided matches)":
            100 * (decided.loc[known, "winner"] == first_bat[known]).mean() if known.any() else np.nan,
        "toss decision: field share": (m["toss_decision"] == "field").mean(),
        "matches with a super over": (m["super_over"] == "Y").mean(),
        "matches with no result": (m["result"] == "no result").mean(),
        "matches with D/L": (m["method"] == "D/L").mean(),
    }
    last = m["season"].max()
    ids = m.loc[m["season"] == last, "id"]
    f1 = full_inns[(full_inns["inning"] == 1) & full_inns["match_id"].isin(ids)]
    out["1st-innings mean, last season"] = f1["runs"].mean()
    return out


def stats_table(deliveries: pd.DataFrame, matches: pd.DataFrame | None = None) -> pd.DataFrame:
    """statistic, value, target, tolerance, rule, within (NA for descriptive rows)."""
    values = compute_stats(deliveries, matches)
    rows = []
    for name, target, tol, rule in TARGETS:
        v = float(values.get(name, np.nan))
        if rule == "abs":
            within = bool(abs(v - target) <= tol) if np.isfinite(v) else False
        elif rule == "rare":
            within = bool(0 < v < 0.03) if np.isfinite(v) else False
        else:
            within = pd.NA
        rows.append((name, v, target, tol, rule, within))
    return pd.DataFrame(rows, columns=["statistic", "value", "target", "tolerance", "rule", "within"])


def format_table(table: pd.DataFrame) -> str:
    """Plain-text table for a terminal: value next to target, and a verdict column."""
    def num(x):
        if not np.isfinite(x):
            return "n/a"
        return f"{x:.3f}" if abs(x) < 2 else f"{x:.2f}" if abs(x) < 20 else f"{x:.1f}"

    lines = [f"{'statistic':44s} {'value':>9s} {'target':>9s} {'tol':>7s}  ok"]
    for r in table.itertuples():
        tol = "<3%" if r.rule == "rare" else ("" if r.rule == "info" else "+-" + num(r.tolerance))
        verdict = "" if r.rule == "info" else ("yes" if r.within else "NO")
        lines.append(f"{r.statistic:44s} {num(r.value):>9s} {num(r.target):>9s} {tol:>7s}  {verdict}")
    checked = table[table["rule"] != "info"]
    lines.append(f"{int(checked['within'].sum())} of {len(checked)} checked statistics within tolerance")
    return "\n".join(lines)
