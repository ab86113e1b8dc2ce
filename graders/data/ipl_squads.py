"""Teams, venues, players and their skills for the synthetic IPL.

Real ball-by-ball data owes its shape to people: openers score faster than tail-enders,
a few bowlers are much cheaper than the rest, and a franchise fields much the same eleven
all season. Modelling players (rather than drawing every ball from one distribution) is
what gives the synthetic data believable top scores, strike rates and economy rates. All
names are invented; none refers to a real player or franchise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FIRST_SEASON = 2008
CORE_TEAMS = [
    ("Mumbai Tides", "Mumbai", "Harbour Oval"),
    ("Chennai Lions", "Chennai", "Marina Park Ground"),
    ("Kolkata Tigers", "Kolkata", "Hooghly Riverside Stadium"),
    ("Bengaluru Falcons", "Bengaluru", "Garden City Stadium"),
    ("Delhi Comets", "Delhi", "Yamuna Cricket Ground"),
    ("Hyderabad Hawks", "Hyderabad", "Deccan Plateau Stadium"),
    ("Jaipur Jaguars", "Jaipur", "Pink City Oval"),
    ("Mohali Mavericks", "Mohali", "Shivalik Park"),
]
EXTRA_TEAMS = {
    "Pune Panthers": ("Pune", "Sahyadri Stadium"),
    "Kochi Waves": ("Kochi", "Backwater Ground"),
    "Lucknow Lancers": ("Lucknow", "Gomti Nagar Stadium"),
    "Ahmedabad Arrows": ("Ahmedabad", "Sabarmati Stadium"),
}
SURNAMES = (
    "Sharma Verma Iyer Nair Reddy Patel Shah Gupta Singh Yadav Kumar Rao Menon Pillai Das "
    "Bose Sen Joshi Kulkarni Desai Pandey Mishra Tiwari Chauhan Rathore Thakur Naidu Gill "
    "Sandhu Bhatt Mehta Kapoor Malhotra Saxena Agarwal Banerjee Chatterjee Mukherjee Ghosh "
    "Dutta Kaul Rana Negi Bisht Shetty Hegde Kamath Prabhu Srinivasan Raman Krishnan Varma "
    "Mathew Thomas Fernandes DSouza Pereira Khan Qureshi Ansari Siddiqui Mirza Baig Walsh "
    "Morgan Hughes Clarke Fletcher Harris Brooks Taylor Bennett Foster Carter Mills Reid Hall "
    "Stewart Pieterse Botha Jansen Nel Smit Pretorius Mendis Perera Silva Fernando Holder "
    "Joseph Charles Samuels Rahman Hasan Nabi Zadran Boult Latham Neesham Santner"
).split()
INITIALS = [a for a in "ABCDGHJKMNPRSTVY"] + ["AB", "MS", "KL", "SK", "RK", "VV", "JP", "DJ"]
ROLE_COUNTS = {"batter": 6, "keeper": 1, "allrounder": 4, "bowler": 7}  # an 18-player squad
XI_COUNTS = {"batter": 4, "keeper": 1, "allrounder": 2, "bowler": 4}


@dataclass(frozen=True)
class Players:
    """Every player ever drawn, as parallel arrays indexed by player id."""

    names: np.ndarray  # str
    role: np.ndarray  # str
    bat_power: np.ndarray  # run-making multiplier (1 = average specialist batter)
    bat_guard: np.ndarray  # wicket-risk multiplier (lower survives longer)
    bowl_econ: np.ndarray  # runs-conceded multiplier (lower is cheaper)
    bowl_strike: np.ndarray  # wicket-taking multiplier


def teams_for_season(season: int) -> list[tuple[str, str, str]]:
    """(team, city, home venue) for one season: 8 teams, with expansions as the league grew."""
    extra = []
    if season == 2011:
        extra = ["Pune Panthers", "Kochi Waves"]
    elif season in (2012, 2013):
        extra = ["Pune Panthers"]
    elif season >= 2022:
        extra = ["Lucknow Lancers", "Ahmedabad Arrows"]
    return CORE_TEAMS + [(t, *EXTRA_TEAMS[t]) for t in extra]


def _draw_skills(rng: np.random.Generator, roles: np.ndarray) -> dict[str, np.ndarray]:
    """Lognormal skills whose centre depends on role: tail-enders bat badly, batters rarely bowl."""
    centre = {  # (power, guard, econ, strike) log-means
        "batter": (0.0, 0.0, 0.25, -0.3),
        "keeper": (-0.05, 0.05, 0.3, -0.4),
        "allrounder": (-0.1, 0.15, 0.06, -0.08),
        "bowler": (-0.35, 0.35, 0.0, 0.0),
    }
    spread = (0.16, 0.2, 0.1, 0.16)
    out = np.empty((len(roles), 4))
    for j in range(4):
        mu = np.array([centre[r][j] for r in roles])
        out[:, j] = np.exp(mu + spread[j] * rng.standard_normal(len(roles)))
    return {"bat_power": out[:, 0], "bat_guard": out[:, 1], "bowl_econ": out[:, 2], "bowl_strike": out[:, 3]}


def _unique_names(rng: np.random.Generator, n: int) -> np.ndarray:
    pool = np.array([f"{i} {s}" for s in SURNAMES for i in INITIALS])
    if n > len(pool):
        pool = np.array([f"{name} {k}" for k in range(1, n // len(pool) + 2) for name in pool])
    return pool[rng.permutation(len(pool))[:n]]


def build_league(rng: np.random.Generator, seasons: list[int], retain: float = 0.7):
    """Players plus squads[season][team] -> {role: array of player ids}.

    Each squad keeps about `retain` of last season's players per role and refills from
    new players, so a team is stable within a season and evolves across seasons.
    """
    roles: list[str] = []
    squads: dict[int, dict[str, dict[str, np.ndarray]]] = {}
    previous: dict[str, dict[str, np.ndarray]] = {}

    def new_ids(role: str, k: int) -> np.ndarray:
        start = len(roles)
        roles.extend([role] * k)
        return np.arange(start, start + k)

    for season in seasons:
        squads[season] = {}
        for team, _, _ in teams_for_season(season):
            squad = {}
            for role, k in ROLE_COUNTS.items():
                kept = previous.get(team, {}).get(role, np.array([], dtype=int))
                kept = kept[rng.random(len(kept)) < retain][:k]
                squad[role] = np.concatenate([kept, new_ids(role, k - len(kept))]).astype(int)
            squads[season][team] = squad
        previous = squads[season]
    role_arr = np.array(roles)
    players = Players(names=_unique_names(rng, len(roles)), role=role_arr, **_draw_skills(rng, role_arr))
    return players, squads


def pick_eleven(rng: np.random.Generator, players: Players, squad: dict[str, np.ndarray]):
    """Batting order (11 ids) and bowling options (6 ids) for one match.

    The best players by a noisy rating play, so the first choice eleven plays most games
    and fringe players get the odd match.
    """
    chosen = {}
    for role, k in XI_COUNTS.items():
        ids = squad[role]
        if role in ("bowler",):
            rating = -np.log(players.bowl_econ[ids]) * 3 + np.log(players.bowl_strike[ids])
        elif role == "allrounder":
            rating = np.log(players.bat_power[ids]) - np.log(players.bowl_econ[ids]) * 3
        else:
            rating = np.log(players.bat_power[ids]) - 0.5 * np.log(players.bat_guard[ids])
        rating = rating + 0.08 * rng.standard_normal(len(ids))
        chosen[role] = ids[np.argsort(-rating)[:k]]
    top = np.concatenate([chosen["batter"], chosen["keeper"]])
    top = top[np.argsort(players.bat_guard[top] / players.bat_power[top] ** 0.5)]
    tail = chosen["bowler"][np.argsort(players.bat_guard[chosen["bowler"]])]
    order = np.concatenate([top, chosen["allrounder"], tail])
    bowlers = np.concatenate([chosen["bowler"], chosen["allrounder"]])
    return order, bowlers, chosen["keeper"][0]


# Templates of which bowling option (0-3 specialists, 4-5 all-rounders) bowls each over.
# Each is legal: nobody bowls two overs running or more than four in total.
_PLANS = np.array([
    [0, 1, 0, 1, 2, 3, 4, 2, 5, 4, 3, 5, 2, 4, 3, 0, 1, 2, 0, 1],
    [0, 1, 0, 2, 1, 3, 4, 3, 5, 4, 2, 5, 3, 4, 2, 1, 0, 3, 1, 0],
    [1, 0, 2, 0, 1, 3, 5, 4, 3, 5, 2, 4, 3, 2, 4, 0, 1, 2, 0, 1],
    [0, 2, 0, 1, 2, 1, 4, 3, 4, 5, 3, 5, 3, 2, 4, 1, 0, 2, 0, 1],
])


def bowling_plan(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 20) over -> bowling-option index, from a random legal template per innings."""
    return _PLANS[rng.integers(0, len(_PLANS), n)]
