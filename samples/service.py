"""The submission service as a real process on a real port, for tests, the demo and the bench.

``running(root)`` starts ``python -m graders serve`` on a free port, waits until it answers,
yields a :class:`Live` (its URL and process) and stops it; ``issue_tokens`` runs the
``tokens`` command on a roster and returns {student: token}. Requests go over HTTP with
httpx, as any client's would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .course import _env, graders_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Live:
    url: str
    proc: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start(root: Path, port: int | None = None, workers: int = 1, log: Path | None = None,
          timeout: float = 120.0) -> Live:
    """Start the service and wait until it answers (RuntimeError with its log if it does not)."""
    import httpx

    port = port or free_port()
    log = log or root / f"serve-{port}.log"
    out = open(log, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", "--root", str(root), "--port", str(port),
                             "--workers", str(workers)], cwd=root, env=_env(), stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    out.close()
    live = Live(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited with {proc.returncode}:\n{live.log_text()[-3000:]}")
        try:
            if httpx.get(live.url + "/", timeout=2).status_code == 200:
                return live
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(live)
    raise RuntimeError(f"the service did not answer within {timeout:.0f} s:\n{live.log_text()[-3000:]}")


def stop(live: Live, sig: int = signal.SIGTERM, timeout: float = 60.0) -> None:
    """Stop the service's whole process group (its Dask workers and kernels too)."""
    if live.proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(live.proc.pid, sig)
        try:
            live.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(live.proc.pid, signal.SIGKILL)
            live.proc.wait(30)
    # a SIGKILLed service leaves its worker processes behind, in its group
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(live.proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def running(root: Path, workers: int = 1, port: int | None = None) -> Iterator[Live]:
    live = start(root, port, workers)
    try:
        yield live
    finally:
        stop(live)


def issue_tokens(root: Path, students: list[str], staff: str | None = None) -> dict[str, str]:
    """Roster the students (``python -m graders tokens --roster``); {id: token}, plus staff's."""
    roster = root / "roster.csv"
    roster.write_text("id,first_name,last_name,email\n" + "".join(f"{s},{s.title()},Student,{s}@example.org\n"
                                                                  for s in students))
    out = graders_cli(root, "tokens", "--roster", str(roster)).stdout
    tokens = dict(line.split(",", 1) for line in out.strip().splitlines()[1:])
    kept = [s for s in students if s not in tokens]
    if kept:  # a second run (the demo again): their old tokens were printed once, so new ones
        from graders.course import load_course
        from graders.serve.tokens import store_of

        store = store_of(load_course(root))
        for s in kept:
            store.revoke(s)
        out = graders_cli(root, "tokens", "--roster", str(roster)).stdout
        tokens.update(line.split(",", 1) for line in out.strip().splitlines()[1:])
    if staff:
        tokens[staff] = graders_cli(root, "tokens", "--staff", staff).stdout.strip().splitlines()[1].split(",", 1)[1]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_final(url: str, sid: str, token: str, timeout: float = 300.0) -> dict:
    """Poll a submission until it is graded, could not be graded, or was superseded."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = httpx.get(f"{url}/api/submissions/{sid}", headers=bearer(token), timeout=30).json()
        if body.get("status") not in ("queued", "grading"):
            return body
        time.sleep(0.3)
    raise TimeoutError(f"submission {sid} still {body.get('status')} after {timeout:.0f} s")
