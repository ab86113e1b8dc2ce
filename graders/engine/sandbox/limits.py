"""``python -I -c BOOT [--as MB] [--cpu S] [--fsize MB] [--mem MB] [--pids N] [--cgroup NAME] -- CMD ...``

Set resource limits on this process, then ``exec`` the command, which inherits them. It is
started by :mod:`graders.engine.boot`, before bubblewrap, on the standard library alone
(``tests/engine/test_boot.py``), so it costs a few milliseconds and the limits cover bubblewrap and everything inside it.
bubblewrap isolates *what* the student's kernel can see; these limits bound *how much* it
can use: address space (a memory bomb gets MemoryError instead of the machine swapping),
CPU seconds (a busy loop that ignores SIGINT is killed by SIGXCPU/SIGKILL), file size (100 MB
of output to a file fails with EFBIG) and processes. RLIMIT_NPROC does not bind root (nor a
user namespace mapped to root), so a fork bomb is stopped by a pids cgroup instead, when
the machine lets us create one (cgroup v1 ``pids`` or cgroup v2); otherwise RLIMIT_NPROC.
RLIMIT_AS is per process and blind to tmpfs, so memory is also bounded by a memory cgroup
that counts children and files in ``/tmp`` and ``/dev/shm``, where the machine has one.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

MB = 1024 * 1024


PIDS_ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")


def memory_base() -> str | None:
    """Where this process may make memory cgroups: ``graders`` under its own memory group.

    cgroup v1 (a ``memory`` line in /proc/self/cgroup) or v2 (the ``0::`` line, when the
    memory controller is enabled there). Nested under our own group, so the machine's limit
    on us still holds for every kernel. None when there is no writable memory controller.
    """
    try:
        with open("/proc/self/cgroup") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if "memory" in controllers.split(","):
            base = "/sys/fs/cgroup/memory" + path.rstrip("/")
            if os.path.exists(os.path.join(base, "memory.limit_in_bytes")):
                return os.path.join(base, "graders")
    for line in lines:
        if line.startswith("0::"):
            for mount in ("/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
                base = mount + line[3:].rstrip("/")
                try:
                    with open(os.path.join(mount, "cgroup.controllers")) as fh:
                        if "memory" in fh.read().split() and os.path.isdir(base):
                            return os.path.join(base, "graders")
                except OSError:
                    continue
    return None


def group_bases() -> list[str]:
    """Every folder under which this module makes a kernel's cgroups (for sweeping)."""
    bases = [os.path.join(root, "graders") for root in PIDS_ROOTS]
    memory = memory_base()
    return bases + ([memory] if memory else [])


def _write(path: str, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def confine_memory(name: str, limit_mb: int, pids: list[int]) -> str | None:
    """Move processes into a new memory cgroup of ``limit_mb`` MB and return its path.

    Unlike RLIMIT_AS, a memory cgroup counts what a process's children use and what it
    writes to tmpfs (``/tmp``, ``/dev/shm``); past the limit the kernel's OOM killer ends a
    process of this group only. None when no memory controller is writable here.
    """
    base = memory_base()
    if base is None:
        return None
    group = os.path.join(base, name)
    try:
        os.makedirs(group, exist_ok=True)
        limit = str(limit_mb * MB)
        if os.path.exists(os.path.join(group, "memory.limit_in_bytes")):  # v1
            _write(os.path.join(group, "memory.limit_in_bytes"), limit)
            try:  # swap counted too, where the machine accounts it
                _write(os.path.join(group, "memory.memsw.limit_in_bytes"), limit)
            except OSError:
                pass
        else:  # v2
            if os.path.exists(os.path.join(base, "cgroup.subtree_control")):
                try:
                    _write(os.path.join(base, "cgroup.subtree_control"), "+memory")
                except OSError:
                    pass
            _write(os.path.join(group, "memory.max"), limit)
            try:
                _write(os.path.join(group, "memory.swap.max"), "0")
            except OSError:
                pass
        for pid in pids:
            _write(os.path.join(group, "cgroup.procs"), str(pid))
        return group
    except OSError:
        return None


def join_pids_cgroup(name: str, max_pids: int) -> str | None:
    """Create ``<root>/graders/<name>`` with ``pids.max``, move this process into it and
    return its path; None when no writable pids controller exists here."""
    return confine_pids(name, max_pids, [os.getpid()])


def confine_pids(name: str, max_pids: int, pids: list[int]) -> str | None:
    """Move running processes (with their threads) into a new pids cgroup ``graders/<name>``;
    their later children stay in it. Returns its path, or None when no cgroup is writable."""
    for root in PIDS_ROOTS:
        group = os.path.join(root, "graders", name)
        try:
            if not os.path.exists(os.path.join(root, "cgroup.procs")):
                continue
            os.makedirs(group, exist_ok=True)
            _write(os.path.join(group, "pids.max"), str(max_pids))
            for pid in pids:
                _write(os.path.join(group, "cgroup.procs"), str(pid))
            return group
        except OSError:
            continue
    return None


def remove_groups(name: str) -> None:
    """Remove the groups named ``name`` (best effort; a group with members stays)."""
    for base in group_bases():
        try:
            os.rmdir(os.path.join(base, name))
        except OSError:
            pass


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
    ap = argparse.ArgumentParser(prog="python -m graders.engine.sandbox.limits", description=__doc__.splitlines()[0])
    ap.add_argument("--as", dest="as_mb", type=int, help="address space, MB")
    ap.add_argument("--cpu", dest="cpu_s", type=int, help="CPU seconds")
    ap.add_argument("--fsize", dest="fsize_mb", type=int, help="largest file written, MB")
    ap.add_argument("--nproc", type=int, help="RLIMIT_NPROC (does not bind root)")
    ap.add_argument("--pids", type=int, help="most processes in this sandbox (pids cgroup)")
    ap.add_argument("--mem", dest="mem_mb", type=int, help="memory cgroup limit, MB (counts tmpfs and children)")
    ap.add_argument("--cgroup", default=None, help="name of the pids and memory cgroups to create")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command to run after --")
    nproc = args.nproc
    if args.mem_mb:
        confine_memory(args.cgroup or f"k{os.getpid()}", args.mem_mb, [os.getpid()])
    if args.pids:
        if join_pids_cgroup(args.cgroup or f"k{os.getpid()}", args.pids) is None:
            nproc = nproc or args.pids
    apply(args.as_mb, args.cpu_s, args.fsize_mb, nproc)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
