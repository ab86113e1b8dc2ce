"""A graded throwaway course and nbgrader's formgrader served from it on 127.0.0.1.

The formgrader is nbgrader 0.9.6's jupyter_server extension: started with the course as
root_dir and as working directory, it reads the course's nbgrader_config.py and serves
the grading pages under /formgrader/ and their REST API under /formgrader/api/.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from samples.course import Course, with_answers
from samples.service import free_port

WRITTEN = {
    "broadcasting_written": "Align shapes from the right; sizes must match or be 1.",
    "transpose_written": "A 1-D array has one axis, so .T has nothing to swap; use reshape(-1, 1).",
}
"""Answers typed under two written questions (markdown cells right after the task cell)."""


def answered_mcq(course: Course) -> "object":
    """01_mcq with the answer key and two written answers filled in."""
    src = course.source_nb("01_mcq")
    key = {c.metadata.nbgrader["grade_id"]: c.source for c in src.cells
           if c.metadata.get("nbgrader", {}).get("solution")}
    nb = with_answers(course.release_nb("01_mcq"), key)
    for i, cell in enumerate(nb.cells):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in WRITTEN:
            nb.cells[i + 1].source = WRITTEN[gid]
    return nb


def graded_course(tmp: Path, student: str = "ada") -> Course:
    """A course with 01_mcq released, submitted by ``student`` and autograded."""
    course = Course.create(tmp, ["01_mcq"])
    course.submit(student, "01_mcq", answered_mcq(course))
    course.autograde("01_mcq")
    return course


@dataclass
class Formgrader:
    url: str
    token: str
    root: Path

    def api(self, method: str, path: str, body: dict | None = None):
        """One authenticated call to the server; the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode() or "null")


@contextmanager
def serve(course_root: Path, log: Path) -> Iterator[Formgrader]:
    """``jupyter server`` on a free loopback port with a fixed random token; stopped after."""
    token, port = secrets.token_hex(16), free_port()
    exe = Path(sys.executable).parent / "jupyter"
    env = dict(os.environ, PATH=f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}",
               MPLBACKEND="Agg", JUPYTER_RUNTIME_DIR=str(course_root.parent / "runtime"))
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(exe), "server", "--no-browser", "--ServerApp.ip=127.0.0.1",
             "--ServerApp.allow_root=True",  # CI containers run as root
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course_root}"],
            cwd=course_root, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Formgrader(f"http://127.0.0.1:{port}", token, course_root)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.api("GET", "/formgrader/api/status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"formgrader did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
