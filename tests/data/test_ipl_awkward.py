"""Tests for graders.data.ipl_awkward: the hand-built IPL the 06 hidden tests lean on."""

from graders.data import CANONICAL_DELIVERY_DTYPES, CANONICAL_MATCH_DTYPES, awkward_ipl
from graders.data import ipl_awkward


def test_it_has_the_corners_it_promises():
    deliveries, matches = awkward_ipl()
    assert {3, 4} <= set(deliveries["inning"])  # a super over
    assert set(matches["result"]) >= {"tie", "no result", "runs", "wickets"}
    assert "D/L" in set(matches["method"].dropna())
    assert 104 in set(matches["id"]) and 104 not in set(deliveries["match_id"])  # not a ball bowled
    assert set(deliveries["extras_type"].dropna()) == {"wides", "noballs", "legbyes", "byes", "penalty"}
    overs = set(deliveries.loc[(deliveries["match_id"] == 101) & (deliveries["inning"] == 1), "over"])
    assert 19 in overs and 10 not in overs  # overs missing from the middle of an innings


def test_canonical_dtypes():
    deliveries, matches = awkward_ipl()
    assert {c: str(t) for c, t in deliveries.dtypes.items()} == \
        {c: str(t) for c, t in CANONICAL_DELIVERY_DTYPES.items() if c in deliveries.columns}
    assert {c: str(t) for c, t in matches.dtypes.items()} == \
        {c: str(t) for c, t in CANONICAL_MATCH_DTYPES.items() if c in matches.columns}


def test_built_once_and_every_caller_gets_its_own_copy(monkeypatch):
    builds = []
    real = ipl_awkward._build
    monkeypatch.setattr(ipl_awkward, "_BUILT", [])
    monkeypatch.setattr(ipl_awkward, "_build", lambda: builds.append(1) or real())
    first, _ = awkward_ipl()
    first.loc[:, "batsman_runs"] = 99
    del first["bowler"]
    second, _ = awkward_ipl()
    assert builds == [1]
    assert "bowler" in second.columns and (second["batsman_runs"] <= 6).all()
