"""Does anything secret in source/ reach release/, in any form?

A line is secret when it sits inside a solution, hidden-test or mark-scheme region (or is
a manually graded answer cell's model answer) and appears nowhere in the visible parts of
the source notebook. Every file in release/<assignment>/ is searched: cell text, cell and
notebook metadata, tags, attachments, and any extra file.
"""

import json
from pathlib import Path

import nbformat
import pytest

from graders.report.secrets import secrets_of

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


def release_texts(assignment: str) -> dict[str, str]:
    out = {}
    for path in sorted((REPO / "release" / assignment).rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            sources = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                                for c in nb["cells"])
            text = text + "\n" + sources + "\n" + json.dumps(nb, ensure_ascii=False)
        out[str(path.relative_to(REPO))] = text
    return out


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_exists_for_every_source(assignment):
    """Is there a released notebook for every source notebook?"""
    assert (REPO / "release" / assignment / f"{assignment}.ipynb").is_file()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_secret_line_reaches_release(assignment):
    """Does any solution, hidden-test or mark-scheme line appear anywhere in the release?"""
    nb = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", 4)
    secrets = secrets_of(nb)
    assert secrets, "the source notebook should have solutions or hidden tests"
    leaks = [(f, s) for f, text in release_texts(assignment).items() for s in secrets if s in text]
    assert leaks == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_only_the_notebook(assignment):
    """Are extra files in source/<assignment>/ kept out of the release?"""
    files = [p.name for p in (REPO / "release" / assignment).rglob("*") if p.is_file()]
    assert files == [f"{assignment}.ipynb"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_has_no_outputs(assignment):
    """Are source notebooks committed without outputs or execution counts?"""
    nb = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", 4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_leak_detector_catches_a_planted_leak():
    """Would the scan notice a hidden test line copied into a markdown hint? (It must.)"""
    nb = nbformat.v4.new_notebook()
    tests = nbformat.v4.new_code_cell("x = 1\n### BEGIN HIDDEN TESTS\nassert answer == 42\n### END HIDDEN TESTS")
    tests.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1}
    nb.cells = [tests]
    secrets = secrets_of(nb)
    assert secrets == {"assert answer == 42"}
    assert any(s in "Hint: assert answer == 42" for s in secrets)
