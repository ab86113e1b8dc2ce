"""Does student code run in the sandbox, with stock ``nbgrader autograde`` (through the course
config's kernel spec) and with our engine (``python -m graders autograde``)?

Hostile cells are added to otherwise honest submissions; each prints what it could do, and
the tests read that from the autograded notebooks. The honest key in the same batch must
get every automatic point, and the gradebook must come out intact.
"""

import ast
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from graders.engine.sandbox.kernelspec import spec_dir
from graders.engine.sandbox.policy import PACKAGE_ROOT
from samples.course import Course, lost

A = "02_sigmoid"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None or not (spec_dir() / "kernel.json").is_file(),
                       reason="sandbox kernel not installed (make installs bubblewrap and the kernel spec)"),
]

PROBE = """
import os, socket
COURSE = {course!r}
print("pid", os.getpid())
print("cwd entries", sorted(os.listdir(".")))
for rel in ["gradebook.db", "source", "submitted", "autograded"]:
    print(rel, "visible" if os.path.exists(os.path.join(COURSE, rel)) else "hidden")
print("tmp entries", sorted(e for e in os.listdir("/tmp") if not e.startswith(".")))
try:
    open(os.path.join(COURSE, "gradebook.db"), "w").write("corrupted"); print("gradebook WRITTEN")
except OSError as e:
    print("gradebook write blocked", type(e).__name__)
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2); print("NETWORK")
except OSError as e:
    print("network blocked")
print("student", os.environ.get("GRADERS_STUDENT"))
"""

FORK_BOMB = """
import os, time
n = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(5); os._exit(0)
        n += 1
except OSError:
    print("fork stopped after", n)
"""

MEMORY_BOMB = """
try:
    hog = bytearray(16 * 1024**3)
    print("ALLOCATED")
except MemoryError:
    print("memory bomb stopped")
"""


def with_cell(nb, code):
    nb = nbformat.from_dict(nb)
    nb.cells.insert(2, nbformat.v4.new_code_cell(code))
    return nb


def output_of(course, student, index=2):
    nb = nbformat.read(course.root / "autograded" / student / A / f"{A}.ipynb", 4)
    return "".join(o.get("text", "") for o in nb.cells[index].outputs if o.output_type == "stream")


@pytest.fixture(scope="module", params=["stock", "ours"])
def course(request, tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("sandboxed"), [A])
    src = course.source_nb(A)
    course.submit("key", A, src)
    course.submit("probe", A, with_cell(src, PROBE.format(course=str(course.root))))
    course.submit("forkbomb", A, with_cell(src, FORK_BOMB))
    course.submit("memorybomb", A, with_cell(src, MEMORY_BOMB))
    course.engine = request.param
    grade = course.stock_autograde if request.param == "stock" else course.autograde
    course.scores_after = grade(A, check=False)
    return course


def test_student_code_sees_nothing_of_the_course(course):
    """Is the course (gradebook, sources, other submissions, the notebook with hidden tests) out of sight?"""
    out = output_of(course, "probe")
    assert ("pid 1" if course.engine == "ours" else "pid 2") in out  # first in its own pid namespace
    cwd = ast.literal_eval(next(x for x in out.splitlines() if x.startswith("cwd entries "))[len("cwd entries "):])
    # our engine's kernel shares its folder with the grader: connection file and IPC sockets
    assert all(e == "kernel.json" or e.startswith(("kernel-ipc", "ipc-")) for e in cwd) if course.engine == "ours" \
        else cwd == []
    for rel in ["gradebook.db", "source", "submitted", "autograded"]:
        assert f"{rel} hidden" in out
    line = [x for x in out.splitlines() if x.startswith("tmp entries ")][0]
    tmp_entries = ast.literal_eval(line[len("tmp entries "):])
    # /tmp holds only what the sandbox binds: its own scratch, its IPC folder, its connection
    # file, and the mount points of the interpreter, package and course when they live in /tmp
    own = [e for e in tmp_entries if e.startswith(("graders-scratch-", "graders-zygote-"))]
    assert len(own) == 1  # its own folder (for forked kernels, the factory's folder holding only it)
    bound_tops = {Path(p).resolve().relative_to("/tmp").parts[0]
                  for p in (sys.prefix, PACKAGE_ROOT, course.root) if Path(p).resolve().is_relative_to("/tmp")}
    others = [e for e in tmp_entries if e not in bound_tops
              and not e.startswith(("graders-scratch-", "graders-ipc-", "graders-zygote-"))
              and not e.endswith(".json")]
    assert others == []
    assert "gradebook write blocked" in out
    assert "network blocked" in out
    # stock: the kernel makes the per-student hidden inputs, so it is told the student;
    # ours: they are made in the grader, and a kernel started ahead knows no student at all
    assert ("student probe" if course.engine == "stock" else "student None") in out


def test_gradebook_intact_and_honest_work_graded(course):
    """Does the batch finish with the gradebook intact and the honest key in full?

    Hostile submissions may lose points (a fork bomb can starve its own kernel of threads)
    but never gain any: their maximum is the key's."""
    scores = course.scores_after
    assert {"key", "probe", "memorybomb"} <= set(scores)
    assert lost(scores["key"]) == set()
    assert lost(scores["probe"]) == set()
    for student in ["forkbomb", "memorybomb"]:
        assert all(s <= m for s, m in scores.get(student, {}).values())


def test_bombs_were_stopped_inside(course):
    """Were the fork bomb and the memory bomb stopped by the sandbox's limits?

    A fork bomb that fills its process quota can leave its own kernel unable to start the
    threads it needs; nbgrader then records that submission as failed (and grades the
    rest). Either way it was stopped inside the sandbox."""
    if (course.root / "autograded" / "forkbomb").exists():
        assert output_of(course, "forkbomb").startswith("fork stopped after")
    else:
        assert "forkbomb" in course.last_run.stdout + course.last_run.stderr
    assert output_of(course, "memorybomb").strip() == "memory bomb stopped"
