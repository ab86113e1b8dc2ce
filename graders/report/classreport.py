"""The class report: one HTML page (tables and embedded figures) plus CSV files.

For one assignment or the whole course: score distributions, pass rates per cell and per
aspect, grouped failure messages, speed ratios, loop usage, item analysis, who waits for
manual grading and which submissions could not be graded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd
from markupsafe import Markup

from . import figures, tables
from .records import NotebookRecord
from .templates import REPORT, render


@dataclass(frozen=True)
class Headline:
    """The figures `make report` prints."""

    students: int
    means: dict[str, float]
    """Mean raw score per notebook over graded submissions."""
    max_scores: dict[str, float]
    hardest: tuple[str, float] | None
    """(notebook/cell, pass rate) of the autograded cell passed least often."""
    could_not_grade: int
    awaiting_manual: int

    def lines(self) -> list[str]:
        out = [f"students: {self.students}"]
        for k, m in self.means.items():
            shown = "n/a" if math.isnan(m) else f"{m:.1f}"
            out.append(f"mean {k}: {shown} / {self.max_scores.get(k, 0):g}")
        if self.hardest:
            out.append(f"hardest cell: {self.hardest[0]} ({100 * self.hardest[1]:.0f}% pass)")
        out.append(f"could not grade: {self.could_not_grade}; awaiting manual grading: {self.awaiting_manual}")
        return out


def headline(records: Sequence[NotebookRecord]) -> Headline:
    nbf = tables.notebook_frame(records)
    cf = tables.cell_frame(records)
    summary = tables.score_summary(nbf)
    rates = tables.cell_pass_rates(cf)
    hardest = None
    if len(rates):
        top = rates.iloc[0]
        hardest = (f"{top['notebook']}:{top['cell']}", float(top["pass_rate"]))
    return Headline(
        students=int(nbf.loc[nbf["status"] != "not submitted", "student"].nunique()),
        means={r.notebook: float(r.mean) for r in summary.itertuples()},
        max_scores={r.notebook: float(r.max_score) for r in summary.itertuples()},
        hardest=hardest,
        could_not_grade=int((nbf["status"] == "could not grade").sum()),
        awaiting_manual=int(nbf["status"].eq("needs manual grading").sum()))


def _table(df: pd.DataFrame) -> Markup:
    """A table as HTML that the page shows as a table: pandas escapes every value
    (``escape=True``), so the markup itself is marked safe for the autoescaping template."""
    if df.empty:
        return Markup("<p><i>none</i></p>")
    shown = df.drop(columns=[c for c in df.columns if c == "results"])
    return Markup(shown.to_html(index=False, escape=True, float_format=lambda x: f"{x:.2f}", na_rep="–",
                                border=0, classes="data"))


def report_html(records: Sequence[NotebookRecord], scope: str) -> tuple[str, dict[str, pd.DataFrame]]:
    """(page, {name: table}) for ``records``; the tables are what the CSV files hold.

    The page reads top down in the order a TA asks: how did the class do (per notebook and
    per aspect), where does it struggle and why, how fast and loop-free is its code, which
    grade cells deserve the author's look, who waits for a TA or could not be graded, and
    only then every grade cell."""
    nbf = tables.notebook_frame(records)
    cf = tables.cell_frame(records)
    rates = tables.cell_pass_rates(cf)
    t = {
        "scores": tables.score_summary(nbf),
        "aspects": tables.aspect_pass_rates(cf),
        "struggles": tables.struggles(cf, rates),
        "speed": tables.speed_ratios(cf),
        "loops": tables.loop_usage(cf),
        "items": tables.flagged_items(rates),
        "manual": tables.manual_queue(cf),
        "not_graded": tables.not_graded(nbf),
        "failures": tables.common_failures(cf),
        "cells": rates,
    }
    graded = nbf[nbf["status"].isin(["graded", "needs manual grading"])]
    hist = None
    if len(graded):
        hist = figures.score_histograms({k: list(g["score"]) for k, g in graded.groupby("key")},
                                        {r.notebook: r.max_score for r in t["scores"].itertuples()})
    aspect_fig = figures.pass_rate_bars(dict(zip(t["aspects"]["aspect"], t["aspects"]["pass_rate"])),
                                        "pass rate per aspect") if len(t["aspects"]) else None
    speed_fig = figures.ratio_histogram(list(t["speed"]["ratio"])) if len(t["speed"]) else None
    sections = [
        ("summary", "Summary per notebook", "Raw points over graded submissions; cells awaiting a TA count 0.",
         _table(t["scores"]), hist),
        ("aspects", "Summary per aspect", "Share of autograded cells passed, per thing graded.",
         _table(t["aspects"]), aspect_fig),
        ("struggles", "Where the class struggles",
         "The five grade cells passed least often, each with its most common failures (messages grouped with "
         "numbers and inputs replaced by N and …), how many students failed that way, and one example.",
         _table(t["struggles"]), None),
        ("speed", "Speed against the reference",
         "Every speed check's measured CPU-time ratio to the reference, passing ones too; allowed is the limit.",
         _table(t["speed"]), speed_fig),
        ("loops", "Loop use", "Per loops cell: submissions whose graded function still loops in Python.",
         _table(t["loops"]), None),
        ("items", "Grade cells worth a look",
         "Item analysis: cells that do not separate students who did well on the rest of the notebook from "
         "those who did not.", _table(t["items"]), None),
        ("manual", "Needs manual grading", "", _table(t["manual"]), None),
        ("not-graded", "Could not be graded", "", _table(t["not_graded"]), None),
        ("failures", "All failure messages, grouped", "Most frequent first.", _table(t["failures"]), None),
        ("cells", "Every grade cell", "Hardest first. point_biserial: correlation of passing with the rest of the "
         "score; discrimination: pass rate of the top 27% minus the bottom 27% (by rest of score).",
         _table(t["cells"]), None),
    ]
    head = headline(records).lines()
    return render(REPORT, scope=scope, headline=head, sections=sections), t


def write_report(records: Sequence[NotebookRecord], scope: str, out_dir: Path) -> list[Path]:
    """Write ``<scope>.html`` and ``<scope>-<table>.csv`` files; returns the paths (HTML first)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page, t = report_html(records, scope)
    html_path = out_dir / f"{scope}.html"
    html_path.write_text(page, encoding="utf-8")
    paths = [html_path]
    for name, df in t.items():
        p = out_dir / f"{scope}-{name}.csv"
        df.to_csv(p, index=False)
        paths.append(p)
    return paths
