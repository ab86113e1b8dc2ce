"""A small hand-built IPL with every awkward case, for hidden tests.

Simulated seasons are realistic but rarely hit the corners a pipeline must handle, so the
06 hidden tests also run each function on these six matches: super overs (innings 3 and 4),
a tie, two no-results (one without a ball bowled), a rain-shortened (D/L) result, and every
kind of extra (wides, no-balls with runs off the bat, leg-byes, byes, penalty runs), with
overs missing from the middle of an innings. Every function a test checks on it has a
reference answer worked out from these rows.

It is the same every time, so it is built once per process and handed out as fresh deep
copies, as :func:`graders.data.make_ipl` hands out its seasons: a test that changes its
frames never changes the next test's.
"""

from __future__ import annotations

import threading

import pandas as pd

from .ipl_schema import IPLData, to_canonical

_BUILT: list[IPLData] = []
_LOCK = threading.Lock()


def awkward_ipl() -> IPLData:
    """(deliveries, matches) of the six hand-built matches, canonical dtypes, fresh copies."""
    with _LOCK:
        if not _BUILT:
            _BUILT.append(_build())
        built = _BUILT[0]
    return IPLData(built.deliveries.copy(deep=True), built.matches.copy(deep=True))


def _build() -> IPLData:
    _kinds = {"wd": "wides", "nb": "noballs", "lb": "legbyes", "b": "byes", "p": "penalty"}
    rows = []

    def innings(mid, inning, bat, bowl, overs):
        batters = [f"{bat.split()[0]} Bat{k}" for k in range(1, 12)]
        out = 0
        for over, (bowler, codes) in overs.items():
            for ball, code in enumerate(codes.split(), start=1):
                kind = code.rstrip("0123456789")
                num = int(code[len(kind):] or 0)
                et, br, er, w = None, 0, 0, 0
                if kind == "":
                    br = num
                elif kind == "W":
                    w = 1
                elif kind == "nb":
                    et, br, er = "noballs", num, 1
                else:
                    et, er = _kinds[kind], num
                striker = batters[min(out + ball % 2, 10)]
                rows.append(dict(match_id=mid, inning=inning, batting_team=bat, bowling_team=bowl,
                                 over=over, ball=ball, batsman=striker,
                                 non_striker=batters[min(out + 1 - ball % 2, 10)],
                                 bowler=f"{bowl.split()[0]} {bowler}", batsman_runs=br,
                                 extra_runs=er, total_runs=br + er, extras_type=et, is_wicket=w,
                                 player_dismissed=striker if w else None,
                                 dismissal_kind="bowled" if w else None, fielder=None))
                out += w

    A_, B_, C_ = "Alpha Sixers", "Bravo Kings", "Charlie Riders"
    innings(101, 1, A_, B_, {1: ("Quick", "1 4 wd1 0 6 lb1 1"), 2: ("Swing", "0 0 W 4 nb4 2 1"),
                             3: ("Quick", "6 6 1 b4 0 0"), 4: ("Spin", "1 1 1 1 1 1"),
                             5: ("Swing", "4 wd5 0 W 1 2 0"), 6: ("Spin", "0 1 p5 0 1 4 2"),
                             7: ("Quick", "1 1 0 0 2 1"), 19: ("Swing", "6 4 W 1 1 0"),
                             20: ("Quick", "4 4 4 nb1 6 1 W")})
    innings(101, 2, B_, A_, {1: ("Pace", "4 4 0 1 1 0"), 2: ("Seam", "wd1 wd1 1 0 6 lb4 1"),
                             3: ("Pace", "0 W 0 1 4 1"), 4: ("Slow", "2 2 2 b1 1 1"),
                             5: ("Seam", "6 0 1 1 nb2 1 0"), 6: ("Slow", "1 W 1 1 4 4"),
                             20: ("Pace", "6 6 6 6 W 1")})
    innings(101, 3, B_, A_, {1: ("Pace", "4 6 1 W 1 wd1 0")})
    innings(101, 4, A_, B_, {1: ("Quick", "1 4 W 0 1 0")})
    innings(102, 1, C_, A_, {1: ("Pace", "1 0 4 0 wd1 1 1"), 2: ("Seam", "6 0 0 W 1 b2")})
    innings(103, 1, C_, B_, {1: ("Swing", "1 1 1 W 0 0"), 2: ("Quick", "4 4 lb1 1 0 0"),
                             3: ("Swing", "nb6 0 1 1 2 2 1"), 4: ("Spin", "0 0 0 1 6 1"),
                             5: ("Quick", "1 1 1 1 1 1"), 6: ("Spin", "W 0 0 4 4 wd2 1"),
                             7: ("Swing", "1 2 1 2 1 2"), 8: ("Quick", "6 1 1 6 0 W")})
    innings(103, 2, B_, C_, {1: ("Fast", "0 0 1 4 0 1"), 2: ("Wrist", "W 0 0 1 1 1"),
                             3: ("Fast", "4 lb2 1 0 0 W"), 4: ("Wrist", "1 1 wd1 1 1 1 1"),
                             5: ("Fast", "2 2 6 0 0 1")})
    innings(105, 1, C_, A_, {1: ("Pace", "4 0 0 1 1 1"), 2: ("Seam", "1 1 1 1 1 1"),
                             3: ("Pace", "W 6 1 0 4 b1"), 4: ("Slow", "0 0 0 0 0 0"),
                             5: ("Seam", "4 4 4 4 4 4"), 6: ("Slow", "1 nb1 1 1 1 1 W")})
    innings(105, 2, A_, C_, {1: ("Fast", "6 6 1 1 1 1"), 2: ("Wrist", "4 4 4 0 0 1"),
                             3: ("Fast", "1 1 1 1 W 4"), 4: ("Wrist", "6 6 6 1 1 4"),
                             5: ("Fast", "4 4 4 1 1 1"), 6: ("Wrist", "6 6 6 6 6 6")})
    innings(106, 1, B_, A_, {1: ("Pace", "0 0 0 0 0 1"), 2: ("Seam", "1 4 1 W 1 lb1"),
                             3: ("Pace", "6 1 1 1 0 0"), 12: ("Slow", "1 1 1 1 1 1"),
                             13: ("Seam", "W 6 6 0 0 1")})
    innings(106, 2, A_, B_, {1: ("Quick", "0 W 0 1 0 0"), 2: ("Spin", "1 1 0 W 0 0"),
                             3: ("Swing", "W W 0 0 1 W")})
    m = [(101, "Oval One", A_, B_, B_, "field", B_, "tie", None, None, "Y"),
         (102, "Oval One", C_, A_, C_, "bat", None, "no result", None, None, "N"),
         (103, "Park Two", B_, C_, B_, "field", C_, "runs", 6, "D/L", "N"),
         (104, "Park Two", A_, B_, A_, "bat", None, "no result", None, None, "N"),
         (105, "Oval One", C_, A_, C_, "bat", A_, "wickets", 7, None, "N"),
         (106, "Park Two", B_, A_, A_, "field", B_, "runs", 20, None, "N")]
    matches = pd.DataFrame(m, columns=["id", "venue", "team1", "team2", "toss_winner", "toss_decision",
                                       "winner", "result", "result_margin", "method", "super_over"])
    matches["season"] = 2030
    matches["date"] = pd.Timestamp("2030-04-01") + pd.to_timedelta(matches["id"] - 101, unit="D")
    matches["city"] = matches["venue"].str.split().str[0]
    return to_canonical(pd.DataFrame(rows), matches, source="hand-built IPL", layout="synthetic")
