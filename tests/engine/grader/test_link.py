"""The grader's line to one kernel: requests over the bridge's socket, or as files.

Each test runs a real kernel (forked by the factory when bubblewrap is there, else a plain
one), defines a student function with a cell, and calls it as a hidden test would.
"""

import os

import pytest

from graders.engine.grader import worker
from graders.engine.grader.judge import run_grade_cell
from graders.engine.grader.link import read_kernel_file
from graders.engine.grader.remote import KernelLost

STUDENT = '''
import sys, time
def noisy(n):
    print("working on", n)
    print("careful", file=sys.stderr)
    print("done")
    return n * 2
def spin():
    while True:
        pass
def vanish():
    import os
    os._exit(3)
def die():
    import os
    print("about to exit")
    print("the last words", file=sys.stderr)
    os._exit(3)
x = 21
def lazy(X, n):
    for i in range(0, len(X), n):
        yield X[i:i + n]
def eager(X, n):
    batches = [X[i:i + n] for i in range(0, len(X), n)]
    yield from batches
'''


@pytest.fixture(params=[None, False], ids=["sandboxed-if-possible", "plain-kernel"])
def session(request):
    s = worker.start_session(None, sandbox=request.param)
    reply, _ = s.link._run(STUDENT, 30)
    assert reply["status"] == "ok"
    yield s
    s.close()


def _streams(outputs):
    return [(o["name"], o["text"]) for o in outputs if o["output_type"] == "stream"]


def test_requests_go_over_the_socket_and_its_file_is_gone(session):
    """Connected before any student cell ran; the listening file is removed once accepted,
    so a student's cell cannot connect to it."""
    assert session.link._sock is not None
    assert not session.link.socket_path.exists()
    reply, _ = session.link._run(
        f"import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect({str(session.link.socket_path)!r})\n"
        "    got = 'connected'\nexcept OSError as e:\n    got = type(e).__name__", 30)
    assert reply["status"] == "ok"
    assert session.link.request("get", name="got")["value"] == "FileNotFoundError"


def test_what_a_call_prints_is_the_grade_cell_output_in_order(session):
    """In order, and stderr as stdout: nbgrader zeroes a grade cell with stderr output, and a
    student's warning or debugging print is not a wrong answer."""
    outputs, _ = run_grade_cell("r = noisy(4)\nassert r == 8\nprint('checked')", session.link, 30)
    assert _streams(outputs) == [("stdout", "working on 4\ncareful\ndone\nchecked\n")]
    assert not [o for o in outputs if o["output_type"] == "error"]


def test_a_call_past_the_time_limit_is_interrupted_and_the_kernel_stays(session):
    outputs, seconds = run_grade_cell("spin()", session.link, 1.0)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] in ("TimeoutError", "KeyboardInterrupt") and seconds < 5
    assert not session.link.lost
    assert session.link.request("get", name="x")["value"] == 21


def test_a_kernel_that_dies_in_a_call_is_lost_not_waited_for(session):
    """Lost in seconds; what the call printed before the kernel died is still shown."""
    outputs, seconds = run_grade_cell("die()", session.link, 30)
    assert [o["ename"] for o in outputs if o["output_type"] == "error"] == ["KernelLost"]
    assert _streams(outputs) == [("stdout", "about to exit\nthe last words\n")]
    assert session.link.lost and seconds < 10
    with pytest.raises(KernelLost):
        session.link.request("get", name="x")


def test_without_the_socket_requests_go_as_files(session):
    """The file path (for a scratch folder too long for a socket's address) answers the
    same, printed text included."""
    session.link.close()
    assert session.link._sock is None
    assert session.link.request("get", name="x")["value"] == 21
    outputs, _ = run_grade_cell("assert noisy(1) == 2", session.link, 30)
    printed = "".join(text for name, text in _streams(outputs) if name == "stdout")
    assert "working on 1" in printed and "done" in printed
    assert not (session.link.scratch / "printed.jsonl").exists()  # removed when the call ended


def test_a_large_global_is_sent_once_while_unchanged(session):
    """Each hidden test cell looks the data set up again; unchanged, it is not sent again,
    yet every cell gets its own copy, and a change in the kernel is always seen."""
    link = session.link
    reply, _ = link._run("import pandas as pd\nbig = pd.DataFrame({'n': range(20_000), "
                         "'s': pd.array([str(i % 7) for i in range(20_000)], dtype='string')})", 30)
    assert reply["status"] == "ok"
    first = link.fetch("big")
    assert "token" in first and not first.get("same")
    first["value"].loc[0, "n"] = -1  # a test changing its copy
    second = link.fetch("big")
    assert second.get("same") and second["value"] is not first["value"]
    assert second["value"].loc[0, "n"] == 0 and list(second["value"]["s"][:3]) == ["0", "1", "2"]
    link._run("big.loc[5, 's'] = 'changed'", 30)  # the student's code changes it in place
    third = link.fetch("big")
    assert not third.get("same") and third["value"].loc[5, "s"] == "changed"
    link._run("big = big.copy()", 30)  # a new object with the same contents is sent again
    fourth = link.fetch("big")
    assert not fourth.get("same") and fourth["value"].equals(third["value"])
    assert link.fetch("big").get("same")


def test_the_laziness_probe_counts_reads_made_in_the_kernel(session):
    """The probe array crosses to the kernel and comes back counted: a generator that
    slices on demand passes, one that slices every batch before its first yield fails."""
    outputs, _ = run_grade_cell(
        "from graders.checks.iterators import check_lazy\n"
        "import numpy as np\n"
        "X = np.arange(40.0).reshape(20, 2)\n"
        "on_demand, all_first = check_lazy(lazy, X, 4), check_lazy(eager, X, 4)\n"
        "assert on_demand.passed, on_demand.message\n"
        "assert not all_first.passed\n"
        "assert all_first.details['reads_at_first'] == 5, all_first.details\n",
        session.link, 30)
    assert not [o for o in outputs if o["output_type"] == "error"], outputs


def test_a_link_planted_for_the_last_words_is_not_followed(session, tmp_path):
    """The student's code can write the scratch folder. A link there named like the file of
    last words, pointing at a file of the grader's, must not show that file."""
    secret = tmp_path / "secret.jsonl"
    secret.write_text('["stdout", "SECRET"]\n')
    reply, _ = session.link._run(
        "import os\np = os.path.join(os.getcwd(), 'printed.jsonl')\n"
        f"os.symlink({str(secret)!r}, p)", 30)
    assert reply["status"] == "ok"
    outputs, _ = run_grade_cell("vanish()", session.link, 30)
    assert session.link.lost and "SECRET" not in str(outputs)


def test_kernel_files_are_read_only_when_regular(tmp_path):
    """A FIFO would block an ordinary open for ever; a link is not followed; a regular file
    is read up to the limit."""
    fifo, link, plain = tmp_path / "fifo", tmp_path / "link", tmp_path / "plain"
    os.mkfifo(fifo)
    plain.write_bytes(b"0123456789")
    link.symlink_to(plain)
    assert read_kernel_file(fifo, 100) is None and read_kernel_file(link, 100) is None
    assert read_kernel_file(plain, 4) == b"0123" and read_kernel_file(plain, 100) == b"0123456789"
    assert read_kernel_file(tmp_path / "missing", 100) is None
