"""A new exercise notebook that already keeps the contract (graders.authoring.contract):
``python -m graders new-exercise 07_relu --function relu`` or ``make new-exercise``.

The notebook is a complete, gradable exercise on an element-wise function, with an example
solution (ReLU) and the four checks most exercises start from: values on a worked example
and on hidden random inputs, shape, mutation, and loops. The instructor rewrites the task,
the solution and the reference (``_ref_<function>``) and keeps the structure; ``make
release`` then validates it. An existing notebook is never overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ..preprocessors.installstudentkit import setup_cell

KIT = "pnd4dl-kit"

NAME = re.compile(r"^\d\d_[a-z][a-z0-9_]*$")
FUNCTION = re.compile(r"^[a-z_][a-z0-9_]*$")


class ScaffoldError(Exception):
    """The name asked for cannot be used; the message says why and what would work."""


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, points: int = 0,
          locked: bool = True) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def notebook(name: str, function: str) -> nbformat.NotebookNode:
    f = function
    cells = [
        new_markdown_cell(f"# {name[:2]} · {f}\n\n**Objective.** Write `{f}(x)`, element-wise and vectorised.\n\n"
                          "**What is graded** (hidden checks, each its own points): correct values on fresh "
                          "random inputs, the output's shape and type, your input left unchanged, and no "
                          "Python loop.",
                          metadata=_meta("intro")),
        setup_cell(KIT),  # rewritten with c.InstallStudentKit.location at every release
        new_code_cell("import numpy as np"),
        new_markdown_cell(f"## Task: `{f}(x)`\n\nReturn `max(x, 0)` element-wise as a float array of `x`'s "
                          "shape, without a Python loop and without changing `x`.",
                          metadata=_meta(f"{f}-task")),
        new_code_cell(f'def {f}(x):\n    """max(x, 0), element-wise, as floats."""\n    ### BEGIN SOLUTION\n'
                      "    # Instructor: rewrite the task text, this solution, the worked examples and the hidden\n"
                      f"    # reference _ref_{f}; keep the cells' grade ids (make release checks them).\n"
                      "    return np.maximum(np.asarray(x, dtype=float), 0.0)\n    ### END SOLUTION\n",
                      metadata=_meta(f, solution=True, locked=False)),
        new_code_cell(f"# Try it.\nprint({f}(np.array([-2.0, 0.0, 3.0])))"),
        new_code_cell(
            "# Visible check, on a worked example.\nfrom graders.checks.values import check_close\n\n"
            "_x = np.array([-2.0, -0.5, 0.0, 1.5])\n"
            f"r = check_close({f}(_x.copy()), np.array([0.0, 0.0, 0.0, 1.5]), name=\"{f}(x)\", inputs={{\"x\": _x}},\n"
            "                hint=\"negative values become 0, the others stay\")\nassert r.passed, r.message\n"
            "### BEGIN HIDDEN TESTS\nfrom graders.checks.values import check_close\n"
            "from graders.variants import grading_rng\n\n"
            f"def _ref_{f}(x):\n    return np.maximum(np.asarray(x, dtype=float), 0.0)\n\n"
            f"_rng = grading_rng(\"{name}\", \"{f}_correct\")\n"
            "for _shape in [(7,), (3, 4)]:\n    _x = _rng.normal(size=_shape)\n"
            f"    r = check_close({f}(_x.copy()), _ref_{f}(_x), name=\"{f}(x)\", inputs={{\"x\": _x}}, reveal=False)\n"
            "    assert r.passed, r.message\n### END HIDDEN TESTS\n",
            metadata=_meta(f"{f}_correct", grade=True, points=2)),
        new_code_cell(
            "# Visible check: the output has the input's shape and is a float array.\n"
            "from graders.checks.shapes import check_array\n\n"
            f"r = check_array({f}(np.zeros((2, 3))), shape=(2, 3), kind=\"f\", name=\"{f}(np.zeros((2, 3)))\")\n"
            "assert r.passed, r.message\n### BEGIN HIDDEN TESTS\nfrom graders.checks.shapes import check_array\n\n"
            "for _x in [np.ones(5), np.ones((4, 1)), np.arange(6).reshape(2, 3)]:\n"
            f"    r = check_array({f}(_x), shape=_x.shape, kind=\"f\", name=\"{f}(x)\", inputs={{\"x\": _x}})\n"
            "    assert r.passed, r.message\n### END HIDDEN TESTS\n",
            metadata=_meta(f"{f}_shape", grade=True, points=1)),
        new_code_cell(
            "# Visible check: your function leaves its input as it was.\n"
            "from graders.checks.mutation import check_no_mutation\n\n"
            f"r = check_no_mutation({f}, np.array([-1.0, 2.0]), name=\"{f}(x)\")\nassert r.passed, r.message\n"
            "### BEGIN HIDDEN TESTS\nfrom graders.checks.mutation import check_no_mutation\n\n"
            f"r = check_no_mutation({f}, np.array([[-3.0, 1.0], [2.0, -0.5]]), name=\"{f}(x)\")\n"
            "assert r.passed, r.message\n### END HIDDEN TESTS\n",
            metadata=_meta(f"{f}_mutation", grade=True, points=1)),
        new_code_cell(
            f"# Visible check: no Python loop in your {f} (a static scan of its source).\n"
            "from graders.checks.loops import check_no_loops_static\n\n"
            f"r = check_no_loops_static({f}, name=\"{f}(x)\")\nassert r.passed, r.message\n"
            "### BEGIN HIDDEN TESTS\nfrom graders.checks.loops import check_no_loops\n"
            "from graders.variants import grading_rng\n\n"
            f"_rng = grading_rng(\"{name}\", \"{f}_loops\")\n"
            f"r = check_no_loops({f}, lambda n: (_rng.normal(size=n),), name=\"{f}(x)\")\n"
            "assert r.passed, r.message\n### END HIDDEN TESTS\n",
            metadata=_meta(f"{f}_loops", grade=True, points=1)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    return nb


def new_exercise(root: Path, name: str, function: str) -> Path:
    """Write ``source/<name>/<name>.ipynb`` under ``root``; returns its path."""
    if not NAME.match(name):
        raise ScaffoldError(f"an exercise is named like 07_relu (two digits, an underscore, lower-case letters, "
                            f"digits or underscores), not {name!r}")
    if not FUNCTION.match(function):
        raise ScaffoldError(f"the function is a lower-case Python name such as relu, not {function!r}")
    from ..course import load_course

    folder = load_course(root).folder("source", ".", name)
    path = folder / f"{name}.ipynb"
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists: nothing was written (choose another name, or edit it)")
    folder.mkdir(parents=True)
    nbformat.write(notebook(name, function), path)
    return path
