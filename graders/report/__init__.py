"""Feedback pages, class reports and LMS exports built from nbgrader's gradebook.

collect() reads a course into NotebookRecords; feedback, classreport and export render
them. Nothing here reads a grade cell's source or an error's traceback: both can quote
hidden tests.
"""

from .collect import collect
from .records import CellRecord, NotebookRecord

__all__ = ["collect", "CellRecord", "NotebookRecord"]
