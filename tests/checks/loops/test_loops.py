"""The public loop checks: the labelled corpus, notebook-defined functions, allowances,
and the text students read."""

from __future__ import annotations

import linecache
import sys

import numpy as np
import pytest

from graders.checks.loops import (DEFAULT_HINT, Args, check_no_loops, check_no_loops_dynamic,
                                  check_no_loops_static)
from tests.checks.loops.test_source import ipython_shell  # noqa: F401  (fixture)
from samples.loop_corpus import LOOPY, VECTORISED, hidden_helper_case, vector

CELL = """def relu(x):
    n = len(x)
    for i in range(n):
        x[i] = max(x[i], 0.0)
    return x
"""


def _cell_function(src: str, filename: str, name: str, register: bool = True):
    if register:
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace: dict = {"np": np}
    exec(compile(src, filename, "exec"), namespace)
    return namespace[name]


@pytest.fixture
def cell_relu():
    yield _cell_function(CELL, "<cell-7>", "relu")
    linecache.cache.pop("<cell-7>", None)


@pytest.mark.parametrize("case", LOOPY, ids=lambda c: c.name)
def test_loop_corpus_is_flagged_by_the_expected_signals(case):
    """Is each loop disguise caught, and by exactly the signals its label says?"""
    result = check_no_loops(case.func, case.make_input)
    assert not result.passed
    flags = (result.details["static_flagged"], result.details["dynamic_flagged"])
    assert flags == (case.static, case.dynamic), result.message


def test_corpus_covers_the_required_disguises():
    """Does the corpus keep at least 15 disguises, each caught by some signal?"""
    assert len(LOOPY) >= 15
    assert all(case.static or case.dynamic for case in LOOPY)


def test_loop_in_an_imported_module_is_caught_only_dynamically(tmp_path, monkeypatch):
    """Is a loop in a helper module (imported inside the function) caught by running it?"""
    monkeypatch.syspath_prepend(str(tmp_path))
    case = hidden_helper_case(tmp_path, module="loop_corpus_hidden_test")
    try:
        result = check_no_loops(case.func, case.make_input)
    finally:
        sys.modules.pop("loop_corpus_hidden_test", None)
    assert (result.details["static_flagged"], result.details["dynamic_flagged"]) == (False, True)
    assert ("busiest line: line 7: 'out[i] = max(x[i], 0.0)' of loop_corpus_hidden_test.py "
            "ran 32 then 512 times") in result.message


@pytest.mark.parametrize("case", VECTORISED, ids=lambda c: c.name)
def test_vectorised_corpus_passes_both_signals(case):
    """Is whole-array code left alone by both signals?"""
    result = check_no_loops(case.func, case.make_input)
    assert result.passed, result.message
    assert result.details["static"] == []
    small, large = result.details["events"]
    assert small == large


def test_corpus_has_ten_vectorised_answers_with_softmax_and_sigmoid():
    """Does the false-positive guard keep its required members?"""
    names = {case.name for case in VECTORISED}
    assert len(VECTORISED) >= 10 and {"stable softmax", "sigmoid"} <= names


def test_failure_message_names_the_line_and_the_event_figures(cell_relu):
    """Does the message show the cell line and how Python events grew?"""
    result = check_no_loops(cell_relu, vector, name="relu(x)")
    expected = "\n".join([
        "relu(x): uses Python loops; this exercise asks for whole-array NumPy code.",
        "Static check: 1 Python loop found:",
        "  line 3: 'for i in range(n):' (for loop)",
        "Dynamic check (n=32 and n=512): Python events grew from 68 to 1028 when the "
        "input grew 16x: per-element Python work.",
        "  busiest line: line 4: 'x[i] = max(x[i], 0.0)' ran 32 then 512 times",
        "Input: x = ndarray of shape (512,), dtype float64:",
    ])
    assert not result.passed
    assert result.message.startswith(expected)
    assert result.message.endswith(f"Hint: {DEFAULT_HINT}")
    assert result.details["events"] == (68, 1028)
    assert result.details["sizes"] == (32, 512)
    assert result.details["static"][0]["line"] == 3


def test_static_only_message_has_no_dynamic_part(cell_relu):
    """Without make_input, is the message the static findings and the hint only?"""
    result = check_no_loops_static(cell_relu, name="relu(x)", hint="use np.maximum")
    assert result.message == "\n".join([
        "relu(x): uses Python loops; this exercise asks for whole-array NumPy code.",
        "Static check: 1 Python loop found:",
        "  line 3: 'for i in range(n):' (for loop)",
        "Hint: use np.maximum",
    ])


def test_function_from_an_ipython_cell_is_checked(ipython_shell):  # noqa: F811
    """Is a loop in a function defined by run_cell found at its cell line?"""
    ipython_shell.run_cell("import numpy as np\n\n" + CELL)
    relu = ipython_shell.user_ns["relu"]
    result = check_no_loops(relu, vector)
    assert "  line 5: 'for i in range(n):' (for loop)" in result.message
    assert result.details["dynamic_flagged"]


def test_no_source_says_static_could_not_run_and_dynamic_decides():
    """Without source, does the Result say the static signal did not run, while the
    dynamic one still catches the loop (and passes vectorised code)?"""
    loopy = _cell_function(CELL, "<unregistered>", "relu", register=False)
    result = check_no_loops(loopy, vector, name="relu(x)")
    assert not result.passed and result.details["dynamic_flagged"]
    assert not result.details["static_available"]
    assert "Static check could not run: source unavailable" in result.message
    clean = _cell_function("def relu(x):\n    return np.maximum(x, 0.0)\n",
                           "<unregistered>", "relu", register=False)
    result = check_no_loops(clean, vector, name="relu(x)")
    assert result.passed
    assert result.message.startswith("relu(x): no Python loops found.\nStatic check could "
                                     "not run: source unavailable")


def test_no_source_and_no_make_input_fails():
    """With nothing to check, does the check fail rather than pass silently?"""
    clean = _cell_function("def f(x):\n    return x\n", "<unregistered>", "f", register=False)
    result = check_no_loops(clean)
    assert not result.passed
    assert "could not be checked for loops (no source and no make_input)" in result.message


def test_source_string_rescues_the_static_signal():
    """Does passing the cell text as source= let the static signal report the line?"""
    loopy = _cell_function(CELL, "<unregistered>", "relu", register=False)
    result = check_no_loops_static(loopy, source=CELL)
    assert result.details["static"][0]["text"] == "for i in range(n):"


def minibatches(X, y, batch_size):
    order = np.random.default_rng(0).permutation(len(X))
    for start in range(0, len(X), batch_size):
        part = order[start:start + batch_size]
        yield X[part], y[part]


def four_batches(n):
    """The batch count stays 4 at every size, so the allowed loop does not grow."""
    return Args(np.ones((n, 3)), np.arange(n), batch_size=n // 4)


def test_minibatch_generator_passes_with_one_allowed_for():
    """Does a generator with one loop over a fixed number of batches pass both signals?"""
    result = check_no_loops(minibatches, four_batches, allowed={"for": 1})
    assert result.passed, result.message
    assert result.details["static_allowed"][0]["kind"] == "for"
    small, large = result.details["events"]
    assert small == large
    assert result.message == "\n".join([
        "minibatches(X, y, batch_size): no Python loops found.",
        "Static check: no Python loops found beyond the 1 allowed.",
        f"Dynamic check (n=32 and n=512): Python events went from {small} to {large} when "
        "the input grew 16x: no per-element Python work.",
    ])


def test_minibatch_generator_without_allowance_fails_statically_only():
    """Without the allowance, is the batch loop reported by the static signal alone?"""
    result = check_no_loops(minibatches, four_batches)
    assert not result.passed
    assert (result.details["static_flagged"], result.details["dynamic_flagged"]) == (True, False)


def raises(x):
    return x.reshape(3, -1)


def test_raising_function_fails_with_its_error():
    """Does a function that raises fail the check with the error and its line?"""
    result = check_no_loops_dynamic(raises, vector, name="f(x)")
    assert not result.passed
    assert result.message.startswith("f(x): could not be checked for loops.\n")
    assert ("Dynamic check could not run: f(x) raised ValueError: cannot reshape array of "
            "size 32 into shape (3,newaxis) (at line") in result.message
    assert result.details["dynamic_error"] == "ValueError"


@pytest.mark.parametrize("func", [np.exp, len])
def test_callables_without_python_source_do_not_crash_the_check(func):
    """Is a C function checked without crashing, the message saying the static signal
    could not run?"""
    result = check_no_loops(func, vector)
    assert result.passed, result.message
    assert "Static check could not run: source unavailable" in result.message


@pytest.mark.parametrize("func, kind", [(np.vectorize(abs), "np.vectorize"),
                                        (np.frompyfunc(abs, 1, 1), "np.frompyfunc")])
def test_wrapped_c_function_is_still_a_loop(func, kind):
    """Is np.vectorize(abs) flagged though abs has no source and runs no Python lines?"""
    result = check_no_loops(func, vector, name="f(x)")
    assert (result.details["static_flagged"], result.details["dynamic_flagged"]) == (True, False)
    assert result.details["static"][0]["kind"] == kind
    assert "  abs() itself (" in result.message
    assert "Input: x = ndarray of shape (512,)" in result.message
