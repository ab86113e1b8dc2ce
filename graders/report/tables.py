"""The class report's tables, computed from NotebookRecords with pandas.

Each function answers one question a TA asks (how did the class score, which checks fail,
why, how slow, who loops, who waits for grading, whose submission broke) and returns a
DataFrame, so the HTML page, the CSV files and the tests all read the same numbers.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from . import messages
from .cells import function_of
from .items import item_analysis
from .records import NOT_GRADED, NOT_SUBMITTED, NotebookRecord

CELL_COLUMNS = ["student", "key", "cell", "aspect", "function", "score", "max_score", "passed",
                "manual", "needs_manual", "ename", "reason"]


def cell_frame(records: Iterable[NotebookRecord]) -> pd.DataFrame:
    """One row per grade cell of every graded notebook (awaiting cells score 0)."""
    rows = [{"student": r.student, "key": r.key, "cell": c.name, "aspect": c.aspect,
             "function": function_of(c.name), "score": c.score or 0.0, "max_score": c.max_score,
             "passed": c.passed, "manual": c.manual, "needs_manual": c.needs_manual,
             "ename": c.ename, "reason": c.reason}
            for r in records if r.graded for c in r.cells]
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def notebook_frame(records: Iterable[NotebookRecord]) -> pd.DataFrame:
    rows = [{"student": r.student, "key": r.key, "status": r.status, "reason": r.reason,
             "score": r.score, "auto_score": r.auto_score, "max_score": r.max_score,
             "late_penalty": r.late_penalty} for r in records]
    return pd.DataFrame(rows, columns=["student", "key", "status", "reason", "score", "auto_score",
                                       "max_score", "late_penalty"])


def score_summary(nbf: pd.DataFrame) -> pd.DataFrame:
    """Per notebook: graded count, mean/median/min/max score, and how many failed or were missing."""
    rows = []
    for key, grp in nbf.groupby("key", sort=True):
        graded = grp[~grp["status"].isin([NOT_GRADED, NOT_SUBMITTED])]
        s = graded["score"]
        rows.append({"notebook": key, "graded": len(graded), "could_not_grade": int((grp["status"] == NOT_GRADED).sum()),
                     "not_submitted": int((grp["status"] == NOT_SUBMITTED).sum()),
                     "max_score": float(graded["max_score"].max()) if len(graded) else 0.0,
                     "mean": s.mean() if len(s) else float("nan"), "median": s.median() if len(s) else float("nan"),
                     "min": s.min() if len(s) else float("nan"), "max": s.max() if len(s) else float("nan")})
    return pd.DataFrame(rows)


def cell_pass_rates(cf: pd.DataFrame) -> pd.DataFrame:
    """Per autograded cell: how many passed, with item analysis (hardest first)."""
    auto = cf[~cf["manual"]]
    if auto.empty:
        return pd.DataFrame(columns=["notebook", "cell", "aspect", "n", "passed", "pass_rate",
                                     "point_biserial", "discrimination"])
    rates = (auto.groupby(["key", "cell", "aspect"], sort=False)
             .agg(n=("passed", "size"), passed=("passed", "sum")).reset_index()
             .rename(columns={"key": "notebook"}))
    rates["pass_rate"] = rates["passed"] / rates["n"]
    items = item_analysis(cf)[["notebook", "cell", "point_biserial", "discrimination"]]
    return rates.merge(items, on=["notebook", "cell"], how="left").sort_values(
        ["pass_rate", "notebook", "cell"], kind="mergesort").reset_index(drop=True)


def aspect_pass_rates(cf: pd.DataFrame) -> pd.DataFrame:
    auto = cf[~cf["manual"]]
    out = auto.groupby("aspect").agg(n=("passed", "size"), passed=("passed", "sum")).reset_index()
    out["pass_rate"] = out["passed"] / out["n"]
    return out.sort_values("pass_rate", kind="mergesort").reset_index(drop=True)


def common_failures(cf: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """Failure messages grouped by their normalised first line, most frequent first."""
    lost = cf[(~cf["manual"]) & (cf["reason"] != "")].copy()
    if lost.empty:
        return pd.DataFrame(columns=["message", "count", "students", "cells", "example"])
    lost["message"] = lost["reason"].map(messages.normalise)
    groups = lost.groupby("message").agg(
        count=("cell", "size"), students=("student", "nunique"),
        cells=("cell", lambda c: ", ".join(sorted(set(c)))),
        example=("reason", lambda r: messages.headline(r.iloc[0]))).reset_index()
    return groups.sort_values(["count", "message"], ascending=[False, True], kind="mergesort").head(top).reset_index(drop=True)


def speed_ratios(cf: pd.DataFrame) -> pd.DataFrame:
    """The "Nx slower" figure of every failed speed cell."""
    rows = []
    for row in cf[(cf["aspect"] == "speed") & (cf["reason"] != "")].itertuples():
        parsed = messages.speed_ratio(row.reason)
        if parsed:
            rows.append({"student": row.student, "notebook": row.key, "cell": row.cell,
                         "ratio": parsed[0], "lower_bound": parsed[1]})
    return pd.DataFrame(rows, columns=["student", "notebook", "cell", "ratio", "lower_bound"])


def loop_usage(cf: pd.DataFrame) -> pd.DataFrame:
    """Per loops cell: how many graded submissions still loop in Python."""
    loops = cf[cf["aspect"] == "loops"].copy()
    loops["loops"] = loops["reason"].map(messages.uses_loops)
    out = loops.groupby(["key", "cell"]).agg(n=("loops", "size"), using_loops=("loops", "sum")).reset_index()
    out["share"] = out["using_loops"] / out["n"]
    return out.rename(columns={"key": "notebook"})


def manual_queue(cf: pd.DataFrame) -> pd.DataFrame:
    """Who still needs manual grading, and which cells."""
    wait = cf[cf["needs_manual"]]
    return (wait.groupby(["student", "key"])["cell"].agg(lambda c: ", ".join(c)).reset_index()
            .rename(columns={"key": "notebook", "cell": "cells"}))


def not_graded(nbf: pd.DataFrame) -> pd.DataFrame:
    """Submissions that could not be graded, and why."""
    bad = nbf[nbf["status"] == NOT_GRADED]
    return bad[["student", "key", "reason"]].rename(columns={"key": "notebook"}).reset_index(drop=True)
