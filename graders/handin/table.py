"""The table collect prints: one row per file in the zip, what happened to it and why.

Rows the user must act on (not placed) come after the placed ones, each with its reason, and
the last line counts both, so the end of a long table still says whether all went in.
"""

from __future__ import annotations

import datetime as dt

from .collect import PLACED, Outcome, Row
from .lms import LABEL

ORDER = {"placed": 0, "replaced": 0, "unchanged": 0, "not placed": 1, "ignored": 2}


def _when(r: Row) -> str:
    return r.when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M") if r.when else "-"


def render(out: Outcome, roster: str | None) -> list[str]:
    rows = sorted(out.rows, key=lambda r: (ORDER[r.result], r.entry))
    head = ("result", "student", "handed in (UTC)", "zip entry", "note")
    cells = [(r.result, r.student or "-", _when(r), r.entry, r.note) for r in rows]
    widths = [max(len(head[i]), *(len(c[i]) for c in cells)) if cells else len(head[i]) for i in range(4)]
    lines = [f"collect {out.assignment} from {out.zip.name}: {LABEL[out.lms]} layout, {len(rows)} file(s), "
             + (f"roster {roster}" if roster else "no roster")]
    for c in [head, *cells]:
        lines.append(("  " + "  ".join(f"{c[i]:<{widths[i]}}" for i in range(4)) + f"  {c[4]}").rstrip())
    placed = [r for r in rows if r.result in PLACED]
    counts = {k: sum(1 for r in placed if r.result == k) for k in PLACED}
    missing = sum(1 for r in rows if r.result == "not placed")
    lines.append(f"placed {len(placed)} file(s) for {len({r.student for r in placed})} student(s) "
                 f"({counts['placed']} new, {counts['replaced']} replacing an older one, "
                 f"{counts['unchanged']} already there); not placed: {missing}")
    return lines
