"""Do grade cells read as aspects, functions and student-facing reasons?"""

import pytest

from graders.report.cells import aspect_of, error_of, function_of, reason_for


@pytest.mark.parametrize("name, aspect", [
    ("softmax_correct", "correctness"), ("sigmoid_derivative_shape", "shape"), ("plot_sigmoid_plot", "plots"),
    ("ipl_analysis_written", "written"), ("q12", "answers"), ("intro", "other"), ("fit_linear_speed", "speed"),
])
def test_aspect_is_the_name_suffix(name, aspect):
    """Is the aspect read from the grade cell's suffix (and q<N> read as an MCQ answer)?"""
    assert aspect_of(name) == aspect


def test_function_drops_only_a_known_suffix():
    """Is 'win_pct_by_venue_loops' the exercise 'win_pct_by_venue', and 'rmse' itself?"""
    assert function_of("win_pct_by_venue_loops") == "win_pct_by_venue"
    assert function_of("rmse") == "rmse"


def test_a_bare_assert_names_its_cell():
    """Does an assert without a message read 'a hidden check failed' plus the cell name?"""
    assert reason_for("softmax_shape", ("AssertionError", "")) == "a hidden check failed (softmax_shape)"


def test_a_missing_function_reads_like_python():
    """Does a NameError read 'NameError: name 'softmax' is not defined'?"""
    assert reason_for("softmax_correct", ("NameError", "name 'softmax' is not defined")) == \
        "NameError: name 'softmax' is not defined"


def test_a_check_message_is_shown_as_is():
    """Is a graders check's message (AssertionError value) the reason, without 'AssertionError:'?"""
    assert reason_for("x_correct", ("AssertionError", "softmax(z): values differ\nHint: h")) == \
        "softmax(z): values differ\nHint: h"


def test_points_lost_without_error_still_have_a_reason():
    """Is a cell that lost points without an error given a non-empty reason?"""
    assert "x_correct" in reason_for("x_correct", None)


def test_error_of_never_reads_the_traceback():
    """Are only ename and evalue taken from an error output, never its traceback?"""
    cell = {"outputs": [{"output_type": "stream", "text": "hi"},
                        {"output_type": "error", "ename": "ValueError", "evalue": "bad",
                         "traceback": ["assert secret == 42"]}]}
    assert error_of(cell) == ("ValueError", "bad")
    assert error_of({"outputs": []}) is None


def test_an_unwritten_function_says_so():
    """Does a bare NotImplementedError from the release's stub read as 'not written yet'?"""
    assert reason_for("rmse_correct", ("NotImplementedError", "")) == \
        "NotImplementedError: the function is not written yet (raised while grading rmse_correct)"
    assert reason_for("f_correct", ("KeyboardInterrupt", "")) == "KeyboardInterrupt (raised while grading f_correct)"
