"""nbgrader configuration for the course: only `c.Class.trait = value` lines.

Paths are relative to this file so the course works from any checkout.
"""
import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "pnd4dl"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# The release holds notebooks only: data comes from the course's own data sets, and any other
# file an instructor leaves in source/<assignment>/ would be copied verbatim to students.
c.CourseDirectory.include = ["*.ipynb", "timestamp.txt", "submission_secret.txt"]
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", "*.csv"]

# Student code gets a generous per-cell limit; hidden checks budget their own time. A whole
# notebook gets this many cell limits: past them, the cells left fail at once, saying why.
c.Execute.timeout = 60
c.NotebookBudget.cells = 5
c.ClearSolutions.enforce_metadata = True

# Student kernels run in the bubblewrap sandbox (graders/engine/sandbox/policy.py) when the
# kernel spec is installed (make does it) and bwrap exists; GRADERS_SANDBOX=0 turns it off.
import shutil as _shutil
import sys as _sys
import tempfile as _tempfile

_SPEC = os.path.join(_sys.prefix, "share", "jupyter", "kernels", "graders-sandbox", "kernel.json")
if os.path.isfile(_SPEC) and _shutil.which("bwrap") and os.environ.get("GRADERS_SANDBOX", "1") != "0":
    c.Execute.kernel_name = "graders-sandbox"
    c.KernelManager.transport = "ipc"
    # IPC socket names are "<ip>-<n>" with n counted from 1: a folder of this process's own
    # keeps two graders running at once from connecting to each other's kernels.
    import atexit as _atexit

    _IPC = _tempfile.mkdtemp(prefix="graders-ipc-")
    c.KernelManager.ip = os.path.join(_IPC, "kernel")
    _atexit.register(_shutil.rmtree, _IPC, True)  # every process that reads this file made one

# A deleted or stripped test cell is put back from the gradebook and graded, instead of
# scoring 0 and waiting for a TA (nbgrader's default).
c.OverwriteCells.add_missing_cells = True

# A duplicated test cell (a student copying one to experiment) no longer fails the notebook.
from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds,  # noqa: E402
                                    OverwriteCells, OverwriteKernelspec)

from graders.preprocessors.dropduplicategradecells import DropDuplicateGradeCells  # noqa: E402

c.Autograde.sanitize_preprocessors = [ClearOutput, DropDuplicateGradeCells, DeduplicateIds,
                                      OverwriteKernelspec, OverwriteCells, CheckCellMetadata]

# Released notebooks install the student kit (public checks and data) where it is missing:
# Colab, a JupyterHub, a laptop. Build it with `make student-kit`, host the wheel, and set its
# location here once: anything `pip install` takes (a URL, a package name, a path). Released
# notebooks are rewritten with it at every `make release`.
from nbgrader.preprocessors import (CheckCellMetadata as _Check, ClearHiddenTests,  # noqa: E402
                                    ClearMarkScheme, ClearSolutions, ComputeChecksums, IncludeHeaderFooter,
                                    InstantiateTests, LockCells, SaveCells)

from graders.preprocessors.installstudentkit import InstallStudentKit  # noqa: E402

c.InstallStudentKit.location = "pnd4dl-kit"
c.GenerateAssignment.preprocessors = [InstallStudentKit, IncludeHeaderFooter, InstantiateTests, LockCells,
                                      ClearSolutions, ClearOutput, _Check, ComputeChecksums, SaveCells,
                                      ClearHiddenTests, ClearMarkScheme, ComputeChecksums, _Check]
