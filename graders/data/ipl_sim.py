"""make_ipl: a synthetic IPL in the canonical layout, reproducible from a seed.

A season is a fixture list (double round robin plus four play-offs); every match gets a
toss, two elevens, a pitch, and then its innings are played ball by ball by
`ipl_engine.play_innings`. A chase stops at the target, ties go to a super over, a few
matches lose overs to rain (the chase target is revised, method "D/L") or are abandoned.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from .ipl_engine import EXTRA_TYPES, KINDS, InningsSetup, play_innings
from .ipl_schema import IPLData, to_canonical
from .ipl_squads import FIRST_SEASON, bowling_plan, build_league, pick_eleven, teams_for_season

P_NO_RESULT, P_RAIN_REVISED = 0.006, 0.02
CHASE_EDGE = 1.0  # dew and knowing the target: chasing sides win a little over half


def season_level(season: np.ndarray) -> np.ndarray:
    """Scoring level by season: a slow rise, then the jump seen in 2023 and 2024."""
    s = np.asarray(season)
    return np.where(s >= 2024, 1.15, np.where(s == 2023, 1.11, 1.0 + 0.002 * (s - FIRST_SEASON)))


def _fixtures(rng: np.random.Generator, seasons: list[int]) -> pd.DataFrame:
    rows = []
    for season in seasons:
        teams = teams_for_season(season)
        pairs = [(a, b) for a in range(len(teams)) for b in range(len(teams)) if a != b]
        pairs = [pairs[k] for k in rng.permutation(len(pairs))]
        if len(teams) == 10:
            pairs = pairs[:70]
        top = rng.permutation(len(teams))[:4]
        playoffs = [(top[0], top[1]), (top[2], top[3]), (top[1], top[2]), (top[0], top[2])]
        n = len(pairs) + 4
        start = pd.Timestamp(f"{season}-04-{int(rng.integers(1, 12)):02d}")
        for k, (a, b) in enumerate(pairs + playoffs):
            city, venue = (teams[a][1], teams[a][2]) if k < len(pairs) else ("Mumbai", "Harbour Oval")
            rows.append((season, start + pd.Timedelta(days=int(k * 52 / n)), teams[a][0], teams[b][0], city, venue))
    return pd.DataFrame(rows, columns=["season", "date", "team1", "team2", "city", "venue"])


def _setup(players, picks, fielding, plans, scale, target, max_legal, max_wickets) -> InningsSetup:
    """Batting order from the batting side's picks, bowlers from the fielding side's."""
    order = np.stack([p[0] for p in picks]); bowlers = np.stack([p[1] for p in fielding])
    over_ids = np.take_along_axis(bowlers, plans, axis=1)
    return InningsSetup(players.bat_power[order], players.bat_guard[order],
                        players.bowl_econ[over_ids], players.bowl_strike[over_ids],
                        scale, target, max_legal, max_wickets)


def _rows(res: dict, match_ids, inning, bat_team, bowl_team, picks, fielding, plans, players, rng):
    """Flatten one batch of innings into delivery rows with names."""
    inn, pos = np.nonzero(res["valid"])
    get = {k: res[k][inn, pos].astype(int) for k in res if k not in ("valid", "runs", "wickets", "legal")}
    order = np.stack([p[0] for p in picks]); bowlers = np.stack([p[1] for p in fielding])
    f_order = np.stack([p[0] for p in fielding]); keeper = np.array([p[2] for p in fielding])
    bowler_ids = bowlers[inn, plans[inn, np.minimum(get["over"] - 1, 19)]]
    kind = get["kind"]
    catcher = np.where(rng.random(len(inn)) < 0.2, keeper[inn], f_order[inn, rng.integers(0, 11, len(inn))])
    fielder_id = np.where(kind == 6, keeper[inn], np.where(np.isin(kind, (1, 3)), catcher, -1))
    names = players.names
    out_id = np.where(get["out"] >= 0, order[inn, np.maximum(get["out"], 0)], -1)
    name_or_na = lambda ids: pd.Series(np.where(ids >= 0, names[np.maximum(ids, 0)], None), dtype="str")
    extra_t = np.array([None] + list(EXTRA_TYPES[1:]), dtype=object)
    kinds = np.array([None] + list(KINDS), dtype=object)
    return pd.DataFrame({
        "match_id": np.asarray(match_ids)[inn], "inning": np.broadcast_to(inning, len(inn)) if np.ndim(inning) == 0 else np.asarray(inning)[inn],
        "batting_team": np.asarray(bat_team)[inn], "bowling_team": np.asarray(bowl_team)[inn],
        "over": get["over"], "ball": get["ball"],
        "batsman": names[order[inn, get["striker"]]], "non_striker": names[order[inn, get["nonstriker"]]],
        "bowler": names[bowler_ids], "batsman_runs": get["bat"], "extra_runs": get["extra"],
        "total_runs": get["bat"] + get["extra"], "extras_type": extra_t[get["etype"]],
        "is_wicket": (kind > 0).astype(int), "player_dismissed": name_or_na(out_id),
        "dismissal_kind": kinds[kind], "fielder": name_or_na(fielder_id),
    })


def _super_overs(rng, players, tied, m, picks_bat1, picks_bat2, scale):
    """Play super overs for tied matches until each has a winner (third tie: coin toss)."""
    frames, winners, pending, inning = [], {}, list(tied), 3
    while pending and inning <= 7:
        idx = np.array(pending)
        sides = [(picks_bat2, picks_bat1), (picks_bat1, picks_bat2)]  # chasing side bats first
        totals = []
        for k, (bat, bowl) in enumerate(sides):
            bp = [bat[j] for j in idx]; fp = [bowl[j] for j in idx]
            top3 = lambda p: (p[0][np.argsort(-players.bat_power[p[0]])], p[1], p[2])
            bp = [top3(p) for p in bp]
            plans = np.zeros((len(idx), 20), int)
            target = np.full(len(idx), np.inf) if k == 0 else totals[0] + 1.0
            setup = _setup(players, bp, fp, plans, scale[idx], target, np.full(len(idx), 6), np.full(len(idx), 2))
            res = play_innings(rng, setup, death_profile=True)
            totals.append(res["runs"])
            team_b = m.loc[idx, "bat2" if k == 0 else "bat1"].to_numpy()
            team_f = m.loc[idx, "bat1" if k == 0 else "bat2"].to_numpy()
            frames.append(_rows(res, m.loc[idx, "id"].to_numpy(), inning + k, team_b, team_f, bp, fp, plans, players, rng))
        for j, a, b in zip(idx, totals[0], totals[1]):
            if a != b or inning >= 7:
                winners[j] = m.at[j, "bat2"] if (a > b or (a == b and rng.random() < 0.5)) else m.at[j, "bat1"]
        pending = [j for j in pending if j not in winners]
        inning += 2
    return frames, winners


_MADE: "OrderedDict[tuple[int, int], IPLData]" = OrderedDict()
_MADE_LOCK = threading.Lock()
_MADE_KEEP = 4
"""How many recent data sets :func:`make_ipl` keeps: a notebook's hidden tests ask for the
same student's season in several cells, and one season takes about 0.15 s to simulate."""


def make_ipl(n_seasons: int = 17, *, seed: int) -> IPLData:
    """Simulate `n_seasons` IPL seasons from 2008; about 1,100 matches for the default 17.

    Deterministic in its arguments, so the last few results are kept and handed out again
    as fresh deep copies: a caller that changes its frames never changes anyone else's.
    """
    try:
        key = (n_seasons, seed)
        hash(key)
    except TypeError:  # a seed numpy accepts but cannot be a key (a list of ints)
        return _simulate(n_seasons, seed)
    with _MADE_LOCK:
        made = _MADE.get(key)
        if made is not None:
            _MADE.move_to_end(key)
    if made is None:
        made = _simulate(n_seasons, seed)
        with _MADE_LOCK:
            _MADE[key] = made
            while len(_MADE) > _MADE_KEEP:
                _MADE.popitem(last=False)
    return IPLData(made.deliveries.copy(deep=True), made.matches.copy(deep=True))


def _simulate(n_seasons: int, seed: int) -> IPLData:
    rng = np.random.default_rng(seed)
    seasons = list(range(FIRST_SEASON, FIRST_SEASON + n_seasons))
    players, squads = build_league(rng, seasons)
    m = _fixtures(rng, seasons)
    n = len(m)
    m["id"] = np.arange(1, n + 1)
    m["toss_winner"] = np.where(rng.random(n) < 0.5, m["team1"], m["team2"])
    p_field = np.clip(0.42 + 0.028 * (m["season"] - FIRST_SEASON), 0.4, 0.86)
    m["toss_decision"] = np.where(rng.random(n) < p_field, "field", "bat")
    other = np.where(m["toss_winner"] == m["team1"], m["team2"], m["team1"])
    m["bat1"] = np.where(m["toss_decision"] == "bat", m["toss_winner"], other)
    m["bat2"] = np.where(m["bat1"] == m["team1"], m["team2"], m["team1"])
    picks1 = [pick_eleven(rng, players, squads[s][t]) for s, t in zip(m["season"], m["bat1"])]
    picks2 = [pick_eleven(rng, players, squads[s][t]) for s, t in zip(m["season"], m["bat2"])]
    pitch = season_level(m["season"].to_numpy()) * np.exp(0.06 * rng.standard_normal(n))
    fate = rng.random(n)
    no_result = fate < P_NO_RESULT
    revised = (fate >= P_NO_RESULT) & (fate < P_NO_RESULT + P_RAIN_REVISED)

    plans1, plans2 = bowling_plan(rng, n), bowling_plan(rng, n)
    max1 = np.where(no_result, rng.integers(6, 100, n), 120)
    first = play_innings(rng, _setup(players, picks1, picks2, plans1, pitch, np.full(n, np.inf), max1, np.full(n, 10)))
    overs2 = np.where(revised, rng.integers(5, 18, n), 20)
    share = (1 - np.exp(-overs2 / 12.0)) / (1 - np.exp(-20 / 12.0))  # resources left after the cut
    target = np.where(revised, np.floor(first["runs"] * share) + 1, first["runs"] + 1.0)
    target = np.where(no_result, 0, target)  # an abandoned match has no chase
    second = play_innings(rng, _setup(players, picks2, picks1, plans2, pitch * CHASE_EDGE, target,
                                      overs2 * 6, np.full(n, 10)))
    chased = second["runs"] >= target
    tie = ~no_result & ~chased & (second["runs"] == target - 1)
    frames = [
        _rows(first, m["id"], 1, m["bat1"], m["bat2"], picks1, picks2, plans1, players, rng),
        _rows(second, m["id"], 2, m["bat2"], m["bat1"], picks2, picks1, plans2, players, rng),
    ]
    so_frames, so_winner = _super_overs(rng, players, np.flatnonzero(tie), m, picks1, picks2, pitch)
    frames += so_frames
    m["winner"] = np.where(chased, m["bat2"], m["bat1"])
    m.loc[no_result, "winner"] = None
    for j, w in so_winner.items():
        m.at[j, "winner"] = w
    m["result"] = np.select([no_result, tie, chased], ["no result", "tie", "wickets"], "runs")
    margin = np.where(chased, 10 - second["wickets"], target - 1 - second["runs"])
    m["result_margin"] = pd.array(np.where(no_result | tie, -1, margin), dtype="Int64")
    m.loc[no_result | tie, "result_margin"] = pd.NA
    m["method"] = pd.Series(np.where(revised, "D/L", None), dtype="str")
    m["super_over"] = np.where(tie, "Y", "N")
    deliveries = pd.concat(frames, ignore_index=True)
    return to_canonical(deliveries, m, source=f"make_ipl(seed={seed})", layout="synthetic")
