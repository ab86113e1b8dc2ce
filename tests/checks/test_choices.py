"""Tests for graders.checks.choices: multiple-choice answers."""

import pytest

from graders.checks.choices import check_choice, check_choice_format, normalise_choice


@pytest.mark.parametrize("form", ["c", "C", " c ", "(c)", "c)", "( C )", "c.", "\tc\n", "[c]", " [ C ] ", "c]"])
def test_accepted_forms(form):
    """Are case, surrounding spaces and parentheses forgiven?"""
    assert normalise_choice(form) == "c"
    assert check_choice(form, "c", name="q1").passed


@pytest.mark.parametrize("bad", ["", None, "e", "cd", "c or d", 3, ["c"], "answer c", "((c"])
def test_invalid_forms_list_valid_letters(bad):
    """Does anything that is not a valid letter fail with the list of valid letters?"""
    r = check_choice_format(bad, name="q1")
    assert not r.passed
    assert 'Set it to one of "a", "b", "c", "d", for example q1 = "a".' in r.message


def test_empty_answer_message():
    """Is an unanswered question called empty?"""
    assert check_choice_format("", name="q3").message.startswith("q3 is empty.")


def test_wrong_letter_does_not_reveal_answer():
    """Does a wrong answer name the student's letter and never the right one?"""
    r = check_choice("a", "c", name="q1")
    assert not r.passed
    assert r.message == "q1: (a) is not the right answer. Re-read the question and the section it comes from."
    assert "(c)" not in r.message


def test_custom_options_and_bad_key():
    """Do true/false style options work, and is a key outside the options an error?"""
    assert check_choice("B", "b", options="ab").passed
    assert not check_choice_format("c", options="ab").passed
    with pytest.raises(ValueError, match="is not among options"):
        check_choice("a", "e")
