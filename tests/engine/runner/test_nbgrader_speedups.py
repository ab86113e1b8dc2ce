"""Do the writer's nbgrader speed-ups keep nbgrader's behaviour?"""

import jsonschema
import nbformat
import pytest

from graders.engine.runner.nbgrader_speedups import install


def test_metadata_validation_still_rejects_bad_cells():
    """Is a cell with malformed nbgrader metadata still refused with jsonschema's error?"""
    install()
    from nbgrader.nbgraderformat import MetadataValidator

    good = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {
        "grade": True, "grade_id": "c1", "locked": True, "points": 1, "schema_version": 3,
        "solution": False, "task": False}})
    MetadataValidator().validate_cell(good)
    bad = nbformat.from_dict(good)
    bad.metadata.nbgrader["points"] = "many"
    with pytest.raises(jsonschema.ValidationError):
        MetadataValidator().validate_cell(bad)


def test_gradebook_engines_are_reused_per_url(tmp_path, monkeypatch):
    """Two gradebooks on one URL share an engine, and both see the same rows."""
    import os
    import sys
    from pathlib import Path

    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")  # alembic
    install()
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'gb.db'}"
    with Gradebook(url) as a:
        a.add_student("s1")
        engine = a.engine
    with Gradebook(url) as b:
        assert b.engine is engine
        assert [s.id for s in b.students] == ["s1"]
