"""Grades for an LMS: one row per student, one column per grade cell and per notebook total.

Unlike ``nbgrader export``, each notebook has a status column (graded / needs manual
grading / could not grade / not submitted) and a reason, so a failed autograde is never
mistaken for a real zero.

Late penalties: nbgrader's late-submission plugin writes its penalty into the gradebook,
and that is used whenever it is non-zero. Otherwise ``late_penalty_per_day`` (a fraction of
the notebook's maximum per started day late, e.g. 0.1) is applied to late submissions,
capped so a total never goes below 0. With neither, no penalty is applied.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Sequence

from .records import GRADED, NEEDS_MANUAL, NotebookRecord


def penalty(record: NotebookRecord, late_penalty_per_day: float = 0.0) -> float:
    if record.late_penalty:
        return record.late_penalty
    if late_penalty_per_day <= 0 or record.seconds_late <= 0:
        return 0.0
    days = math.ceil(record.seconds_late / 86400)
    return min(record.score, days * late_penalty_per_day * record.max_score)


def export_rows(records: Sequence[NotebookRecord], late_penalty_per_day: float = 0.0) -> tuple[list[str], list[dict]]:
    """(header, rows): columns ``<notebook>:<cell>`` per cell, then per notebook its total,
    status, reason and late penalty, and a course total."""
    cells: dict[str, list[str]] = {}
    for r in records:
        names = cells.setdefault(r.key, [])
        names.extend(c.name for c in r.cells if c.name not in names)
    header = ["student_id"]
    for key, names in cells.items():
        header += [f"{key}:{n}" for n in names]
        header += [f"{key} total", f"{key} status", f"{key} reason", f"{key} late_penalty"]
    header.append("total")
    rows: dict[str, dict] = {}
    for r in records:
        row = rows.setdefault(r.student, {"student_id": r.student, "total": 0.0})
        scored = {c.name: c.score for c in r.cells}
        for n in cells[r.key]:
            v = scored.get(n)
            row[f"{r.key}:{n}"] = "" if v is None else f"{v:g}"
        late = penalty(r, late_penalty_per_day) if r.status in (GRADED, NEEDS_MANUAL) else 0.0
        total = r.score - late if r.status in (GRADED, NEEDS_MANUAL) else None
        row[f"{r.key} total"] = "" if total is None else f"{total:g}"
        row[f"{r.key} status"] = r.status
        row[f"{r.key} reason"] = r.reason or (
            "awaiting: " + ", ".join(c.name for c in r.cells if c.needs_manual) if r.status == NEEDS_MANUAL else "")
        row[f"{r.key} late_penalty"] = f"{late:g}"
        row["total"] += total or 0.0
    out = []
    for s in sorted(rows):
        row = rows[s]
        row["total"] = f"{row['total']:g}"
        out.append({h: row.get(h, "") for h in header})
    return header, out


def write_export(records: Sequence[NotebookRecord], path: Path, late_penalty_per_day: float = 0.0) -> Path:
    header, rows = export_rows(records, late_penalty_per_day)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return path
