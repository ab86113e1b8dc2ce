"""``python limits.py [--as MB] [--cpu S] [--fsize MB] [--pids N --cgroup NAME] -- CMD ...``

Set resource limits on this process, then ``exec`` the command, which inherits them. It is
run by path, before bubblewrap, and imports nothing from the package, so it costs a few
milliseconds and the limits cover bubblewrap and everything inside it.
bubblewrap isolates *what* the student's kernel can see; these limits bound *how much* it
can use: address space (a memory bomb gets MemoryError instead of the machine swapping),
CPU seconds (a busy loop that ignores SIGINT is killed by SIGXCPU/SIGKILL), file size (100 MB
of output to a file fails with EFBIG) and processes. RLIMIT_NPROC does not bind root (nor a
user namespace mapped to root), so a fork bomb is stopped by a pids cgroup instead, when
the machine lets us create one (cgroup v1 ``pids`` or cgroup v2); otherwise RLIMIT_NPROC.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

MB = 1024 * 1024


PIDS_ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")


def join_pids_cgroup(name: str, max_pids: int) -> str | None:
    """Create ``<root>/graders/<name>`` with ``pids.max``, move this process into it and
    return its path; None when no writable pids controller exists here."""
    for root in PIDS_ROOTS:
        base = os.path.join(root, "graders")
        try:
            if not os.path.exists(os.path.join(root, "cgroup.procs")):
                continue
            os.makedirs(os.path.join(base, name), exist_ok=True)
            group = os.path.join(base, name)
            with open(os.path.join(group, "pids.max"), "w") as fh:
                fh.write(str(max_pids))
            with open(os.path.join(group, "cgroup.procs"), "w") as fh:
                fh.write(str(os.getpid()))
            return group
        except OSError:
            continue
    return None


def confine_pids(name: str, max_pids: int, pids: list[int]) -> str | None:
    """Move running processes (with their threads) into a new pids cgroup ``graders/<name>``;
    their later children stay in it. Returns its path, or None when no cgroup is writable."""
    for root in PIDS_ROOTS:
        group = os.path.join(root, "graders", name)
        try:
            if not os.path.exists(os.path.join(root, "cgroup.procs")):
                continue
            os.makedirs(group, exist_ok=True)
            with open(os.path.join(group, "pids.max"), "w") as fh:
                fh.write(str(max_pids))
            for pid in pids:
                with open(os.path.join(group, "cgroup.procs"), "w") as fh:
                    fh.write(str(pid))
            return group
        except OSError:
            continue
    return None


def apply(as_mb: int | None, cpu_s: int | None, fsize_mb: int | None, nproc: int | None) -> None:
    """Lower the soft and hard limits; raising them back needs privileges the kernel drops."""
    if as_mb:
        resource.setrlimit(resource.RLIMIT_AS, (as_mb * MB, as_mb * MB))
    if cpu_s:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    if fsize_mb:
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_mb * MB, fsize_mb * MB))
    if nproc:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m graders.engine.limits", description=__doc__.splitlines()[0])
    ap.add_argument("--as", dest="as_mb", type=int, help="address space, MB")
    ap.add_argument("--cpu", dest="cpu_s", type=int, help="CPU seconds")
    ap.add_argument("--fsize", dest="fsize_mb", type=int, help="largest file written, MB")
    ap.add_argument("--nproc", type=int, help="RLIMIT_NPROC (does not bind root)")
    ap.add_argument("--pids", type=int, help="most processes in this sandbox (pids cgroup)")
    ap.add_argument("--cgroup", default=None, help="name of the pids cgroup to create")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command to run after --")
    nproc = args.nproc
    if args.pids:
        if join_pids_cgroup(args.cgroup or f"k{os.getpid()}", args.pids) is None:
            nproc = nproc or args.pids
    apply(args.as_mb, args.cpu_s, args.fsize_mb, nproc)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
