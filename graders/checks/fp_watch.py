"""Watching one call for floating-point trouble, including trouble the code hid.

:func:`watch` runs a function and reports three things, each tied to the line of the
student's code responsible:

1. every warning raised during the call. numpy's floating-point errors are turned into
   ``RuntimeWarning``s with ``np.errstate(divide/over/invalid="warn")`` for the duration
   of the call, whatever the student set globally before (a notebook cell with
   ``np.seterr(all="ignore")`` hides nothing here). Underflow stays ignored: ``exp(-1000)``
   rounding to 0 is what a *stable* softmax relies on. Warnings are shown "always" and
   caught by a ``showwarning`` hook while the stack is still live, so a warning raised
   inside numpy's own Python code is still mapped to the student's line that called it;
2. the calls the student's code makes *during* the call to turn warnings off:
   ``np.seterr(...="ignore")``, ``np.errstate(...="ignore")`` (also as a decorator),
   ``warnings.filterwarnings("ignore")`` / ``warnings.simplefilter("ignore")`` covering
   ``RuntimeWarning``. A profile hook sees them however they were imported. Only calls
   made from student code count: numpy silences itself internally for good reasons;
3. the call itself (value, or exception with its line), via :func:`graders.calling.call`.

Student code is any code outside the standard library, site-packages and this package:
notebook cells (``<ipython-input-...>``, ``/tmp/ipykernel_*/...``) and test files alike.
"""

from __future__ import annotations

import linecache
import sys
import sysconfig
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, FunctionType
from typing import Any, Callable

import numpy as np

from ..calling import Call, call
from ..protocol import remote

_LIBRARY_DIRS = tuple(
    sorted(
        {str(Path(p).resolve()) for key in ("stdlib", "platstdlib", "purelib", "platlib")
         if (p := sysconfig.get_paths().get(key))}
        | {str(Path(sys.prefix).resolve()), str(Path(sys.base_prefix).resolve())}
        | {str(Path(__file__).resolve().parents[1])}
    )
)


@dataclass(frozen=True)
class Caught:
    """One warning raised during the call."""

    category: str
    """``"RuntimeWarning"``."""
    text: str
    """``"overflow encountered in exp"``."""
    where: str = ""
    """``line 3: 'e = np.exp(z)'``: the student's line that led to it, when found."""

    def __str__(self) -> str:
        return f"{self.category}: {self.text}" + (f" (at {self.where})" if self.where else "")


@dataclass(frozen=True)
class Silenced:
    """One call in the student's code that turned floating-point warnings off."""

    what: str
    """``np.seterr(all='ignore')``."""
    where: str = ""

    def __str__(self) -> str:
        return self.what + (f" at {self.where}" if self.where else "")


@dataclass(frozen=True)
class Watched:
    call: Call
    warnings: tuple[Caught, ...]
    silenced: tuple[Silenced, ...]

    @property
    def runtime_warnings(self) -> tuple[Caught, ...]:
        return tuple(w for w in self.warnings if w.category == "RuntimeWarning")


def is_library(filename: str) -> bool:
    if not filename or filename.startswith("<frozen"):
        return True
    if filename.startswith("<"):  # <ipython-input-...>, <string>: student code
        return False
    try:
        path = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return any(path == d or path.startswith(d + "/") or path.startswith(d + "\\") for d in _LIBRARY_DIRS)


def line_of(frame: FrameType | None) -> str:
    if frame is None:
        return ""
    lineno = frame.f_lineno
    text = linecache.getline(frame.f_code.co_filename, lineno).strip()
    return f"line {lineno}: {text!r}" if text else f"line {lineno}"


def _student_caller(frame: FrameType | None) -> FrameType | None:
    """The innermost student frame at or above ``frame``, stopping at :func:`watch`."""
    while frame is not None and frame.f_code is not _WATCH_CODE:
        if not is_library(frame.f_code.co_filename):
            return frame
        frame = frame.f_back
    return None


def _ignores_fp(values: dict[str, Any]) -> list[str]:
    keys = ("all", "divide", "over", "invalid")
    if isinstance(values.get("kwargs"), dict):  # numpy < 2: errstate(**kwargs), kept as self.kwargs
        values = {**values, **values["kwargs"]}
    return [f"{k}='ignore'" for k in keys if values.get(k) == "ignore"]


def _ignores_runtime_warnings(action: Any, category: Any) -> bool:
    try:
        return action == "ignore" and (
            issubclass(RuntimeWarning, category) or issubclass(category, RuntimeWarning)
        )
    except TypeError:
        return False


def _errstate_inner_code() -> Any:
    for const in np.errstate.__call__.__code__.co_consts:
        if getattr(const, "co_name", "") == "inner":
            return const
    return None  # pragma: no cover - numpy changed errstate's decorator


_SETERR = np.seterr.__code__
_ERRSTATE_INIT = np.errstate.__init__.__code__
_ERRSTATE_INNER = _errstate_inner_code()
_FILTERWARNINGS = warnings.filterwarnings.__code__
_SIMPLEFILTER = warnings.simplefilter.__code__
_WATCHED_CODES = {_SETERR, _ERRSTATE_INIT, _ERRSTATE_INNER, _FILTERWARNINGS, _SIMPLEFILTER}


def _silencing(frame: FrameType) -> Silenced | None:
    """What a just-called silencer does, if it silences and student code called it."""
    code, loc = frame.f_code, frame.f_locals
    if code is _ERRSTATE_INNER:  # @np.errstate(...) around a student's function
        self, func = loc.get("self"), loc.get("func")
        if not isinstance(self, np.errstate):  # numpy < 2: contextlib's decorator, shared
            return None
        home = getattr(getattr(func, "__code__", None), "co_filename", "")
        values = {k: getattr(self, f"_{k}", None) for k in ("all", "divide", "over", "invalid")}
        values["kwargs"] = getattr(self, "kwargs", None)
        ignored = _ignores_fp(values)
        if ignored and not is_library(home):
            where = f"line {func.__code__.co_firstlineno}"
            return Silenced(f"@np.errstate({', '.join(ignored)})", where)
        return None
    caller = frame.f_back
    if caller is None or is_library(caller.f_code.co_filename):
        return None
    if code in (_SETERR, _ERRSTATE_INIT):
        ignored = _ignores_fp(loc)
        fn = "np.seterr" if code is _SETERR else "np.errstate"
        return Silenced(f"{fn}({', '.join(ignored)})", line_of(caller)) if ignored else None
    fn = "warnings.filterwarnings" if code is _FILTERWARNINGS else "warnings.simplefilter"
    if _ignores_runtime_warnings(loc.get("action"), loc.get("category", Warning)):
        return Silenced(f"{fn}('ignore')", line_of(caller))
    return None


_SILENCERS = {"errstate": "np.errstate", "seterr": "np.seterr", "filterwarnings": "warnings.filterwarnings",
              "simplefilter": "warnings.simplefilter"}


def _ignores(call_node: Any) -> bool:
    import ast

    values = [*call_node.args, *(k.value for k in call_node.keywords)]
    return any(isinstance(v, ast.Constant) and v.value == "ignore" for v in values)


def written_silencers(func: Any) -> list[Silenced]:
    """Silencing calls written in the source of a function graded in the student's kernel,
    and of the notebook's functions it calls by name (helpers, three calls deep).

    There the profile hook of :func:`watch` cannot run: the call happens in another
    process, whose own account could be forged. The grader reads the function's text from
    the submitted notebook instead (its shadow, see graders.engine.grader.remote) and reports every
    ``np.errstate``/``np.seterr``/``warnings.filterwarnings``/``warnings.simplefilter`` call
    with an ``"ignore"`` in it, decorators included. A helper is found through the shadow's
    globals, which resolve a notebook function to its own shadow."""
    from .loops.source import unwrap

    if remote(func) is None:
        return []
    shadow = unwrap(func)
    if shadow is func:
        return []
    found: list[Silenced] = []
    _scan_silencers(shadow, found, seen=set(), depth=0)
    return found


def _scan_silencers(shadow: Any, found: list[Silenced], seen: set, depth: int) -> None:
    import ast
    import builtins

    from .loops.source import SourceUnavailableError, function_source

    code = getattr(shadow, "__code__", None)
    if code is None or code in seen or depth > 3:
        return
    seen.add(code)
    try:
        src = function_source(shadow)
    except (SourceUnavailableError, Exception):
        return
    helpers = []
    for node in ast.walk(src.node):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name in _SILENCERS and _ignores(node):
            where = f"line {node.lineno}: {src.line_text(node.lineno)!r}"
            if depth:
                where = f"line {node.lineno} of {shadow.__name__}, a function it calls: {src.line_text(node.lineno)!r}"
            found.append(Silenced(f"{_SILENCERS[name]}(..., 'ignore')", where))
        elif isinstance(f, ast.Name) and not hasattr(builtins, f.id) and f.id not in helpers:
            helpers.append(f.id)
    names = getattr(shadow, "__globals__", {})
    for name in helpers[:20]:
        try:
            helper = names[name]
        except Exception:
            continue
        if isinstance(helper, FunctionType):
            _scan_silencers(helper, found, seen, depth + 1)


def watch(func: Callable[..., Any], *args: Any) -> Watched:
    """Call ``func(*args)`` and report warnings, silencing, and the outcome. Never raises."""
    caught: list[Caught] = []
    silenced: list[Silenced] = written_silencers(func)

    def show(message: Any, category: Any, *_: Any, **__: Any) -> None:
        where = line_of(_student_caller(sys._getframe(1)))
        caught.append(Caught(getattr(category, "__name__", str(category)), str(message), where))

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in _WATCHED_CODES:
            found = _silencing(frame)
            if found is not None:
                silenced.append(found)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
            previous = sys.getprofile()
            sys.setprofile(profile)
            try:
                outcome = call(func, *args)
            finally:
                sys.setprofile(previous)
    return Watched(outcome, tuple(caught), tuple(silenced))


_WATCH_CODE = watch.__code__
