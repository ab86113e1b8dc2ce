"""Fixtures for the student kit: the built wheel and sdist, and virtualenvs with the kit installed.

``kit_dist`` builds the kit once per session with ``kit/build.py``, as ``make student-kit``
does. ``kit_python`` is the Python of a fresh virtualenv (no system site-packages) holding the
kit wheel, ipykernel and nbclient, with numpy, pandas and matplotlib at either the kit's
oldest declared versions (``"oldest"``) or the instructor's pinned ones (``"pinned"``); each
venv is built once per session, on first use, and tests that use it are marked slow. A test
that runs released notebooks there can take ``kit_python`` (both venvs) or call
``kit_venv("oldest")``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from .support import ROOT, KitDist, clean_env, oldest_versions, pinned_versions

# What the tests need to run notebooks in the venv. The oldest venv gets a kernel of its era,
# as Colab has (IPython 7-8): matplotlib 3.8's pyplot imports a name IPython 9 removed, so
# matplotlib 3.8 beside IPython 9 cannot draw in any notebook, ours or not.
NOTEBOOK_TOOLS = {"oldest": ("ipykernel>=6.29,<7", "ipython>=8,<9", "nbclient>=0.10"),
                  "pinned": ("ipykernel>=6.29", "nbclient>=0.10")}


@pytest.fixture(scope="session")
def kit_dist(tmp_path_factory) -> KitDist:
    """The kit's wheel and sdist, built by kit/build.py into a temporary folder."""
    out = tmp_path_factory.mktemp("kit-dist")
    proc = subprocess.run([sys.executable, str(ROOT / "kit" / "build.py"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return KitDist(wheels[0], sdists[0])


@pytest.fixture(scope="session")
def kit_venv(kit_dist, tmp_path_factory):
    """``kit_venv("oldest" | "pinned")``: the Python of that venv, built on first use."""
    built: dict[str, Path] = {}

    def make(which: str) -> Path:
        if which not in built:
            versions = oldest_versions(kit_dist) if which == "oldest" else pinned_versions()
            folder = tmp_path_factory.mktemp(f"kit-venv-{which}")
            start = time.monotonic()
            subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, env=clean_env(), timeout=300)
            python = folder / "bin" / "python"
            proc = subprocess.run(
                [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet",
                 str(kit_dist.wheel), *versions, *NOTEBOOK_TOOLS[which]],
                capture_output=True, text=True, env=clean_env(), cwd=folder, timeout=1800)
            assert proc.returncode == 0, f"pip install into the {which} venv failed:\n{proc.stdout}\n{proc.stderr}"
            print(f"\n{which} venv ({', '.join(versions)}) built in {time.monotonic() - start:.0f} s")
            built[which] = python
        return built[which]

    return make


@pytest.fixture(scope="session", params=[pytest.param("oldest", marks=pytest.mark.slow),
                                         pytest.param("pinned", marks=pytest.mark.slow)])
def kit_python(request, kit_venv) -> Path:
    """The Python of a venv with only the kit installed: once with the oldest, once with the
    pinned numpy, pandas and matplotlib."""
    return kit_venv(request.param)
