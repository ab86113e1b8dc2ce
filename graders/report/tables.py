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
                "manual", "needs_manual", "ename", "reason", "results"]


def cell_frame(records: Iterable[NotebookRecord]) -> pd.DataFrame:
    """One row per grade cell of every graded notebook (awaiting cells score 0)."""
    rows = [{"student": r.student, "key": r.key, "cell": c.name, "aspect": c.aspect,
             "function": function_of(c.name), "score": c.score or 0.0, "max_score": c.max_score,
             "passed": c.passed, "manual": c.manual, "needs_manual": c.needs_manual,
             "ename": c.ename, "reason": c.reason, "results": c.results}
            for r in records if r.graded for c in r.cells]
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def notebook_frame(records: Iterable[NotebookRecord]) -> pd.DataFrame:
    rows = [{"student": r.student, "key": r.key, "status": r.status, "reason": r.reason,
             "score": r.score, "auto_score": r.auto_score, "max_score": r.max_score,
             "late_penalty": r.late_penalty} for r in records]
    return pd.DataFrame(rows, columns=["student", "key", "status", "reason", "score", "auto_score",
                                       "max_score", "late_penalty"])


def score_summary(nbf: pd.DataFrame) -> pd.DataFrame:
    """Per notebook: graded count, mean/median/min/max score, and who could not be graded
    or submitted nothing (counts and names)."""
    rows = []
    for key, grp in nbf.groupby("key", sort=True):
        graded = grp[~grp["status"].isin([NOT_GRADED, NOT_SUBMITTED])]
        s = graded["score"]
        broken = sorted(grp.loc[grp["status"] == NOT_GRADED, "student"])
        missing = sorted(grp.loc[grp["status"] == NOT_SUBMITTED, "student"])
        rows.append({"notebook": key, "graded": len(graded), "could_not_grade": len(broken),
                     "not_submitted": len(missing),
                     "max_score": float(graded["max_score"].max()) if len(graded) else 0.0,
                     "mean": s.mean() if len(s) else float("nan"), "median": s.median() if len(s) else float("nan"),
                     "min": s.min() if len(s) else float("nan"), "max": s.max() if len(s) else float("nan"),
                     "who_could_not_be_graded": ", ".join(broken), "who_submitted_nothing": ", ".join(missing)})
    return pd.DataFrame(rows, columns=["notebook", "graded", "could_not_grade", "not_submitted", "max_score", "mean",
                                       "median", "min", "max", "who_could_not_be_graded", "who_submitted_nothing"])


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


def struggles(cf: pd.DataFrame, rates: pd.DataFrame, top: int = 5, causes: int = 3) -> pd.DataFrame:
    """The ``top`` autograded cells passed least often (and not by everyone), each with its
    ``causes`` most common failure messages (grouped as in :func:`common_failures`): a
    count and one student's message as the example."""
    columns = ["notebook", "cell", "aspect", "pass_rate", "failed", "cause", "count", "example"]
    hard = rates[rates["pass_rate"] < 1].head(top)
    rows = []
    for cell in hard.itertuples():
        lost = cf[(cf["key"] == cell.notebook) & (cf["cell"] == cell.cell) & (~cf["passed"]) & (~cf["manual"])]
        lost = lost.assign(cause=lost["reason"].map(lambda r: messages.normalise(r) or "(no message)"))
        groups = lost.groupby("cause").agg(count=("student", "size"),
                                           example=("reason", lambda r: messages.headline(r.iloc[0])))
        groups = groups.reset_index().sort_values(["count", "cause"], ascending=[False, True], kind="mergesort")
        for g in groups.head(causes).itertuples():
            rows.append({"notebook": cell.notebook, "cell": cell.cell, "aspect": cell.aspect,
                         "pass_rate": cell.pass_rate, "failed": int(cell.n - cell.passed), "cause": g.cause,
                         "count": int(g.count), "example": g.example})
    return pd.DataFrame(rows, columns=columns)


FLAG_DISCRIMINATION = 0.2
"""Below this upper-lower discrimination index a cell barely tells strong students from weak."""


def flagged_items(rates: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Cells whose item analysis deserves the author's look, each explained in words."""
    rows = []
    for r in rates.itertuples():
        d = r.discrimination
        if r.n < min_n or not 0 < r.pass_rate < 1 or pd.isna(d) or d >= FLAG_DISCRIMINATION:
            continue
        if d < 0:
            why = (f"students who did worse on the rest of the notebook pass it more often than those who did "
                   f"better (discrimination {d:.2f}): check that the test asks what the task says")
        else:
            why = (f"strong and weak students pass it about equally often (discrimination {d:.2f}): it may "
                   "test something the rest of the notebook does not, or depend on luck")
        rows.append({"notebook": r.notebook, "cell": r.cell, "pass_rate": r.pass_rate, "n": int(r.n),
                     "why": f"{r.cell} is passed by {100 * r.pass_rate:.0f}% of {int(r.n)}; {why}."})
    return pd.DataFrame(rows, columns=["notebook", "cell", "pass_rate", "n", "why"])


def _last(results: tuple, check: str, key: str) -> dict | None:
    """The last stored result of ``check`` (or of a check whose name starts with it) that
    holds ``key`` in its details."""
    for r in reversed(results or ()):
        if str(r.get("check", "")).startswith(check) and key in (r.get("details") or {}):
            return r
    return None


def speed_ratios(cf: pd.DataFrame) -> pd.DataFrame:
    """The measured ratio to the reference of every speed cell, passing ones too, from the
    check's stored figures (never from its message)."""
    rows = []
    for row in cf[cf["aspect"] == "speed"].itertuples():
        found = _last(row.results, "check_speed", "ratio")
        if found is None or found["details"].get("ratio") is None:
            continue
        d = found["details"]
        rows.append({"student": row.student, "notebook": row.key, "cell": row.cell, "ratio": float(d["ratio"]),
                     "allowed": d.get("max_ratio"), "lower_bound": bool(d.get("lower_bound")),
                     "passed": bool(row.passed)})
    return pd.DataFrame(rows, columns=["student", "notebook", "cell", "ratio", "allowed", "lower_bound", "passed"])


def loop_usage(cf: pd.DataFrame) -> pd.DataFrame:
    """Per loops cell: how many graded submissions still loop in Python, from the loop
    check's stored findings (static scan or trace)."""
    rows = []
    for row in cf[cf["aspect"] == "loops"].itertuples():
        found = _last(row.results, "check_no_loops", "static_flagged")
        if found is not None:
            d = found["details"]
            rows.append({"key": row.key, "cell": row.cell,
                         "loops": bool(d.get("static_flagged") or d.get("dynamic_flagged"))})
    loops = pd.DataFrame(rows, columns=["key", "cell", "loops"])
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
