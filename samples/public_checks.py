"""Run a released notebook's public checks on the key and on each archetype wrong answer.

What a student sees before handing in is the visible part of each grade cell, run in their
own kernel. This fills the *released* notebook's answer cells (the instructor's solutions,
with an archetype's cells swapped in) and runs it exactly as ``python -m graders check``
does, so the figures say what a student's public checks catch.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import nbformat

from graders.student.check import FAILING
from graders.student.run import CellOutcome, run_public_checks
from samples.course import REPO, solutions, with_answers
from samples.archetypes import MODULES, suite

__all__ = ["ASSIGNMENTS", "archetype_results", "failing", "run_release", "solutions"]


def run_release(assignment: str, answers: Mapping[str, str], release: Path | None = None) -> list[CellOutcome]:
    """The public checks' verdicts on the released notebook with ``answers`` filled in."""
    path = release or REPO / "release" / assignment / f"{assignment}.ipynb"
    nb = with_answers(nbformat.read(path, 4), answers)
    with tempfile.TemporaryDirectory() as folder:
        filled = Path(folder) / f"{assignment}.ipynb"
        nbformat.write(nb, filled)
        outcomes, _ = run_public_checks(filled, nb, timeout=60)
    return outcomes


def failing(outcomes: list[CellOutcome]) -> set[str]:
    return {o.grade_id for o in outcomes if o.status in FAILING}


@dataclass(frozen=True)
class Caught:
    """One archetype: the grade cells its public checks fail, and those it must lose when graded."""

    assignment: str
    archetype: str
    public_failures: frozenset[str]
    must_lose: frozenset[str]

    @property
    def caught(self) -> bool:
        return bool(self.public_failures)


def archetype_results(assignment: str) -> list[Caught]:
    key = solutions(assignment)
    out = []
    for name, (answers, lose) in suite(assignment).ARCHETYPES.items():
        fails = failing(run_release(assignment, {**key, **answers}))
        out.append(Caught(assignment, name, frozenset(fails), frozenset(lose)))
    return out


ASSIGNMENTS = list(MODULES)
