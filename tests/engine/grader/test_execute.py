"""Student cells run in the kernel as nbclient would run them (graders.engine.grader.execute)."""

import queue
from types import SimpleNamespace

import nbformat
import pytest

from graders.engine.grader import worker
from graders.engine.grader.execute import run_kernel_cell


@pytest.fixture(params=[None, False], ids=["sandboxed-if-possible", "plain-kernel"])
def session(request):
    s = worker.start_session(None, sandbox=request.param)
    yield s
    s.close()


def test_a_cell_runs_and_its_outputs_are_in_order(session):
    cell = nbformat.v4.new_code_cell("print('a')\nx = 6 * 7\nx")
    outputs, count, _ = run_kernel_cell(session, cell, 30)
    assert [o["output_type"] for o in outputs] == ["stream", "execute_result"]
    assert outputs[1]["data"]["text/plain"] == "42" and count == 1


def test_a_cell_that_ends_its_kernel_is_lost_not_waited_for(session):
    cell = nbformat.v4.new_code_cell("import os\nos._exit(3)")
    outputs, _, seconds = run_kernel_cell(session, cell, 30)
    assert [o["ename"] for o in outputs if o["output_type"] == "error"] == ["KernelLost"]
    assert session.link.lost and seconds < 10


class _DyingKernel:
    """A client whose kernel prints and dies while the grader waits for the cell's reply:
    the printed text reaches IOPub only after the grader last looked there."""

    def __init__(self) -> None:
        self.alive = True
        self.iopub: list = []

    def execute(self, source, **kwargs):
        return "cell-1"

    def get_shell_msg(self, timeout):
        if self.alive:
            self.alive = False
            self.iopub.append({"parent_header": {"msg_id": "cell-1"}, "msg_type": "stream",
                               "content": {"name": "stdout", "text": "last words\n"}})
        raise queue.Empty

    def get_iopub_msg(self, timeout):
        if self.iopub:
            return self.iopub.pop(0)
        raise queue.Empty

    def is_alive(self):
        return self.alive


def test_what_a_dying_kernel_sent_last_is_still_shown():
    kernel = _DyingKernel()
    session = SimpleNamespace(link=SimpleNamespace(lost=False), kc=kernel, km=kernel)
    outputs, _, _ = run_kernel_cell(session, nbformat.v4.new_code_cell("boom()"), 30)
    assert [o["output_type"] for o in outputs] == ["stream", "error"]
    assert outputs[0]["text"] == "last words\n" and outputs[1]["ename"] == "KernelLost"
    assert session.link.lost
