"""Run inside a student's virtualenv: execute one notebook as Jupyter would, and save it.

    python -I run_notebook.py NOTEBOOK OUT [TIMEOUT]

Every cell runs even after an error (as a student clicking "Run all" and reading every
output), in the notebook's own folder, with the venv's own Python kernel. Uses nbclient and
nbformat only (what Jupyter itself brings), never anything from the repository.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

path, out = Path(sys.argv[1]), Path(sys.argv[2])
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120
nb = nbformat.read(path, 4)
NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
               resources={"metadata": {"path": str(path.parent)}}).execute()
nbformat.write(nb, out)
