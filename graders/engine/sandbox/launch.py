"""Kernel launcher: ``python -I -c BOOT -f CONNECTION_FILE`` starts ipykernel sandboxed.

This file is the ``argv`` of the ``graders-sandbox`` kernel spec, so any Jupyter client,
stock ``nbgrader autograde`` included, gets a sandboxed kernel just by asking for that
kernel name (``c.Execute.kernel_name`` in nbgrader_config.py). It starts through
:mod:`graders.engine.boot` with ``-I`` and imports only this room (the policy and the
limits) and the standard library, never numpy: start-up stays a few milliseconds.

Per kernel it:
- finds the course (the folder above the working directory holding ``nbgrader_config.py``)
  and the student (nbgrader runs kernels in ``autograded/<student>/<assignment>``), which it
  passes on as ``GRADERS_STUDENT`` for the per-student hidden inputs;
- makes a fresh, empty scratch folder: the submission's own folder, where nbgrader keeps the
  notebook with its hidden tests, stays hidden with the rest of the course;
- binds the IPC socket folder (``c.KernelManager.ip``'s folder) so the client can connect,
  and the connection file alone, read-only (it often sits in /tmp, which must stay private);
- sweeps scratch folders and process cgroups that earlier kernels left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import policy as sandbox
from .limits import group_bases

SCRATCH_PREFIX = "graders-scratch-"
IPC_PREFIX = "graders-ipc-"
ZYGOTE_PREFIX = "graders-zygote-"
STALE_AFTER_S = 6 * 3600



def find_course(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    return start


def student_of(cwd: Path) -> str:
    if cwd.parent.parent.name == "autograded":
        return cwd.parent.name
    return os.environ.get("GRADERS_STUDENT", "")


def sweep(tmp: Path, cgroup_bases: tuple[str, ...]) -> None:
    """Remove what kernels older than STALE_AFTER_S left behind (best effort).

    ``cgroup_bases`` are the folders holding the kernels' cgroups (``limits.group_bases``)."""
    now = time.time()
    for old in [*tmp.glob(SCRATCH_PREFIX + "*"), *tmp.glob(IPC_PREFIX + "*"), *tmp.glob(ZYGOTE_PREFIX + "*.log")]:
        try:
            if now - old.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
        except OSError:
            pass
    for folder in cgroup_bases:
        base = Path(folder)
        groups = [g for prefix in (SCRATCH_PREFIX, ZYGOTE_PREFIX) for g in base.glob(prefix + "*")] \
            if base.is_dir() else []
        for group in groups:
            try:
                if not (tmp / group.name).exists():
                    group.rmdir()
            except OSError:
                pass


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "-f":
        sys.exit("usage: launch.py -f CONNECTION_FILE")
    connection_file = Path(argv[1]).resolve()
    limits = tuple(group_bases())
    tmp = Path(tempfile.gettempdir())
    sweep(tmp, limits)
    cwd = Path.cwd().resolve()
    course = find_course(cwd)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=tmp))
    binds = []
    try:
        ip = json.loads(connection_file.read_text()).get("ip", "")
        if ip.startswith("/"):
            binds.append(Path(ip).parent)
    except (OSError, ValueError):
        pass
    env = {"GRADERS_STUDENT": student_of(cwd)} if student_of(cwd) else {}
    policy = sandbox.Policy(scratch=scratch, course=course, name=scratch.name, binds=tuple(binds),
                            ro_binds=(connection_file,), extra_env=env)
    # JPY_PARENT_PID is unset inside (the pid namespace would make the kernel think its parent
    # died), and without it ipykernel prints a console banner per kernel: CRITICAL mutes it.
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file),
              "--IPKernelApp.log_level=CRITICAL"]
    cmd = sandbox.command(policy, kernel)
    os.execvp(cmd[0], cmd)




if __name__ == "__main__":
    main(sys.argv[1:])
