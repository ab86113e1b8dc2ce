"""Does 01_mcq grade right through real nbgrader: full marks for the key, zero for the
release, forgiving on form, strict on content, and manual points left to the TA?"""

import pytest

from samples.course import Course, lost, with_answers

KEY = dict(zip([f"q{i}" for i in range(1, 18)], "cdccdbcbcbadbcdab"))
MCQ = set(KEY)
WRITTEN = {"broadcasting_written", "transpose_written", "maximum_written",
           "normalisation_written", "initialisation_written"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("mcq"), ["01_mcq"])
    src = course.source_nb("01_mcq")
    rel = course.release_nb("01_mcq")
    fmt = {f"{q}-answer": f'{q} = " ({k.upper()}) "' for q, k in KEY.items()}
    wrong = {f"{q}-answer": f'{q} = "{"a" if k != "a" else "b"}"' for q, k in KEY.items()}
    invalid = {f"{q}-answer": f'{q} = "e"' for q in KEY}
    half = {f"q{i}-answer": f'q{i} = "{KEY[f"q{i}"]}"' for i in range(1, 9)}
    course.submit("key", "01_mcq", src)
    course.submit("blank", "01_mcq", rel)
    course.submit("formats", "01_mcq", with_answers(rel, fmt))
    course.submit("wrong", "01_mcq", with_answers(rel, wrong))
    course.submit("invalid", "01_mcq", with_answers(rel, invalid))
    course.submit("half", "01_mcq", with_answers(rel, half))
    return course.autograde("01_mcq")


def test_key_gets_every_automatic_point(graded):
    """Does the instructor's own notebook, submitted as is, get all 17 MCQ points?"""
    assert lost(graded["key"]) & MCQ == set()
    assert {g for g, (_, m) in graded["key"].items() if g in MCQ} == MCQ


def test_release_gets_zero_without_crash(graded):
    """Is the untouched release graded, with 0 automatic points?"""
    assert lost(graded["blank"]) >= MCQ


def test_forms_are_forgiven(graded):
    """Are " (C) "-style answers worth the same as "c"?"""
    assert lost(graded["formats"]) & MCQ == set()


def test_wrong_and_invalid_lose_exactly_the_mcq_points(graded):
    """Do wrong and invalid letters lose each question's point and nothing else automatic?"""
    assert lost(graded["wrong"]) & MCQ == MCQ
    assert lost(graded["invalid"]) & MCQ == MCQ


def test_partial_answers_score_partially(graded):
    """Does a student with questions 1-8 right get exactly those 8 points?"""
    assert MCQ - lost(graded["half"]) == {f"q{i}" for i in range(1, 9)}


def test_written_answers_are_left_for_manual_grading(graded):
    """Are the five written answers present as manually graded items with their points?"""
    assert WRITTEN <= set(graded["key"])
    assert sum(graded["key"][w][1] for w in WRITTEN) == 12
