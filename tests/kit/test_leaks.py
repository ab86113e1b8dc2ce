"""Nothing a student must not see is in the kit: no line of a hidden test, a solution or a
mark scheme from the instructor's notebooks appears in any file of the wheel or the sdist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .support import ROOT

#: nbgrader's regions whose lines never reach students (begin and end markers, as substrings).
REGIONS = (("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
           ("### BEGIN SOLUTION", "### END SOLUTION"),
           ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ==="))
#: Shorter lines (``return out``, ``import numpy as np``, ``assert r.passed``) say nothing.
MIN_LENGTH = 25


def notebook_cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def cell_lines(cell: dict) -> list[str]:
    source = cell.get("source", "")
    return ("".join(source) if isinstance(source, list) else source).splitlines()


def secret_lines_of(cell: dict) -> list[str]:
    """The lines of ``cell`` inside hidden-test, solution and mark-scheme regions; all of a
    solution cell that has no markers (nbgrader replaces it whole)."""
    lines = cell_lines(cell)
    marked = any(begin in line for line in lines for begin, _ in REGIONS)
    if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and not marked:
        return lines
    secret, end = [], None
    for line in lines:
        if end is None:
            end = next((e for b, e in REGIONS if b in line), None)
        elif end in line:
            end = None
        else:
            secret.append(line)
    return secret


def secret_lines(source_dir: Path = ROOT / "source", release_dir: Path = ROOT / "release") -> set[str]:
    """Stripped secret lines of every source notebook worth looking for: not trivial, and not
    also shown to students somewhere in the released notebooks."""
    public = {line.strip() for nb in release_dir.glob("*/*.ipynb") for cell in notebook_cells(nb)
              for line in cell_lines(cell)}
    return {line.strip() for nb in source_dir.glob("*/*.ipynb") for cell in notebook_cells(nb)
            for line in secret_lines_of(cell)
            if len(line.strip()) >= MIN_LENGTH and line.strip() not in public}


def leaks(files: dict[str, bytes], secrets: set[str]) -> list[str]:
    """``file: line`` for every secret line found in any of ``files``."""
    texts = {name: data.decode("utf-8", errors="replace") for name, data in files.items()}
    return sorted(f"{name}: {line}" for line in secrets for name, text in texts.items() if line in text)


@pytest.fixture(scope="module")
def secrets() -> set[str]:
    found = secret_lines()
    assert len(found) > 100, "the source notebooks should have many hidden-test and solution lines"
    return found


@pytest.mark.parametrize("which", ["wheel", "sdist"])
def test_no_hidden_test_solution_or_mark_scheme_line_ships(kit_dist, secrets, which):
    """Is every line of the source notebooks' hidden tests, solutions and mark schemes (but
    trivial or public ones) absent from every file of the wheel and the sdist?"""
    files = kit_dist.wheel_files() if which == "wheel" else kit_dist.sdist_files()
    assert leaks(files, secrets) == []


def test_the_scan_finds_a_planted_line(kit_dist, secrets):
    """Would the scan notice one hidden line planted in a shipped module?"""
    files = kit_dist.wheel_files()
    planted = max(sorted(secrets), key=len)
    files["graders/checks/values.py"] += f"\n# {planted}\n".encode()
    assert leaks(files, secrets) == [f"graders/checks/values.py: {planted}"]


def test_regions_are_read_as_nbgrader_marks_them():
    """Are lines inside the markers secret, the markers and lines outside not, and a solution
    cell without markers secret whole?"""
    cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade": True}}, "source": [
        "r = check(f(x))\n", "### BEGIN HIDDEN TESTS\n", "x = hidden_input()\n", "### END HIDDEN TESTS\n",
        "assert r.passed\n"]}
    assert secret_lines_of(cell) == ["x = hidden_input()"]
    scheme = {"cell_type": "markdown", "metadata": {}, "source":
              "Explain.\n=== BEGIN MARK SCHEME ===\n- 1 point: says why\n=== END MARK SCHEME ===\n"}
    assert secret_lines_of(scheme) == ["- 1 point: says why"]
    whole = {"cell_type": "code", "metadata": {"nbgrader": {"solution": True}}, "source": "def f(x):\n    return 2 * x\n"}
    assert secret_lines_of(whole) == ["def f(x):", "    return 2 * x"]
