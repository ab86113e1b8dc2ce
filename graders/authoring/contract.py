"""The contract a source notebook keeps, so that the engine, the report and nbgrader agree
on it; checked before every release (``python -m graders validate``, ``make release``).

Rules, each named in a violation:

- ``grade-id``: an autograded test cell is named ``<answer>_<aspect>`` with the aspect from
  :data:`graders.report.cells.ASPECTS` (``relu_correct``, ``relu_speed``), or ``q<n>`` for a
  multiple-choice answer; the report groups cells and feedback totals points by that name.
- ``answer-cell``: the answer a test cell grades has its own answer (solution) cell, whose
  grade id is the answer's name (``relu``; ``q3-answer`` for ``q3``).
- ``one-function``: an answer cell for a function defines that function, alone: one
  top-level ``def`` of the cell's grade id (imports and comments may stand beside it). The
  engine reads a graded function's text from its cell for the loop and warning checks, and
  a second definition there would be graded with it.
- ``markers``: a solution between ``### BEGIN SOLUTION``/``### END SOLUTION``, hidden tests
  between ``### BEGIN HIDDEN TESTS``/``### END HIDDEN TESTS``, each pair complete.
- ``self-contained``: a test cell uses only names it defines itself, builtins, and names
  the notebook's own (non-test) code cells define: the engine runs each test cell in the
  grader's process, beside the student's kernel, where another test cell's names do not exist.
- ``points``: a graded cell carries points above zero.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import nbformat

from ..report.cells import ASPECTS, MCQ, function_of

_ANSWER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Violation:
    notebook: str
    cell: str
    """The cell's grade id, or ``cell <index>`` for a cell without one."""
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.notebook}: {self.cell}: [{self.rule}] {self.message}"


def _meta(cell: Any) -> dict:
    return dict((cell.get("metadata") or {}).get("nbgrader") or {})


def _python(source: str) -> str:
    """The cell's Python, without IPython magics and shell lines."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_python(source))
    except SyntaxError:
        return None


def defined_names(tree: ast.AST) -> set[str]:
    """Every name a piece of code binds anywhere (assignments, defs, imports, arguments,
    loop and comprehension targets, ``except ... as``)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out.update(node.names)
    return out


def used_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def check_notebook(path: Path) -> list[Violation]:
    """Every violation of the contract in the source notebook at ``path``."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:
        return [Violation(str(path), "notebook", "readable", f"cannot be read as a notebook: {exc}")]
    name = str(path)
    out: list[Violation] = []
    cells = list(nb.cells)
    label = [(_meta(c).get("grade_id") or f"cell {i}") for i, c in enumerate(cells)]
    solutions = {_meta(c).get("grade_id"): c for c in cells if _meta(c).get("solution")}
    notebook_names: set[str] = set(dir(builtins)) | {"get_ipython", "display", "In", "Out"}
    for c in cells:
        if c.cell_type == "code" and not _meta(c).get("grade"):
            tree = _parse(c.source)
            if tree is not None:
                notebook_names |= defined_names(tree)
    for i, c in enumerate(cells):
        meta, src, where = _meta(c), c.source, label[i]
        gid = meta.get("grade_id") or ""

        def bad(rule: str, message: str) -> None:
            out.append(Violation(name, f"cell '{where}'" if gid else where, rule, message))

        graded = bool(meta.get("grade"))
        if graded and not (meta.get("points") or 0) > 0:
            bad("points", "a graded cell needs points above zero (nbgrader metadata 'points')")
        for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"),
                           ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")):
            if (begin in src) != (end in src) or src.find(begin) > src.find(end):
                bad("markers", f"'{begin}' and '{end}' must both be there, in that order")
        if meta.get("solution") and c.cell_type == "code" and not MCQ.match(gid.removesuffix("-answer")):
            if "### BEGIN SOLUTION" not in src:
                bad("markers", "an answer cell holds its solution between '### BEGIN SOLUTION' and "
                               "'### END SOLUTION' (nbgrader replaces it in the release)")
            tree = _parse(src)
            if tree is not None:
                defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
                others = [n for n in tree.body if not isinstance(
                    n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom))
                          and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
                if [d.name for d in defs] != [gid] or others:
                    found = ", ".join(f"def {d.name}" for d in defs) or "no def"
                    extra = f" and {len(others)} other statement(s) (line {others[0].lineno})" if others else ""
                    bad("one-function", f"an answer cell defines its function alone: expected one top-level "
                                        f"`def {gid}(...)`, found {found}{extra}")
        if graded and c.cell_type == "code" and not meta.get("solution"):
            answer = function_of(gid)
            suffix = gid.rsplit("_", 1)[-1] if "_" in gid else ""
            if not MCQ.match(gid) and (suffix not in ASPECTS or not _ANSWER.match(answer)):
                bad("grade-id", f"a test cell's grade id is <answer>_<aspect> with the aspect one of "
                                f"{', '.join(sorted(ASPECTS))} (or q<n> for a multiple-choice answer); "
                                f"'{gid}' ends in '{suffix or gid}'")
            elif answer not in solutions and f"{answer}-answer" not in solutions:
                bad("answer-cell", f"no answer cell for '{answer}': a code cell with nbgrader metadata "
                                   f"solution=true and grade_id '{answer}'"
                                   + (f" (or '{answer}-answer')" if MCQ.match(gid) else ""))
            tree = _parse(src)
            if tree is None:
                bad("self-contained", "the test cell is not valid Python")
            else:
                missing = sorted(used_names(tree) - defined_names(tree) - notebook_names)
                if missing:
                    bad("self-contained", f"uses {', '.join(missing)}, defined neither in this cell nor in "
                                          "the notebook's own code cells (a test cell cannot see another "
                                          "test cell's names): define or import them here")
    return out


def check_notebooks(paths: Iterable[Path]) -> list[Violation]:
    return [v for p in paths for v in check_notebook(p)]
