"""Does the student's code reach into the machinery that measures it? Read from the notebook.

Speed, loop, mutation, laziness and stability verdicts rest on what the student's kernel
reports: how its calls ran, which lines they traced, which warnings they raised. Code in
that kernel can rewrite the reporting side (the bridge object, the tracer, a function's
code object) and forge those reports. The grader cannot see inside the kernel, but it holds
the notebook, and the few ways in have names no exercise needs: the bridge's own names,
``sys.settrace``/``setprofile`` and their getters, a function's ``__code__`` replaced,
``gc``'s object walks, frame walks (``f_back``, ``inspect.currentframe``: the bridge's frame
calls the student's function), ``ctypes``, the kernel's message handlers.

:func:`scan` finds them in the student's cells (their text as submitted, never as the
kernel reports it). A notebook with a finding still gets its value checks, which are
decided here from data; every verdict that would rest on the kernel's report fails with a
message naming the line (see :mod:`graders.engine.grader.remote`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

SYS_HOOKS = {"settrace", "setprofile", "gettrace", "getprofile", "_getframe", "call_tracing", "monitoring",
             "addaudithook"}
GC_WALKS = {"get_referrers", "get_referents", "get_objects"}
NAMES = ("__graders", "graders_bridge", "shell_handlers", "user_ns_hidden")
MODULES = {"ctypes", "_ctypes", "cffi", "_thread"}
"""Modules that reach below Python's own objects; ``_thread`` starts threads that
``threading.enumerate`` does not list (so the end-of-cell mutation check would not wait)."""
FRAMES = {"f_back", "f_locals", "f_globals", "f_builtins", "tb_frame", "gi_frame", "cr_frame", "ag_frame"}
INSPECT = {"currentframe", "stack", "getouterframes", "getinnerframes", "trace"}


@dataclass(frozen=True)
class Finding:
    cell: int
    """Index of the cell in the notebook."""
    line: int
    text: str
    """The line as written."""
    what: str
    """What it does, in words."""

    def __str__(self) -> str:
        return f"cell {self.cell}, line {self.line}: `{self.text}` ({self.what})"


def _what(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name) and any(n in node.id for n in NAMES):
        return "uses the grader's own objects"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and any(n in node.value for n in NAMES):
        return "names the grader's own objects"
    if isinstance(node, ast.Attribute):
        if any(n in node.attr for n in NAMES):
            return "uses the grader's own objects"
        base = node.value.id if isinstance(node.value, ast.Name) else ""
        if node.attr in SYS_HOOKS and base in ("sys", "threading", "_sys"):
            return "changes or reads the tracer"
        if node.attr in GC_WALKS:
            return "walks the interpreter's objects"
        if node.attr in FRAMES or (node.attr in INSPECT and base == "inspect"):
            return "walks the interpreter's frames (the grader's are among them)"
        if node.attr == "__code__" and isinstance(node.ctx, ast.Store):
            return "replaces a function's code"
    if isinstance(node, ast.ImportFrom) and node.module == "inspect" and {a.name for a in node.names} & INSPECT:
        return "walks the interpreter's frames (the grader's are among them)"
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                                                 else [])
        if any(n.split(".")[0] in MODULES for n in names if n):
            return "imports a module that reaches into the interpreter"
        if isinstance(node, ast.ImportFrom) and node.module == "sys" and {a.name for a in node.names} & SYS_HOOKS:
            return "changes or reads the tracer"
        if isinstance(node, ast.ImportFrom) and node.module == "gc" and {a.name for a in node.names} & GC_WALKS:
            return "walks the interpreter's objects"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "getattr"):
        if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value == "__code__" \
                and node.func.id == "setattr":
            return "replaces a function's code"
    return None


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        try:
            from IPython.core.inputtransformer2 import TransformerManager

            return ast.parse(TransformerManager().transform_cell(source))
        except Exception:
            return None


def scan(cells: list[tuple[int, str]]) -> list[Finding]:
    """Every finding in the student's cells, given as (index, source)."""
    found: list[Finding] = []
    for index, source in cells:
        tree = _parse(source)
        if tree is None:
            continue
        lines = source.splitlines()
        for node in ast.walk(tree):
            what = _what(node)
            if what:
                lineno = getattr(node, "lineno", 0)
                text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
                found.append(Finding(index, lineno, text[:120], what))
    unique = {(f.cell, f.line, f.what): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.cell, f.line))


def message(findings: list[Finding], check: str) -> str:
    """Why a verdict that rests on the kernel's report is failed."""
    first = findings[0]
    more = f" (and {len(findings) - 1} more place{'s' if len(findings) > 2 else ''})" if len(findings) > 1 else ""
    return (f"{check}: your notebook reaches into the grading machinery at {first}{more}, so what your kernel "
            f"reports about this call cannot be trusted and the check counts as failed. Remove that code; "
            f"no exercise needs it.")


class Tampering(BaseException):
    """A verdict that needs the kernel's report, for a notebook that reaches into the grader.

    A BaseException, so that no check mistakes it for the student's function failing and
    retries another way: it ends the test cell, which loses its points."""
