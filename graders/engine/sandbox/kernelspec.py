"""Install the ``graders-sandbox`` kernel spec into this environment: ``python -m graders.engine.sandbox.kernelspec``.

With it installed, ``c.Execute.kernel_name = "graders-sandbox"`` (nbgrader_config.py) makes
stock ``nbgrader autograde`` run every submission in the bubblewrap sandbox of
:mod:`graders.engine.sandbox.policy`, through :mod:`graders.engine.sandbox.launch`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from ..boot import argv

NAME = "graders-sandbox"


def spec_dir(prefix: str | None = None) -> Path:
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / NAME


def install(prefix: str | None = None) -> Path:
    """Write the kernel spec; returns its folder. Idempotent."""
    folder = spec_dir(prefix)
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [*argv(sys.executable, "engine.sandbox.launch", "main()"), "-f", "{connection_file}"],
            "display_name": "Python 3 (graders sandbox)", "language": "python",
            "metadata": {"debugger": False}}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    return folder


def usable() -> bool:
    """Installed here, and bubblewrap present: what nbgrader_config.py asks before using it."""
    return (spec_dir() / "kernel.json").is_file() and shutil.which("bwrap") is not None


if __name__ == "__main__":
    print(f"installed kernel spec {NAME} in {install()}")
