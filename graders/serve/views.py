"""What a student may see of a submission, and when.

A graded submission gets two pages, rendered once when it is graded and kept with it (a
newer submission never changes what an older one showed):

- the full page, the same as ``make feedback`` writes (:func:`graders.report.feedback.feedback_html`);
- the visible-checks page: for each graded cell, only what running the released notebook
  would have told the student, namely the reason when a *visible* check (or the student's own code
  in it) failed, else "visible checks passed". No points and nothing about hidden checks:
  a cell that failed a hidden check reads exactly like one that passed them all, so
  resubmitting teaches nothing the notebook does not.

Before the deadline a course with ``before_deadline = "public"`` shows the visible-checks
page and no score; after it (or with ``"all"``, or with no deadline), the full page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from ..report.feedback import feedback_html
from ..report.records import NotebookRecord
from ..report.templates import render
from .policy import SubmissionPolicy
from .store import FINAL, NOT_GRADED, SUPERSEDED, Submission, iso

VISIBLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Visible checks: {{ r.assignment }} ({{ r.student }})</title>
<style>{{ style }}</style></head><body>
<h1>Visible checks: {{ r.key }}</h1>
<p>Student: <b>{{ r.student }}</b>{% if r.timestamp %} · submitted {{ r.timestamp }}{% endif %}</p>
<p class="note">Before the deadline ({{ due }}) this page shows what the checks in your notebook show.
Your points and the hidden checks' results appear here after it.</p>
{% if not r.graded %}<p class="note"><b>This notebook could not be graded.</b> {{ r.reason }}</p>{% else %}
<table><tr><th>check</th><th>aspect</th><th>visible checks</th></tr>
{% for c in r.cells %}<tr><td>{{ c.name }}</td><td>{{ c.aspect }}</td>
<td>{% if c.manual %}<span class="wait">graded by a TA after the deadline</span>
{% elif c.not_answered %}<pre class="lost">{{ c.reason }}</pre>
{% elif c.failed_in == "visible" %}<pre class="lost">{{ c.reason }}</pre>
{% else %}<span class="ok">visible checks passed</span>{% endif %}</td></tr>
{% endfor %}</table>{% endif %}
</body></html>
"""


def visible_html(record: NotebookRecord, due: str) -> str:
    return render(VISIBLE, r=record, due=due)


def full_shown(policy: SubmissionPolicy, due: dt.datetime | None, when: dt.datetime) -> bool:
    """May the student see points and hidden results now (naive UTC ``when``)?"""
    return policy.before_deadline == "all" or due is None or when >= due


def pages_dir(state: Path, sid: str) -> Path:
    return state / "feedback" / sid


def write_pages(state: Path, sid: str, records: Sequence[NotebookRecord], due: dt.datetime | None) -> None:
    """Both pages of a graded submission (its one notebook's records)."""
    folder = pages_dir(state, sid)
    folder.mkdir(parents=True, exist_ok=True)
    due_text = f"{due:%Y-%m-%d %H:%M} UTC" if due else "none"
    (folder / "full.html").write_text("\n".join(feedback_html(r) for r in records), encoding="utf-8")
    (folder / "visible.html").write_text("\n".join(visible_html(r, due_text) for r in records), encoding="utf-8")


def page(state: Path, sub: Submission, full: bool) -> str | None:
    """The page a student may see now, or None when there is none (not graded yet)."""
    path = pages_dir(state, sub.id) / ("full.html" if full else "visible.html")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def status(sub: Submission, full: bool, due: dt.datetime | None) -> dict:
    """``GET /api/submissions/<id>``: the submission's state; points only when ``full``."""
    out = {
        "id": sub.id, "assignment": sub.assignment, "status": sub.status, "received": sub.received,
        "late": sub.late_s > 0, "seconds_late": round(sub.late_s, 1),
        "score": sub.score if full else None, "max_score": sub.max_score if full else None,
        "waiting_for_ta": sub.waiting if full else None,
        "scores_shown": full, "deadline": iso(due) if due else None,
        "feedback": f"/feedback/{sub.id}" if sub.status in FINAL else None,
    }
    if sub.status == NOT_GRADED:
        out["reason"] = sub.detail
    elif sub.status == SUPERSEDED:
        out["reason"] = sub.detail
        out["superseded_by"] = sub.superseded_by
    elif sub.detail and full:
        out["detail"] = sub.detail
    return out
