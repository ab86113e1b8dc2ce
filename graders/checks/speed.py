"""Is the student's function fast enough, compared with a reference solution?

``check_speed(softmax, softmax_ref, lambda: {"z": make_logits(20000, 100, seed=1)},
max_ratio=3, name="softmax(z)")`` answers "is this vectorised?" without caring which
machine runs it: both functions are timed in the same process, on the same input,
interleaved (student, reference, student, reference, ...), and only the *ratio* of their
median CPU times is judged. A loaded machine slows both alike; a Python loop over a
(20000, 100) array is 10-100x slower than numpy, so a limit of 3-5x separates the two
with a wide margin on either side.

This check does not judge values: a function that returns garbage quickly passes it.
Pair it with a values check.

Inputs: ``make_input()`` is called twice, once for the student and once for the
reference, and each function reuses its own input for every call. So a function that
modifies its input in place can only change its own timings, never the reference's (and
copying the input inside the timed loop would charge the copy to both). Whether a
function mutates its input is the business of the mutation check.

Time budget: the whole check aims to stay within ``budget_s`` (wall clock). A student's
first call is cut off when it runs past the budget; the verdict is then a lower bound
("at least 85x slower"). Later runs are planned to fit; when they cannot, the check stops
early only if the figures so far already prove the function too slow, else it takes its
minimum of runs anyway (so a slow *reference* can overrun the budget; pick inputs on
which the reference takes milliseconds).
"""

from __future__ import annotations

import statistics
from typing import Any, Callable, Mapping

import numpy as np

from ..describe import block, describe, hint_line
from ..result import Result
from ..protocol import Sample, remote
from ..protocol.fresh import count, permuted
from .timing import CLOCKS, calibrate, time_calls, wall_ns

CHECK = "check_speed"
REMOTE_MIN_SAMPLE_S = 0.04
"""Shortest sample when the student's function runs in its kernel (see check_speed)."""

MIN_REPEATS = 3
"""A verdict that is not a lower bound rests on at least this many runs of each."""


def check_speed(
    student: Callable[..., Any],
    reference: Callable[..., Any],
    make_input: Callable[[], Any],
    *,
    max_ratio: float,
    name: str = "function",
    hint: str | None = None,
    repeats: int = 5,
    budget_s: float = 2.0,
    min_sample_s: float = 0.005,
    clock: str = "thread",
) -> Result:
    """Pass when ``student`` needs at most ``max_ratio`` times the reference's CPU time.

    ``make_input()`` returns the arguments: a mapping of argument name to value (values
    are passed positionally, in order; names are for the message), a tuple of positional
    arguments, or a single value. Each timed sample repeats the call enough times to last
    at least ``min_sample_s`` (5 ms), so clock granularity does not matter; ``repeats``
    samples of each function are interleaved and their medians compared. The sample that
    calibrates the student's loop count is the first of them (unless it was the very first
    call, which pays for cold caches); rounds stop once a majority of them settles the
    verdict (see :func:`_settled`). ``clock`` is
    ``"thread"`` or ``"process"`` CPU time (see :mod:`graders.checks.timing`).

    details: ratio, student_s, reference_s (median CPU seconds per call), repeats,
    student_loops, reference_loops, lower_bound, clock, max_ratio, budget_s, elapsed_s.
    """
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {sorted(CLOCKS)}, not {clock!r}")
    # The reference runs here: samples of min_sample_s are long enough. A student's function
    # timed in its kernel from outside carries the cost of one request per sample (about
    # a millisecond), so its samples are made long enough to drown that.
    stu_min_sample_s = min_sample_s
    in_kernel = remote(student) is not None
    if in_kernel:
        stu_min_sample_s = max(min_sample_s, REMOTE_MIN_SAMPLE_S)
    spot = np.random.default_rng()
    cpu = CLOCKS[clock]
    start, cpu_start = wall_ns(), cpu()
    deadline = start + int(budget_s * 1e9)
    ref_args = _positional(make_input())
    raw = make_input()
    stu_args = _positional(raw)
    on = _short_inputs(raw)
    figures = dict(max_ratio=max_ratio, clock=clock, budget_s=budget_s)

    ref_probe = time_calls(reference, ref_args, 1, cpu)
    ref = calibrate(reference, ref_args, cpu, min_sample_s, first=ref_probe)
    if ref.failure is not None:
        text = ref.failure.error_text(f"the reference for {name}")
        return Result.fail(
            CHECK,
            f"{text}. This is a fault in the test, not in your code: tell your instructor.",
            reference_error=type(ref.failure.error).__name__,
            **figures,
        )

    probe = time_calls(student, stu_args, 1, cpu, cut_after_s=max((deadline - wall_ns()) / 1e9, 0.0))
    if probe.failure is not None:
        return _raised(probe, name, on, hint, figures)
    if probe.cut:
        figures.update(student_loops=1, reference_loops=ref.loops)
        return _lower_bound([probe.seconds], [ref.per_call], name, on, hint, figures, start, cut=True)

    stu = calibrate(student, stu_args, cpu, stu_min_sample_s, first=probe)
    if stu.failure is not None:
        return _raised(stu, name, on, hint, figures)
    s_loops, r_loops = stu.loops, ref.loops
    figures.update(student_loops=s_loops, reference_loops=r_loops)
    stu_times: list[float] = []
    ref_times: list[float] = []
    if stu is not probe:
        # The student's calibrated sample is a full sample of s_loops calls, not a first
        # call: it is the first round, paired with a fresh sample of the reference (the
        # reference's own first call may have been its calibration, and first calls pay
        # for cold caches and first allocations).
        r = ref if ref is not ref_probe else time_calls(reference, ref_args, r_loops, cpu)
        stu_times.append(stu.per_call)
        ref_times.append(r.per_call)
    # A round costs the calibration samples' CPU time, stretched by how much slower than
    # CPU time the wall clock has run so far (a busy machine, a function that waits).
    stretch = max(1.0, (wall_ns() - start) / max(cpu() - cpu_start, 1))
    round_ns = int((stu.seconds + ref.seconds) * 1e9 * stretch)
    settled = max(repeats, 1) // 2 + 1  # a majority of the rounds: see _settled
    while len(stu_times) < max(repeats, 1):
        if wall_ns() + round_ns > deadline:
            if len(stu_times) >= min(MIN_REPEATS, repeats):
                break
            so_far = (stu_times or [stu.per_call], ref_times or [ref.per_call])
            if _proven_slow(*so_far, max_ratio):
                return _lower_bound(*so_far, name, on, hint, figures, start)
        t0 = wall_ns()
        # In the grading engine every round gets a new input (new objects, new values), so
        # results cached by input identity or contents do not count, and one timed call's
        # value is compared with an ordinary call's on the same input.
        # Within a round, every call gets its own reordering of the rows (graders/protocol/fresh.py).
        args = _fresh(_positional(make_input()), spot) if in_kernel else stu_args
        keep = int(spot.integers(s_loops)) if in_kernel else None
        seed = int(spot.integers(2**31)) if in_kernel else None
        s = time_calls(student, args, s_loops, cpu, keep=keep, fresh=seed)
        if s.failure is not None:
            return _raised(s, name, on, hint, figures)
        if s.kept is not None:
            kept_args = permuted(args, {}, seed + keep % count(args, {}, s_loops))[0]
            differs = _timed_value_differs(student, reference, kept_args, args, s.kept(), name)
            if differs:
                return Result.fail(CHECK, block(differs, hint_line(hint)), spot_check="differs", **figures)
        r = time_calls(reference, ref_args, r_loops, cpu)
        if r.failure is not None:  # pragma: no cover - it ran fine during calibration
            return _raised(r, f"the reference for {name}", on, None, figures)
        stu_times.append(s.per_call)
        ref_times.append(r.per_call)
        round_ns = wall_ns() - t0
        if len(stu_times) >= settled and _settled(stu_times, ref_times, max_ratio):
            break

    student_s = statistics.median(stu_times)
    reference_s = statistics.median(ref_times)
    ratio = student_s / max(reference_s, 1e-12)
    figures.update(
        ratio=ratio, student_s=student_s, reference_s=reference_s, repeats=len(stu_times),
        lower_bound=False,
        elapsed_s=(wall_ns() - start) / 1e9,
    )
    runs = f"over {len(stu_times)} runs on input {on}"
    allowed = f"allowed: {_num(max_ratio)}x."
    if ratio <= max_ratio:
        text = (
            f"{name}: fast enough: {_num(ratio)}x the reference's CPU time (median "
            f"{_secs(student_s)} vs {_secs(reference_s)} {runs}); {allowed}"
        )
        return Result.ok(CHECK, text, **figures)
    text = (
        f"{name}: {_num(ratio)}x slower than the reference (median CPU time "
        f"{_secs(student_s)} vs {_secs(reference_s)} {runs}); {allowed}"
    )
    return Result.fail(CHECK, block(text, hint_line(hint)), **figures)


def _fresh(args: tuple, rng: np.random.Generator) -> tuple:
    """``args`` with every float array scaled by a random factor within 1e-12 of 1: the
    same work for any function, but neither the same objects nor the same bytes."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.size:
            a = a * (1.0 + 1e-12 * float(rng.standard_normal()))
        out.append(a)
    return tuple(out)


def _agree(a: Any, b: Any, depth: int = 0) -> bool:
    """Are two results the same (floats to 1e-7 relative)? True when they cannot be compared."""
    try:
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and depth < 3:
            return len(a) == len(b) and all(_agree(x, y, depth + 1) for x, y in zip(a, b))
        if hasattr(a, "equals") and hasattr(b, "equals"):  # pandas
            return bool(a.equals(b)) or _agree(a.to_numpy(), b.to_numpy(), depth + 1)
        x, y = np.asarray(a), np.asarray(b)
        if x.dtype == object or y.dtype == object:
            return bool(np.all(x == y))
        if x.shape != y.shape:
            return False
        if x.dtype.kind in "fc" or y.dtype.kind in "fc":
            return bool(np.allclose(x, y, rtol=1e-7, atol=1e-12, equal_nan=True))
        return bool(np.array_equal(x, y))
    except Exception:
        return True


def _timed_value_differs(student: Callable[..., Any], reference: Callable[..., Any], args: tuple, base: tuple,
                         kept: Any, name: str) -> str | None:
    """A message when the value a timed call returned (on ``args``) is not its answer.

    First against an ordinary call on the same input. A cache keyed by something no
    reordering changes (the input's sum) answers that call from the cache too, so then
    against the reference: a function that is right on the round's own input (``base``,
    before reordering) must be right on the timed one. A wrong function is left to the
    correctness checks.

    A function that changes its own input gives later calls in the timed loop another
    input, so its answers differ for an honest reason; the mutation check costs it points
    for that, and here the comparison is skipped (the ordinary call is watched to see it)."""
    from ..calling import call
    from .mutation import _difference, _snapshot

    proxy = remote(student)
    if proxy is not None:
        snaps = [_snapshot(a) for a in args]
        watched = proxy.__graders_watch__(args, {})
        plain = watched.outcome
        if any(_difference(s, a) is not None for s, a in zip(snaps, watched.after)):
            return None
    else:
        plain = call(student, *args)
    if plain.raised:
        return None
    if not _agree(kept, plain.value):
        return (f"{name}: returned a different value while being timed than when called normally on the same "
                "input. The speed check times the answer your function gives: it must give the same answer "
                "every time it is called.")
    expected = call(reference, *args)
    if expected.raised or _agree(kept, expected.value):
        return None
    on_base, base_expected = call(student, *base), call(reference, *base)
    if on_base.raised or base_expected.raised or not _agree(on_base.value, base_expected.value):
        return None
    return (f"{name}: while being timed, returned an answer made for another input (the same rows in another "
            "order). The speed check times the work your function does on each input: it must not reuse "
            "answers it kept from earlier calls.")


def _settled(stu_times: list[float], ref_times: list[float], max_ratio: float) -> bool:
    """Can the remaining rounds no longer change the verdict?

    Called once a majority of the planned rounds is in. The median of all rounds then lies
    between the lowest and highest of those already taken, whatever the rest bring. So when
    even the student's slowest sample against the reference's fastest is within the limit,
    the verdict is "fast enough"; when the student's fastest against the reference's
    slowest is over it, "too slow". Either way the last rounds would only cost time.
    """
    return max(stu_times) / max(min(ref_times), 1e-12) <= max_ratio or _proven_slow(stu_times, ref_times, max_ratio)


def _proven_slow(stu_times: list[float], ref_times: list[float], max_ratio: float) -> bool:
    """The student's fastest call against the reference's slowest: a conservative ratio."""
    return min(stu_times) / max(max(ref_times), 1e-12) > max_ratio


def _lower_bound(
    stu_times: list[float],
    ref_times: list[float],
    name: str,
    on: str,
    hint: str | None,
    figures: dict[str, Any],
    start: int,
    *,
    cut: bool = False,
) -> Result:
    """Fail with the conservative ratio, said as "at least"."""
    student_s, reference_s = min(stu_times), max(ref_times)
    ratio = student_s / max(reference_s, 1e-12)
    figures.update(
        ratio=ratio, student_s=student_s, reference_s=reference_s, repeats=len(stu_times),
        lower_bound=True,
        elapsed_s=(wall_ns() - start) / 1e9,
    )
    what = "one call was stopped after" if cut else "its fastest call took"
    text = (
        f"{name}: at least {_num(ratio)}x slower than the reference ({what} "
        f"{_secs(student_s)} of CPU time vs {_secs(reference_s)} for the reference, on input "
        f"{on}; the check stopped early to stay within its {_num(figures['budget_s'])} s "
        f"time budget); allowed: {_num(figures['max_ratio'])}x."
    )
    return Result.fail(CHECK, block(text, hint_line(hint)), **figures)


def _raised(sample: Sample, name: str, on: str, hint: str | None, figures: dict[str, Any]) -> Result:
    failure = sample.failure
    assert failure is not None
    text = f"{failure.error_text(name)}, while being timed on input {on}."
    return Result.fail(
        CHECK,
        block(text, hint_line(hint)),
        error=type(failure.error).__name__,
        where=failure.where,
        **figures,
    )


def _positional(raw: Any) -> tuple[Any, ...]:
    """The arguments, positionally: mapping values in order, a tuple as is, else one value."""
    if isinstance(raw, Mapping):
        return tuple(raw.values())
    if isinstance(raw, tuple):
        return raw
    return (raw,)


def _short_inputs(raw: Any) -> str:
    """``z = ndarray (20000, 100) float64``: the values of a timing input are noise."""
    if isinstance(raw, Mapping):
        return "; ".join(f"{k} = {_short(v)}" for k, v in raw.items())
    if isinstance(raw, tuple):
        return "; ".join(_short(v) for v in raw)
    return _short(raw)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        try:
            return f"ndarray {tuple(value.shape)} {value.dtype}"
        except Exception:  # pragma: no cover - a hostile ndarray subclass
            pass
    return describe(value)


def _secs(seconds: float) -> str:
    """812 ms, 19.6 ms, 1.7 s, 3.2 µs: three significant digits and a readable unit."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{_num(seconds / scale)} {unit}"
    return f"{_num(seconds / 1e-9)} ns"


def _num(x: float) -> str:
    """41.3, 1.05, 85, 312: three significant digits, never an exponent."""
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"
