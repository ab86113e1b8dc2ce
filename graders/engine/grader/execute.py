"""Execute one sanitized submission: student cells in a sandboxed kernel, tests here.

This replaces nbgrader's ``Execute`` step and nothing else: it takes the notebook that
nbgrader's sanitizing preprocessors produced (hidden tests restored from the gradebook)
and returns it with outputs, ready for nbgrader's ``SaveAutoGrades``. Cells run in
notebook order:

- every code cell that is not an autograder-test cell runs in the student's kernel, as
  Jupyter would run it (outputs, errors, a per-cell time limit, a cap on output size);
- every autograder-test cell runs in this process (:mod:`graders.engine.grader.judge`), so its
  source is never in the kernel, and neither is any hidden input or expected value.

A kernel that dies or hangs costs the cells that needed it, never the batch: each such
cell gets an error output that names what happened.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import output_from_msg
from traitlets import Float
from traitlets.config import Configurable

from ...cells import is_test_code
from .. import boot
from . import tamper
from .figures import Mirror
from .judge import MAX_TEXT, add_stream, error_output, ipython_transformer, run_grade_cell
from .link import Link, descendants, process_cpu_ns
from .remote import KernelLost

MAX_OUTPUT_CHARS = 1_000_000
"""Per cell: past this much text, further output is dropped (the kernel keeps running)."""

IDLE_GRACE_S = 2.0
"""After a cell's reply, how long its last outputs (up to the "idle" status) may take."""


@dataclass
class Timings:
    start_s: float = 0.0
    kernel_cells_s: float = 0.0
    test_cells_s: float = 0.0
    stop_s: float = 0.0
    total_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    cells: dict[str, float] = field(default_factory=dict)
    """Seconds per cell (grade id, or the cell's index), for benchmarks and slow-cell hunting."""
    cpu: dict[str, list[float]] = field(default_factory=dict)
    """CPU seconds per cell: [kernel, grader process], to tell where a slow cell spends its
    time (the kernel's processes as they were at its start; any it starts later are not
    counted)."""

    @property
    def overhead_s(self) -> float:
        """Time outside the cells: kernel start, bridge set-up, shutdown."""
        return max(self.total_s - self.kernel_cells_s - self.test_cells_s, 0.0)


class Session:
    """One kernel for one submission, with its bridge installed."""

    def __init__(self, km: Any, kc: Any, scratch: Path, on_close: Any = None) -> None:
        self.km, self.kc, self.scratch = km, kc, Path(scratch)
        self.link = Link(km, kc, scratch)
        self.link.figures = Mirror(self.link)
        self._on_close = on_close

    def install_bridge(self, timeout: float = 30) -> None:
        code = boot.code("engine.kernel.bridge", f"install({str(self.scratch)!r}, {str(self.link.socket_path)!r})")
        reply, _ = self.link._run(code, timeout)
        if reply is None or reply.get("status") != "ok":
            raise KernelLost(f"could not set up the grading bridge: {reply and reply.get('evalue')}")
        self.link.connect()  # before any student code runs (see graders.engine.kernel.bridge.install)

    def close(self) -> None:
        try:
            self.link.close()
            self.kc.stop_channels()
        finally:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass
            if self._on_close:
                self._on_close()
            shutil.rmtree(self.scratch, ignore_errors=True)


def run_kernel_cell(session: Session, cell: Any, timeout: float) -> tuple[list, int | None, float]:
    """Execute a code cell in the kernel the way nbclient does; (outputs, count, seconds)."""
    link, kc = session.link, session.kc
    outputs: list = []
    state = {"chars": 0, "count": None, "capped": False}
    start = time.monotonic()
    msg_id = kc.execute(cell.source, store_history=True, allow_stdin=False)
    deadline = start + timeout
    interrupted = False
    reply = None
    idle_by = None
    while True:
        _collect(kc, msg_id, outputs, state)
        if reply is not None and state.get("idle"):
            break
        if reply is not None and time.monotonic() > idle_by:
            break  # replied, but its "idle" status never came: do not wait for the time limit
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if interrupted:
                link.lost = True
                outputs.append(error_output(TimeoutError(
                    f"the cell did not stop within {timeout:.0f} s, even when interrupted; its kernel was stopped")))
                return outputs, state["count"], time.monotonic() - start
            interrupted = True
            outputs.append(error_output(TimeoutError(f"the cell ran for more than {timeout:.0f} s and was interrupted")))
            try:
                session.km.interrupt_kernel()
            except Exception:
                pass
            deadline = time.monotonic() + 3.0
            continue
        if reply is None:
            try:
                msg = kc.get_shell_msg(timeout=min(remaining, 0.05))
            except Exception:
                if not session.km.is_alive():
                    link.lost = True
                    _collect(kc, msg_id, outputs, state, quiet_s=0.2)
                    outputs.append(error_output(KernelLost("the kernel died while running this cell")))
                    return outputs, state["count"], time.monotonic() - start
                continue
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                reply = msg
                state["count"] = msg["content"].get("execution_count")
                idle_by = time.monotonic() + IDLE_GRACE_S
        else:
            time.sleep(0.001)
    if interrupted:
        outputs = [o for o in outputs if o.get("ename") != "KeyboardInterrupt"]
    return outputs, state["count"], time.monotonic() - start


def _collect(kc: Any, msg_id: str, outputs: list, state: dict, quiet_s: float = 0.0) -> None:
    """The cell's IOPub messages into its outputs (capped), as nbclient would: those already
    here, or with ``quiet_s``, also those that arrive until IOPub has been quiet that long
    (1 s at most). A kernel that died may have sent its last words just before; they are
    still on their way."""
    end = time.monotonic() + 1.0
    while not quiet_s or time.monotonic() < end:
        try:
            msg = kc.get_iopub_msg(timeout=quiet_s)
        except Exception:
            return
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg.get("msg_type")
        content = msg.get("content", {})
        if kind == "status":
            state["idle"] = content.get("execution_state") == "idle"
            continue
        if kind == "clear_output":
            outputs.clear()
            state["chars"] = 0
            continue
        if kind not in ("stream", "display_data", "execute_result", "error"):
            continue
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
        if kind != "error" and state["chars"] + size > MAX_OUTPUT_CHARS:
            if not state["capped"]:
                state["capped"] = True
                outputs.append(nbformat.v4.new_output(
                    "stream", name="stderr", text=f"\n[output cut: over {MAX_OUTPUT_CHARS:,} characters]\n"))
            continue
        state["chars"] += size
        if kind == "stream":
            add_stream(outputs, content.get("name", "stdout"), content.get("text", ""))
        else:
            outputs.append(output_from_msg(msg))


BUDGET_CELLS = 5
"""A notebook's time budget, in cell time limits: past it, the cells left are not run."""


class NotebookBudget(Configurable):
    """``c.NotebookBudget.cells = 8`` in nbgrader_config.py: one looping submission costs at
    most this many cell limits (``c.Execute.timeout``) of a worker's time."""

    cells = Float(float(BUDGET_CELLS), help="A notebook's time budget, in cell time limits.").tag(config=True)


def execute(nb: Any, session: Session, timeout: float, student: str = "", budget_s: float | None = None) -> Timings:
    """Run every code cell of ``nb`` in place; return where the time went.

    Each cell has ``timeout`` seconds; the whole notebook ``budget_s`` (default
    ``BUDGET_CELLS`` cell limits). A function cut off at a limit is not called again (see
    ``Link.hung``), so an endless loop costs one cell's limit; the budget bounds the rest.
    Cells left when the budget is spent get an error that says so, and lose their points.
    Hidden tests draw ``student``'s inputs (:func:`graders.variants.grading`)."""
    from ...variants import grading

    with grading(student) if student else contextlib.nullcontext():
        return _run_cells(nb, session, timeout, budget_s)


def _run_cells(nb: Any, session: Session, timeout: float, budget_s: float | None) -> Timings:
    times = Timings()
    budget_end = time.monotonic() + (budget_s if budget_s is not None else BUDGET_CELLS * timeout)
    count = 0
    session.link.tampering = tamper.scan([(i, c.source) for i, c in enumerate(nb.cells)
                                          if c.cell_type == "code" and not is_test_code(c)])
    pid = session.link._pid()
    pids = descendants(pid) if pid else []  # the sandbox's wrapper and the kernel, found once

    def kernel_cpu() -> float:
        total = 0
        for p in pids:
            try:
                total += process_cpu_ns(p)
            except OSError:
                continue
        return total / 1e9

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cpu0, mine0 = kernel_cpu(), time.process_time()
        left = budget_end - time.monotonic()
        if left <= 0:
            cell.outputs = [error_output(TimeoutError(
                "not run: this notebook used up its grading time "
                f"({budget_s if budget_s is not None else BUDGET_CELLS * timeout:.0f} s) in earlier cells"))]
            continue
        if session.link.lost:
            cell.outputs = [error_output(KernelLost("the kernel had stopped before this cell (see an earlier cell)"))]
            continue
        if is_test_code(cell):
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", index)
            outputs, seconds = run_grade_cell(cell.source, session.link, min(timeout, left), f"<hidden tests {gid}>")
            times.test_cells_s += seconds
            times.cells[str(gid)] = seconds
            count += 1
            cell.execution_count = count
        else:
            _register(session.link, cell.source, index)
            outputs, kernel_count, seconds = run_kernel_cell(session, cell, min(timeout, left))
            times.kernel_cells_s += seconds
            times.cells[str(cell.metadata.get("nbgrader", {}).get("grade_id", index))] = seconds
            count = kernel_count or count + 1
            cell.execution_count = count
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        gid = str(cell.metadata.get("nbgrader", {}).get("grade_id", index))
        times.cpu[gid] = [round(kernel_cpu() - cpu0, 4), round(time.process_time() - mine0, 4)]
    return times


def _register(link: Link, source: str, index: int) -> None:
    """Remember the text the kernel will compile for this cell (for the loop check's source)."""
    try:
        compiled = ipython_transformer().transform_cell(source)
    except Exception:
        compiled = source
    raw = "".join(line + "\n" for line in source.splitlines())  # as IPython's linecache holds it
    link.trusted_texts[raw] = (f"<cell {index}>", compiled)
