"""The one way our code starts in a process that is not the grader's.

Four programs of ours run where the ``graders`` package must not be imported as usual: the
kernel launcher and the limits wrapper (run by the kernel spec and by bubblewrap's command
line, before any sandbox exists, with ``python -I``), the kernel factory and the bridge
(inside the sandbox, beside the student's code). Importing ``graders`` there would put its
name in the student's reach and pull in whatever its modules import; loading files by path
instead (as each of them once did) scattered four copies of the same trick.

:func:`code` is the whole trick, once: it imports this package's folder under the private
name ``__graders__`` (a name the tamper scan reports when a notebook writes it), and then one
module of it, whose imports are ordinary relative imports. Only the modules that such a
process reaches are imported: the rooms ``engine/kernel/`` and ``engine/sandbox/`` hold
only those, and import the standard library, numpy and :mod:`graders.protocol` (checked by
``tests/engine/test_boot.py``). This module itself imports the standard library only.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
"""The ``graders`` folder."""

NAME = "__graders__"
"""The name the package is imported under outside the grader's process."""


def code(module: str, call: str = "") -> str:
    """Python source that imports ``graders.<module>`` as ``__graders__.<module>`` and then
    evaluates ``call`` (``"main()"``) on it. Names it defines leave no trace in the namespace
    it runs in (the kernel's user namespace, for the bridge), and a process that has already
    imported the package (a kernel forked from the factory) imports it once."""
    init = str(PACKAGE / "__init__.py")
    target = f"{NAME}.{module}"
    # No braces in the text: a kernel spec's argv is formatted by jupyter_client.
    lines = [
        "def __graders_boot__():",
        "    import importlib, importlib.util, sys",
        f"    if {NAME!r} not in sys.modules:",
        f"        spec = importlib.util.spec_from_file_location({NAME!r}, {init!r},"
        f" submodule_search_locations=[{str(PACKAGE)!r}])",
        "        package = importlib.util.module_from_spec(spec)",
        "        sys.modules[spec.name] = package",
        "        spec.loader.exec_module(package)",
        f"    return importlib.import_module({target!r})",
        "try:",
        f"    __graders_boot__().{call}" if call else "    __graders_boot__()",
        "finally:",
        "    del __graders_boot__",
    ]
    return "\n".join(lines) + "\n"


def argv(python: str, module: str, call: str) -> list[str]:
    """A command line that runs ``call`` of ``graders.<module>`` in a fresh, isolated
    interpreter (``-I``: no environment variables, user site or script folder on its path);
    the arguments that follow it are ``sys.argv[1:]``."""
    return [python, "-I", "-c", code(module, call)]
