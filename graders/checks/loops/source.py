"""Finding the source of a student's function, and telling student code from library code.

Both loop signals need to know *whose* code is whose: the static signal follows helper
functions only into the student's code, and the dynamic signal counts Python events only
in the student's frames. Both also need line numbers as the student sees them: notebook
cells compile to pseudo-files (``<ipython-input-3-...>`` in IPython, a temporary
``.../ipykernel_<pid>/<hash>.py`` in ipykernel) whose text lives only in ``linecache``,
so ``inspect.getsource`` is one of several ways in, not the only one.

The rule for "student code" (used by both signals): a code object is the student's
unless its file lies in the standard library, in a site-packages/dist-packages folder,
in the ``graders`` package itself, or is a frozen or numpy-generated pseudo-file. So
notebook cells, files next to the notebook, ``<string>`` from ``exec``, and any other
pseudo-file count as the student's -- except, for running frames, code generated from a
string inside a library module (dataclass ``__init__``, namedtuple ``__new__``): see
:func:`is_student_frame`.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import os
import site
import sys
import sysconfig
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...protocol import remote

_GRADERS_DIR = str(Path(__file__).resolve().parents[2]) + os.sep
_LIBRARY_PSEUDO_FILES = ("<frozen ", "<__array_function__")


class SourceUnavailableError(OSError):
    """The function's source text could not be found (and none was passed as ``source=``)."""


def _library_roots() -> tuple[str, ...]:
    roots: set[str] = set()
    for scheme_vars in ({"base": sys.prefix, "platbase": sys.prefix},
                        {"base": sys.base_prefix, "platbase": sys.base_prefix}):
        paths = sysconfig.get_paths(vars=scheme_vars)
        for key in ("stdlib", "platstdlib", "purelib", "platlib"):
            if paths.get(key):
                roots.add(os.path.realpath(paths[key]))
    try:
        roots.update(os.path.realpath(p) for p in site.getsitepackages())
    except AttributeError:  # pragma: no cover - some virtualenv builds lack it
        pass
    return tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots))


_ROOTS = _library_roots()


@lru_cache(maxsize=4096)
def is_student_file(filename: str) -> bool:
    """True when code compiled from ``filename`` counts as the student's (see module doc)."""
    if not filename:
        return False
    if filename.startswith("<"):
        return not filename.startswith(_LIBRARY_PSEUDO_FILES)
    parts = filename.replace("\\", "/").split("/")
    if "site-packages" in parts or "dist-packages" in parts:
        return False
    real = os.path.realpath(filename)
    if real.startswith(_GRADERS_DIR) or filename.startswith(_GRADERS_DIR):
        return False
    return not any(real.startswith(root) for root in _ROOTS)


def is_student_frame(frame: Any) -> bool:
    """:func:`is_student_file` for a running frame, with one refinement: code compiled from
    a string (``"<string>"``) belongs to the module whose globals it runs in. Dataclass
    and namedtuple methods are generated that way inside libraries (and inside graders'
    own ``Call``), while a student's ``exec`` runs in a dict or a student module."""
    filename = frame.f_code.co_filename
    if not is_student_file(filename):
        return False
    if filename.startswith("<"):
        home = frame.f_globals.get("__file__")
        if isinstance(home, str) and not is_student_file(home):
            return False
    return True


def unwrap(func: Any) -> Any:
    """The plain Python function behind decorators (``functools.wraps``, ``np.vectorize``)."""
    seen = 0
    while seen < 20:
        seen += 1
        if remote(func) is not None:
            # a function in the student's kernel: its shadow, compiled here from the
            # notebook's own text (graders.engine.grader.remote), or the proxy when there is none
            return func.__graders_shadow__ or func
        inner = getattr(func, "pyfunc", None)  # np.vectorize instances
        if inner is None:
            inner = getattr(func, "__wrapped__", None)
        if inner is None:
            inner = getattr(func, "__func__", None)  # bound methods
        if inner is None or inner is func:
            return func
        func = inner
    return func


@dataclass(frozen=True)
class FunctionSource:
    """Where a function's definition sits, parsed."""

    node: ast.AST
    """The ``FunctionDef``/``AsyncFunctionDef``/``Lambda`` node, line numbers as shown to
    the student (those of the cell, file or ``source=`` string)."""

    lines: tuple[str, ...]
    """The text the line numbers refer to, one entry per line."""

    filename: str
    """``co_filename`` of the function, or ``"<source>"`` for a ``source=`` string."""

    origin: str
    """How the text was found: ``"source="``, ``"linecache"``, ``"file"`` or ``"inspect"``."""

    def line_text(self, lineno: int) -> str:
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1].strip()
        return ""


@lru_cache(maxsize=64)
def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _defs(tree: ast.AST) -> list[ast.AST]:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    return [n for n in ast.walk(tree) if isinstance(n, kinds)]


def _first_line(node: ast.AST) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _locate(tree: ast.AST, code: Any, by_name_ok: bool) -> ast.AST | None:
    """The definition of ``code`` in ``tree``: same first line and name; else (when
    ``by_name_ok``) the last definition with that name, as a re-run cell would leave it."""
    name = code.co_name
    defs = _defs(tree)
    for node in defs:
        node_name = getattr(node, "name", "<lambda>")
        if node_name == name and code.co_firstlineno in (node.lineno, _first_line(node)):
            return node
    if by_name_ok and name != "<lambda>":
        named = [n for n in defs if getattr(n, "name", None) == name]
        if named:
            return named[-1]
    return None


def _from_lines(lines: list[str], code: Any, filename: str, origin: str,
                by_name_ok: bool = False) -> FunctionSource | None:
    if not lines:
        return None
    tree = _parse("".join(lines))
    if tree is None:
        return None
    node = _locate(tree, code, by_name_ok)
    if node is None:
        return None
    return FunctionSource(node, tuple(x.rstrip("\n") for x in lines), filename, origin)


def _from_inspect(func: Any, code: Any) -> FunctionSource | None:
    """Last resort: the function's own block, re-numbered to its place in the file."""
    try:
        block, start = inspect.getsourcelines(func)
    except (OSError, TypeError):
        return None
    try:  # not the cached parser: the tree is renumbered in place below
        tree = ast.parse(textwrap.dedent("".join(block)))
    except (SyntaxError, ValueError):
        return None
    ast.increment_lineno(tree, max(start, 1) - 1)
    node = _locate(tree, code, by_name_ok=True)
    if node is None:
        return None
    padded = [""] * (max(start, 1) - 1) + [x.rstrip("\n") for x in block]
    return FunctionSource(node, tuple(padded), code.co_filename, "inspect")


def function_source(func: Any, source: str | None = None) -> FunctionSource:
    """Parse the definition of ``func``; raise :class:`SourceUnavailableError` if impossible.

    An explicit ``source=`` (the cell text) wins: the caller knows best. Otherwise the
    ``linecache`` entry is read *before* ``inspect`` runs, because ``inspect`` calls
    ``linecache.checkcache``, which drops entries registered with a modification time
    whose "file" does not exist (a common way to register exec'd cells).
    """
    func = unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None:
        raise SourceUnavailableError(f"{type(func).__name__} object has no Python source")
    if source is not None:
        lines = source.splitlines(keepends=True)
        found = _from_lines(lines, code, "<source>", "source=", by_name_ok=True)
        if found is None:
            raise SourceUnavailableError("the source= text does not define this function")
        return found
    filename = code.co_filename
    entry = linecache.cache.get(filename)
    if entry is not None and len(entry) >= 3 and entry[2]:
        found = _from_lines(list(entry[2]), code, filename, "linecache")
        if found is not None:
            return found
    try:
        lines = linecache.getlines(filename, getattr(func, "__globals__", None))
    except Exception:
        lines = []
    found = _from_lines(lines, code, filename, "file") or _from_inspect(func, code)
    if found is None:
        raise SourceUnavailableError(f"no source found for {code.co_name}() in {filename}")
    return found
