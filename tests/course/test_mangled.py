"""Are mangled submissions graded on their merits? Test cells deleted, stripped of their
nbgrader metadata, duplicated or moved must neither cost nor earn points."""

import nbformat
import pytest

from samples.course import Course, lost

A = "02_sigmoid"
pytestmark = pytest.mark.slow


def grade_ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def without(nb, gid):
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != gid]
    return nb


def stripped(nb, gid):
    nb = nbformat.from_dict(nb)
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == gid:
            c.metadata = {}
    return nb


def duplicated(nb, gid):
    nb = nbformat.from_dict(nb)
    i = grade_ids(nb).index(gid)
    twin = nbformat.from_dict(nb.cells[i])
    twin.id = "twin-cell"
    nb.cells.insert(i + 1, twin)
    return nb


def moved_to_end(nb, gid):
    nb = nbformat.from_dict(nb)
    i = grade_ids(nb).index(gid)
    nb.cells.append(nb.cells.pop(i))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("mangled"), [A])
    src = course.source_nb(A)
    course.submit("key", A, src)
    course.submit("deleted", A, without(src, "sigmoid_correct"))
    course.submit("stripped", A, stripped(src, "sigmoid_loops"))
    course.submit("duplicated", A, duplicated(src, "sigmoid_shape"))
    course.submit("moved", A, moved_to_end(src, "sigmoid_mutation"))
    return course.autograde(A, check=False)


@pytest.mark.parametrize("student", ["deleted", "stripped", "duplicated", "moved"])
def test_mangled_submission_keeps_exactly_its_points(graded, student):
    """Is every test cell graded once, from the gradebook, with the key's points?"""
    assert set(graded[student]) == set(graded["key"])
    assert lost(graded[student]) == set()
