"""The rooms that run outside the grader's process import only what those processes may.

Every module in ``engine/kernel/`` runs inside the sandboxed kernel, beside the student's code,
and is started there by :mod:`graders.engine.boot`; the launcher and the limits wrapper start
the same way before any sandbox exists. These tests boot each of them in a fresh interpreter
where any import beyond the standard library (and numpy, for the kernel) raises, so a module
that reaches for the ``graders`` package, nbformat or pandas fails here, not in a student's
kernel.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graders.engine import boot

KERNEL_ROOM = Path(boot.PACKAGE, "engine", "kernel")

GUARD = r'''
import sys
BEFORE = set(sys.modules)  # what the interpreter's start-up (site, .pth files) loaded
ALLOWED = set(sys.stdlib_module_names) | {"__graders__"} | set(EXTRA)

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in ALLOWED:
            raise ImportError(f"{name} may not be imported here")
        return None

sys.meta_path.insert(0, Refuse())
'''

REPORT = r'''
import json, sys
print(json.dumps(sorted({m.split(".")[0] for m in set(sys.modules) - BEFORE} - set(sys.stdlib_module_names))))
'''


def boot_in_fresh_python(modules: list[str], extra: tuple[str, ...]) -> list[str]:
    """Boot ``modules`` in ``python -I`` with imports beyond the standard library and
    ``extra`` refused; the top-level packages loaded that are not the standard library."""
    source = f"EXTRA = {list(extra)!r}\n" + GUARD + "".join(boot.code(m) for m in modules) + REPORT
    done = subprocess.run([sys.executable, "-I", "-c", source], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def kernel_modules() -> list[str]:
    return sorted(f"engine.kernel.{p.stem}" for p in KERNEL_ROOM.glob("*.py") if p.stem != "__init__")


def test_every_kernel_side_module_imports_only_the_standard_library_and_numpy():
    """Does each module of engine/kernel/ (found in the folder, so a new one is checked too)
    load with nothing but the standard library and numpy importable, and leave no module
    named ``graders`` behind?"""
    modules = kernel_modules()
    assert {"engine.kernel.bridge", "engine.kernel.codec", "engine.kernel.zygote"} <= set(modules)
    loaded = boot_in_fresh_python(modules, extra=("numpy",))
    assert set(loaded) <= {"__graders__", "numpy"}, loaded
    assert "graders" not in loaded


def test_the_launcher_and_the_limits_wrapper_import_only_the_standard_library():
    """They run for every kernel, before the sandbox: not even numpy may load there."""
    loaded = boot_in_fresh_python(["engine.sandbox.launch", "engine.sandbox.limits"], extra=())
    assert loaded == ["__graders__"]


def test_an_import_beyond_the_room_is_refused():
    """Can the guard fail? A grader-side module (it imports nbformat) must not boot."""
    with pytest.raises(AssertionError, match="may not be imported here"):
        boot_in_fresh_python(["engine.grader.worker"], extra=("numpy",))


def test_boot_leaves_no_name_in_the_namespace_it_runs_in():
    """The bridge is booted in the student's namespace: does booting leave a name there?"""
    namespace: dict = {}
    exec(boot.code("protocol.fresh"), namespace)
    assert set(namespace) == {"__builtins__"}


def test_the_kernel_spec_starts_the_launcher_through_boot():
    """The kernel spec's argv (what stock nbgrader runs) is boot's command line for the launcher."""
    from graders.engine.sandbox.kernelspec import install

    folder = install(prefix=str(Path(sys.prefix)))
    argv = json.loads((folder / "kernel.json").read_text())["argv"]
    assert argv[:-2] == boot.argv(sys.executable, "engine.sandbox.launch", "main()")
    assert argv[-2:] == ["-f", "{connection_file}"]
