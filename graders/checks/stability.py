"""Is the student's function numerically stable on inputs built to break naive formulas?

``check_stable(softmax, {"z": 1000 * logits}, name="softmax(z)", bounds=(0, 1),
expected=softmax_ref)`` runs the function on each stress input (logits of magnitude 1000,
``z = +-1000`` for a sigmoid, rows of very different magnitudes) and fails, in this order,
on the first stress input where:

1. the call raised;
2. a ``RuntimeWarning`` escaped (overflow, invalid value, divide by zero), named with the
   student's line that triggered it;
3. an output is nan or inf ("3 of 12 outputs are nan, first at index (0, 2)");
4. an output is outside ``bounds`` (inclusive);
5. the output differs from ``expected`` (shape, then values within rtol/atol);
6. the student's code turned floating-point warnings off during the call.

The rule on silencing (6): the check judges what the computation does, not what it lets
you see. ``np.seterr(all="ignore")`` around a naive sigmoid still overflows (it returns
``1/(1+inf) = 0`` by luck), so silencing fails the check even when the output is right;
pass ``allow_silencing=True`` where an exercise accepts it. Silencing that ends in nan is
reported by the nan/inf stage (3), which names the silencing in a note. How warnings and
silencing are observed is described in :mod:`graders.checks.fp_watch`.

``check_no_warnings`` (stages 1, 2, 6) and ``check_finite`` (stages 1, 3) are the parts.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..describe import block, describe, describe_inputs, hint_line, labelled, safe_repr
from ..result import Result
from .fp_watch import Watched, watch
from .values import check_close

_ALL = ("raised", "warning", "nonfinite", "bounds", "expected", "silenced")


def check_stable(
    func: Callable[..., Any],
    stress_inputs: Any,
    *,
    name: str = "function",
    hint: str | None = None,
    bounds: tuple[float, float] | None = None,
    expected: Any = None,
    rtol: float = 1e-7,
    atol: float = 0.0,
    allow_silencing: bool = False,
    reveal: bool = True,
) -> Result:
    """All stages. ``stress_inputs`` is one mapping of argument name to value, or a list
    of them (values are passed positionally, in order). ``expected`` is a reference
    function (called on fresh copies of each stress input), or the expected output (one
    stress input) or a list of expected outputs (a list of stress inputs). ``reveal=False``
    keeps expected values out of the message, as in ``check_close``."""
    stages = [s for s in _ALL if s != "silenced" or not allow_silencing]
    return _check("check_stable", stages, func, stress_inputs, name, hint, bounds, expected,
                  rtol, atol, reveal)


def check_no_warnings(
    func: Callable[..., Any], stress_inputs: Any, *, name: str = "function",
    hint: str | None = None, allow_silencing: bool = False,
) -> Result:
    """No exception, no escaped ``RuntimeWarning``, and (unless allowed) no silencing."""
    stages = ["raised", "warning"] + ([] if allow_silencing else ["silenced"])
    return _check("check_no_warnings", stages, func, stress_inputs, name, hint)


def check_finite(
    func: Callable[..., Any], stress_inputs: Any, *, name: str = "function", hint: str | None = None,
) -> Result:
    """No exception, and every output finite (no nan, no inf)."""
    return _check("check_finite", ["raised", "nonfinite"], func, stress_inputs, name, hint)


def _check(check: str, stages: list[str], func: Callable[..., Any], stress_inputs: Any, name: str,
           hint: str | None, bounds: Any = None, expected: Any = None, rtol: float = 0.0,
           atol: float = 0.0, reveal: bool = True) -> Result:
    """Run the stages in order on each stress input; the first problem found is the verdict."""
    cases = _cases(stress_inputs)
    wanted = _expected_list(expected, stress_inputs, cases)
    options = dict(name=name, bounds=bounds, rtol=rtol, atol=atol, reveal=reveal)
    for i, inputs in enumerate(cases):
        want = wanted[i](*_fresh(inputs)) if callable(wanted[i]) else wanted[i]
        watched = watch(func, *_fresh(inputs))
        for stage in stages:
            problem = _STAGES[stage](watched, want=want, **options)
            if problem is not None:
                where = f"{describe_inputs(inputs)} (stress input {i + 1} of {len(cases)})"
                return _failure(check, stage, problem, watched, where, hint, i, len(cases))
    what = {"warning": "no floating-point warnings", "nonfinite": "all outputs finite",
            "bounds": f"all outputs within [{_g(bounds[0])}, {_g(bounds[1])}]" if bounds else "",
            "expected": "outputs match the expected values" if expected is not None else ""}
    said = [what[s] for s in stages if what.get(s)]
    return Result.ok(check, f"{name}: stable on {len(cases)} stress input(s): {', '.join(said)}.",
                     stress_count=len(cases))


def _failure(check: str, stage: str, problem: tuple[str, dict], watched: Watched, where: str,
             hint: str | None, index: int, count: int) -> Result:
    text, figures = problem
    note = None
    if watched.silenced and stage != "silenced":
        note = (f"Note: your code turned floating-point warnings off ({watched.silenced[0]}), "
                "which hid the problem.")
    return Result.fail(
        check,
        block(text, labelled("Input", where), note, hint_line(hint)),
        stage=stage, stress_index=index, stress_count=count,
        warnings=tuple(str(w) for w in watched.warnings),
        silenced=tuple(str(s) for s in watched.silenced),
        **figures,
    )


def _raised(w: Watched, *, name, **_) -> tuple[str, dict] | None:
    if not w.call.raised:
        return None
    return w.call.error_text(name), {"error": type(w.call.error).__name__, "where": w.call.where}


def _warning(w: Watched, *, name, **_) -> tuple[str, dict] | None:
    found = w.runtime_warnings
    if not found:
        return None
    distinct = list(dict.fromkeys(str(c) for c in found))
    more = f" (and {len(distinct) - 3} more)" if len(distinct) > 3 else ""
    return (
        f"{name} is not numerically stable: it triggered " + "; ".join(distinct[:3]) + more,
        {"warning_count": len(found)},
    )


def _nonfinite(w: Watched, *, name, **_) -> tuple[str, dict] | None:
    parts = _numeric_parts(w.call.value)
    if parts is None:
        return f"{name} returned {describe(w.call.value)}; expected numbers", {"nan_count": None}
    said, figures = [], {"nan_count": 0, "inf_count": 0, "first_nonfinite": ()}
    for label, a in parts:
        nan, inf = np.isnan(a), np.isinf(a)
        for kind, mask in (("nan", nan), ("inf", inf)):
            count = int(mask.sum())
            if count:
                figures[f"{kind}_count"] += count
                at = [tuple(int(j) for j in ix) for ix in np.argwhere(mask)[:3]]
                figures["first_nonfinite"] += tuple(at)
                verb = "is" if count == 1 else "are"
                said.append(f"{count} of {a.size} {label} {verb} {kind}, first at index {_index(at[0])}")
    if not said:
        return None
    text = block(f"{name} returned non-finite values: " + "; ".join(said),
                 labelled(" YOUR OUTPUT", safe_repr(w.call.value)))
    return text, figures


def _bounds(w: Watched, *, name, bounds, **_) -> tuple[str, dict] | None:
    if bounds is None:
        return None
    lo, hi = bounds
    for label, a in _numeric_parts(w.call.value) or []:
        bad = ~((a >= lo) & (a <= hi))
        if bad.any():
            first = tuple(int(j) for j in np.argwhere(bad)[0])
            value = a[first] if a.ndim else a[()]
            count = int(bad.sum())
            return (
                f"{name} returned values outside [{_g(lo)}, {_g(hi)}]: {count} of {a.size} {label} "
                f"{'is' if count == 1 else 'are'} out of range, first at index {_index(first)}: "
                f"{safe_repr(value.item())}",
                {"out_of_bounds": int(bad.sum())},
            )
    return None


def _expected(w: Watched, *, name, want, rtol, atol, reveal=True, **_) -> tuple[str, dict] | None:
    """Stage 5, delegated to check_close so values are judged and worded one way everywhere."""
    if want is None:
        return None
    r = check_close(w.call.value, want, rtol=rtol, atol=atol, name=name, reveal=reveal)
    if r.passed:
        return None
    figures = {k: v for k, v in r.details.items() if k != "stage"}
    return r.message, dict(figures, values_stage=r.details.get("stage"))


def _silenced(w: Watched, *, name, **_) -> tuple[str, dict] | None:
    if not w.silenced:
        return None
    return (
        f"{name} hides floating-point warnings: your code calls {w.silenced[0]}. "
        "A stable formula needs no silencing: remove it and rearrange the computation "
        "that overflows.",
        {},
    )


_STAGES = {"raised": _raised, "warning": _warning, "nonfinite": _nonfinite,
           "bounds": _bounds, "expected": _expected, "silenced": _silenced}


def _cases(stress_inputs: Any) -> list[Any]:
    if isinstance(stress_inputs, list):
        return list(stress_inputs)
    return [stress_inputs]


def _expected_list(expected: Any, stress_inputs: Any, cases: list[Any]) -> list[Any]:
    if expected is None or callable(expected):
        return [expected] * len(cases)
    if isinstance(stress_inputs, list):
        if not isinstance(expected, Sequence) or len(expected) != len(cases):
            raise ValueError("expected must be a function or a list with one output per stress input")
        return list(expected)
    return [expected]


def _fresh(inputs: Any) -> tuple[Any, ...]:
    """Positional arguments, deep-copied so neither function can alter the other's input."""
    values = tuple(inputs.values()) if isinstance(inputs, Mapping) else (inputs,)
    return tuple(copy.deepcopy(v) for v in values)


def _numeric_parts(value: Any) -> list[tuple[str, np.ndarray]] | None:
    """``[("outputs", array)]``, or one entry per element of a ragged tuple; None if not numbers."""
    try:
        a = np.asarray(value)
        if a.dtype.kind in "biufc":
            return [("outputs", a)]
    except Exception:
        pass
    if isinstance(value, (tuple, list)) and value:
        parts = [_numeric_parts(v) for v in value]
        if all(p is not None and len(p) == 1 for p in parts):
            return [(f"values of output[{i}]", p[0][1]) for i, p in enumerate(parts)]
    return None


def _index(ix: tuple[int, ...]) -> str:
    if len(ix) == 0:
        return "() (the scalar)"
    return str(ix[0]) if len(ix) == 1 else str(ix)


def _g(x: float) -> str:
    return f"{x:.4g}"
