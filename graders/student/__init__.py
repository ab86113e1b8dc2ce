"""What a student runs before submitting: the public checks of one notebook, fast.

``python -m graders check PATH`` runs the notebook as is in one kernel, prints one line
per grade cell, warns when a test cell no longer matches the released one, and exits
non-zero on failure, so it can sit in a shell loop or a Makefile (nbgrader validate
exits 0 on failure).

Modules: ``check`` (the command), ``integrity`` (test cells against the release),
``run`` (execute and read verdicts), ``table`` (the printed report). Only ``check_main``
is imported here, so registering the command costs no import of nbformat or nbclient.
"""

from .check import check_main

__all__ = ["check_main"]
