"""Import nbgrader without its Jupyter server extensions, which a command never serves.

``nbgrader/__init__.py`` imports its four server extensions (assignment list, course list,
validate, formgrader) so Jupyter can find them, and with them jupyter_server, tornado, the
exchange and the ORM: about 1.6 s before any command of ours does anything, most of a
``python -m graders autograde`` with nothing to grade. :func:`import_nbgrader` imports the
package with each extension module stood in for by one whose
``load_jupyter_server_extension`` imports the real module when called, then takes the
stand-ins out of ``sys.modules``, so a later ``import nbgrader.server_extensions.formgrader``
(or Jupyter loading the extension) gets the real one. Nothing else of nbgrader changes.
"""

from __future__ import annotations

import importlib
import sys
import types

EXTENSIONS = ("assignment_list", "course_list", "validate_assignment", "formgrader")
PACKAGE = "nbgrader.server_extensions"


def _deferred(name: str):
    def load_jupyter_server_extension(app):
        return importlib.import_module(name).load_jupyter_server_extension(app)

    load_jupyter_server_extension.deferred_from = name
    return load_jupyter_server_extension


def import_nbgrader() -> types.ModuleType:
    """``import nbgrader``, without importing its server extensions (a no-op once imported)."""
    if "nbgrader" in sys.modules:
        return sys.modules["nbgrader"]
    stand_ins = {PACKAGE: types.ModuleType(PACKAGE)}
    stand_ins[PACKAGE].__path__ = []
    for ext in EXTENSIONS:
        mod = stand_ins[f"{PACKAGE}.{ext}"] = types.ModuleType(f"{PACKAGE}.{ext}")
        mod.load_jupyter_server_extension = _deferred(f"{PACKAGE}.{ext}")
    sys.modules.update(stand_ins)
    try:
        import nbgrader
    finally:
        for name, mod in stand_ins.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]
    return nbgrader
