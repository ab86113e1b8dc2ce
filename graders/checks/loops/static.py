"""The static loop signal: read the student's source and name every Python loop in it.

Students who are told "no loops" rarely write a bare ``for``; they write a comprehension,
``map(lambda ...)``, ``np.vectorize``, ``df.apply``, recursion, or move the loop into a
helper. Each of these still does per-element Python work, so each is a finding with the
line the student sees. Helpers are followed when they are reached by a bare or dotted
name through the function's globals and are student code (see :mod:`.source`).
"""

from __future__ import annotations

import ast
import builtins
import functools
import itertools
import types
from typing import Any, Mapping

import numpy as np

from .findings import LoopFinding, StaticScan, normalise_allowed
from .source import FunctionSource, SourceUnavailableError, function_source, is_student_file, unwrap

_COMPREHENSIONS = {ast.ListComp: "listcomp", ast.SetComp: "setcomp",
                   ast.DictComp: "dictcomp", ast.GeneratorExp: "genexp"}
_ITERTOOLS = {name for name in dir(itertools) if not name.startswith("_")}
_NUMPY_LOOPS = ("vectorize", "frompyfunc", "apply_along_axis", "apply_over_axes")
_KNOWN: list[tuple[Any, str]] = [
    (builtins.map, "map"), (builtins.filter, "filter"), (functools.reduce, "reduce"),
    (builtins.exec, "exec"), (builtins.eval, "eval"), (builtins.compile, "compile"),
] + [(getattr(np, n), f"np.{n}") for n in _NUMPY_LOOPS] + [
    (getattr(itertools, n), "itertools") for n in sorted(_ITERTOOLS)]
_MISSING = object()


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _resolve(node: ast.AST, namespace: Mapping[str, Any]) -> Any:
    """The object a (dotted) name refers to through the function's globals, or _MISSING.
    Attributes are looked up only on modules, classes and ufuncs, never on instances,
    so no student property runs during a static scan."""
    if isinstance(node, ast.Name):
        if node.id in namespace:
            return namespace[node.id]
        b = namespace.get("__builtins__", builtins)
        b = b if isinstance(b, dict) else vars(b)
        return b.get(node.id, _MISSING)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, namespace)
        if isinstance(base, (types.ModuleType, type, np.ufunc)):
            try:
                return getattr(base, node.attr, _MISSING)
            except Exception:
                return _MISSING
    return _MISSING


def _known_kind(obj: Any) -> str | None:
    for known, kind in _KNOWN:
        if obj is known:
            return kind
    return None


def _unresolved_kind(name: str | None) -> str | None:
    """Names that could not be resolved (e.g. imported inside the function): go by spelling."""
    if not name:
        return None
    parts = name.split(".")
    last, first = parts[-1], parts[0]
    if last in _NUMPY_LOOPS and (len(parts) == 1 or first in ("np", "numpy")):
        return f"np.{last}"
    if last == "reduce" and (len(parts) == 1 or first == "functools"):
        return "reduce"
    if last in _ITERTOOLS and (len(parts) == 1 or first in ("itertools", "it")):
        return "itertools"
    return None


def _student_function(obj: Any) -> types.FunctionType | None:
    obj = unwrap(obj)
    if isinstance(obj, types.FunctionType) and is_student_file(obj.__code__.co_filename):
        return obj
    return None


class _Scanner(ast.NodeVisitor):
    """Collects raw findings in one function body and the student helpers it calls."""

    def __init__(self, func: types.FunctionType, src: FunctionSource, stack: tuple) -> None:
        self.func, self.src, self.stack = func, src, stack
        self.namespace = getattr(func, "__globals__", {})
        self.findings: list[LoopFinding] = []
        self.calls: list[tuple[ast.Call, types.FunctionType]] = []
        self.refs: list[types.FunctionType] = []
        """Student functions passed as values (``np.vectorize(step)``): read, not called."""
        self.def_names: list[str] = []
        self.stub = False
        """The body is the release's stub: ``raise NotImplementedError()`` first (after a docstring)."""

    def add(self, kind: str, node: ast.AST, detail: str = "") -> None:
        line = getattr(node, "lineno", 0)
        self.findings.append(LoopFinding(kind, line, self.src.line_text(line),
                                         self.func.__name__, detail, helper=bool(self.stack[1:])))

    def scan(self) -> None:
        node = self.src.node
        for deco in getattr(node, "decorator_list", []):
            target = deco.func if isinstance(deco, ast.Call) else deco
            kind = self._callee_kind(target)
            if kind:
                self.add(kind, deco, _dotted(target) or "")
        if isinstance(node, ast.Lambda):
            self.visit(node.body)
        else:
            self.def_names.append(node.name)
            self.stub = _is_stub(node.body)
            for stmt in node.body:
                self.visit(stmt)

    def visit_For(self, node: ast.AST) -> None:
        self.add("for", node)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> None:
        self.add("while", node)
        self.generic_visit(node)

    def _comprehension(self, node: ast.AST) -> None:
        self.add(_COMPREHENSIONS[type(node)], node)
        self.generic_visit(node)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_FunctionDef(self, node: ast.AST) -> None:
        self.def_names.append(node.name)
        self.generic_visit(node)
        self.def_names.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _callee_kind(self, target: ast.AST) -> str | None:
        obj = _resolve(target, self.namespace)
        if obj is _MISSING:
            return _unresolved_kind(_dotted(target))
        return _known_kind(obj)

    def visit_Call(self, node: ast.Call) -> None:
        target = node.func
        kind = self._callee_kind(target)
        if kind:
            name = _dotted(target) or ""
            detail = f"itertools.{name.split('.')[-1]}" if kind == "itertools" else ""
            self.add(kind, node, detail)
        elif isinstance(target, ast.Attribute):
            self._pandas_call(node, target)
        obj = _resolve(target, self.namespace)
        helper = _student_function(obj) if obj is not _MISSING else None
        if helper is not None:
            self.calls.append((node, helper))
        elif obj is _MISSING and isinstance(target, ast.Name) and target.id in self.def_names:
            self.add("recursion", node, f"{target.id}() calls itself")
        for arg in list(node.args) + [k.value for k in node.keywords]:
            if isinstance(arg, (ast.Name, ast.Attribute)):
                ref = _student_function(_resolve(arg, self.namespace))
                if ref is not None:
                    self.refs.append(ref)
        self.generic_visit(node)

    def _pandas_call(self, node: ast.Call, target: ast.Attribute) -> None:
        method = {"aggregate": "agg", "iteritems": "items"}.get(target.attr, target.attr)
        if isinstance(_resolve(target.value, self.namespace), types.ModuleType):
            return
        if method in ("iterrows", "itertuples"):
            self.add(f"pandas.{method}", node)
            return
        if method not in ("apply", "applymap", "map", "agg", "transform"):
            return
        args = list(node.args) + [k.value for k in node.keywords if k.arg in ("func", "arg")]
        if not args:
            return
        if any(isinstance(n, ast.Lambda) for a in args for n in ast.walk(a)):
            self.add(f"pandas.{method}", node, "with a lambda")
            return
        obj = _resolve(args[0], self.namespace)
        if _student_function(obj) is not None:
            self.add(f"pandas.{method}", node, f"with {_dotted(args[0])}()")
        elif method in ("apply", "applymap", "map") and callable(obj) and not isinstance(obj, type):
            self.add(f"pandas.{method}", node, f"with {_dotted(args[0])}")
        elif method in ("apply", "applymap") and obj is _MISSING and _dotted(args[0]):
            self.add(f"pandas.{method}", node, f"with {_dotted(args[0])}")


def _chain(stack: tuple, target: types.FunctionType) -> str:
    names = [f.__name__ for f in stack[[f.__code__ for f in stack].index(target.__code__):]]
    return " -> ".join(f"{n}()" for n in names + [target.__name__])


def _is_stub(body: list[ast.stmt]) -> bool:
    """Does a function body start (after its docstring) with ``raise NotImplementedError``?"""
    stmts = body[1:] if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else body
    if not stmts or not isinstance(stmts[0], ast.Raise) or stmts[0].exc is None:
        return False
    exc = stmts[0].exc.func if isinstance(stmts[0].exc, ast.Call) else stmts[0].exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def scan_function(func: Any, *, source: str | None = None, follow_helpers: bool = True
                  ) -> tuple[list[LoopFinding], list[str], list[str]]:
    """All raw findings (no allowance applied) in ``func`` and its student helpers, in
    reading order: the function's own lines first, then each helper as it is first
    called, then the names of the functions read and of those still stubs. Raises
    SourceUnavailableError when ``func``'s own source cannot be read; a helper without
    source is skipped (the dynamic signal still sees it)."""
    top = unwrap(func)
    findings: list[LoopFinding] = []
    read: list[str] = []
    stubs: list[str] = []
    visited: set = set()

    wrapped = _wrapper_finding(func, top)
    if not isinstance(getattr(top, "__code__", None), types.CodeType):
        if wrapped is not None:
            return [wrapped], [], []
        raise SourceUnavailableError(f"{type(func).__name__} object has no Python source")

    def visit(f: types.FunctionType, stack: tuple, text: str | None) -> None:
        visited.add(f.__code__)
        try:
            src = function_source(f, source=text)
        except SourceUnavailableError:
            if not stack:
                raise
            return
        read.append(f.__name__)
        scanner = _Scanner(f, src, stack + (f,))
        scanner.scan()
        if scanner.stub:
            stubs.append(f.__name__)
        findings.extend(sorted(scanner.findings, key=lambda x: x.line))
        for call, helper in scanner.calls:
            codes = [g.__code__ for g in stack + (f,)]
            if helper.__code__ in codes:
                detail = _chain(stack + (f,), helper)
                if helper is f:
                    detail = f"{f.__name__}() calls itself"
                findings.append(LoopFinding("recursion", call.lineno, src.line_text(call.lineno),
                                            f.__name__, detail, helper=bool(stack)))
            elif follow_helpers and helper.__code__ not in visited:
                same_text = text if helper.__code__.co_filename == f.__code__.co_filename else None
                visit(helper, stack + (f,), same_text)
        for helper in scanner.refs if follow_helpers else ():
            if helper.__code__ not in visited:
                same_text = text if helper.__code__.co_filename == f.__code__.co_filename else None
                visit(helper, stack + (f,), same_text)

    try:
        visit(top, (), source)
    except SourceUnavailableError:
        if wrapped is None:
            raise
    if wrapped is not None and not any(f.kind == wrapped.kind and not f.helper
                                       for f in findings):
        findings.insert(0, wrapped)
    return findings, read, stubs


def _wrapper_finding(func: Any, top: Any) -> LoopFinding | None:
    """``np.vectorize(f)`` or ``np.frompyfunc(f, ...)`` handed in as the function itself:
    a loop whatever ``f`` is, even a C function with no source."""
    name = str(getattr(top, "__name__", type(top).__name__)).removesuffix(" (vectorized)")
    if isinstance(func, np.vectorize):
        return LoopFinding("np.vectorize", 0, "", name, "the function is wrapped in np.vectorize")
    if isinstance(func, np.ufunc) and str(func.__name__).endswith(" (vectorized)"):
        return LoopFinding("np.frompyfunc", 0, "", name, "the function is made by np.frompyfunc")
    return None


def scan_loops(func: Any, *, source: str | None = None, allowed=None,
               follow_helpers: bool = True) -> StaticScan:
    """The static signal for one function; never raises for the student's sake (a missing
    source becomes ``available=False`` with a reason), only for a bad ``allowed=``."""
    budget = normalise_allowed(allowed)

    try:
        raw, read, stubs = scan_function(func, source=source, follow_helpers=follow_helpers)
    except SourceUnavailableError as exc:
        return StaticScan(available=False, reason=str(exc) or "no source found")
    except RecursionError:
        return StaticScan(available=False, reason="source too deeply nested to read")
    flagged, tolerated = [], []
    for f in raw:
        if budget.get(f.kind, 0) >= 1:
            budget[f.kind] -= 1
            tolerated.append(f)
        else:
            flagged.append(f)
    return StaticScan(tuple(flagged), tuple(tolerated), True, "", tuple(read), tuple(stubs))
