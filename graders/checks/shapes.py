"""Type, shape and dtype discipline: the first three stages of every array check.

Most student bugs in deep-learning code are shape bugs that still "run": a ``(n,)`` vector
broadcast against an ``(n, 1)`` column silently becomes an ``(n, n)`` matrix. These checks
name such pitfalls in words (column vector, row vector, transposed, broadcast) instead
of printing two tuples and leaving the student to spot the difference.
"""

from __future__ import annotations

import inspect
from typing import Any, Sequence

import numpy as np

from ..describe import block, describe, describe_inputs, hint_line, is_pandas, labelled, shape_words, type_name
from ..result import Result, first_failure

ShapeSpec = Sequence[int | None]
"""An expected shape; ``None`` in a position accepts any length there."""


def _head(name: str, what: str) -> str:
    return f"{name} {what}"


def type_problem(actual: Any) -> tuple[str, str] | None:
    """Why ``actual`` is not a plain ``numpy.ndarray``, as (what it is, hint); None if it is.

    The named cases are the ones students actually hit: a forgotten ``return`` (None), a list
    built in a loop, ``np.matrix`` from old tutorials, a pandas object, a generator expression.
    """
    if isinstance(actual, np.matrix):
        return ("a numpy.matrix", "np.matrix is deprecated and changes what * means; "
                "use np.asarray(...) and the @ operator")
    if isinstance(actual, np.ndarray):
        return None
    if actual is None:
        return ("None", "did you forget the `return` statement?")
    if isinstance(actual, list):
        return ("a list", "build the result with NumPy operations, or wrap it with np.asarray(...)")
    if isinstance(actual, tuple):
        return ("a tuple", "return a single array, not a tuple of values")
    if inspect.isgenerator(actual):
        return ("a generator", "a generator expression (x for x in ...) is lazy; "
                "use a whole-array NumPy expression instead")
    if is_pandas(actual):
        return (f"a {type_name(actual)}", "convert with .to_numpy()")
    if isinstance(actual, (bool, int, float, complex, np.generic)):
        return (f"a scalar ({type_name(actual)})", "the result should keep the input's shape")
    return (f"a {type_name(actual)}", "return a numpy.ndarray")


def check_type(actual: Any, *, name: str = "result", inputs: Any = None,
               hint: str | None = None) -> Result:
    """Is the value a plain ``numpy.ndarray`` (not a list, matrix, Series or None)?"""
    problem = type_problem(actual)
    if problem is None:
        return Result.ok("check_type", f"{name} returned a numpy.ndarray")
    what, default_hint = problem
    msg = block(
        _head(name, f"returned {what}, expected a numpy.ndarray"),
        labelled("Input", describe_inputs(inputs)),
        labelled("Returned", describe(actual)),
        hint_line(default_hint, hint),
    )
    return Result.fail("check_type", msg, returned_type=type_name(actual))


def shape_matches(actual: tuple[int, ...], expected: ShapeSpec) -> bool:
    if len(actual) != len(expected):
        return False
    return all(e is None or a == e for a, e in zip(actual, expected))


def shape_hint(actual: tuple[int, ...], expected: ShapeSpec) -> str | None:
    """A hint that names the usual cause of a given shape mismatch, if we recognise it."""
    exp = tuple(expected)
    if None in exp:
        return None
    if len(actual) == 1 and len(exp) == 2 and exp[1] == 1 and exp[0] == actual[0]:
        return "you returned a 1-D vector where a column vector was expected: " \
               "use keepdims=True in the reduction, or .reshape(-1, 1)"
    if len(actual) == 1 and len(exp) == 2 and exp[0] == 1 and exp[1] == actual[0]:
        return "you returned a 1-D vector where a row vector was expected: use .reshape(1, -1)"
    if len(actual) == 2 and len(exp) == 1 and exp[0] in actual and 1 in actual:
        return "you returned a 2-D column/row where a 1-D vector was expected: use .ravel() " \
               "or reduce without keepdims"
    if len(actual) == 2 and len(exp) == 2 and actual == exp[::-1]:
        return "the result looks transposed: check the order of the matrix product (A @ B vs B @ A) or .T"
    if len(actual) == 2 and actual[0] == actual[1] and len(exp) <= 2 and actual[0] in exp:
        return "an (n, 1) array and an (n,) array broadcast together into (n, n): " \
               "make both operands the same orientation (keepdims=True or .reshape)"
    if len(actual) == len(exp) and sorted(actual) == sorted(exp):
        return "the axes are in the wrong order: check axis= arguments and transposes"
    if int(np.prod(actual)) == int(np.prod(exp)):
        return "the number of elements is right but the shape is not: check reshape and axis="
    if len(actual) == len(exp) - 1:
        return "one dimension is missing: a reduction without keepdims=True drops its axis"
    return None


def _fmt_spec(spec: ShapeSpec) -> str:
    inner = ", ".join("any" if s is None else str(s) for s in spec)
    return f"({inner},)" if len(spec) == 1 else f"({inner})"


def check_shape(actual: Any, expected: ShapeSpec, *, name: str = "result", inputs: Any = None,
                hint: str | None = None) -> Result:
    """Does the array have exactly this shape (and so this ndim)?

    Type is checked first (numpy.testing order): a list has no shape worth reporting.
    """
    t = check_type(actual, name=name, inputs=inputs, hint=hint)
    if not t.passed:
        return t
    got = tuple(actual.shape)
    exp = tuple(expected)
    if shape_matches(got, exp):
        return Result.ok("check_shape", f"{name} has shape {got}", shape=got)
    exp_text = _fmt_spec(exp) if None in exp else shape_words(exp)
    msg = block(
        _head(name, f"returned shape {shape_words(got)}, expected {exp_text}"),
        labelled("Input", describe_inputs(inputs)),
        hint_line(shape_hint(got, exp), hint),
    )
    return Result.fail("check_shape", msg, shape=got, expected_shape=exp)


def check_dtype(actual: Any, expected: Any = None, *, kind: str | None = None,
                name: str = "result", inputs: Any = None, hint: str | None = None) -> Result:
    """Is the dtype exactly ``expected`` (e.g. float32 in, float32 out), or of a ``kind``?

    ``kind`` uses numpy's one-letter codes: ``"f"`` any float, ``"i"`` signed int,
    ``"b"`` bool, ``"iu"`` any integer. Precision matters in deep learning: a float32
    batch silently upcast to float64 doubles memory and breaks GPU code later.
    """
    if expected is None and kind is None:
        raise ValueError("check_dtype needs `expected` or `kind`")
    t = check_type(actual, name=name, inputs=inputs, hint=hint)
    if not t.passed:
        return t
    got = actual.dtype
    if expected is not None:
        want = np.dtype(expected)
        if got == want:
            return Result.ok("check_dtype", f"{name} has dtype {got}", dtype=str(got))
        default_hint = _dtype_hint(got, want)
        msg = block(
            _head(name, f"returned dtype {got}, expected {want}"),
            labelled("Input", describe_inputs(inputs)),
            hint_line(default_hint, hint),
        )
        return Result.fail("check_dtype", msg, dtype=str(got), expected_dtype=str(want))
    if got.kind in kind:
        return Result.ok("check_dtype", f"{name} has dtype {got}", dtype=str(got))
    msg = block(
        _head(name, f"returned dtype {got}, expected {_kind_words(kind)}"),
        labelled("Input", describe_inputs(inputs)),
        hint_line("convert with .astype(...)" if got.kind != "O" else
                  "an object array usually means a list of arrays of unequal "
                  "length or mixed types was turned into an array", hint),
    )
    return Result.fail("check_dtype", msg, dtype=str(got), expected_kind=kind)


def _dtype_hint(got: np.dtype, want: np.dtype) -> str:
    if got.kind == want.kind == "f" and got.itemsize > want.itemsize:
        return (f"the input was {want}; a Python float or a float64 constant such as np.float64(1) "
                f"or np.array(1.0) upcasts it; keep constants as plain numbers or use .astype({want})")
    if got.kind in "iu" and want.kind == "f":
        return "integer arithmetic lost the fractions: divide with / or start from floats"
    return f"convert with .astype(np.{want})"


_KINDS = {"f": "a float dtype", "i": "a signed integer dtype", "u": "an unsigned integer dtype",
          "b": "a bool dtype", "c": "a complex dtype", "iu": "an integer dtype",
          "fc": "a float or complex dtype"}


def _kind_words(kind: str) -> str:
    return _KINDS.get(kind, f"a dtype of kind {kind!r}")


def check_array(actual: Any, *, shape: ShapeSpec | None = None, dtype: Any = None,
                kind: str | None = None, name: str = "result", inputs: Any = None,
                hint: str | None = None) -> Result:
    """Type, then shape, then dtype, stopping at the first failure (numpy.testing order)."""
    stages = [check_type(actual, name=name, inputs=inputs, hint=hint)]
    if not stages[-1].passed:
        return stages[-1]
    if shape is not None:
        stages.append(check_shape(actual, shape, name=name, inputs=inputs, hint=hint))
        if not stages[-1].passed:
            return stages[-1]
    if dtype is not None or kind is not None:
        stages.append(check_dtype(actual, dtype, kind=kind, name=name, inputs=inputs, hint=hint))
    last = first_failure(*stages)
    if not last.passed:
        return last
    return Result.ok("check_array", f"{name} is a numpy.ndarray of shape {tuple(actual.shape)}, "
                                    f"dtype {actual.dtype}",
                     shape=tuple(actual.shape), dtype=str(actual.dtype))
