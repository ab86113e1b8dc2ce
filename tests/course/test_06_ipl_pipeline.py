"""Does 06_ipl_pipeline grade each aspect separately through real nbgrader autograde?"""

import pytest

from tests.course.harness import grade_submissions, lost

A = "06_ipl_pipeline"
AUTO = {
    "economy_rates_correct", "economy_rates_loops", "economy_rates_mutation",
    "top_scores_correct", "top_scores_loops", "top_scores_mutation",
    "win_pct_by_venue_correct", "win_pct_by_venue_loops", "win_pct_by_venue_mutation",
    "manhattan_correct", "manhattan_plot", "manhattan_mutation",
    "powerplay_features_correct", "powerplay_features_loops", "powerplay_features_mutation",
    "zscore_correct", "zscore_loops", "zscore_mutation",
    "train_test_split_correct", "train_test_split_mutation", "fit_linear_correct", "rmse_correct",
}
ECON = 'def economy_rates(deliveries, top=20):\n    """Economy."""\n'
ECON_TAIL = """    g = t.groupby("bowler", as_index=False)[["runs", "balls"]].sum()
    g["overs"] = g["balls"] / 6
    g["economy"] = g["runs"] / g["overs"]
    g = g.sort_values(["overs", "bowler"], ascending=[False, True]).head(top)
    return g[["bowler", "overs", "runs", "economy"]].reset_index(drop=True)
"""


def econ(filter_line: str, runs: str, balls: str) -> str:
    return (ECON + f"    d = {filter_line}\n"
            + '    charged = d["extras_type"].isin(["wides", "noballs"])\n'
            + f'    t = pd.DataFrame({{"bowler": d["bowler"], "runs": {runs}, "balls": {balls}}})\n'
            + ECON_TAIL)


GOOD_FILTER = 'deliveries[deliveries["inning"] <= 2]'
GOOD_RUNS = 'd["batsman_runs"] + d["extra_runs"] * charged'

VENUE_TOSS = '''def win_pct_by_venue(matches, deliveries):
    """Batting first taken to be the toss winner."""
    m = matches[matches["result"].isin(["runs", "wickets"])]
    t = pd.DataFrame({"venue": m["venue"], "matches": 1,
                      "bat_first_wins": (m["winner"] == m["toss_winner"]).astype(int)})
    g = t.groupby("venue", as_index=False)[["matches", "bat_first_wins"]].sum()
    g["win_pct"] = 100 * g["bat_first_wins"] / g["matches"]
    return g.sort_values("venue").reset_index(drop=True)
'''

PP_ITERROWS = '''def powerplay_features(deliveries):
    """Row by row."""
    acc = {}
    for _, row in deliveries[deliveries["inning"] == 1].iterrows():
        a = acc.setdefault(row["match_id"], [0, 0, 0, 0, 0, 0])
        o, r = row["over"], row["total_runs"]
        if o <= 6:
            a[0] += r
            a[1] += row["is_wicket"]
            a[4] += row["batsman_runs"] in (4, 6)
            a[2 if o <= 3 else 3] += r
        a[5] += r
    out = pd.DataFrame.from_dict(acc, orient="index",
                                 columns=["pp_runs", "pp_wickets", "rr_1_3", "rr_4_6", "pp_boundaries",
                                          "first_innings_total"])
    out["rr_1_3"] = out["rr_1_3"] / 3
    out["rr_4_6"] = out["rr_4_6"] / 3
    out.index.name = "match_id"
    return out.sort_index()
'''

MANHATTAN_T = '''def manhattan(deliveries, match_id):
    """Overs as rows: the transpose of what was asked."""
    d = deliveries[(deliveries["match_id"] == match_id) & (deliveries["inning"] <= 2)]
    out = np.zeros((2, 20), dtype=np.int64)
    np.add.at(out, (d["inning"].to_numpy() - 1, d["over"].to_numpy() - 1), d["total_runs"].to_numpy())
    overs = np.arange(1, 21)
    fig, ax = plt.subplots()
    ax.bar(overs - 0.2, out[0], width=0.4, label="innings 1")
    ax.bar(overs + 0.2, out[1], width=0.4, label="innings 2")
    ax.set_xlabel("over")
    ax.set_ylabel("runs")
    ax.set_title("Manhattan")
    ax.legend()
    return out.T
'''

ZSCORE_AXIS = '''def zscore(X, mean=None, std=None):
    """Statistics per row instead of per column."""
    X = np.asarray(X, dtype=np.float64)
    if mean is None:
        mean = X.mean(axis=1, keepdims=True)
    if std is None:
        std = X.std(axis=1, keepdims=True)
        std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std
'''


def hardcoded_top_scores() -> str:
    """top_scores returning the public example's answer as a literal."""
    from graders.data import make_ipl

    d, _ = make_ipl(n_seasons=3, seed=2024)
    d = d[d["inning"] <= 2]
    s = d.groupby(["match_id", "inning", "batsman"], as_index=False)["batsman_runs"].sum()
    s = s.sort_values(["batsman_runs", "match_id", "inning", "batsman"], ascending=[False, True, True, True])
    s = s.head(10)
    literal = {"match_id": s["match_id"].tolist(), "inning": s["inning"].tolist(),
               "batsman": s["batsman"].tolist(), "runs": s["batsman_runs"].tolist()}
    return (f'def top_scores(deliveries, n=10):\n    """Copied from the public output."""\n'
            f"    return pd.DataFrame({literal!r}).head(n)\n")


ARCHETYPES = {
    # byes, leg-byes and penalty runs charged to the bowler
    "byes_charged": ({"economy_rates": econ(GOOD_FILTER, 'd["total_runs"]', "~charged")},
                     {"economy_rates_correct"}),
    # overs counted from every ball, wides and no-balls included
    "overs_all_balls": ({"economy_rates": econ(GOOD_FILTER, GOOD_RUNS, "1")}, {"economy_rates_correct"}),
    # super-over innings (3 and 4) counted in the bowlers' figures
    "super_over_included": ({"economy_rates": econ("deliveries", GOOD_RUNS, "~charged")},
                            {"economy_rates_correct"}),
    # adds a helper column to the caller's frame, otherwise right
    "mutation": ({"economy_rates": ECON + """    deliveries["legal"] = ~deliveries["extras_type"].isin(["wides", "noballs"])
    d = deliveries[deliveries["inning"] <= 2]
    charged = ~d["legal"]
    t = pd.DataFrame({"bowler": d["bowler"], "runs": d["batsman_runs"] + d["extra_runs"] * charged,
                      "balls": d["legal"]})
""" + ECON_TAIL}, {"economy_rates_mutation"}),
    # the toss winner taken to bat first
    "toss_batting_first": ({"win_pct_by_venue": VENUE_TOSS}, {"win_pct_by_venue_correct"}),
    # right values, built row by row with iterrows
    "iterrows": ({"powerplay_features": PP_ITERROWS}, {"powerplay_features_loops"}),
    # an array of shape (20, 2)
    "manhattan_transposed": ({"manhattan": MANHATTAN_T}, {"manhattan_correct"}),
    # mean and std along the wrong axis
    "zscore_wrong_axis": ({"zscore": ZSCORE_AXIS}, {"zscore_correct"}),
    # the public example's answer typed in
    "hardcoded": ({"top_scores": hardcoded_top_scores()}, {"top_scores_correct"}),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_submissions(tmp_path_factory.mktemp("ipl"), A,
                             {n: answers for n, (answers, _) in ARCHETYPES.items()})


def test_key_gets_every_automatic_point(graded):
    """Does the instructor's notebook get every automatic point?"""
    assert AUTO <= set(graded["key"])
    assert lost(graded["key"]) & AUTO == set()


def test_release_gets_zero_without_crash(graded):
    """Is the untouched release graded, losing every automatic point?"""
    assert lost(graded["blank"]) & AUTO == AUTO


def test_written_analysis_is_left_to_a_ta(graded):
    """Is the written analysis a graded task cell in every submission?"""
    assert "ipl_analysis_written" in graded["key"]


@pytest.mark.parametrize("archetype", sorted(ARCHETYPES))
def test_archetype_loses_exactly_its_aspects(graded, archetype):
    """Does each wrong submission lose exactly the points of what it gets wrong?"""
    assert lost(graded[archetype]) & AUTO == ARCHETYPES[archetype][1]
