"""Everything a gradebook says about a class's grades, as plain rows to compare."""

from __future__ import annotations


def gradebook_rows(db_url: str, assignment: str) -> dict:
    """{(student, notebook, cell): (auto_score, manual_score, max_score, needs_manual_grade,
    auto_comment)}, plus each submission's late flag: what formgrader, feedback and export read."""
    from nbgrader.api import Gradebook

    rows: dict = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                for g in nb.grades:
                    rows[(sub.student.id, nb.name, g.name)] = (
                        g.auto_score, g.manual_score, g.max_score, g.needs_manual_grade)
                for c in nb.comments:
                    rows[(sub.student.id, nb.name, c.name, "comment")] = (c.auto_comment, c.manual_comment)
            rows[(sub.student.id, "late")] = (sub.total_seconds_late,)
    return rows
