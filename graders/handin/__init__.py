"""Handing work in without JupyterHub: submissions downloaded from an LMS go into nbgrader's
``submitted/`` folder (``python -m graders collect``), and feedback pages go back out as zips
an LMS takes (``python -m graders pack-feedback``).

One concern per module: ``course`` (the course's folders and nbgrader's timestamp format),
``safezip`` (reading a zip nobody should trust), ``lms`` (each LMS's file names, as nbgrader
zip_collect collector plugins), ``roster`` (LMS people to course ids), ``place`` (writing a
submission without losing one already there), ``collect`` (the verb and its table) and
``packfeedback``.
"""
