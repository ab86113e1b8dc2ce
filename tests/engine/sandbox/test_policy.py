"""Is the student's kernel really sandboxed? Each property is proven from inside.

A wrapper that is silently skipped looks exactly like one that works, so every test runs
code inside the sandbox and asserts on what that code could or could not do.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.engine.sandbox.jupyter import run, start_sandboxed_kernel
from graders.engine.sandbox.policy import Policy, command, remove_cgroup

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap not installed (make installs it: apt-get install bubblewrap)")


@pytest.fixture
def course(tmp_path):
    """A fake course folder with a gradebook and a submission next to the kept entries."""
    root = tmp_path / "course"
    (root / "submitted" / "bob").mkdir(parents=True)
    (root / "submitted" / "bob" / "answers.txt").write_text("bob's work")
    (root / "gradebook.db").write_text("hidden tests live here")
    (root / "datasets").mkdir()
    (root / "datasets" / "zomato.csv").write_text("a,b\n1,2\n")
    return root


def inside(course, tmp_path, code, **limits):
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    policy = Policy(scratch=scratch, course=course, name=f"t{abs(hash(code)) % 10**8}", **limits)
    try:
        proc = subprocess.run(command(policy, [sys.executable, "-c", code]), capture_output=True,
                              text=True, timeout=60)
    finally:
        remove_cgroup(policy)
    return proc


def test_course_folder_is_hidden_but_data_kept(course, tmp_path):
    """Can sandboxed code list the course, read the gradebook or another student's work?"""
    code = f"""
import os
print(sorted(os.listdir({str(course)!r})))
for p in ["gradebook.db", "submitted/bob/answers.txt"]:
    try:
        open(os.path.join({str(course)!r}, p)).read(); print("READ", p)
    except OSError as e:
        print("blocked", p, type(e).__name__)
print(open(os.path.join({str(course)!r}, "datasets/zomato.csv")).read().splitlines()[0])
"""
    out = inside(course, tmp_path, code).stdout.splitlines()
    assert out[0] == "['datasets']"
    assert out[1:3] == ["blocked gradebook.db FileNotFoundError", "blocked submitted/bob/answers.txt FileNotFoundError"]
    assert out[3] == "a,b"


def test_the_graders_environment_does_not_cross(course, tmp_path, monkeypatch):
    """Does a secret in the grader's environment stay out, while PATH and the policy's own cross?"""
    monkeypatch.setenv("GRADERS_PG_URL", "postgresql://graders:s3cret@127.0.0.1/gb")
    monkeypatch.setenv("GRADERS_STUDENT", "the-student-graded-before")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    policy = Policy(scratch=scratch, course=course, name="envtest", extra_env={"MPLBACKEND": "agg"})
    code = "import os, json; print(json.dumps(dict(os.environ)))"
    try:
        proc = subprocess.run(command(policy, [sys.executable, "-c", code]), capture_output=True, text=True, timeout=60)
    finally:
        remove_cgroup(policy)
    import json

    env = json.loads(proc.stdout)
    assert "GRADERS_PG_URL" not in env and "GRADERS_STUDENT" not in env
    assert not any("s3cret" in v for v in env.values())
    assert env["MPLBACKEND"] == "agg" and env["HOME"] == "/tmp" and env["PATH"]


def test_only_scratch_is_writable(course, tmp_path):
    """Does writing into the system or the course fail, /tmp stay private, and scratch work?"""
    code = f"""
import os
for p in ["/etc/evil", {str(course / 'gradebook.db')!r}, {str(tmp_path / 'outside.txt')!r}]:
    try:
        open(p, "w").write("x"); print("WROTE", p)
    except OSError as e:
        print("blocked", type(e).__name__)
open("mine.txt", "w").write("ok"); print("scratch ok", os.getcwd())
"""
    out = inside(course, tmp_path, code).stdout.splitlines()
    assert [line.split()[0] for line in out[:2]] == ["blocked"] * 2
    assert out[3] == f"scratch ok {tmp_path / 'scratch'}"
    assert not (tmp_path / "outside.txt").exists()  # /tmp inside is private and thrown away
    assert (tmp_path / "scratch" / "mine.txt").read_text() == "ok"
    assert (course / "gradebook.db").read_text() == "hidden tests live here"


def test_no_network_and_own_pid_namespace(course, tmp_path):
    """Is the network unreachable and the process alone in its pid namespace?"""
    code = """
import os, socket
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2); print("CONNECTED")
except OSError as e:
    print("no network", type(e).__name__)
print("pid", os.getpid(), "hostname", socket.gethostname())
"""
    out = inside(course, tmp_path, code).stdout.splitlines()
    assert out[0].startswith("no network")
    assert out[1] == "pid 2 hostname sandbox"


def test_fork_bomb_is_stopped(course, tmp_path):
    """Does a fork bomb hit the process limit instead of the machine?"""
    code = """
import os, time
kids = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            time.sleep(2); os._exit(0)
        kids += 1
except OSError as e:
    print("stopped", kids, e.errno)
"""
    out = inside(course, tmp_path, code, processes=16).stdout.split()
    assert out[0] == "stopped" and int(out[1]) < 16 and out[2] == "11"


def test_memory_and_file_size_limits(course, tmp_path):
    """Do a memory bomb and a 100 MB file fail inside Python instead of hurting the machine?"""
    code = """
try:
    b = bytearray(3 * 1024**3); print("ALLOCATED")
except MemoryError:
    print("MemoryError")
try:
    open("big", "wb").write(b"x" * (100 * 1024**2)); print("WROTE")
except OSError as e:
    print("errno", e.errno)
"""
    out = inside(course, tmp_path, code, memory_mb=1024, file_mb=8).stdout.split()
    assert out == ["MemoryError", "errno", "27"]


def test_cpu_limit_kills_a_busy_loop_that_ignores_sigint(course, tmp_path):
    """Is a busy loop that ignores SIGINT killed by the CPU limit?"""
    code = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
    proc = inside(course, tmp_path, code, cpu_seconds=2)
    assert proc.returncode != 0


@pytest.mark.slow
def test_kernel_runs_in_the_sandbox(course, tmp_path):
    """Does a Jupyter kernel started through jupyter_client really run sandboxed, over IPC?"""
    policy = Policy(scratch=tmp_path / "scratch", course=course, name="kerneltest")
    km, kc = start_sandboxed_kernel(policy)
    try:
        r = run(kc, f"import os, numpy\nprint(os.getpid(), sorted(os.listdir({str(course)!r})), os.getcwd())")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        remove_cgroup(policy)
    assert r["error"] is None
    assert r["stdout"].strip() == f"2 ['datasets'] {tmp_path / 'scratch'}"
    assert km.transport == "ipc"
