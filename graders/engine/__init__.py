"""The grading engine: runner, workers, sandboxed kernels (see ``autograde.py``).

Importing it keeps ``rfc3987_syntax`` from loading: ``jsonschema`` (under ``nbformat``)
imports it when installed, only to check the "iri" string format, which no notebook or
gradebook schema uses, and building its grammar costs 1.5 s of start-up in every process
(the runner and each worker). jsonschema treats it as absent, as it was designed to.
"""

import sys

if __name__ == "graders.engine" and "jsonschema" not in sys.modules:  # not in a kernel (boot.py)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
