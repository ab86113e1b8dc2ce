"""Which differences from the released notebook are reported, and how?"""

from __future__ import annotations

import nbformat

from graders.student.integrity import compare_with_release, find_release
from tests.student.conftest import answered, released


def _cell(nb, gid):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def kinds(nb, assignment="02_sigmoid"):
    return [(w.grade_id, w.kind) for w in compare_with_release(nb, released(assignment))]


def test_answers_alone_raise_no_warning():
    """Is a notebook whose only changes are answers (and outputs) free of warnings?"""
    nb = answered("02_sigmoid")
    nb.cells.append(nbformat.v4.new_code_cell("print('my scratch cell')"))
    assert kinds(nb) == []


def test_whitespace_edit_of_a_test_is_a_change():
    """Is even an added blank line in a test cell reported as changed?"""
    nb = released("02_sigmoid")
    _cell(nb, "sigmoid_correct").source += "\n"
    assert kinds(nb) == [("sigmoid_correct", "changed")]


def test_points_edit_is_a_change():
    """Is raising a test cell's points in its metadata reported as changed?"""
    nb = released("02_sigmoid")
    _cell(nb, "sigmoid_correct").metadata.nbgrader["points"] = 30
    assert kinds(nb) == [("sigmoid_correct", "changed")]


def test_deleted_hidden_test_cell_is_reported():
    """Is deleting an empty (hidden-test) cell still a deletion the grader will miss?"""
    nb = released("02_sigmoid")
    nb.cells.remove(_cell(nb, "sigmoid_speed"))
    assert kinds(nb) == [("sigmoid_speed", "deleted")]


def test_duplicated_grade_id_is_reported():
    """Is a copied test cell (same grade_id twice) reported once, as duplicated?"""
    nb = released("02_sigmoid")
    nb.cells.append(nbformat.from_dict(_cell(nb, "sigmoid_correct")))
    ws = compare_with_release(nb, released("02_sigmoid"))
    assert [(w.grade_id, w.kind) for w in ws] == [("sigmoid_correct", "duplicated")]
    assert "'sigmoid_correct' appears 2 times" in ws[0].message


def test_stripped_metadata_is_not_called_deleted():
    """Is a test cell whose nbgrader metadata was removed reported as stripped, not deleted?"""
    nb = released("02_sigmoid")
    del _cell(nb, "sigmoid_correct").metadata["nbgrader"]
    ws = compare_with_release(nb, released("02_sigmoid"))
    assert [(w.grade_id, w.kind) for w in ws] == [("sigmoid_correct", "metadata stripped")]
    assert "lost its nbgrader metadata" in ws[0].message


def test_changed_task_text_is_a_read_only_change():
    """Is editing a written-answer question (a task cell) reported as a read-only change?"""
    nb = released("01_mcq")
    _cell(nb, "broadcasting_written").source = "deleted the question"
    ws = compare_with_release(nb, released("01_mcq"))
    assert [(w.grade_id, w.kind) for w in ws] == [("broadcasting_written", "changed")]
    assert ws[0].message.startswith("read-only cell 'broadcasting_written' was changed")


def test_release_found_by_walking_up(tmp_path):
    """Is release/<A>/<A>.ipynb found from a notebook two folders below the course?"""
    rel = tmp_path / "release" / "02_sigmoid" / "02_sigmoid.ipynb"
    rel.parent.mkdir(parents=True)
    rel.write_text("{}")
    deep = tmp_path / "me" / "hw" / "02_sigmoid.ipynb"
    assert find_release(deep) == rel
    assert find_release(tmp_path / "03_minibatch.ipynb") is None
    assert find_release(deep, tmp_path / "x.ipynb") == tmp_path / "x.ipynb"
