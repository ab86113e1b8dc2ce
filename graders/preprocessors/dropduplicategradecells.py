"""DropDuplicateGradeCells: keep one cell per grade_id before nbgrader looks at the notebook.

A student who copies a test cell (to experiment with it) hands in two cells with the same
``grade_id``; stock nbgrader then fails the whole notebook. This sanitize step keeps the
first occurrence of each graded or task cell, which OverwriteCells then restores from the
gradebook, and drops later test-cell copies. A duplicated *answer* cell is kept as plain code
(its metadata removed), so whatever the student wrote still runs.

It also removes nbgrader metadata that names no grade_id (an empty ``nbgrader: {}``, which
is what nbgrader's own DeduplicateIds leaves on a duplicate): OverwriteCells, when it adds
missing cells back, reads ``grade_id`` from every cell with nbgrader metadata and would
fail the whole notebook on such a cell.

Order: before DeduplicateIds (which would otherwise blank the duplicate's metadata and leave
it running as a plain cell) and before OverwriteCells.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool

from ..cells import is_grade, is_solution, is_task
from ..cells import nbgrader_metadata as _meta



def _is_test(cell: NotebookNode) -> bool:
    return (is_grade(cell) or is_task(cell)) and not is_solution(cell)


class DropDuplicateGradeCells(NbGraderPreprocessor):
    """Keep the first cell of each grade_id; drop later test copies, untag later answer copies."""

    enabled = Bool(True, help="Drop duplicated grade cells instead of failing the notebook.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        if not self.enabled:
            return nb, resources
        seen: set[str] = set()
        kept = []
        for cell in nb.cells:
            if "nbgrader" in cell.get("metadata", {}) and not _meta(cell).get("grade_id"):
                del cell.metadata["nbgrader"]
            gid = _meta(cell).get("grade_id")
            if gid is None or gid not in seen:
                if gid is not None:
                    seen.add(gid)
                kept.append(cell)
            elif _is_test(cell):
                self.log.warning("Dropping a duplicate of test cell %r", gid)
            else:
                self.log.warning("Duplicate of answer cell %r kept as plain code", gid)
                del cell.metadata["nbgrader"]
                kept.append(cell)
        nb.cells = kept
        return nb, resources
