"""Value checks: ``check_close`` and ``check_equal``, in numpy.testing's order.

``numpy.testing.assert_allclose`` is the model, with three changes for students:
it never raises while describing a bad value (a generator, None, an object whose repr
raises), it names shape pitfalls in words, and with ``reveal=False`` it describes *how* the
values differ without printing the expected answer, so a hidden test on a fixed input
cannot be turned into an answer key.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..describe import block, describe_inputs, hint_line, labelled, safe_repr, shape_words
from ..result import Result
from .shapes import check_shape, check_type, type_problem

_NUMERIC_KINDS = "biufc"


def _expected_array(expected: Any) -> np.ndarray:
    arr = np.asarray(expected)
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"check_close: expected must be numeric, got dtype {arr.dtype}")
    return arr


def _is_scalar_like(x: Any) -> bool:
    return isinstance(x, (int, float, complex, np.number)) and not isinstance(x, bool) \
        or (isinstance(x, np.ndarray) and x.ndim == 0)


def _type_stage(actual: Any, expected: Any, exp: np.ndarray, name: str, inputs: Any,
                hint: str | None) -> tuple[Result | None, np.ndarray | None]:
    """Stage 1: is ``actual`` the right kind of thing? Returns (failure, actual as array)."""
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        r = check_type(actual, name=name, inputs=inputs, hint=hint)
        return (None, actual) if r.passed else (r, None)
    if exp.ndim == 0:  # a scalar is expected: Python number, numpy scalar or 0-d array
        if _is_scalar_like(actual):
            return None, np.asarray(actual)
        if isinstance(actual, np.ndarray):
            return None, actual  # shape stage names the problem
        what, default_hint = type_problem(actual) or (safe_repr(actual), None)
        if isinstance(actual, (bool, np.bool_)):
            what, default_hint = "a bool", "return the number itself, not a comparison"
        msg = block(f"{name} returned {what}, expected a number",
                    labelled("Input", describe_inputs(inputs)),
                    hint_line(default_hint if "scalar" not in (what or "") else None, hint))
        return Result.fail("check_close", msg, stage="type"), None
    # expected given as a list/tuple: accept any sequence numpy can turn into numbers
    if type_problem(actual) is not None and not isinstance(actual, (list, tuple)):
        r = check_type(actual, name=name, inputs=inputs, hint=hint)
        return r, None
    try:
        return None, np.asarray(actual)
    except Exception as exc:
        msg = block(f"{name} returned a value that is not a numeric array "
                    f"({type(exc).__name__} converting it)",
                    labelled("Input", describe_inputs(inputs)), hint_line(None, hint))
        return Result.fail("check_close", msg, stage="type"), None


def _largest_input(inputs: Any) -> float | None:
    """The largest absolute finite number among the inputs' numeric arrays (None: no numbers)."""
    values = inputs.values() if isinstance(inputs, dict) else inputs if isinstance(inputs, (list, tuple)) else [inputs]
    best = None
    for v in values:
        try:
            arr = np.asarray(getattr(v, "select_dtypes", None)(include="number").to_numpy()
                             if hasattr(v, "select_dtypes") else v, dtype=float)
        except Exception:
            continue
        arr = arr[np.isfinite(arr)]
        if arr.size:
            best = max(best or 0.0, float(np.max(np.abs(arr))))
    return best


def _nonfinite_hint(label: str, inputs: Any) -> str:
    """A hint keyed to the likely cause: exp() can only overflow on large inputs (|x| > 700
    for float64), so on small ones a NaN is a 0/0, such as the mean of an empty group."""
    largest = _largest_input(inputs)
    big = largest is None or largest > 700
    if label == "nan":
        if big:
            return "look for exp() overflowing, log(0), 0/0 or inf - inf; the stable formulas avoid them"
        return ("a NaN here comes from 0/0 (a mean or rate over an empty group, a division by a count of "
                "zero) or from log/sqrt of a negative number; find where a denominator can be 0")
    if big:
        return "an exp() or a division overflowed; use a numerically stable form"
    return "an inf here comes from dividing by zero (a count or a total of 0); find where a denominator can be 0"


def _nonfinite_stage(act: np.ndarray, exp: np.ndarray, equal_nan: bool, name: str,
                     inputs: Any, hint: str | None) -> Result | None:
    """Stage 4: nan and inf positions must agree before values are compared."""
    for label, pred in (("nan", np.isnan), ("inf", np.isinf)):
        a_hit, e_hit = pred(act), pred(exp)
        if label == "inf":
            with np.errstate(invalid="ignore"):
                same = a_hit & e_hit & (act == exp)  # same-signed inf where expected is fine
        else:
            same = a_hit & e_hit if equal_nan else np.zeros_like(a_hit)
        a_mask, e_mask = a_hit & ~same, e_hit & ~same & ~a_hit
        bad = a_mask | e_mask
        if np.any(bad):
            n_bad = int(bad.sum())
            idx = tuple(int(i) for i in np.argwhere(bad)[0]) if act.ndim else ()
            if np.any(a_mask):
                what = f"{int(a_mask.sum())} of {act.size} values are {label} where no " \
                       f"{label} was expected"
                default_hint = _nonfinite_hint(label, inputs)
            else:
                what = f"{n_bad} of {act.size} values should be {label} but are finite"
                default_hint = None
            where = f"first at index {idx}" if act.ndim else ""
            msg = block(f"{name}: {what}" + (f", {where}" if where else ""),
                        labelled("Input", describe_inputs(inputs)),
                        labelled(" YOUR OUTPUT", safe_repr(act)),
                        hint_line(default_hint, hint))
            return Result.fail("check_close", msg, stage=label, count=n_bad, first_index=idx)
    return None


def check_close(actual: Any, expected: Any, *, rtol: float = 1e-7, atol: float = 0.0,
                name: str = "result", inputs: Any = None, hint: str | None = None,
                equal_nan: bool = True, reveal: bool = True) -> Result:
    """Are ``actual`` and ``expected`` equal within ``|a - e| <= atol + rtol * |e|``?

    Stages, stopping at the first failure: type, shape, dtype kind, nan/inf positions,
    values. ``reveal=False`` keeps expected values out of the message (for hidden tests);
    they stay in ``details`` for the grading engine, which decides what students see.
    """
    exp = _expected_array(expected)
    failure, act = _type_stage(actual, expected, exp, name, inputs, hint)
    if failure is not None:
        return failure
    if act.shape != exp.shape:
        if exp.ndim == 0:
            msg = block(f"{name} returned shape {shape_words(act.shape)}, expected a single number",
                        labelled("Input", describe_inputs(inputs)),
                        hint_line("return a number (e.g. float(...)), not an array", hint))
            return Result.fail("check_close", msg, stage="shape", shape=tuple(act.shape))
        r = check_shape(act, exp.shape, name=name, inputs=inputs, hint=hint)
        return Result.fail("check_close", r.message, stage="shape", **dict(r.details))
    if act.dtype.kind not in _NUMERIC_KINDS or (act.dtype.kind == "b" and exp.dtype.kind != "b"):
        msg = block(f"{name} returned dtype {act.dtype}, expected numbers like {exp.dtype}",
                    labelled("Input", describe_inputs(inputs)),
                    labelled(" YOUR OUTPUT", safe_repr(actual)),
                    hint_line("a bool array is a comparison, not a value; an object array "
                              "usually holds lists or None" if act.dtype.kind in "bO" else None,
                              hint))
        return Result.fail("check_close", msg, stage="dtype", dtype=str(act.dtype))
    failure = _nonfinite_stage(act, exp, equal_nan, name, inputs, hint)
    if failure is not None:
        return failure
    return _value_stage(act, exp, rtol, atol, name, inputs, hint, reveal)


def _value_stage(act: np.ndarray, exp: np.ndarray, rtol: float, atol: float, name: str,
                 inputs: Any, hint: str | None, reveal: bool) -> Result:
    finite = np.isfinite(exp) & np.isfinite(act)
    a = act.astype(np.complex128 if act.dtype.kind == "c" or exp.dtype.kind == "c" else np.float64)
    e = exp.astype(a.dtype)
    with np.errstate(all="ignore"):
        diff = np.where(finite, np.abs(a - e), 0.0)
        bad = finite & (diff > atol + rtol * np.abs(e))
    tol = f"(rtol={rtol:g}, atol={atol:g})"
    if not np.any(bad):
        return Result.ok("check_close", f"{name}: values match {tol}",
                         max_abs_diff=float(np.max(diff)) if diff.size else 0.0)
    n_bad, size = int(bad.sum()), int(act.size)
    with np.errstate(all="ignore"):
        rel = np.where(np.abs(e) > 0, diff / np.abs(e), np.inf)
    max_abs = float(np.max(diff[bad]))
    max_rel = float(np.max(rel[bad]))
    idx = tuple(int(i) for i in np.argwhere(bad)[0]) if act.ndim else ()
    at = f" at index {idx}" if act.ndim else ""
    first = f"First mismatch{at}: yours {_num(a[idx] if act.ndim else a[()])}" + (
        f", expected {_num(e[idx] if act.ndim else e[()])}" if reveal else "")
    msg = block(
        f"{name}: values differ {tol}",
        labelled("Input", describe_inputs(inputs)),
        f"Mismatched elements: {n_bad} / {size} ({100 * n_bad / size:.3g}%)",
        f"Max absolute difference: {max_abs:.4g}" if reveal else None,
        (f"Max relative difference: {max_rel:.4g}" if reveal else
         f"Max relative difference: of order {_magnitude(max_rel)}")
        if math.isfinite(max_rel) else None,
        first,
        labelled(" YOUR OUTPUT", safe_repr(act)),
        labelled(" EXPECTED   ", safe_repr(exp)) if reveal else
        " EXPECTED   : not shown (this is a hidden test on a fresh input)",
        hint_line(None, hint),
    )
    return Result.fail("check_close", msg, stage="values", mismatched=n_bad, size=size,
                       max_abs_diff=max_abs, max_rel_diff=max_rel, first_index=idx,
                       expected=safe_repr(exp))


def _magnitude(x: float) -> str:
    """Only the power of ten: says 'rounding' vs 'wrong formula' without giving the answer."""
    return f"1e{int(math.floor(math.log10(x))) if x > 0 else 0:+03d}"


def _num(x: Any) -> str:
    try:
        return f"{complex(x).real:.6g}" if not np.iscomplexobj(x) else f"{complex(x):.6g}"
    except Exception:
        return safe_repr(x)


def check_equal(actual: Any, expected: Any, *, name: str = "result", inputs: Any = None,
                hint: str | None = None, reveal: bool = True) -> Result:
    """Exact equality for integer or boolean arrays and numbers (counts, indices, masks):
    ``check_close`` with zero tolerance, so the same stages and messages apply."""
    r = check_close(actual, expected, rtol=0.0, atol=0.0, name=name, inputs=inputs,
                    hint=hint, reveal=reveal)
    return Result(check="check_equal", passed=r.passed,
                  message=r.message.replace("(rtol=0, atol=0)", "(exactly)"), details=r.details)
