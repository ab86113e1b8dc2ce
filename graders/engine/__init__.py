"""The grading engine, one folder per place its code runs.

- ``runner/``: the grader's command (``python -m graders autograde``): reads the course once,
  sanitizes each submission with nbgrader's own steps, fans tasks out to workers and, the only
  writer, hands results back to nbgrader (``autograde.py``, ``pipeline.py``). May import
  anything of the package but the reports.
- ``grader/``: a worker (a Dask worker process, or the runner with ``--workers 0``): runs a
  submission's cells in its kernel and the hidden tests here, beside it, against proxies of
  the student's names (``worker.py``, ``execute.py``, ``judge.py``, ``remote.py``, ``link.py``).
  Imports the checks only through :mod:`graders.protocol`.
- ``kernel/``: inside the sandbox, beside the student's code: the bridge that answers the
  grader, the kernel factory, the wire format. Standard library, numpy and
  :mod:`graders.protocol` only, started by :mod:`.boot` under a private package name.
- ``sandbox/``: building the sandbox: the bubblewrap policy, resource limits, the kernel
  launcher and kernel spec (both also run outside the grader, through :mod:`.boot`, on the
  standard library alone), and the two ways to start a sandboxed kernel (``jupyter.py``,
  ``forked.py``).

Importing it keeps ``rfc3987_syntax`` from loading: ``jsonschema`` (under ``nbformat``)
imports it when installed, only to check the "iri" string format, which no notebook or
gradebook schema uses, and building its grammar costs 1.5 s of start-up in every process
(the runner and each worker). jsonschema treats it as absent, as it was designed to.
"""

import sys

if __name__ == "graders.engine" and "jsonschema" not in sys.modules:  # not in a kernel (boot.py)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


class EngineError(Exception):
    """The grading engine, not the student's code, failed: the sandbox is unavailable, the
    kernel factory stopped, a kernel was lost, a message was malformed. Every engine error
    derives from it (and from the builtin its callers expect); the two exceptions that must
    not be caught by a student's ``except Exception:`` (``Tampering``, the budget's
    ``OutOfBudget``) are BaseExceptions instead, and an exception the student's code raised
    stays the student's."""
