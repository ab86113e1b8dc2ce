"""Stopping a call that runs past its time: in a check's own process or in the grader's.

Shared by the speed checks (a timed call cut off past its budget) and the engine's hidden-test
runner (a test cell cut off past its limit). The thread functions are captured when this
module is imported, so a student's later ``threading.Timer = ...`` cannot disarm a cut-off.
"""

from __future__ import annotations

import ctypes
import threading

# A private prototype, so that argtypes set elsewhere on ctypes.pythonapi do not matter.
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)
_get_ident, _Lock, _Timer = threading.get_ident, threading.Lock, threading.Timer


class OutOfBudget(BaseException):
    """Raised inside the measuring thread when a cut-off expires.

    A ``BaseException`` so that a student's ``except Exception:`` does not swallow it.
    """


class CutOff:
    """Raise :class:`OutOfBudget` in the current thread after ``seconds``, unless disarmed.

    Uses ``PyThreadState_SetAsyncExc``, which is checked between bytecodes: it stops a
    pure-Python loop (the usual reason for a call taking seconds) but not one long C call.
    The lock makes *fire* and *disarm* exclusive. An exception that has fired but not yet
    arrived when disarming is let arrive inside :meth:`disarm` (so inside the caller's
    ``try``), never withdrawn: withdrawing (``SetAsyncExc(tid, NULL)``) leaves CPython's
    "pending" flag raised for good, which slows and can hang later profiled code.
    """

    def __init__(self, seconds: float) -> None:
        self._tid = _get_ident()
        self._lock = _Lock()
        self._armed = True
        self._fired = False
        self._timer = _Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._armed:
                self._fired = True
                _set_async_exc(self._tid, OutOfBudget)

    def disarm(self) -> None:
        """Stop the timer; if it fired, raise its exception here unless already raised."""
        with self._lock:
            self._armed = False
            fired = self._fired
        self._timer.cancel()
        if fired:
            for _ in range(1000):  # each backward jump delivers a pending async exception
                pass
