"""InstallStudentKit: the first code cell of every released notebook installs the course kit.

Students open released notebooks on Google Colab, a JupyterHub or a laptop, where nothing of
ours is installed: the public checks and the data generators live in the student kit
(``pnd4dl-kit``, import name ``graders``). Instead of asking every student to install it by
hand, the set-up cell imports it and, only when that fails, installs it with the kernel's own
pip from the one location the instructor sets in ``nbgrader_config.py``::

    c.InstallStudentKit.location = "https://course.example.org/kit/pnd4dl_kit-0.1.0-py3-none-any.whl"

The location is anything ``pip install`` takes: a wheel's URL, a package name on an index, or a
path on a hub's shared disk. The cell is rewritten from this template at every release, so
the location lives in the course config only, never in twenty notebook copies. It is a
read-only cell: the grader restores it, and where the kit is importable (the grading kernel)
it installs nothing.

Order: first, before LockCells (which locks the cell) and SaveCells (which records it).
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, TraitError, Unicode, validate

MARK = "graders"
"""Cell metadata key: ``{"graders": {"setup": true}}`` marks the set-up cell."""

SETUP_ID = "setup"

TEMPLATE = '''\
# Set-up: run this cell first. It imports the course kit (the public checks and the data) and,
# the first time on Colab, a JupyterHub or a laptop, installs it with pip (about 10 seconds).
import importlib
import subprocess
import sys

KIT = {location!r}
try:
    import graders
except ImportError:
    print(f"Installing the course kit from {{KIT}} ...")
    if subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", {pip_args}KIT]).returncode != 0:
        raise RuntimeError(f"Could not install the course kit from {{KIT}}: read pip's message above, check "
                           "your internet connection, and ask your instructor if it persists.") from None
    importlib.invalidate_caches()
    import graders
print("Course kit ready.")
'''


def setup_source(location: str, pip_args: list[str] | tuple[str, ...] = ()) -> str:
    """The set-up cell's code for a kit at ``location``."""
    extra = "".join(f"{arg!r}, " for arg in pip_args)
    return TEMPLATE.format(location=location, pip_args=extra).rstrip("\n")


def is_setup(cell: NotebookNode) -> bool:
    return cell.get("cell_type") == "code" and bool(cell.get("metadata", {}).get(MARK, {}).get("setup"))


def setup_cell(location: str, pip_args: list[str] | tuple[str, ...] = ()) -> NotebookNode:
    """A new read-only set-up cell (nbgrader metadata, so the grader restores it)."""
    cell = new_code_cell(setup_source(location, pip_args))
    cell.metadata[MARK] = {"setup": True}
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": SETUP_ID, "locked": True,
                                 "schema_version": 3, "solution": False, "task": False}
    return cell


class InstallStudentKit(NbGraderPreprocessor):
    """Write the set-up cell (inserting it before the first code cell when a notebook has none)."""

    location = Unicode(
        "pnd4dl-kit",
        help="Where students' notebooks install the course kit from: anything `pip install` takes "
             "(the URL of the wheel `make student-kit` built, a package name on an index, a path).",
    ).tag(config=True)

    pip_args = List(
        Unicode(), default_value=[],
        help="Extra pip arguments for the install, e.g. ['--index-url', 'https://...'].",
    ).tag(config=True)

    @validate("location")
    def _one_line(self, proposal: dict[str, Any]) -> str:
        value = str(proposal["value"]).strip()
        if not value or "\n" in value or "\r" in value:
            raise TraitError(f"InstallStudentKit.location must be one non-empty line, got {proposal['value']!r}")
        return value

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        source = setup_source(self.location, self.pip_args)
        marked = [c for c in nb.cells if is_setup(c)]
        if len(marked) > 1:
            raise ValueError(f"{len(marked)} set-up cells (metadata graders.setup); a notebook needs one")
        if marked:
            marked[0].source = source
            return nb, resources
        first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        nb.cells.insert(first_code, setup_cell(self.location, self.pip_args))
        return nb, resources
