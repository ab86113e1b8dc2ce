"""Handing work in without JupyterHub: submissions downloaded from an LMS go into nbgrader's
``submitted/`` folder (``python -m graders collect``), and feedback pages go back out as zips
an LMS takes (``python -m graders pack-feedback``).

The course's folders and nbgrader's timestamp format come from :mod:`graders.course`. One
concern per module: ``safezip`` (reading a zip nobody should trust), ``lms`` (each LMS's file names, as nbgrader
zip_collect collector plugins), ``roster`` (LMS people to course ids), ``place`` (writing a
submission without losing one already there), ``collect`` (the verb and its table) and
``packfeedback``.
"""

from ..course import CourseError


class HandinError(CourseError):
    """A problem that stops the whole command (exit 2): a missing zip, a corrupt roster..."""
