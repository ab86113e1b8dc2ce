"""Are the public checks worth running? Measured on the key and on every archetype mistake."""

import pytest

from samples.public_checks import ASSIGNMENTS, archetype_results, failing, run_release, solutions

GOAL = 0.85
"""At least this share of the archetype mistakes fails a public check."""

HIDDEN_ONLY = {("06_ipl_pipeline", "hardcoded"): "returns the public example's answer as a literal"}
"""Mistakes no public check can catch, and why: only fresh hidden inputs expose them."""

_RESULTS: dict = {}


def results(assignment):
    if assignment not in _RESULTS:
        _RESULTS[assignment] = archetype_results(assignment)
    return _RESULTS[assignment]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_correct_answers_pass_every_public_check(assignment):
    """Does the instructor's answer, typed into the released notebook, pass every visible check?"""
    assert failing(run_release(assignment, solutions(assignment))) == set()


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_checks_catch_the_archetype_mistakes(assignment):
    """Does every archetype fail a visible check (bar the listed hidden-only ones), and only in
    cells the hidden checks would also take from it?"""
    missed = [r.archetype for r in results(assignment)
              if not r.caught and (assignment, r.archetype) not in HIDDEN_ONLY]
    assert missed == []
    overreach = {r.archetype: sorted(r.public_failures - r.must_lose) for r in results(assignment)
                 if r.public_failures - r.must_lose}
    assert overreach == {}


@pytest.mark.slow
def test_at_least_85_percent_of_mistakes_are_caught_publicly():
    """Over every notebook, do the public checks catch at least 85% of the archetype mistakes?"""
    everything = [r for a in ASSIGNMENTS for r in results(a)]
    share = sum(r.caught for r in everything) / len(everything)
    assert share >= GOAL, f"{share:.0%} caught"
