"""The grader's side of :mod:`graders.engine.kernel.zygote`: kernels forked inside the sandbox.

:class:`Zygote` starts the factory once (in the bubblewrap sandbox of
:mod:`graders.engine.sandbox.policy`) and asks it for kernels; :class:`ForkedKernel` gives a
forked kernel the parts of jupyter_client's ``KernelManager`` interface the engine uses
(interrupt, liveness, shutdown, and the process whose CPU time the speed check reads).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..boot import argv
from .. import EngineError
from .policy import Policy, command, remove_cgroup

KERNEL_PIDS = 128
"""Most processes (threads included) one forked kernel may have: its own pids cgroup."""
KERNEL_MEMORY_MB = 4096
"""One forked kernel's memory cgroup: its processes, their children and its tmpfs files."""
KERNEL_LIMITS = {"RLIMIT_AS": KERNEL_MEMORY_MB << 20, "RLIMIT_CPU": 600, "RLIMIT_FSIZE": 64 << 20,
                 "tmp_mb": 512, "shm_mb": 256}


class ZygoteError(EngineError, RuntimeError):
    """The kernel factory could not be started or stopped answering."""


def _host_pid(root_pid: int, ns_pid: int) -> int | None:
    """The host pid of the factory's child ``ns_pid`` (its pid in the sandbox's namespace)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status") as f:
                for line in f:
                    if line.startswith("NSpid:"):
                        pids = line.split()[1:]
                        if len(pids) == 2 and int(pids[1]) == ns_pid and _descends(int(entry.name), root_pid):
                            return int(entry.name)
                        break
        except (OSError, ValueError):
            continue
    return None


def _descends(pid: int, ancestor: int) -> bool:
    for _ in range(64):
        if pid == ancestor:
            return True
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            pid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError):
            return False
        if pid <= 1:
            return False
    return False


_CONTEXT: list = []


def _context() -> Any:
    """The zmq context of our kernel clients: sockets retry a connection every 10 ms.

    A client connects before its kernel has bound (the kernel is still starting), and zmq
    retries every 100 ms by default: a tenth of a second lost per kernel, waiting."""
    if not _CONTEXT:
        import zmq

        ctx = zmq.Context()
        ctx.setsockopt(zmq.RECONNECT_IVL, 10)
        _CONTEXT.append(ctx)
    return _CONTEXT[0]


def _wait_for_ready(kc: Any, km: "ForkedKernel", timeout: float) -> None:
    """The first kernel_info reply. (jupyter_client's ``wait_for_ready`` then listens to
    IOPub for a fixed while; a forked kernel is ready in a tenth of that.)"""
    import queue

    deadline = time.monotonic() + timeout
    replied = False
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        end = min(deadline, time.monotonic() + 0.5)
        while time.monotonic() < end and not replied:
            try:
                msg = kc.get_shell_msg(timeout=0.02)
            except queue.Empty:
                if not km.is_alive():
                    raise RuntimeError("the forked kernel died before it was ready") from None
                continue
            replied = msg.get("parent_header", {}).get("msg_id") == msg_id
        # IOPub is a subscription: messages published before it is in place are lost, and a
        # cell whose "idle" status is lost would wait for its whole time limit. Ready means
        # this request's status messages arrive on IOPub too. The first request's are often
        # lost (the subscription is made when the kernel's socket appears), so the wait for
        # them is short and the request is simply sent again.
        try:
            while True:
                msg = kc.get_iopub_msg(timeout=0.05)
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    return
        except queue.Empty:
            continue
    raise RuntimeError(f"the forked kernel was not ready within {timeout:.0f} s")


class Zygote:
    def __init__(self, course: Path, env: dict[str, str], python: str | None = None,
                 startup_timeout: float = 120) -> None:
        from .launch import sweep
        from .limits import group_bases

        sweep(Path(tempfile.gettempdir()), tuple(group_bases()))  # what crashed workers left behind
        self.root = Path(tempfile.mkdtemp(prefix="graders-zygote-"))
        self.owned: list[Path] = []
        """Folders made for this factory alone, removed with it."""
        self.policy = Policy(scratch=self.root, course=Path(course), name=self.root.name, processes=512,
                             extra_env={**env, "GRADERS_KERNEL_LIMITS": json.dumps(KERNEL_LIMITS),
                                        # debugpy, imported ahead, warns about frozen modules on
                                        # every start: it would fill the log kept for real failures
                                        "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        py = python or sys.executable
        self.log = open(self.root.parent / f"{self.root.name}.log", "w")
        self.proc = subprocess.Popen(command(self.policy, [*argv(py, "engine.kernel.zygote", "main()"), str(self.root)], python=py),
                                     stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + startup_timeout
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if line.strip() != "ready" or time.monotonic() > deadline:
            self.close()
            raise ZygoteError(f"the kernel factory did not start (see {self.log.name})")

    def request(self, **req: Any) -> dict:
        if self.proc.poll() is not None:
            raise ZygoteError("the kernel factory has stopped")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(30)
            s.connect(str(self.root / "zygote.sock"))
            s.sendall((json.dumps(req) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        reply = json.loads(data or b"{}")
        if "error" in reply:
            raise ZygoteError(reply["error"])
        return reply

    def spawn(self, startup_timeout: float = 60) -> tuple["ForkedKernel", Any, Path]:
        """A new kernel: (manager-like, blocking client ready to execute, its folder)."""
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        kid = "k" + secrets.token_hex(6)
        folder = self.root / kid
        folder.mkdir()
        conn = folder / "kernel.json"
        write_connection_file(str(conn), ip=str(folder / "ipc"), transport="ipc",
                              key=secrets.token_hex(16).encode())
        pid = int(self.request(op="spawn", id=kid)["pid"])
        km = ForkedKernel(self, pid, folder)
        kc = BlockingKernelClient(connection_file=str(conn), context=_context())
        kc.load_connection_file()
        kc.start_channels()
        try:
            _wait_for_ready(kc, km, startup_timeout)
        except RuntimeError:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            raise
        km.confine(self.policy.name, KERNEL_PIDS)
        return km, kc, folder

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        remove_cgroup(self.policy)
        for folder in [self.root, *self.owned]:
            shutil.rmtree(folder, ignore_errors=True)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()
        try:  # kept only when the factory had something to say (a failed start, a crash)
            if os.path.getsize(self.log.name) == 0:
                os.unlink(self.log.name)
        except OSError:
            pass


class ForkedKernel:
    """What the engine needs of a KernelManager, for a kernel forked by the factory."""

    def __init__(self, zygote: Zygote, pid: int, folder: Path) -> None:
        self.zygote, self.pid, self.folder = zygote, pid, folder
        self._host: int | None = None
        self._cgroups: list[str] = []
        self.provisioner = SimpleNamespace(process=self)

    @property
    def host_pid(self) -> int | None:
        if self._host is None:
            self._host = _host_pid(self.zygote.proc.pid, self.pid)
        return self._host

    def confine(self, prefix: str, max_pids: int, memory_mb: int | None = None) -> None:
        """Put the kernel's processes (before any student code runs) in pids and memory
        cgroups of their own, so a fork bomb or a memory hog (children and tmpfs included)
        in one kernel cannot starve the factory or the next kernel."""
        from .limits import confine_memory, confine_pids
        from ..grader.link import descendants

        host = self.host_pid
        if host is not None:
            name, pids = f"{prefix}-{self.folder.name}", descendants(host)
            memory_mb = memory_mb or KERNEL_MEMORY_MB
            self._cgroups = [g for g in (confine_pids(name, max_pids, pids), confine_memory(name, memory_mb, pids))
                             if g]

    def interrupt_kernel(self) -> None:
        self.zygote.request(op="signal", pid=self.pid, sig=int(signal.SIGINT))

    def is_alive(self) -> bool:
        try:
            return bool(self.zygote.request(op="alive", pid=self.pid)["alive"])
        except Exception:
            return False

    def shutdown_kernel(self, now: bool = True) -> None:
        try:
            self.zygote.request(op="signal", pid=self.pid, sig=int(signal.SIGTERM))
        except Exception:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
        for group in self._cgroups:
            for _ in range(50):  # empty once the pid namespace's processes are gone
                try:
                    os.rmdir(group)
                    break
                except OSError:
                    time.sleep(0.01)
