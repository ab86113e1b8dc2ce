"""A tiny hand-made IPL, the worked example of the 06 notebook's visible checks.

Three matches and 83 deliveries, small enough to read in full (``deliveries.to_string()``),
each showing a case the exercises are about:

* match 501, Lakeside Ground: Echo Eagles won the toss and chose to **field**, so Delta
  Dragons batted first (and won by 16 runs). Wides (one with a run taken), no-balls (one
  with a four off the bat), leg-byes and four byes; innings 1 has overs 1, 4 and 7.
* match 502, Hilltop Oval: a **tie** settled by a **super over** (innings 3 and 4);
  innings 1 and 2 have overs 1 and 20.
* match 503, Lakeside Ground: **no result**. Rain stopped the first innings after four
  legal balls of over 2 (a first innings **shorter than 4 overs**), before innings 2.

Only some overs of each innings are listed: an over missing here was not bowled. The
frames have the columns and dtypes of :func:`graders.data.make_ipl` (both go through
:func:`~graders.data.ipl_schema.to_canonical`) and are handed out as fresh copies.
"""

from __future__ import annotations

import pandas as pd

from .ipl_schema import IPLData, to_canonical

DELTA, ECHO, FOXTROT = "Delta Dragons", "Echo Eagles", "Foxtrot Foxes"

#: Batting order of each side (the first two open).
PLAYERS = {
    DELTA: ["T Ames", "R Baker", "S Cole", "M Dunn", "K Ellis", "J Frost"],
    ECHO: ["P Gill", "V Hart", "A Iyer", "N Jones", "F Khan", "L Lowe"],
    FOXTROT: ["C Mehta", "G Nash", "H Ortiz", "D Pike", "E Quinn", "B Reid"],
}

#: One entry per innings: (match_id, inning, batting side, bowling side, {over: (bowler, balls)}).
#: A ball is "." (no run), a digit (runs off the bat), "W" (the striker is bowled), or runs
#: with a suffix: "wd" wides, "nb" a no-ball (the digit is the runs off the bat; the no-ball
#: itself is 1 extra), "b" byes, "lb" leg-byes. "2wd" is a wide with one run taken.
INNINGS = [
    (501, 1, DELTA, ECHO, {1: ("F Khan", "1 4 1wd . 2lb W 6"),
                           4: ("L Lowe", "2 . 4nb 1 . 4 1"),
                           7: ("F Khan", "1 1 4b . W 2")}),
    (501, 2, ECHO, DELTA, {1: ("J Frost", ". 1 2wd 1 W . 4"),
                           2: ("K Ellis", "6 1lb 1 0nb . 2 W")}),
    (502, 1, FOXTROT, ECHO, {1: ("L Lowe", "4 . 1 1 6 ."),
                             20: ("A Iyer", "1 1wd 2 W 1 4 1")}),
    (502, 2, ECHO, FOXTROT, {1: ("E Quinn", "1 . 6 1lb 2 ."),
                             20: ("B Reid", "4 4 1b 1 1 1")}),
    (502, 3, ECHO, FOXTROT, {1: ("E Quinn", "6 1 1wd 4 . W 1")}),
    (502, 4, FOXTROT, ECHO, {1: ("L Lowe", "1 W 4 . 2 W")}),
    (503, 1, FOXTROT, DELTA, {1: ("J Frost", "W . . 1 4 ."),
                              2: ("M Dunn", "2 1wd 1 6 1lb")}),
]

MATCHES = pd.DataFrame(
    [(501, "Lakeside Ground", "Lakeside", ECHO, DELTA, ECHO, "field", DELTA, "runs", 16, "N"),
     (502, "Hilltop Oval", "Hilltop", FOXTROT, ECHO, FOXTROT, "bat", ECHO, "tie", None, "Y"),
     (503, "Lakeside Ground", "Lakeside", DELTA, FOXTROT, DELTA, "field", None, "no result", None, "N")],
    columns=["id", "venue", "city", "team1", "team2", "toss_winner", "toss_decision", "winner",
             "result", "result_margin", "super_over"])

_EXTRAS = {"wd": "wides", "nb": "noballs", "b": "byes", "lb": "legbyes"}


def _ball(code: str) -> tuple[int, int, str | None, int]:
    """(batsman_runs, extra_runs, extras_type, is_wicket) of one ball's code."""
    if code == ".":
        return 0, 0, None, 0
    if code == "W":
        return 0, 0, None, 1
    if code.isdigit():
        return int(code), 0, None, 0
    runs, kind = int(code[0]), code[1:]
    if kind == "nb":
        return runs, 1, "noballs", 0
    return 0, runs, _EXTRAS[kind], 0


def _innings(match_id: int, inning: int, bat: str, bowl: str, overs: dict) -> list[dict]:
    order = PLAYERS[bat]
    striker, non_striker, next_in = order[0], order[1], 2
    rows = []
    for over, (bowler, balls) in overs.items():
        for ball, code in enumerate(balls.split(), start=1):
            batsman_runs, extra_runs, extras_type, wicket = _ball(code)
            rows.append(dict(match_id=match_id, inning=inning, batting_team=bat, bowling_team=bowl,
                             over=over, ball=ball, batsman=striker, non_striker=non_striker,
                             bowler=bowler, batsman_runs=batsman_runs, extra_runs=extra_runs,
                             total_runs=batsman_runs + extra_runs, extras_type=extras_type,
                             is_wicket=wicket, player_dismissed=striker if wicket else None,
                             dismissal_kind="bowled" if wicket else None, fielder=None))
            if wicket:
                striker, next_in = order[next_in], next_in + 1
            ran = batsman_runs + (extra_runs - (extras_type in ("wides", "noballs"))
                                  if extras_type else 0)
            if ran % 2:
                striker, non_striker = non_striker, striker
        striker, non_striker = non_striker, striker  # the other end bowls the next over
    return rows


def _build() -> IPLData:
    deliveries = pd.DataFrame([row for spec in INNINGS for row in _innings(*spec)])
    matches = MATCHES.assign(season=2031, method=None,
                             date=pd.Timestamp("2031-04-05") + pd.to_timedelta(MATCHES["id"] - 501, unit="D"))
    return to_canonical(deliveries, matches, source="worked example", layout="synthetic")


def worked_ipl() -> IPLData:
    """(deliveries, matches) of the three worked-example matches, fresh copies each call.

    >>> deliveries, matches = worked_ipl()
    >>> len(deliveries), len(matches)
    (83, 3)
    """
    return _build()
