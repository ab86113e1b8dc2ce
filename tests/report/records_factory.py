"""Small hand-made records for unit tests that need no nbgrader run."""

from graders.report.cells import aspect_of
from graders.report.records import GRADED, NEEDS_MANUAL, NOT_GRADED, CellRecord, NotebookRecord


def cell(name, score, max_score=1.0, reason="", **kw):
    return CellRecord(name=name, aspect=aspect_of(name), score=score, max_score=max_score,
                      reason=reason if reason or score is None or score >= max_score else f"{name} failed", **kw)


def notebook(student, cells, assignment="04_softmax", status=GRADED, **kw):
    return NotebookRecord(student=student, assignment=assignment, notebook=assignment, status=status,
                          max_score=sum(c.max_score for c in cells), cells=tuple(cells), **kw)


def speed(ratio, passed, lower_bound=False):
    """The stored result of a speed check (as the engine keeps it with the cell)."""
    return ({"check": "check_speed", "passed": passed,
             "details": {"ratio": ratio, "max_ratio": 3.0, "lower_bound": lower_bound}},)


def loops(flagged):
    return ({"check": "check_no_loops", "passed": not flagged,
             "details": {"static_flagged": flagged, "dynamic_flagged": False, "static": []}},)


def small_class():
    """Four students on softmax: strong, loop user, slow one, one who could not be graded."""
    slow = "softmax(z): 41.3x slower than the reference (median CPU time 2 ms vs 50 us); allowed: 3x.\nHint: vectorise"
    looping = "softmax(z): uses Python loops; this exercise asks for whole-array NumPy code.\n  line 4: for i in range(n):"
    return [
        notebook("ann", [cell("softmax_correct", 3, 3), cell("softmax_loops", 1, results=loops(False)),
                         cell("softmax_speed", 1, results=speed(1.2, True)),
                         cell("softmax_written", 3, 3, manual=True)]),
        notebook("bob", [cell("softmax_correct", 3, 3), cell("softmax_loops", 0, reason=looping, results=loops(True)),
                         cell("softmax_speed", 0, reason=slow, results=speed(41.3, False)),
                         cell("softmax_written", None, 3, manual=True, needs_manual=True,
                              reason="waiting for a TA to grade this answer")], status=NEEDS_MANUAL),
        notebook("cat", [cell("softmax_correct", 0, 3, reason="softmax(z): values differ at 3 of 12 positions",
                              ename="AssertionError"),
                         cell("softmax_loops", 1, results=loops(False)),
                         cell("softmax_speed", 0, reason=slow.replace("41.3", "7.5"), results=speed(7.5, False)),
                         cell("softmax_written", 1, 3, manual=True)]),
        NotebookRecord("dan", "04_softmax", "04_softmax", NOT_GRADED,
                       reason="the submitted notebook is not valid JSON (line 1, column 2: x)"),
    ]
