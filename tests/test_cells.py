"""Do our copies of nbgrader's predicates and checksum agree with nbgrader's own?"""

from __future__ import annotations

import nbformat
import pytest
from nbgrader import utils as nbu

from graders import cells
from samples.course import REPO

NOTEBOOKS = sorted((REPO / "release").glob("*/*.ipynb")) + sorted((REPO / "source").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_same_as_nbgrader_on_every_course_cell(path):
    """Does every cell of every course notebook get nbgrader's flags and checksum?"""
    nb = nbformat.read(path, 4)
    tracked = [c for c in nb.cells if "nbgrader" in c.metadata]
    assert tracked
    for c in nb.cells:
        for name in ("is_grade", "is_solution", "is_locked", "is_task"):
            assert getattr(cells, name)(c) == bool(getattr(nbu, name)(c)), (name, c.source[:40])
    for c in tracked:
        assert cells.compute_checksum(c) == nbu.compute_checksum(c)


def test_released_checksums_are_what_nbgrader_stored():
    """Does a released cell's checksum equal the one nbgrader wrote into its metadata?"""
    nb = nbformat.read(REPO / "release" / "02_sigmoid" / "02_sigmoid.ipynb", 4)
    stored = [(c, c.metadata.nbgrader["checksum"]) for c in nb.cells
              if "checksum" in c.metadata.get("nbgrader", {})]
    assert len(stored) > 10
    for c, checksum in stored:
        assert cells.compute_checksum(c) == checksum
