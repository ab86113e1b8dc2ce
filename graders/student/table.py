"""The text a student reads after a check: one row per grade cell, then warnings and timing.

Plain text, no colours, so it reads the same in a terminal, a CI log and a Jupyter cell.
Messages are indented under their row so a multi-line check message (YOUR OUTPUT /
EXPECTED / Hint) keeps its shape.
"""

from __future__ import annotations

from .integrity import CellWarning
from .run import CellOutcome, RunTimes

LABELS = {
    "pass": "PASS",
    "fail": "FAIL",
    "not answered": "TODO",
    "timeout": "TIMEOUT",
    "hidden": "hidden",
    "manual": "manual",
}


def _points(p: float) -> str:
    return f"{p:g}"


def _count(n: float, word: str) -> str:
    """``1 point``, ``2 points``: the summary line is read by students, not parsed."""
    return f"{_points(n)} {word}{'' if n == 1 else 's'}"


def render(name: str, outcomes: list[CellOutcome], warnings: list[CellWarning],
           times: RunTimes | None, total: float, release: str | None) -> str:
    """The whole report as one string."""
    width = max([len("grade cell")] + [len(o.grade_id) for o in outcomes])
    lines = [f"check {name}" + (f"  (test cells compared with {release})" if release else
                                "  (released notebook not found: test cells not compared)"),
             f"  {'grade cell':<{width}}  {'points':>6}  result"]
    for o in outcomes:
        lines.append(f"  {o.grade_id:<{width}}  {_points(o.points):>6}  {LABELS[o.status]}")
        for text in o.message.splitlines():
            lines.append(f"  {'':<{width}}  {'':>6}    {text}")
    public = [o for o in outcomes if o.status not in ("hidden", "manual")]
    passed = [o for o in public if o.status == "pass"]
    hidden = [o for o in outcomes if o.status == "hidden"]
    manual = [o for o in outcomes if o.status == "manual"]
    summary = (f"{len(passed)}/{len(public)} public checks passed "
               f"({_points(sum(o.points for o in passed))}/"
               f"{_count(sum(o.points for o in public), 'point')})")
    if hidden:
        summary += (f"; {_count(len(hidden), 'cell')} checked only at grading "
                    f"({_count(sum(o.points for o in hidden), 'point')})")
    if manual:
        summary += (f"; {_count(len(manual), 'written answer')} "
                    f"({_count(sum(o.points for o in manual), 'point')}) marked by a TA")
    lines.append(summary)
    if public:
        lines.append("Passing a public check is a good sign, not the grade: hidden checks on other inputs run at grading.")
    for w in warnings:
        lines.append(f"WARNING: {w.message}")
    if times is not None:
        lines.append(f"time: {total:.1f} s (kernel start {times.kernel_start:.1f} s, "
                     f"cells {times.run:.1f} s)")
    return "\n".join(lines)
