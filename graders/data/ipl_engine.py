"""Ball-by-ball innings simulation, vectorised across innings.

Step k of the loop plays the next delivery of every innings still in progress at once,
so the Python loop runs about 130 times per batch instead of once per ball. Outcome
probabilities per legal ball start from a per-over profile (the shape of a T20 innings:
a fast powerplay, a quieter middle, a hitting and collapsing death) and are scaled by
batter and bowler skill, the match's conditions, the season's scoring level and the
state of the game (wickets in hand, the required rate in a chase).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Per-over profile for an average batter against an average bowler (over 1..20).
P_WICKET = np.array([.036, .043, .046, .046, .047, .047, .036, .036, .039, .039,
                     .043, .043, .044, .046, .049, .053, .058, .070, .085, .115])
P_ONE = np.array([.22, .23, .25, .265, .28, .29, .44, .45, .45, .455,
                  .45, .46, .45, .445, .435, .435, .42, .405, .39, .35])
P_TWO = np.array([.039, .040, .046, .046, .043, .042, .055, .062, .064, .070,
                  .074, .070, .074, .076, .079, .086, .086, .090, .100, .120])
P_FOUR = np.array([.128, .150, .153, .155, .145, .138, .084, .086, .090, .088,
                   .091, .093, .088, .095, .104, .098, .114, .122, .140, .195])
P_SIX = np.array([.014, .024, .031, .034, .034, .032, .023, .030, .033, .031,
                  .039, .043, .048, .049, .054, .060, .066, .080, .102, .165])
P_THREE = 0.004
P_WIDE, P_NOBALL, P_BYES = 0.0315, 0.0042, 0.02
AGG_SLOPE, W_EXP, W_SCALE, RUN_SCALE = 0.05, 1.0, 0.9, 0.885
PP_BOOST, DEATH_BOOST, TAIL_CARE = 1.16, 1.25, 0.6

# Dismissal kinds in the order of their codes (1..); probabilities sum to 1.
KINDS = ("caught", "bowled", "run out", "lbw", "caught and bowled", "stumped", "hit wicket")
KIND_P = np.array([0.620, 0.172, 0.086, 0.063, 0.028, 0.028, 0.003])
EXTRA_TYPES = ("", "wides", "noballs", "byes", "legbyes")


@dataclass
class InningsSetup:
    """Inputs for n innings played side by side (arrays have n rows)."""

    bat_power: np.ndarray  # (n, 11) in batting order
    bat_guard: np.ndarray  # (n, 11)
    over_econ: np.ndarray  # (n, 20) skill of whoever bowls each over
    over_strike: np.ndarray  # (n, 20)
    scale: np.ndarray  # (n,) season scoring level x match conditions
    target: np.ndarray  # (n,) runs needed to win; inf when setting a total
    max_legal: np.ndarray  # (n,) 120, fewer in a shortened or abandoned innings, 6 in a super over
    max_wickets: np.ndarray  # (n,) 10, or 2 in a super over


def _cumulative(rows: list[np.ndarray]) -> np.ndarray:
    return np.cumsum(np.stack(rows, axis=1), axis=1)


def play_innings(rng: np.random.Generator, s: InningsSetup, *, death_profile: bool = False) -> dict:
    """Play every innings to its end; return (n, R) arrays of rows plus a valid mask and totals.

    With ``death_profile`` every ball uses the 20th-over profile (super overs).
    """
    n = len(s.scale)
    cap = int(s.max_legal.max()) + 40
    rec = {k: np.zeros((n, cap), dtype=np.int16) for k in
           ("over", "ball", "striker", "nonstriker", "bat", "extra", "etype", "kind", "out")}
    legal = np.zeros(n, int); wk = np.zeros(n, int); runs = np.zeros(n, int)
    striker = np.zeros(n, int); nonstriker = np.ones(n, int); next_in = np.full(n, 2)
    row = np.zeros(n, int); ball_row = np.zeros(n, int)
    active = (s.max_legal > 0) & (s.target > 0)
    while active.any():
        i = np.flatnonzero(active)
        m = len(i)
        o = np.minimum(legal[i] // 6, 19)
        prof = np.full(m, 19) if death_profile else o
        bp = s.bat_power[i, striker[i]]; bg = s.bat_guard[i, striker[i]]
        be = s.over_econ[i, o]; bs = s.over_strike[i, o]
        left = np.maximum(s.max_legal[i] - legal[i], 1)
        # Game state: wickets in hand buy licence to attack; a chase follows the asking rate.
        in_hand = 10 - wk[i]
        agg = np.clip(1.0 + AGG_SLOPE * (in_hand - 10 * left / s.max_legal[i]), 0.75, 1.2)
        chasing = np.isfinite(s.target[i])
        need = np.where(chasing, (s.target[i] - runs[i]) * 6.0 / left, 8.3)
        agg = agg * np.where(wk[i] >= 7, TAIL_CARE, 1.0) * np.where(chasing, np.clip((need / 8.3) ** 0.25, 0.85, 1.3), 1.0)
        mult = RUN_SCALE * bp * be * s.scale[i] * agg * np.select([o < 6, o >= 15], [PP_BOOST, DEATH_BOOST], 1.0)
        p_w = W_SCALE * P_WICKET[prof] * bg * bs * agg ** W_EXP
        p6 = P_SIX[prof] * mult ** 2.0
        p4 = P_FOUR[prof] * mult ** 1.4
        p2 = P_TWO[prof] * mult ** 0.6
        p1 = P_ONE[prof] * mult ** 0.3
        p3 = np.full(m, P_THREE)
        total = p1 + p2 + p3 + p4 + p6
        squeeze = np.minimum(1.0, 0.88 / total)  # keep at least 12% dots
        cum = _cumulative([p1 * squeeze, p2 * squeeze, p3 * squeeze, p4 * squeeze, p6 * squeeze])
        u = rng.random((m, 4))
        bat = np.select([u[:, 1] < cum[:, k] for k in range(5)], [1, 2, 3, 4, 6], 0)
        wide = u[:, 0] < P_WIDE * be
        noball = ~wide & (u[:, 0] > 1 - P_NOBALL)
        is_legal = ~wide & ~noball
        out = is_legal & (u[:, 2] < p_w)
        extra = np.zeros(m, int); etype = np.zeros(m, int)
        # wides: usually 1, sometimes runs added or a boundary
        wr = rng.random(m)
        extra = np.where(wide, np.select([wr < 0.05, wr < 0.1], [5, 2], 1), extra)
        etype = np.where(wide, 1, etype)
        extra = np.where(noball, 1, extra); etype = np.where(noball, 2, etype)
        bat = np.where(wide | out, 0, bat)
        # byes and leg byes replace a dot ball
        bye = is_legal & ~out & (bat == 0) & (u[:, 3] < P_BYES / 0.4)
        br = rng.random(m)
        extra = np.where(bye, np.select([br < 0.2, br < 0.28], [4, 2], 1), extra)
        etype = np.where(bye, np.where(br > 0.83, 3, 4), etype)
        kind = np.where(out, 1 + np.searchsorted(np.cumsum(KIND_P), rng.random(m) * KIND_P.sum()), 0)
        run_out = kind == 3
        bat = np.where(run_out & (u[:, 3] < 0.35), 1, bat)
        out_pos = np.where(run_out & (rng.random(m) < 0.45), nonstriker[i], striker[i])
        # record
        r = row[i]
        ball_row[i] += 1
        for k, v in (("over", o + 1), ("ball", ball_row[i]), ("striker", striker[i]),
                     ("nonstriker", nonstriker[i]), ("bat", bat), ("extra", extra),
                     ("etype", etype), ("kind", kind), ("out", np.where(out, out_pos, -1))):
            rec[k][i, r] = v
        row[i] += 1
        runs[i] += bat + extra
        legal[i] += is_legal
        wk[i] += out
        # the batters cross on odd runs; a new batter takes the dismissed one's end
        ran = bat + np.where(wide, extra - 1, np.where(etype >= 3, extra, 0))
        swap = (ran % 2 == 1) & ~(out & ~run_out)
        st, ns = striker[i].copy(), nonstriker[i].copy()
        st, ns = np.where(swap, ns, st), np.where(swap, st, ns)
        newb = next_in[i]
        st = np.where(out & (out_pos == st), newb, st)
        ns = np.where(out & (out_pos == ns), newb, ns)
        next_in[i] += out
        over_done = is_legal & (legal[i] % 6 == 0)
        st, ns = np.where(over_done, ns, st), np.where(over_done, st, ns)
        ball_row[i] = np.where(over_done, 0, ball_row[i])
        striker[i], nonstriker[i] = np.minimum(st, 10), np.minimum(ns, 10)
        done = (legal[i] >= s.max_legal[i]) | (wk[i] >= s.max_wickets[i]) | (runs[i] >= s.target[i])
        active[i] = ~done
    valid = np.arange(cap)[None, :] < row[:, None]
    return {**rec, "valid": valid, "runs": runs, "wickets": wk, "legal": legal}
