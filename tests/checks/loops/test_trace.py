"""The dynamic signal: counting Python events in student code as the input grows."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from graders.checks.loops.trace import Args, as_args, counting_events, trace_growth


def relu_for(x):
    out = np.empty_like(x)
    for i in range(len(x)):
        out[i] = max(x[i], 0.0)
    return out


def relu_where(x):
    return np.where(x > 0, x, 0.0)


def vector(n):
    return (np.linspace(-1.0, 1.0, n),)


def test_counter_counts_one_call_and_each_line_run():
    """Is a call of relu_for on n values 1 call + 1 + (n + 1) + n + 1 line events?"""
    x = vector(10)[0]
    with counting_events() as counter:
        relu_for(x)
    assert counter.events == 1 + 1 + (10 + 1) + 10 + 1


def test_loop_grows_and_vectorised_code_does_not():
    """Do events grow about 16x for a loop and stay flat for np.where?"""
    loop = trace_growth(relu_for, vector, (32, 512))
    flat = trace_growth(relu_where, vector, (32, 512))
    assert loop.events == (2 * 32 + 4, 2 * 512 + 4) and loop.flagged
    assert flat.events[0] == flat.events[1] and not flat.flagged


def test_busiest_line_is_the_loop_body():
    """Is the line that ran once per element named first?"""
    growth = trace_growth(relu_for, vector, (32, 512))
    top = growth.hot_lines[0]
    assert top.text == "out[i] = max(x[i], 0.0)"
    assert str(top) == f"line {top.line}: 'out[i] = max(x[i], 0.0)' ran 32 then 512 times"


def _trace_marker(frame, event, arg):
    return None


@pytest.mark.parametrize("func", [relu_for, lambda x: 1 / 0])
def test_previous_trace_function_is_restored(func):
    """Is an already installed tracer (a debugger, coverage) back in place afterwards,
    also when the student's function raises?"""
    before = sys.gettrace()
    sys.settrace(_trace_marker)
    try:
        trace_growth(func, vector, (4, 64))
        after = sys.gettrace()
    finally:
        sys.settrace(before)
    assert after is _trace_marker


def raises_at_line_two(x):
    y = x.reshape(3, -1)
    return y


def test_error_is_data_with_the_student_line():
    """Does a raising function give an error (with its line) instead of a crash?"""
    growth = trace_growth(raises_at_line_two, vector, (32, 512))
    assert not growth.ran and not growth.flagged
    assert growth.error_size == 32
    text = growth.error.error_text("f(x)")
    assert text.startswith("f(x) raised ValueError: cannot reshape array of size 32")
    assert "'y = x.reshape(3, -1)'" in text


def batches(X, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size] * 2.0


def batches_per_row(X, batch_size):
    for start in range(0, len(X), batch_size):
        yield np.array([row * 2.0 for row in X[start:start + batch_size]])


def fixed_batch_count(n):
    return Args(np.ones((n, 3)), batch_size=n // 4)


def test_generator_body_is_measured_with_fixed_batch_count():
    """Is a generator drained, and with 4 batches at both sizes is its loop flat?"""
    flat = trace_growth(batches, fixed_batch_count, (32, 512))
    assert flat.events[0] == flat.events[1] > 4
    assert not flat.flagged
    per_row = trace_growth(batches_per_row, fixed_batch_count, (32, 512))
    assert per_row.flagged


@pytest.mark.parametrize("made, expected", [
    ((1, 2), ((1, 2), {})),
    ({"a": 1}, ((), {"a": 1})),
    (Args(1, b=2), ((1,), {"b": 2})),
    ([1, 2], (([1, 2],), {})),
])
def test_make_input_values_become_calls(made, expected):
    """Are tuples positional, dicts keywords, Args both, and anything else one argument?"""
    assert as_args(made) == expected


def test_exec_string_frames_count_as_student_code():
    """Is a loop run by exec counted (its frames are '<string>')?"""
    def relu_exec(x):
        scope = {"x": x}
        exec("out = [max(v, 0.0) for v in x]", scope)
        return scope["out"]

    assert trace_growth(relu_exec, vector, (32, 512)).flagged


def test_generated_library_code_is_not_counted():
    """Are dataclass __init__ methods (compiled from strings inside a library) left out?"""
    from graders.calling import Call

    def build_calls(x):
        return [Call(value=v) for v in x[:1]]

    with counting_events() as counter:
        build_calls(np.ones(3))
    assert counter.events == 1 + 1 + 1 + 2


def switches_tracing_off(x):
    sys.settrace(None)
    return [v for v in x]


def test_function_that_switches_tracing_off_cannot_hide_its_loop():
    """Is a function that calls sys.settrace(None) reported as uncountable, not clean?"""
    before = sys.gettrace()
    growth = trace_growth(switches_tracing_off, vector, (32, 512))
    assert sys.gettrace() is before
    assert not growth.ran
    assert "replaced the trace function (sys.settrace)" in growth.error.error_text("f(x)")
