"""Does every exercise notebook grade each aspect separately through real nbgrader autograde?

For each notebook: the instructor's notebook submitted as is gets every automatic point; the
untouched release gets none, without a crash; and each archetype (a plausible wrong answer,
samples/archetypes/) loses exactly the grade cells written beside it and keeps the rest.
"""

import pytest

from samples.course import grade_submissions, lost
from samples.archetypes import MODULES, suite

pytestmark = pytest.mark.slow
_GRADED: dict[str, dict] = {}


def graded(tmp_path_factory, assignment):
    """Grade the key, the release and every archetype of one notebook, once per session."""
    if assignment not in _GRADED:
        archetypes = {n: answers for n, (answers, _) in suite(assignment).ARCHETYPES.items()}
        _GRADED[assignment] = grade_submissions(tmp_path_factory.mktemp(assignment), assignment, archetypes)
    return _GRADED[assignment]


CASES = [(a, name) for a in MODULES for name in sorted(suite(a).ARCHETYPES)]


@pytest.mark.parametrize("assignment", list(MODULES))
def test_key_gets_every_automatic_point(tmp_path_factory, assignment):
    """Does the instructor's notebook, submitted as is, get every automatic point?"""
    scores = graded(tmp_path_factory, assignment)["key"]
    auto = suite(assignment).AUTO
    assert auto <= set(scores)
    assert lost(scores) & auto == set()


@pytest.mark.parametrize("assignment", list(MODULES))
def test_release_gets_zero_without_crash(tmp_path_factory, assignment):
    """Is the untouched release graded, losing every automatic point?"""
    auto = suite(assignment).AUTO
    assert lost(graded(tmp_path_factory, assignment)["blank"]) & auto == auto


@pytest.mark.parametrize("assignment", list(MODULES))
def test_written_answers_are_left_to_a_ta(tmp_path_factory, assignment):
    """Is every written answer (task cell) a graded item awaiting a TA, worth its points?"""
    scores = graded(tmp_path_factory, assignment)["key"]
    written = {g for g in scores if g.endswith("_written")}
    assert written == set(scores) - suite(assignment).AUTO


@pytest.mark.parametrize("assignment, archetype", CASES)
def test_archetype_loses_exactly_its_aspects(tmp_path_factory, assignment, archetype):
    """Does each wrong submission lose exactly the points of what it gets wrong?"""
    scores = graded(tmp_path_factory, assignment)[archetype]
    expected = suite(assignment).ARCHETYPES[archetype][1]
    assert lost(scores) & suite(assignment).AUTO == expected
