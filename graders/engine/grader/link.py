"""One student's kernel, as the grader talks to it: requests, time limits, CPU clocks.

Requests travel over a unix socket that the bridge listens on in the kernel's scratch
folder (see :mod:`graders.engine.kernel.bridge`); where it could not make one, as files in that
folder announced by a message through the kernel's shell channel. Either way large arrays
never go through the Jupyter protocol. Whatever the student's code prints during a call
is collected for the grade cell's output. Every request has a deadline (the grade cell's
remaining time): past it the kernel is interrupted, and a kernel that ignores the
interrupt is declared lost.
"""

from __future__ import annotations

import os
import queue
import secrets
import select
import socket
import stat
import time
import warnings
from pathlib import Path
from typing import Any, Callable

from ... import protocol
from ..kernel import codec
from .remote import KernelLost, RemoteFunction, RemoteIterator, remote_object, shadow_function, trusted_module

INTERRUPT_GRACE_S = 3.0
SOCKET_NAME = "bridge.sock"
"""The bridge's socket, in the kernel's scratch folder."""
PRINTED_READ_BYTES = 1 << 20
"""How much of a dead kernel's last words to read (the bridge writes at most 200,000
characters per request)."""
ANSWER_READ_S = 30.0
"""Once an answer has begun to arrive, how long the rest of it may take."""


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (one scan of ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def process_cpu_ns(pid: int) -> int:
    """CPU time (ns) of the threads of ``pid`` alone: cheap enough to read around every cell
    (:func:`tree_cpu_ns` scans all of ``/proc`` for descendants)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def tree_cpu_ns(root: int) -> int:
    """CPU time (ns) of every thread of ``root`` and its descendants, plus reaped children."""
    total = 0
    for pid in descendants(root):
        try:
            total += process_cpu_ns(pid)
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            fields = stat[stat.rindex(b")") + 2:].split()
            total += (int(fields[13]) + int(fields[14])) * 10_000_000  # cutime + cstime, in ticks
        except (OSError, ValueError, IndexError):
            continue
    return total


def read_kernel_file(path: Path, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a file in a kernel's scratch folder; None when it is not
    there or is not a regular file. The student's code can write that folder: a FIFO there
    would block an ordinary open for ever, and a link could point at a file of the grader's,
    so neither is followed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size < limit:
            chunk = os.read(fd, min(limit - size, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _copied(value: Any) -> Any:
    """A deep copy of a large value (an array, frame or series)."""
    return value.copy(deep=True) if hasattr(value, "iloc") else value.copy()


def _throttled(check: Callable[[], bool], every_s: float = 0.05) -> Callable[[], bool]:
    """``check``, asked at most every ``every_s`` (it scans /proc)."""
    last = [0.0]

    def run() -> bool:
        now = time.monotonic()
        if now - last[0] < every_s:
            return False
        last[0] = now
        return check()

    return run


class Link:
    """Requests to the bridge in one kernel, and the local proxies for what comes back."""

    def __init__(self, km: Any, kc: Any, scratch: Path, on_output: Callable[[str, str], None] | None = None) -> None:
        self.km, self.kc, self.scratch = km, kc, Path(scratch)
        self.deadline = float("inf")
        self.hung: dict = {}
        """Functions cut off at a time limit, by handle: later calls fail at once, so one
        endless loop costs one cell's time limit, not every cell's."""
        self.tampering: list = []
        """Where the student's notebook reaches into the grader (graders.engine.grader.tamper)."""
        self.end_of_cell: list | None = None
        """Checks to repeat when the current hidden-test cell ends (see judge.run_grade_cell)."""
        self.on_output = on_output or (lambda name, text: None)
        self.trusted_texts: dict[str, tuple[str, str]] = {}
        self.figures = None  # set by the executor (graders.engine.grader.figures.Mirror)
        self.lost = False
        self._shadow_globals: dict | None = None
        self._fetched: dict[int, tuple[Any, int]] = {}
        self._sock: socket.socket | None = None
        self._kept: dict[str, tuple[Any, Any]] = {}

    @property
    def socket_path(self) -> Path:
        return self.scratch / SOCKET_NAME

    def connect(self) -> bool:
        """Connect to the bridge's socket (right after it is installed, before any student
        code runs); False when there is none, and requests go as files."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(self.socket_path))
        except OSError:
            sock.close()
            return False
        self._sock = sock
        return True

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    # ------------------------------------------------------------------ transport
    def _run(self, code: str, timeout: float) -> tuple[dict | None, bool]:
        """Execute ``code`` silently; return (reply content or None, interrupted)."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        return self._wait(msg_id, timeout)

    def _send(self, msg_type: str, content: dict, timeout: float,
              over_cpu: Callable[[], bool] | None = None) -> tuple[dict | None, bool]:
        """A message of our own type to the bridge's handler; (reply content or None, interrupted)."""
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return self._wait(msg["header"]["msg_id"], timeout, over_cpu)

    def _wait(self, msg_id: str, timeout: float,
              over_cpu: Callable[[], bool] | None = None) -> tuple[dict | None, bool]:
        """Wait for the shell reply to ``msg_id``; (reply content or None, interrupted)."""
        def poll(wait_s: float) -> tuple[bool, dict | None]:
            self._drain_iopub(msg_id)
            try:
                msg = self.kc.get_shell_msg(timeout=wait_s)
            except queue.Empty:
                return False, None
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                return False, None
            self._drain_iopub(msg_id)
            return True, msg["content"]

        return self._until_answered(poll, timeout, over_cpu)

    def _until_answered(self, poll: Callable[[float], tuple[bool, Any]], timeout: float,
                        over_cpu: Callable[[], bool] | None) -> tuple[Any, bool]:
        """Call ``poll(wait_s)`` until it returns ``(True, answer)``; (answer, interrupted).

        At ``timeout`` (wall), or as soon as ``over_cpu()`` says so, the kernel is
        interrupted and given :data:`INTERRUPT_GRACE_S` more; a kernel that still has not
        answered then, or that died meanwhile, is lost: (None, interrupted). Both transports
        (socket and shell channel) wait here, so they cut off and give up alike."""
        end = time.monotonic() + max(timeout, 0.0)
        interrupted = False
        while True:
            remaining = end - time.monotonic()
            if not interrupted and over_cpu is not None and over_cpu():
                remaining = 0
            if remaining <= 0:
                if interrupted or self.lost:
                    self.lost = True
                    return None, interrupted
                interrupted = True
                try:
                    self.km.interrupt_kernel()
                except Exception:
                    self.lost = True
                    return None, True
                end = time.monotonic() + INTERRUPT_GRACE_S
                continue
            done, answer = poll(min(remaining, 0.05))
            if done:
                return answer, interrupted
            if not self.km.is_alive():
                self.lost = True
                return None, interrupted

    def _drain_iopub(self, msg_id: str) -> None:
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return
            if msg.get("msg_type") == "stream" and msg.get("parent_header", {}).get("msg_id") == msg_id:
                self.on_output(msg["content"].get("name", "stdout"), msg["content"].get("text", ""))

    def fetch(self, name: str) -> dict:
        """A kernel global, as a hidden test cell looks it up (``get``).

        Each cell looks the student's data up again. A large value (see :func:`codec.is_large`) is
        kept here with the token the bridge gave it; asked again, the bridge answers
        "unchanged" when the global is still that object with the same contents, and the
        cell gets a fresh copy of what is kept here: a test that changed its copy never
        changes the next cell's."""
        kept = self._kept.get(name)
        out = self.request("get", name=name, known=kept[0] if kept else None)
        if not out.get("ok"):
            self._kept.pop(name, None)
        elif out.get("same") and kept is not None:
            out["value"] = _copied(kept[1])
        elif out.get("token") is not None and codec.is_large(out.get("value")):
            self._kept[name] = (out["token"], _copied(out["value"]))
        else:
            self._kept.pop(name, None)
        return out

    def request(self, op: str, *, timeout: float | None = None, **payload: Any) -> dict:
        out, _cpu, cut = self.timed(op, None, timeout=timeout, **payload)
        if cut:
            raise self.ran_out(out, payload.get("h") if op in ("call", "next") else None)
        return out

    def ran_out(self, out: Any, handle: Any = None) -> TimeoutError:
        """The error for a call cut off at the cell's time limit, at the student's line the
        interrupt found it on (the bridge answers the interrupt with that line), never the
        grader's. The function is remembered: a later call fails at once (see ``hung``)."""
        from .remote import rebuild_error

        err = out.get("error") if isinstance(out, dict) else None
        where = protocol.where(rebuild_error(err)) if isinstance(err, dict) else ""
        exc = TimeoutError("your code was still running when this test's time limit ran out "
                           "(an endless loop, or far too much work for the input)")
        exc.__graders_where__ = where
        if handle is not None:
            self.hung[handle] = exc
        return exc

    def timed(self, op: str, cut_after_s: float | None, *, timeout: float | None = None,
              **payload: Any) -> tuple[dict, float, bool]:
        """(answer, kernel CPU seconds spent, whether it was cut off)."""
        if self.lost:
            raise KernelLost("the student's kernel is no longer running")
        data = codec.encode({"op": op, **payload}, self._ref_out)
        limit = self.deadline - time.monotonic()
        if timeout is not None:
            limit = min(limit, timeout)
        pid = self._pid() if op == "time" else None
        cpu0 = tree_cpu_ns(pid) if pid else 0
        over_cpu = None
        if cut_after_s is not None:
            if pid:
                # the speed check's cut-off counts the kernel's CPU time, not the wall clock: a
                # kernel kept waiting by a busy machine is not a slow function (wall: 3x, at most)
                limit = min(limit, 3 * cut_after_s + 1)
                over_cpu = _throttled(lambda: tree_cpu_ns(pid) - cpu0 > cut_after_s * 1e9)
            else:
                limit = min(limit, cut_after_s)
        try:
            if self._sock is not None:
                data, interrupted = self._exchange(data, limit, over_cpu)
                cpu_s = (tree_cpu_ns(pid) - cpu0) / 1e9 if pid else 0.0
                if data is None:
                    raise KernelLost("the student's kernel stopped answering (it ignored an interrupt or died)")
            else:
                data, interrupted, cpu_s = self._by_files(data, limit, over_cpu, pid, cpu0)
                if data is None:
                    return {"ok": False, "error": {"type": "TimeoutError"}}, cpu_s, True
        except KernelLost:
            self._printed_before_loss()
            raise
        out = codec.decode(data, self._deref)
        if not isinstance(out, dict):
            raise KernelLost("the grading bridge answered with something that is not an answer")
        for name, text in codec.printed_writes(out.pop("printed", None)):
            self.on_output(name, text)
        if self.figures is not None:  # figures first: a returned figure refers to its new state
            self.figures.sync(out.get("figures") or [])
            out["value"] = self.figures.resolve(out.get("value"))
        return out, cpu_s, interrupted

    def _exchange(self, data: bytes, timeout: float,
                  over_cpu: Callable[[], bool] | None) -> tuple[bytes | None, bool]:
        """One request over the socket; (answer or None when the kernel is gone, interrupted)."""
        sock = self._sock
        assert sock is not None
        start = time.monotonic()
        try:
            sock.settimeout(min(max(timeout, 1.0), ANSWER_READ_S))  # the kernel reads as soon as it is idle
            sock.sendall(codec.frame(data))
        except OSError:
            self.lost = True
            return None, False

        def poll(wait_s: float) -> tuple[bool, bytes | None]:
            ready, _, _ = select.select([sock], [], [], wait_s)
            if not ready:
                return False, None
            answer = _read_framed(sock)
            if answer is None:  # the kernel closed the socket: it died, or the bridge broke
                self.lost = True
            return True, answer

        return self._until_answered(poll, timeout - (time.monotonic() - start), over_cpu)

    def _by_files(self, data: bytes, limit: float, over_cpu: Callable[[], bool] | None, pid: int | None,
                  cpu0: int) -> tuple[bytes | None, bool, float]:
        """One request as files; (answer or None when interrupted without one, interrupted, CPU s)."""
        nonce = secrets.token_hex(8)
        req = self.scratch / f"req-{nonce}.bin"
        res = self.scratch / f"res-{nonce}.bin"
        req.write_bytes(data)
        reply, interrupted = self._send("graders_request", {"nonce": nonce}, limit, over_cpu)
        cpu_s = (tree_cpu_ns(pid) - cpu0) / 1e9 if pid else 0.0
        if reply is None:
            raise KernelLost("the student's kernel stopped answering (it ignored an interrupt or died)")
        answer = read_kernel_file(res, codec.MAX_BYTES)
        try:
            res.unlink()
        except OSError:
            pass
        if answer is None:
            if interrupted:
                return None, True, cpu_s
            raise KernelLost("the student's code broke the grading bridge (no answer was written)")
        return answer, interrupted, cpu_s

    def _printed_before_loss(self) -> None:
        """What the student's code printed in a call its kernel died in: the answer that
        would have carried it never came, but the bridge wrote it through to a file."""
        data = read_kernel_file(self.scratch / codec.PRINTED_FILE, PRINTED_READ_BYTES)
        for name, text in codec.read_printed(data or b""):
            self.on_output(name, text)

    def _pid(self) -> int | None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "host_pid", None) or getattr(proc, "pid", None)

    # ------------------------------------------------------------------ values
    def _ref_out(self, obj: Any, kind: str) -> Any:
        """Grader objects sent to the kernel: proxies go back as handles; others as None."""
        node = getattr(obj, "_node", None)
        if isinstance(node, dict) and "h" in node:
            return {"t": "kref", "h": node["h"]}
        return None

    def _deref(self, node: dict) -> Any:
        t = node.get("t")
        if t == "fn":
            return RemoteFunction(self, node)
        if t == "iter":
            return RemoteIterator(self, node)
        if t == "module":
            name = str(node.get("name", ""))
            if name == "matplotlib.pyplot" and self.figures is not None:
                return self.figures.pyplot
            mod = trusted_module(name)
            return mod if mod is not None else remote_object(self, {"type": "module", "repr": f"<module {name!r}>"})
        if t in ("fig", "axes") and self.figures is not None:
            return self.figures.pending(node)
        return remote_object(self, node)

    def remember(self, value: Any, handle: Any) -> None:
        """A large value fetched by name: passed back as an argument, it goes as a reference
        to the kernel's own object (as in a test running in the kernel), not as a copy."""
        if handle is None or not codec.is_large(value):
            return
        self._fetched[id(value)] = (value, int(handle))

    def kernel_handle(self, value: Any) -> int | None:
        got = self._fetched.get(id(value))
        return got[1] if got is not None and got[0] is value else None

    def reemit(self, out: dict) -> None:
        """Warnings the call raised in the kernel, raised again here for the checks to see.

        From a notebook that reaches into the grader, one more: the kernel's account of its
        warnings cannot be trusted, so a stability check sees a warning it must fail on."""
        if self.tampering:
            from .tamper import message

            warnings.warn_explicit(message(self.tampering, "check_stability"), RuntimeWarning, "<grader>", 0)
        for w in out.get("warnings") or []:
            category = {"RuntimeWarning": RuntimeWarning, "DeprecationWarning": DeprecationWarning,
                        "FutureWarning": FutureWarning}.get(w.get("category"), UserWarning)
            warnings.warn_explicit(str(w.get("message", "")), category, str(w.get("filename", "<student>")),
                                   int(w.get("lineno") or 0))

    # ------------------------------------------------------------------ source
    def shadow(self, node: dict) -> Any:
        code = node.get("code")
        text = node.get("text")
        if not code or text not in self.trusted_texts:
            return None
        filename, compiled = self.trusted_texts[text]
        if self._shadow_globals is None:
            self._shadow_globals = ShadowGlobals(self)
        return shadow_function(compiled, filename, str(code[2]), int(code[1]), self._shadow_globals)


class ShadowGlobals(dict):
    """Globals of shadow functions: names resolve to the kernel's, functions to shadows."""

    def __init__(self, link: Link) -> None:
        super().__init__()
        self._link = link

    def __missing__(self, name: str) -> Any:
        import builtins

        if hasattr(builtins, name):
            raise KeyError(name)
        try:
            out = self._link.request("get", name=name, timeout=10)
        except Exception:
            raise KeyError(name) from None
        value = out.get("value") if out.get("ok") else None
        if isinstance(value, RemoteFunction):
            value = value.__graders_shadow__ or value
        if value is None and not out.get("ok"):
            raise KeyError(name)
        self[name] = value
        return value


def _read_framed(sock: socket.socket) -> bytes | None:
    """The bridge's answer (see :func:`codec.read_frame`); None if it never comes whole."""
    try:
        sock.settimeout(ANSWER_READ_S)
        return codec.read_frame(sock)
    except OSError:
        return None
