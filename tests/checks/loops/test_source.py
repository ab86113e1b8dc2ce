"""Finding a function's source where notebooks and exec put it, and whose code is whose."""

from __future__ import annotations

import ast
import builtins
import linecache
import re
import sys
import time

import numpy as np
import pytest

import graders.calling
from graders.checks.loops.source import (SourceUnavailableError, function_source,
                                        is_student_file)

CELL = """import numpy as np

def relu(x):
    n = len(x)
    for i in range(n):
        x = x
    return np.maximum(x, 0)
"""


def _exec_cell(src: str, filename: str) -> dict:
    namespace: dict = {}
    exec(compile(src, filename, "exec"), namespace)
    return namespace


@pytest.fixture
def ipython_shell(tmp_path, monkeypatch):
    """An IPython shell as a notebook kernel has, with the process left as it was found."""
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    from traitlets.config import Config

    shell_cls = interactiveshell.InteractiveShell
    existed = shell_cls.initialized()
    main_module = sys.modules.get("__main__")
    builtin_names = set(vars(builtins))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    config = Config()
    config.HistoryManager.enabled = False
    shell = shell_cls.instance(config=config)
    yield shell
    if not existed:
        shell_cls.clear_instance()
        sys.modules["__main__"] = main_module
        for name in set(vars(builtins)) - builtin_names:
            delattr(builtins, name)


def test_ipython_cell_source_is_found_with_cell_line_numbers(ipython_shell):
    """Is a function defined by run_cell read from linecache, numbered as in the cell?"""
    ipython_shell.run_cell(CELL)
    relu = ipython_shell.user_ns["relu"]
    filename = relu.__code__.co_filename
    assert filename.startswith("<ipython-input-")
    assert filename in linecache.cache
    found = function_source(relu)
    assert found.origin == "linecache"
    assert found.node.lineno == 3
    assert found.line_text(5) == "for i in range(n):"
    assert is_student_file(filename)


def test_ipykernel_cell_source_is_found():
    """Is a cell compiled the way ipykernel 7 compiles it (a temporary .py name that
    exists only in linecache) read, and counted as student code?"""
    compiler = pytest.importorskip("ipykernel.compiler")
    cache = compiler.XCachingCompiler()
    name = cache.cache(CELL, 11)
    namespace: dict = {}
    exec(cache(CELL, name, "exec"), namespace)
    relu = namespace["relu"]
    assert relu.__code__.co_filename == name
    found = function_source(relu)
    assert found.line_text(found.node.lineno) == "def relu(x):"
    assert is_student_file(name)


@pytest.mark.parametrize("mtime", [None, "now"])
def test_exec_with_registered_linecache_entry(mtime):
    """Is an exec'd cell read from its linecache entry, even one registered with a
    modification time that inspect would throw away?"""
    filename = f"<cell-7-{mtime}>"
    stamp = time.time() if mtime == "now" else None
    linecache.cache[filename] = (len(CELL), stamp, CELL.splitlines(True), filename)
    try:
        relu = _exec_cell(CELL, filename)["relu"]
        found = function_source(relu)
        assert found.node.lineno == 3
        assert found.line_text(5) == "for i in range(n):"
    finally:
        linecache.cache.pop(filename, None)


def test_no_source_raises_source_unavailable():
    """Does a function compiled from a string nobody registered raise SourceUnavailableError?"""
    relu = _exec_cell(CELL, "<lost-cell>")["relu"]
    expected = "no source found for relu() in <lost-cell>"
    with pytest.raises(SourceUnavailableError, match=re.escape(expected)):
        function_source(relu)


def test_explicit_source_string_gives_its_own_line_numbers():
    """Is an explicit source= string used, numbered from its own first line?"""
    relu = _exec_cell(CELL, "<lost-cell>")["relu"]
    found = function_source(relu, source=CELL)
    assert found.origin == "source="
    assert found.node.lineno == 3


def test_explicit_source_without_the_function_is_refused():
    """Is a source= text that does not define the function refused rather than misread?"""
    relu = _exec_cell(CELL, "<lost-cell>")["relu"]
    with pytest.raises(SourceUnavailableError, match="does not define"):
        function_source(relu, source="def other(x):\n    return x\n")


def test_redefined_function_is_matched_by_first_line():
    """When a cell defines the same name twice, is the definition actually run the one read?"""
    src = "def f(x):\n    for v in x:\n        pass\n\ndef f(x):\n    return x\n"
    linecache.cache["<twice>"] = (len(src), None, src.splitlines(True), "<twice>")
    try:
        f = _exec_cell(src, "<twice>")["f"]
        assert function_source(f).node.lineno == 5
    finally:
        linecache.cache.pop("<twice>", None)


def test_file_source_matches_the_code_object():
    """Is a function from a file found at the line its code object names?"""
    found = function_source(_exec_cell)
    assert isinstance(found.node, ast.FunctionDef)
    assert found.node.lineno == _exec_cell.__code__.co_firstlineno


@pytest.mark.parametrize("filename, expected", [
    (np.__file__, False),
    (ast.__file__, False),
    (graders.calling.__file__, False),
    ("<frozen importlib._bootstrap>", False),
    ("<string>", True),
    ("<ipython-input-3-abc>", True),
    (__file__, True),
])
def test_student_file_rule(filename, expected):
    """Are numpy, the stdlib, graders and frozen modules library code, and cells,
    exec strings and course files student code?"""
    assert is_student_file(filename) is expected
