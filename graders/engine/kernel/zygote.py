"""A kernel factory inside the sandbox: imports once, forks one isolated kernel per notebook.

Starting a kernel costs about a second of CPU (Python, ipykernel, numpy, matplotlib,
pandas), and on a 2-core machine CPU is the limit. This process, started once per worker
inside the bubblewrap sandbox, imports all of that once; each kernel is a ``fork`` of it,
ready in milliseconds.

A forked kernel must be as isolated from the next student's kernel as a separate sandbox
would be, so each child, before running anything else:

- enters new user, mount, pid and IPC namespaces (unprivileged ``unshare``; it can do that
  inside the sandbox because a new user namespace gives it its own capabilities);
- hides the factory's folder (every kernel's folder, and this process's control socket)
  behind an empty tmpfs, with only its own folder bound back, and gets a fresh, sized
  ``/tmp`` and ``/dev/shm`` (nothing one kernel writes there is seen by the next);
- forks once more, so the kernel is process 1 of its pid namespace: when it is killed,
  every process the student started dies with it, and none of them can see or signal
  another kernel, this factory or the grader;
- sets its memory, CPU and file-size limits (the grader then moves it into pids and memory
  cgroups of its own, which count its children and its tmpfs files).

Protocol: one JSON line per request on a unix socket, one JSON line back.
``{"op": "spawn", "id": ID}`` starts a kernel on ``ROOT/ID/kernel.json`` and answers its
pid; ``{"op": "signal", "pid", "sig"}``, ``{"op": "alive", "pid"}``.

Started as ``python -I -c BOOT ROOT`` (:mod:`graders.engine.boot`): it imports its own room
under a private name, never the ``graders`` package, and stays single-threaded, as ``fork``
requires.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import socket
import sys

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWIPC = 0x00020000, 0x10000000, 0x20000000, 0x08000000
MS_BIND, MS_REC, MS_PRIVATE, MS_MOVE, MS_NOSUID, MS_NODEV = 4096, 16384, 1 << 18, 8192, 2, 4
PR_SET_PDEATHSIG = 1

libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def top_mounts_under(prefix: str) -> list[str]:
    """Mount points below ``prefix`` that are not inside another one (from mountinfo)."""
    points = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].encode().decode("unicode_escape")  # \040 for a space, etc.
            if point.startswith(prefix) and point not in points:
                points.append(point)
    return [p for p in points if not any(p != q and p.startswith(q + "/") for q in points)]


def preload() -> None:
    """Everything a kernel imports, imported once here (forked children share it).

    Besides the course's libraries, that is what ``IPKernelApp.initialize`` imports on its
    own (the kernel class, its shell, and the debugger with debugpy): imported in each
    child, those cost more CPU than all the rest of a kernel's start-up. None of them
    starts a thread on import, so forking after them is safe.
    """
    import faulthandler  # noqa: F401
    import pdb  # noqa: F401

    import ipykernel.debugger  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401
    import IPython  # noqa: F401
    import IPython.extensions.storemagic  # noqa: F401
    import matplotlib
    import tornado.platform.asyncio  # noqa: F401

    # Not matplotlib_inline.backend_inline: importing it registers its figure-showing hook
    # with the running IPython shell, and here there is none yet; imported in the kernel,
    # it finds the kernel's shell.
    import numpy  # noqa: F401

    try:
        import pandas  # noqa: F401
    except ImportError:
        pass
    matplotlib.use(os.environ.get("MPLBACKEND", "agg"))
    import matplotlib.pyplot  # noqa: F401


def isolate(root: str, kid: str, limits: dict) -> None:
    """Namespaces, mounts and limits for one kernel; see the module docstring."""
    uid, gid = os.getuid(), os.getgid()
    _check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC), "unshare")
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{gid} {gid} 1")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    own = os.path.join(root, kid)
    # Park what must stay visible outside /tmp, give the kernel a fresh /tmp, then put it
    # back: its own folder, and whatever the sandbox bound under /tmp (a virtualenv, the
    # package or the course of a checkout that lives in /tmp), but not the factory's folder.
    park = "/mnt" if os.path.isdir("/mnt") else "/media"
    mount("tmpfs", park, "tmpfs", MS_NOSUID | MS_NODEV, "mode=700")
    real_root = os.path.realpath(root)
    extras = [p for p in top_mounts_under("/tmp/") if p != real_root and not real_root.startswith(p + "/")]
    parked = []
    for i, point in enumerate([own, *extras]):
        spot = os.path.join(park, f"m{i}")
        os.mkdir(spot)
        mount(point, spot, None, MS_BIND | MS_REC)
        parked.append((spot, point))
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={int(limits.get('tmp_mb', 512))}m")
    # /dev is the sandbox's, shared by every kernel this factory forks: /dev/shm is made anew
    if os.path.isdir("/dev/shm"):
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={int(limits.get('shm_mb', 256))}m")
    if not real_root.startswith("/tmp/"):
        mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755")
    for spot, point in parked:
        os.makedirs(point, exist_ok=True)
        mount(spot, point, None, MS_MOVE)
    for name, value in limits.items():
        if not name.startswith("RLIMIT_"):
            continue
        kind = getattr(resource, name)
        resource.setrlimit(kind, (value, value))


def run_kernel(own: str) -> None:
    """Process 1 of the new pid namespace: becomes the student's ipykernel."""
    try:
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV)
    except OSError:
        pass  # the sandbox's /proc stays; other namespaces' processes are not signalable anyway
    os.chdir(own)
    os.environ.update({"HOME": "/tmp", "MPLCONFIGDIR": "/tmp/.matplotlib", "IPYTHONDIR": "/tmp/.ipython"})
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", os.path.join(own, "kernel.json"), "--IPKernelApp.log_level=CRITICAL",
                    "--HistoryManager.enabled=False"])
    app.start()


def spawn(root: str, kid: str, limits: dict) -> int:
    pid = os.fork()
    if pid:
        return pid
    # the child: isolate, then fork the kernel as pid 1 of the new pid namespace
    code = 1
    try:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.setsid()
        isolate(root, kid, limits)
        kernel = os.fork()
        if kernel == 0:
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            run_kernel(os.path.join(root, kid))
            os._exit(0)

        def forward(sig: int, _frame: object) -> None:
            os.kill(kernel, signal.SIGKILL if sig == signal.SIGTERM else sig)

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
            signal.signal(sig, forward)
        while True:
            try:
                _, status = os.waitpid(kernel, 0)
                code = os.waitstatus_to_exitcode(status)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break
    except BaseException as exc:  # report why on stderr (the factory's log), never raise past fork
        try:
            os.write(2, f"graders zygote: kernel {kid} failed to start: {exc}\n".encode())
        except OSError:
            pass
    os._exit(code if isinstance(code, int) and code >= 0 else 1)


def serve(root: str) -> None:
    limits = json.loads(os.environ.get("GRADERS_KERNEL_LIMITS", "{}"))
    preload()
    path = os.path.join(root, "zygote.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    exited: dict[int, int] = {}
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        with conn, conn.makefile("rw") as f:
            for line in f:
                try:
                    req = json.loads(line)
                    reply = handle(req, root, limits, exited)
                except Exception as exc:
                    reply = {"error": f"{type(exc).__name__}: {exc}"}
                f.write(json.dumps(reply) + "\n")
                f.flush()


def handle(req: dict, root: str, limits: dict, exited: dict) -> dict:
    while True:  # reap whatever ended, remembering exit codes
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        exited[pid] = os.waitstatus_to_exitcode(status)
    op = req.get("op")
    if op == "spawn":
        kid = str(req["id"])
        if "/" in kid or kid.startswith("."):
            raise ValueError("bad kernel id")
        return {"pid": spawn(root, kid, limits)}
    if op == "signal":
        pid = int(req["pid"])
        if pid not in exited:
            try:
                os.kill(pid, int(req["sig"]))
            except ProcessLookupError:
                pass
        return {"ok": True}
    if op == "alive":
        return {"alive": int(req["pid"]) not in exited}
    if op == "ping":
        return {"ok": True}
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    """``python -I -c BOOT ROOT`` (graders.engine.boot), from the sandbox's command line."""
    serve(sys.argv[1])


if __name__ == "__main__":
    main()
