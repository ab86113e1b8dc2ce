"""Tests for graders.report.secrets: what must never reach a student."""

import nbformat

from graders.report.secrets import REDACTED, hidden_test_lines, scrub, secret_lines, secrets_of

CELL = """from graders import check_close
r = check_close(f(1), 2.0, name="f(1)")
assert r.passed, r.message
### BEGIN HIDDEN TESTS
r = check_close(f(7), 49.0, name="f(7)", reveal=False)
assert r.passed, r.message
### END HIDDEN TESTS"""


def test_hidden_lines_exclude_visible_twins():
    """Is a hidden line that also appears in the visible part (assert r.passed) not a secret?"""
    assert hidden_test_lines([CELL]) == {'r = check_close(f(7), 49.0, name="f(7)", reveal=False)'}


def test_solutions_are_secret_in_notebooks_but_not_for_scrubbing():
    """Are solution lines secret for the release scan, but left to messages (students' own code)?"""
    sol = "def f(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(sol)])
    assert secrets_of(nb) == {"return x * x"}
    assert hidden_test_lines([sol]) == set()


def test_scrub_replaces_every_occurrence():
    """Is smuggled hidden-test text replaced wherever it appears in a message?"""
    secret = 'r = check_close(f(7), 49.0, name="f(7)", reveal=False)'
    text = f"ValueError: {secret}\nand again {secret}"
    assert scrub(text, {secret}) == f"ValueError: {REDACTED}\nand again {REDACTED}"
    assert scrub("nothing here", {secret}) == "nothing here"


def test_hidden_text_inside_a_longer_visible_line_is_not_secret():
    """Is a hidden line that a visible line already shows (an import of more names, a hint
    among other arguments) published, so not a secret, while a hidden-only line still is?"""
    source = ("from graders.checks.loops import check_no_loops_static\n"
              "### BEGIN HIDDEN TESTS\n"
              "from graders.checks.loops import check_no_loops\n"
              "_expected_total = 1234.5\n"
              "### END HIDDEN TESTS\n")
    assert secret_lines([(source, False)]) == {"_expected_total = 1234.5"}
