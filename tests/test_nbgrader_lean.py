"""graders.nbgrader_lean: nbgrader imported without its Jupyter server extensions, which stay loadable."""

import subprocess
import sys


def run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_loading_a_course_imports_no_jupyter_server():
    out = run("import sys\nfrom graders.course import load_course\nload_course('.')\n"
              "print(sorted(m for m in ('jupyter_server', 'nbgrader.server_extensions') if m in sys.modules))")
    assert out == "[]"


def test_the_server_extensions_are_the_real_ones_when_asked_for():
    """After the lean import, do ``import nbgrader.server_extensions.formgrader`` and nbgrader's
    deferred entry points reach nbgrader's real modules (as Jupyter loading them would)?"""
    out = run("from graders.nbgrader_lean import import_nbgrader\nnb = import_nbgrader()\n"
              "import nbgrader.server_extensions.formgrader as f\n"
              "import nbgrader.server_extensions.assignment_list as a\n"
              "print(f.__file__.endswith('nbgrader/server_extensions/formgrader/__init__.py'),\n"
              "      nb.load_formgrader.deferred_from == f.__name__, callable(a.load_jupyter_server_extension),\n"
              "      hasattr(nb, '_load_jupyter_server_extension'))")
    assert out == "True True True True"
