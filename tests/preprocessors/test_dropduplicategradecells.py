"""Tests for DropDuplicateGradeCells."""

import nbformat

from graders.preprocessors.dropduplicategradecells import DropDuplicateGradeCells


def cell(source, **meta):
    c = nbformat.v4.new_code_cell(source)
    if meta:
        c.metadata["nbgrader"] = meta
    return c


def run(cells, **config):
    nb = nbformat.v4.new_notebook(cells=cells)
    out, _ = DropDuplicateGradeCells(**config).preprocess(nb, {})
    return out


def test_later_copy_of_a_test_cell_is_dropped():
    """Is the second cell with a test cell's grade_id removed, the first kept?"""
    nb = run([cell("a", grade=True, grade_id="t", points=1), cell("x"),
              cell("copy", grade=True, grade_id="t", points=1)])
    assert [c.source for c in nb.cells] == ["a", "x"]


def test_later_copy_of_an_answer_is_kept_as_plain_code():
    """Does a duplicated answer cell keep running, without its nbgrader metadata?"""
    nb = run([cell("v1", solution=True, grade_id="f"), cell("v2", solution=True, grade_id="f")])
    assert [c.source for c in nb.cells] == ["v1", "v2"]
    assert "nbgrader" in nb.cells[0].metadata and "nbgrader" not in nb.cells[1].metadata


def test_task_cells_count_as_tests():
    """Is a duplicated task (written answer) cell dropped like a test cell?"""
    nb = run([cell("q", task=True, grade_id="w", points=2), cell("q", task=True, grade_id="w", points=2)])
    assert len(nb.cells) == 1


def test_can_be_turned_off():
    """Does enabled=False leave the notebook alone?"""
    cells = [cell("a", grade=True, grade_id="t"), cell("b", grade=True, grade_id="t")]
    assert len(run(cells, enabled=False).cells) == 2


def test_empty_nbgrader_metadata_is_removed():
    """Is an empty nbgrader dict (no grade_id) removed, so OverwriteCells cannot trip on it?"""
    nb = run([cell("a", grade=True, grade_id="t"), cell("b")])
    nb.cells[1].metadata["nbgrader"] = {}
    out, _ = DropDuplicateGradeCells().preprocess(nb, {})
    assert "nbgrader" not in out.cells[1].metadata
