"""The authoring contract names the cell and the rule a broken notebook breaks, and the
course's own notebooks and a fresh scaffold keep it."""

from __future__ import annotations

import nbformat
import pytest

from graders.authoring.contract import check_notebook
from graders.authoring.scaffold import ScaffoldError, new_exercise
from samples.course import REPO


@pytest.fixture
def scaffold(tmp_path):
    (tmp_path / "source").mkdir()
    return new_exercise(tmp_path, "07_relu", "relu")


def edit(path, grade_id, change):
    nb = nbformat.read(path, 4)
    for c in nb.cells:
        if (c.metadata.get("nbgrader") or {}).get("grade_id") == grade_id:
            change(c)
    nbformat.write(nb, path)


def rules(path):
    return [(v.cell, v.rule) for v in check_notebook(path)]


def test_the_course_notebooks_and_a_scaffold_keep_the_contract(scaffold):
    for path in sorted((REPO / "source").glob("*/*.ipynb")):
        assert check_notebook(path) == [], path
    assert check_notebook(scaffold) == []


@pytest.mark.parametrize("grade_id, change, cell, rule, words", [
    ("relu_correct", lambda c: c.metadata["nbgrader"].update(grade_id="relu_corect"),
     "cell 'relu_corect'", "grade-id", "'relu_corect' ends in 'corect'"),
    ("relu_shape", lambda c: c.metadata["nbgrader"].update(grade_id="relux_shape"),
     "cell 'relux_shape'", "answer-cell", "no answer cell for 'relux'"),
    ("relu", lambda c: setattr(c, "source", c.source + "\ndef helper(x):\n    return x\n"),
     "cell 'relu'", "one-function", "found def relu, def helper"),
    ("relu", lambda c: setattr(c, "source", c.source.replace("### END SOLUTION\n", "")),
     "cell 'relu'", "markers", "'### BEGIN SOLUTION' and '### END SOLUTION'"),
    ("relu_shape", lambda c: setattr(c, "source", c.source.replace("from graders.checks.shapes import check_array\n\nfor",
                                                                   "for")),
     "cell 'relu_shape'", None, None),
    ("relu_loops", lambda c: setattr(c, "source", c.source.replace("_rng = grading_rng", "_unused = grading_rng")),
     "cell 'relu_loops'", "self-contained", "uses _rng, defined neither in this cell"),
    ("relu_mutation", lambda c: c.metadata["nbgrader"].update(points=0),
     "cell 'relu_mutation'", "points", "points above zero"),
])
def test_a_broken_notebook_is_refused_naming_the_cell_and_rule(scaffold, grade_id, change, cell, rule, words):
    edit(scaffold, grade_id, change)
    found = check_notebook(scaffold)
    if rule is None:  # the visible part still imports check_array: the hidden part may use it
        assert found == []
        return
    assert [(v.cell, v.rule) for v in found] == [(cell, rule)], found
    assert words in found[0].message and str(found[0]).startswith(f"{scaffold}: {cell}: [{rule}] ")


def test_a_scaffold_never_overwrites_and_names_bad_names(tmp_path, scaffold):
    before = scaffold.read_bytes()
    with pytest.raises(ScaffoldError, match="already exists: nothing was written"):
        new_exercise(tmp_path, "07_relu", "relu")
    assert scaffold.read_bytes() == before
    with pytest.raises(ScaffoldError, match="named like 07_relu"):
        new_exercise(tmp_path, "relu", "relu")
    with pytest.raises(ScaffoldError, match="lower-case Python name"):
        new_exercise(tmp_path, "08_x", "Relu-2")
