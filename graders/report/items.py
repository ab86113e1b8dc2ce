"""Item analysis: which grade cells separate strong students from weak ones.

Two classical statistics from test theory, per cell, over graded submissions:
- point-biserial correlation between passing the cell (0/1) and the *rest* of the score
  (the total without this cell, so a heavy cell does not correlate with itself);
- the upper-lower discrimination index: pass rate among the top 27% by rest-score minus
  the pass rate among the bottom 27%.
A cell near 0 (or negative) does not tell strong from weak: worth a look by the author.
"""

from __future__ import annotations

import math

import pandas as pd

UPPER_LOWER = 0.27


def point_biserial(passed: pd.Series, rest: pd.Series) -> float:
    """Pearson correlation of a 0/1 item with a score; NaN when either is constant."""
    x = passed.astype(float)
    y = rest.astype(float)
    if len(x) < 2 or x.std(ddof=0) == 0 or y.std(ddof=0) == 0:
        return math.nan
    return float(((x - x.mean()) * (y - y.mean())).mean() / (x.std(ddof=0) * y.std(ddof=0)))


def discrimination(passed: pd.Series, rest: pd.Series, share: float = UPPER_LOWER) -> float:
    """Pass rate of the top ``share`` by rest-score minus that of the bottom ``share``.

    Groups hold at least one student; ties at the border are broken by row order, which
    is stable (students sorted by id), so the index is reproducible.
    """
    n = len(passed)
    if n < 2:
        return math.nan
    k = max(1, int(round(n * share)))
    order = rest.astype(float).reset_index(drop=True).sort_values(kind="mergesort").index
    p = passed.astype(float).reset_index(drop=True)
    return float(p.iloc[order[-k:]].mean() - p.iloc[order[:k]].mean())


def item_analysis(cells: pd.DataFrame) -> pd.DataFrame:
    """Per autograded cell: n, pass rate, point-biserial r, discrimination index.

    ``cells`` has one row per (student, notebook key, cell) with columns key, student, cell,
    score, max_score, passed, manual (as made by classreport.cell_frame).
    """
    auto = cells[~cells["manual"]]
    totals = auto.groupby(["key", "student"])["score"].sum()
    rows = []
    for (key, cell), grp in auto.groupby(["key", "cell"], sort=False):
        grp = grp.sort_values("student")
        rest = totals.loc[[(key, s) for s in grp["student"]]].to_numpy() - grp["score"].to_numpy()
        rest = pd.Series(rest)
        passed = grp["passed"].reset_index(drop=True)
        rows.append({"notebook": key, "cell": cell, "n": len(grp), "pass_rate": float(passed.mean()),
                     "point_biserial": point_biserial(passed, rest),
                     "discrimination": discrimination(passed, rest)})
    return pd.DataFrame(rows, columns=["notebook", "cell", "n", "pass_rate", "point_biserial",
                                       "discrimination"])
