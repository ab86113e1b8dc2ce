"""Hidden tests never print an answer: in every source notebook's hidden tests, a plot check
given the expected data, and a value check whose expected value comes from a reference
implementation (``_ref_*``), passes ``reveal=False``. Expected values that are structure
rather than answers (row numbers, batch sizes, a residual of 0) may show."""

from __future__ import annotations

import ast

import nbformat
import pytest

from samples.course import REPO

PLOTS = {"check_lines": ("data",), "check_bars": ("heights", "positions"), "check_scatter": ("data",)}
VALUES = {"check_close", "check_equal", "check_frame", "check_stable"}


def hidden_calls():
    for path in sorted((REPO / "source").glob("*/*.ipynb")):
        for cell in nbformat.read(path, 4).cells:
            src = cell.source
            if "### BEGIN HIDDEN TESTS" not in src:
                continue
            hidden = src[src.index("### BEGIN HIDDEN TESTS"):src.find("### END HIDDEN TESTS") % (len(src) + 1)]
            for node in ast.walk(ast.parse(hidden)):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                    yield path.stem, cell.metadata["nbgrader"]["grade_id"], name, node, hidden


def shows_an_answer(name: str, node: ast.Call) -> bool:
    keywords = {k.arg: k.value for k in node.keywords}
    if name in PLOTS:
        return any(k in keywords for k in PLOTS[name])
    if name in VALUES:
        expected = node.args[1] if len(node.args) > 1 else keywords.get("expected")
        return expected is not None and any(
            isinstance(n, ast.Name) and n.id.startswith("_ref") for n in ast.walk(expected))
    return False


def test_every_answer_shown_by_a_hidden_check_is_hidden():
    calls = [(nb, gid, name, node, src) for nb, gid, name, node, src in hidden_calls() if shows_an_answer(name, node)]
    assert len(calls) >= 10, "the scan must find the hidden checks to mean anything"
    open_ = [f"{nb}:{gid}: {ast.get_source_segment(src, node)[:80]}" for nb, gid, name, node, src in calls
             if not any(k.arg == "reveal" and isinstance(k.value, ast.Constant) and k.value.value is False
                        for k in node.keywords)]
    assert open_ == []
