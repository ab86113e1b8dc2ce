"""A bubblewrap sandbox for a student's kernel: an allow-list of what it may see.

Stock ``nbgrader autograde`` runs student code as the grader, in the course folder: it can
read ``gradebook.db`` (which holds every hidden test) and other students' work, write
anywhere, and reach the network. Here the kernel runs in fresh namespaces whose file system
is built from nothing, holding only:

- the system's programs and libraries (``/usr`` and its ``/bin``, ``/lib`` links), a few
  named files of ``/etc`` (the loader's cache, time zone, user names), the interpreter, the
  virtualenv and the ``graders`` package, all read-only;
- of the course, only ``KEEP`` (its virtualenv, package and data), read-only: not the
  gradebook, sources, submissions, nor any other folder of the host (other checkouts,
  ``/root``, ``/home``, ``/etc/shadow``, ``/var``, ``/sys``);
- one scratch folder (the kernel's working directory, its connection file and its IPC
  sockets), the only writable place that outlives the kernel; its own ``/tmp`` and
  ``/dev/shm``, sized tmpfs that vanish with it;
- no network (``--unshare-net``; IPC sockets in scratch still reach the grader);
- pid 1's child in its own pid namespace, dying with its parent, cut off from the grader's
  terminal (``--new-session``);
- resource limits from :mod:`graders.engine.sandbox.limits`: memory (a cgroup that counts children
  and tmpfs, where the machine has one, and RLIMIT_AS), CPU, file size and processes;
- a cleared environment: only ``PASSED_ENV`` and the policy's variables reach it.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import boot
from .. import EngineError

KEEP = (".venv", "graders", "datasets")
"""What stays visible (read-only) inside the hidden course folder."""

PASSED_ENV = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "TERM", "LD_LIBRARY_PATH", "PYTHONPATH")
"""The grader's environment variables a kernel gets; the policy's own come on top. Nothing
else crosses: the grader's environment can hold a database URL with its password, tokens,
or (in a worker) the student it graded last."""


class SandboxUnavailable(EngineError, RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


@dataclass(frozen=True)
class Policy:
    """What one sandboxed kernel may see and use."""

    scratch: Path
    """The only writable folder; also the working directory."""

    course: Path
    """The course folder, hidden behind an empty tmpfs (but see ``keep``)."""

    keep: tuple[str, ...] = KEEP
    """Entries of ``course`` bound back read-only, when they exist."""

    hide: tuple[Path, ...] = ()
    """Further folders to hide behind an empty tmpfs."""

    binds: tuple[Path, ...] = ()
    """Folders bound writable at the same path (the kernel's IPC socket folder)."""

    ro_binds: tuple[Path, ...] = ()
    """Files or folders bound read-only at the same path (the kernel's connection file)."""

    memory_mb: int = 4096
    """Address space per process, and (where a memory cgroup can be made) the whole
    sandbox's memory: its processes, their children and its tmpfs files together."""
    tmp_mb: int = 512
    """Size of the private ``/tmp``."""
    shm_mb: int = 256
    """Size of the private ``/dev/shm``."""
    cpu_seconds: int = 600
    file_mb: int = 64
    processes: int = 128
    """Most processes at once inside the sandbox (a pids cgroup; see limits.py)."""

    name: str = "kernel"
    """Names the pids cgroup, so the grader can remove it afterwards."""

    extra_env: dict[str, str] = field(default_factory=dict)


def bwrap_path() -> str:
    path = shutil.which("bwrap")
    if not path:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    return path


MB = 1024 * 1024


PACKAGE_ROOT = boot.PACKAGE.parent
"""The folder holding the ``graders`` package (an editable install points here)."""


ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "nsswitch.conf",
       "passwd", "group", "host.conf", "hosts", "mime.types", "fonts", "matplotlibrc")
"""The files of ``/etc`` a kernel may read (the loader, time zone, user and group names,
fonts); ``shadow``, ssh keys, credentials and the rest of ``/etc`` stay out."""

SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
"""The system's programs and libraries: bound read-only, or re-created as the links they are."""


def runtime_paths(python: str | None = None) -> list[Path]:
    """What the kernel needs outside the system folders: the virtualenv and the base
    interpreter (which may live under ``/root`` or ``/tmp``), and the package itself."""
    py = Path(python or sys.executable)
    wanted = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), py.resolve().parent.parent,
              py.parent.parent.resolve(), PACKAGE_ROOT / "graders"}
    found = sorted(p for p in wanted if p.exists())
    # a folder inside another one on the list comes with it (and /usr/local with /usr)
    return [p for p in found if not any(q != p and q in p.parents for q in found)
            and not any(Path(top) in p.parents or Path(top) == p for top in ("/usr",))]


def _system_args() -> list[str]:
    args: list[str] = []
    for top in SYSTEM:
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    for name in ETC:
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


def command(policy: Policy, argv: list[str], python: str | None = None) -> list[str]:
    """The full command line: the limits wrapper, then bwrap, then ``argv``."""
    course = policy.course.resolve()
    scratch = policy.scratch.resolve()
    limits = [*boot.argv(python or sys.executable, "engine.sandbox.limits", "main()"), "--as", str(policy.memory_mb),
              "--mem", str(policy.memory_mb), "--cpu", str(policy.cpu_seconds), "--fsize", str(policy.file_mb),
              "--pids", str(policy.processes), "--cgroup", policy.name, "--"]
    cmd = [bwrap_path(), *_system_args(), "--dev", "/dev", "--proc", "/proc",
           "--size", str(policy.shm_mb * MB), "--tmpfs", "/dev/shm",
           "--size", str(policy.tmp_mb * MB), "--tmpfs", "/tmp"]
    for path in runtime_paths(python):
        cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--tmpfs", str(course)]  # an empty, read-only folder where the course is
    for name in policy.keep:
        if (course / name).exists():
            cmd += ["--ro-bind", str(course / name), str(course / name)]
    for hidden in policy.hide:
        cmd += ["--tmpfs", str(Path(hidden).resolve())]
    cmd += ["--remount-ro", str(course)]
    cmd += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch)]
    for folder in policy.binds:
        folder = Path(folder).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        cmd += ["--bind", str(folder), str(folder)]
    for path in policy.ro_binds:
        cmd += ["--ro-bind", str(Path(path).resolve()), str(Path(path).resolve())]
    # an empty mount point (the kernel factory parks folders there while it swaps /tmp), then
    # the new root itself made read-only: nothing can be written beside the binds
    cmd += ["--dir", "/mnt", "--remount-ro", "/"]
    cmd += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox",
            "--die-with-parent", "--new-session", "--clearenv"]
    env = {**{k: os.environ[k] for k in PASSED_ENV if k in os.environ},
           "HOME": "/tmp", "MPLCONFIGDIR": "/tmp/.matplotlib", "IPYTHONDIR": "/tmp/.ipython",
           **policy.extra_env}
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    return limits + cmd + ["--"] + list(argv)


def kernel_argv(policy: Policy, python: str | None = None) -> list[str]:
    """A kernel spec ``argv`` (with jupyter_client's ``{connection_file}`` placeholder)."""
    py = python or sys.executable
    return command(policy, [py, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                            "--IPKernelApp.log_level=CRITICAL"], python=py)


def remove_cgroup(policy: Policy, wait_s: float = 1.0) -> None:
    """Remove the sandbox's cgroups (pids, memory) once its processes are gone (best effort).

    A sandbox's last processes may still be exiting when this is called (bubblewrap
    follows its child out); a group that still has members cannot be removed, so this
    retries for up to ``wait_s`` rather than leave one group behind per worker.
    """
    import errno
    import os
    import time

    from .limits import group_bases

    deadline = time.monotonic() + wait_s
    for base in group_bases():
        group = os.path.join(base, policy.name)
        while True:
            try:
                os.rmdir(group)
                break
            except OSError as exc:
                if exc.errno != errno.EBUSY or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
