"""The submission service: the door students knock on (``python -m graders serve``).

A student posts a notebook with their token; the service writes it to nbgrader's
``submitted/<student>/<assignment>/`` with nbgrader's timestamp and records it in its own
queue *before* answering, grades it with the same engine as ``python -m graders autograde``
into the same gradebook, and shows the same feedback page as ``make feedback``, to that
student only, within the course's policy (rate, deadline, what is shown before it).

Rooms, one concern each: ``policy`` (the course's settings, traitlets in
``nbgrader_config.py``), ``store`` (the service's own SQLite file: tokens, hashed, and the
queue), ``tokens`` (the ``tokens`` command: roster in, one secret per student out),
``intake`` (an upload checked and written before it is acknowledged), ``dispatch`` (the one
thread that grades and writes), ``views`` (what a student may see, and when), ``pages``
(the HTML) and ``app`` (the HTTP routes and ``serve``).
"""

from ..course import CourseError


class ServeError(CourseError):
    """A problem that stops the service or its command (a bad setting, an unusable store)."""
