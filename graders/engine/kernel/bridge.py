"""The kernel's end of the grader's calls: runs inside the student's sandboxed kernel.

Hidden tests run in the grader's own process; when one calls ``softmax(z)``, the grader
sends a request to this module, which does the one thing asked (look a name up, call a
function, take an iterator's next item, call a function ``loops`` times for the speed
check, or count trace events for the loop check) and answers with :mod:`codec`.

Requests arrive on a unix socket in the kernel's scratch folder, read on the kernel's own
event loop (its main thread, where the student's code always runs). That skips
ipykernel's message machinery, which costs a couple of milliseconds of CPU per message on
either side (signing, busy and idle status on IOPub, hops between the kernel's threads),
and a 06 notebook makes about a hundred requests. What the student's code prints during a
request is captured here and sent with the answer (and written through to a file, read
only when the kernel dies mid-request). Where the socket cannot be made (a
folder path too long for one), requests travel as files, announced by a message of our
own type through the kernel's shell channel.

Nothing here is trusted: the student's code shares this process and may replace any of
it. That is by design. The grader judges only the *data* that comes back, the way it
would judge the student's own output: values, shapes, copied-back arguments, figures.
Signals that only this side can observe (warnings, trace counts, reads of a probe array)
can only make a check fail, never pass one that the data fails; the speed check's clock
is the kernel process's CPU time, read by the grader from ``/proc``.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import linecache
import os
import signal
import socket
import sys
import threading
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ...protocol import fresh, read_counter
from . import codec

_here = Path(__file__).resolve().parent
_LIB_ROOTS = tuple({p for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, str(_here.parents[1])) if p})



def is_student_file(filename: str) -> bool:
    if not filename or filename.startswith("<frozen") or filename.startswith(_LIB_ROOTS):
        return False
    return True


def where(exc: BaseException) -> dict:
    """The deepest frame of the student's code in the traceback."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if is_student_file(f.filename)]
    except Exception:
        return {}
    if not frames:
        return {}
    f = frames[-1]
    return {"lineno": f.lineno, "line": (f.line or "").strip(), "file": f.filename}


def _snapshot(a: Any) -> Any:
    """A copy to compare against after a call, for the values a call can change in place."""
    try:
        if isinstance(a, np.ndarray):
            return np.array(a, copy=True)
        if isinstance(a, np.random.Generator):
            return repr(a.bit_generator.state)
        if isinstance(a, (list, dict)):
            import copy

            return copy.deepcopy(a)
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(a, (pd.DataFrame, pd.Series)):
            return a.copy(deep=True)
    except Exception:
        return _UNKNOWN
    return _UNKNOWN


_UNKNOWN = object()


def _same(a: Any, snap: Any) -> bool:
    if snap is _UNKNOWN:
        return False
    try:
        if isinstance(a, np.ndarray):
            return a.shape == snap.shape and a.dtype == snap.dtype and bool(
                np.array_equal(a, snap, equal_nan=a.dtype.kind in "fc"))
        if isinstance(a, np.random.Generator):
            return repr(a.bit_generator.state) == snap
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(a, pd.DataFrame):
            return (type(snap) is pd.DataFrame and a.shape == snap.shape
                    and list(a.columns) == list(snap.columns) and a.index.equals(snap.index)
                    and all(_same_column(a.iloc[:, i], snap.iloc[:, i]) for i in range(a.shape[1])))
        if pd is not None and isinstance(a, pd.Series):
            return a.index.equals(snap.index) and _same_column(a, snap)
        return bool(a == snap)
    except Exception:
        return False


def _same_column(a: Any, snap: Any) -> bool:
    """``a.equals(snap)``, answered without comparing values one by one when the column
    still holds the very objects it held (text columns: the snapshot is a copy of the
    pointers, and a str never changes)."""
    if a.dtype != snap.dtype:
        return False
    ours, theirs = _pointers(a.array), _pointers(snap.array)
    if ours is not None and theirs is not None and ours.shape == theirs.shape and np.array_equal(ours, theirs):
        return True
    return bool(a.equals(snap))


def _pointers(values: Any) -> Any:
    """The object pointers behind a pandas column of Python objects, as integers (no copy),
    or None for any other kind of column."""
    data = getattr(values, "_ndarray", None)
    if not isinstance(data, np.ndarray) or data.dtype != object or not data.flags.c_contiguous:
        return None
    if data.size == 0:
        return np.empty(0, dtype=np.intp)
    return np.ctypeslib.as_array((ctypes.c_ssize_t * data.size).from_address(data.ctypes.data))


def _states(args: tuple, kwargs: dict) -> tuple[list, dict]:
    """Every argument as it is now, as plain data: the grader compares it with its own copy.

    Nothing is compared here. A comparison made in this process (its ``np.array_equal``,
    these helpers) is in reach of the student's code; the grader's is not."""
    return [read_counter.plain(a) for a in args], {k: read_counter.plain(v) for k, v in kwargs.items()}


class Bridge:
    def __init__(self, scratch: str, namespace: dict) -> None:
        self.scratch = Path(scratch)
        self.ns = namespace
        self.handles: dict[int, Any] = {}
        self.reads: dict[int, list] = {}
        self.fig_marks: dict[int, Any] = {}
        self.stashed = 0
        self.origins: dict[int, tuple] = {}
        """Watched generators: their call's arguments, sent back after every item."""
        self.watched: dict[int, tuple] = {}
        """Watched calls' arguments by token, sent back again when the grader asks."""
        self.sent: dict[str, tuple] = {}
        """Large globals last sent by name: (object, snapshot, token); see :meth:`op_get`."""
        self.tokens = 0
        self.kept: Any = None
        """The value of the call the grader picked in the last timed loop (op_time)."""
        self.own_threads = {t.ident for t in threading.enumerate()}
        """Threads alive before any student code ran (the kernel's own)."""

    # ---------------------------------------------------------------- references
    def ref(self, obj: Any, kind: str) -> Any:
        h = id(obj)
        self.handles[h] = obj
        tname = type(obj).__name__
        mod = type(obj).__module__
        if mod == "matplotlib.figure" and hasattr(obj, "number"):
            return {"t": "fig", "num": obj.number}
        if mod.startswith("matplotlib.axes") and hasattr(obj, "figure"):
            fig = obj.figure
            return {"t": "axes", "num": getattr(fig, "number", None), "i": list(fig.axes).index(obj)
                    if obj in fig.axes else 0}
        if type(obj).__name__ == "module":
            return {"t": "module", "name": getattr(obj, "__name__", "")}
        if hasattr(obj, "__next__") and hasattr(obj, "__iter__"):
            return {"t": "iter", "h": h, "type": tname}
        if callable(obj):
            inner = obj
            for _ in range(10):  # decorators made with functools.wraps (np.errstate, lru_cache)
                nxt = getattr(inner, "__wrapped__", None)
                if nxt is None or nxt is inner:
                    break
                inner = nxt
            code = getattr(inner, "__code__", None)
            info = {"t": "fn", "h": h, "type": tname, "name": getattr(obj, "__name__", tname)}
            if code is not None:
                info["code"] = [code.co_filename, code.co_firstlineno, code.co_name]
                info["text"] = "".join(linecache.getlines(code.co_filename))[:500_000]
            return info
        try:
            text = repr(obj)[:300]
        except Exception:
            text = f"<{tname} object>"
        return {"t": "obj", "h": h, "type": tname, "mro": [c.__name__ for c in type(obj).__mro__][:8],
                "repr": text}

    def deref(self, node: dict) -> Any:
        if node.get("t") == "kref":
            return self.handles[node["h"]]
        return None

    # ---------------------------------------------------------------- helpers
    def _decode_args(self, req: dict) -> tuple[tuple, dict, list]:
        if req.get("args_h") is not None:
            args, kwargs = self.handles[req["args_h"]]
            return args, kwargs, []
        counter = [0]
        probes: list = []

        def wrap(v: Any) -> Any:
            if isinstance(v, dict) and v.get("__probe__") is not None:
                view = read_counter.counting(v["__probe__"], counter)
                probes.append(view)
                return view
            return v

        args = tuple(wrap(a) for a in req.get("args", ()))
        kwargs = {k: wrap(v) for k, v in (req.get("kwargs") or {}).items()}
        return args, kwargs, [counter] if probes else []

    def _figures(self) -> list:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None:
            return []
        try:
            from_describe = _describe_figures(plt, self.fig_marks)
        except Exception as exc:  # describing must never cost the call its answer
            return [{"error": f"{type(exc).__name__}: {exc}"}]
        return from_describe

    def _call(self, fn: Any, args: tuple, kwargs: dict, req: dict) -> dict:
        caught: list = []
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
                try:
                    value = fn(*args, **kwargs)
                    out = {"ok": True, "value": value}
                except BaseException as exc:  # SystemExit and KeyboardInterrupt are the student's answer too
                    out = {"ok": False, "error": self.error(exc)}
            caught = list(record)
        out["warnings"] = [{"category": w.category.__name__, "message": str(w.message)[:500],
                            "filename": w.filename, "lineno": w.lineno,
                            "line": linecache.getline(w.filename, w.lineno).strip()} for w in caught[:50]]
        return out

    def error(self, exc: BaseException) -> dict:
        try:
            msg = str(exc)[:2000]
        except Exception:
            msg = "(message could not be read)"
        return {"type": type(exc).__name__, "module": type(exc).__module__,
                "mro": [c.__name__ for c in type(exc).__mro__][:10], "msg": msg, "where": where(exc)}

    # ---------------------------------------------------------------- operations
    def op_get(self, req: dict) -> dict:
        name = req["name"]
        if name not in self.ns:
            return {"ok": False, "error": {"type": "NameError", "module": "builtins", "mro": ["NameError"],
                                           "msg": f"name '{name}' is not defined", "where": {}}}
        value = self.ns[name]
        self.handles[id(value)] = value  # passed back as an argument, it goes by reference
        out = {"ok": True, "value": value, "h": id(value)}
        if codec.is_large(value):
            # Hidden test cells each look the data set up again. When the grader still holds
            # what it was sent last time (its token) and the global is the same object with
            # the same contents, the answer is "unchanged" instead of tens of megabytes.
            kept = self.sent.get(name)
            if kept is not None and kept[0] is value and req.get("known") == kept[2] and _same(value, kept[1]):
                return {"ok": True, "same": True, "h": id(value)}
            self.tokens += 1
            self.sent[name] = (value, _snapshot(value), self.tokens)
            out["token"] = self.tokens
        return out

    def op_call(self, req: dict) -> dict:
        """Call a function. The grader's arguments are copies: a change the call makes to
        them stays here. A watched call (the mutation check) also sends every argument back
        after the call, after each item of a returned generator, and whenever the grader
        asks again (``op_watched``), for the grader to compare with what it sent."""
        fn = self.handles[req["h"]]
        args, kwargs, counters = self._decode_args(req)
        with read_counter.keeping() if counters else contextlib.nullcontext():
            out = self._call(fn, args, kwargs, req)
        if counters and out.get("ok") and hasattr(out["value"], "__next__"):
            self.reads[id(out["value"])] = counters[0]
        if req.get("watch"):
            if out.get("ok") and hasattr(out["value"], "__next__"):
                self.origins[id(out["value"])] = (args, kwargs)
            self.tokens += 1
            self.watched[self.tokens] = (args, kwargs)
            out["watch"] = self.tokens
            out["after"], out["kwafter"] = _states(args, kwargs)
        out["reads"] = counters[0][0] if counters else None
        return out

    def op_next(self, req: dict) -> dict:
        it = self.handles[req["h"]]
        with read_counter.keeping() if id(it) in self.reads else contextlib.nullcontext():
            out = self._call(next, (it,), {}, req)
        if not out["ok"] and out["error"]["type"] == "StopIteration":
            out = {"ok": True, "stop": True, "warnings": out.get("warnings", [])}
        counter = self.reads.get(id(it))
        out["reads"] = counter[0] if counter else None
        if id(it) in self.origins:
            args, kwargs = self.origins[id(it)]
            out["after"], out["kwafter"] = _states(args, kwargs)
        return out

    def op_watched(self, req: dict) -> dict:
        """A watched call's arguments as they are now (a thread may have changed them since).
        When threads the kernel did not start are alive, ``settle`` seconds of sleep first
        let them run; with none, nothing else can change the arguments, and no time is spent."""
        settle = min(float(req.get("settle") or 0.0), 1.0)
        if settle > 0 and any(t.ident not in self.own_threads for t in threading.enumerate()):
            time.sleep(settle)
        args, kwargs = self.watched[int(req["token"])]
        after, kwafter = _states(args, kwargs)
        return {"ok": True, "after": after, "kwafter": kwafter}

    def op_time(self, req: dict) -> dict:
        """``loops`` calls back to back; the grader reads the CPU time around this request.

        The value of call number ``keep`` (the grader's random pick) is kept, untouched, for
        ``op_kept``: the grader compares it with an ordinary call's on the same input, so a
        function that returns something else while timed is caught."""
        fn = self.handles[req["h"]]
        calls = self.handles.pop(req["calls_h"], None) if req.get("calls_h") is not None else None
        if calls is None:
            calls = [self._decode_args(req)[:2]]
        keep = req.get("keep")
        self.kept = None
        import gc

        was = gc.isenabled()
        gc.disable()
        try:
            for i in range(int(req["loops"])):
                args, kwargs = calls[i % len(calls)]
                value = fn(*args, **kwargs)
                if i == keep:
                    self.kept = value
            return {"ok": True, "value": None}
        except BaseException as exc:
            return {"ok": False, "error": self.error(exc)}
        finally:
            if was:
                gc.enable()

    def op_fresh(self, req: dict) -> dict:
        """Build the inputs of the next timed loop from stashed arguments, ``count`` of them
        (the grader's choice, graders/protocol/fresh.py), before the loop starts: building them
        is not the student's time."""
        args, kwargs = self.handles[req["args_h"]]
        seed, n = int(req["seed"]), max(1, min(int(req["count"]), fresh.MAX_INPUTS))
        self.stashed += 1
        key = -self.stashed
        self.handles[key] = [fresh.permuted(args, kwargs, seed + i) for i in range(n)]
        return {"ok": True, "value": key}

    def op_kept(self, req: dict) -> dict:
        """The value kept by the last ``op_time`` (then forgotten)."""
        value, self.kept = self.kept, None
        return {"ok": True, "value": value}

    def op_drop(self, req: dict) -> dict:
        """Forget stashed arguments (the speed check sends fresh ones for every sample)."""
        self.handles.pop(req.get("h"), None)
        return {"ok": True}

    def op_trace(self, req: dict) -> dict:
        """Count line and call events in the student's frames during one call (drained)."""
        fn = self.handles[req["h"]]
        args, kwargs, _ = self._decode_args(req)
        events = [0]
        lines: Counter = Counter()
        student: dict = {}

        def local(frame, event, arg):
            if event == "line":
                events[0] += 1
                lines[(frame.f_code.co_filename, frame.f_lineno)] += 1
            return local

        def global_trace(frame, event, arg):
            code = frame.f_code
            mine = student.get(code)
            if mine is None:
                mine = student[code] = is_student_file(code.co_filename)
            if event == "call" and mine:
                events[0] += 1
                return local
            return None

        previous = sys.gettrace()
        sys.settrace(global_trace)
        try:
            value = fn(*args, **kwargs)
            if hasattr(value, "__next__"):
                for i, _ in enumerate(value):
                    if i + 1 >= 100_000:
                        break
            error = None
        except BaseException as exc:
            error = self.error(exc)
        finally:
            tampered = sys.gettrace() is not global_trace
            sys.settrace(previous)
        hot = [[f, n, c, linecache.getline(f, n).strip()] for (f, n), c in lines.most_common(20)]
        return {"ok": error is None, "error": error, "events": events[0], "tampered": tampered, "lines": hot}

    def op_stash(self, req: dict) -> dict:
        """Keep arguments here, so the speed check sends a large input once, not per sample."""
        args, kwargs, _ = self._decode_args(req)
        self.stashed += 1
        key = -self.stashed
        self.handles[key] = (args, kwargs)
        return {"ok": True, "value": key}

    def op_close(self, req: dict) -> dict:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close(req.get("which", "all"))
        return {"ok": True}

    def op_release(self, req: dict) -> dict:
        for h in req.get("handles", ()):
            self.handles.pop(h, None)
        return {"ok": True}

    def answer(self, data: bytes) -> bytes:
        """The encoded answer to one encoded request. What the student's code writes to
        ``sys.stdout``/``sys.stderr`` meanwhile is kept, not shown, and sent with the
        answer: text sent on IOPub could arrive after the reply, and be missed."""
        log = _PrintLog(self.scratch / codec.PRINTED_FILE)
        saved = sys.stdout, sys.stderr
        try:
            sys.stdout, sys.stderr = _Printed("stdout", log), _Printed("stderr", log)
            try:
                req = codec.decode(data, self.deref)
                op = getattr(self, "op_" + req["op"])
                out = op(req)
                out["op"] = req["op"]
            except BaseException as exc:
                out = {"ok": False, "error": self.error(exc), "bridge": True}
            out["figures"] = self._figures() if req_op(out) not in ("time", "stash") else []
        finally:
            sys.stdout, sys.stderr = saved
            log.close()
        out["printed"] = log.chunks
        try:
            return codec.encode(out, self.ref)
        except BaseException as exc:
            return codec.encode({"ok": False, "error": self.error(exc), "bridge": True}, self.ref)

    def serve(self, nonce: str) -> None:
        """The file path: the request in ``req-NONCE.bin``, the answer to ``res-NONCE.bin``."""
        req_path = self.scratch / f"req-{nonce}.bin"
        res_path = self.scratch / f"res-{nonce}.bin"
        try:
            data = req_path.read_bytes()
        except OSError:
            data = b""
        finally:
            try:
                req_path.unlink()
            except OSError:
                pass
        data = self.answer(data)
        tmp = res_path.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, res_path)

    def serve_socket(self, conn: socket.socket) -> bool:
        """Answer one framed request (8-byte length, then the bytes); False once closed.

        Runs as an event-loop callback. ipykernel ignores SIGINT outside its handlers, so
        the grader's interrupt is let in here for the request's duration, as ipykernel
        does for its own; an interrupt that lands after the answer is made loses only
        that answer (the grader then gives the kernel up), never the event loop.
        """
        try:
            data = codec.read_frame(conn)
            if data is None:
                return False
            saved = signal.signal(signal.SIGINT, signal.default_int_handler)
            try:
                answer = self.answer(data)
            finally:
                signal.signal(signal.SIGINT, saved)
            conn.sendall(codec.frame(answer))
            return True
        except BaseException:
            return False


class _PrintLog:
    """What the student's code prints during one request, in order, capped: sent with the
    answer, and written through to a file in the scratch folder so that the grader can
    still show it when the kernel dies before answering (``os._exit``, a crash, a kill).
    The file is made at the first write and removed when the request ends."""

    LIMIT = 200_000

    def __init__(self, path: Path) -> None:
        self.path = path
        self.chunks: list = []
        self.size = 0
        self._file: Any = None

    def add(self, name: str, text: str) -> None:
        if self.size >= self.LIMIT:
            return
        text = text[: self.LIMIT - self.size]
        self.size += len(text)
        if self.chunks and self.chunks[-1][0] == name:
            self.chunks[-1][1] += text
        else:
            self.chunks.append([name, text])
        try:
            if self._file is None:
                self._file = open(self.path, "w", encoding="utf-8")
            self._file.write(codec.printed_line(name, text))
            self._file.flush()
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        if self._file is None:
            return
        try:
            self._file.close()
            self.path.unlink()
        except OSError:
            pass


class _Printed(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` during a request: writes go to the request's log."""

    def __init__(self, name: str, log: _PrintLog) -> None:
        self.name, self.log = name, log

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.log.add(self.name, text)
        return len(text)


def req_op(out: dict) -> str:
    return str(out.get("op", ""))


def _describe_figures(plt: Any, marks: dict) -> list:
    """Every open figure that is new or changed since the last answer, as plain data."""
    out = []
    for num in plt.get_fignums():
        fig = plt.figure(num)
        desc = describe_figure(fig)
        key = repr(desc)
        if marks.get(num) == key:
            continue
        marks[num] = key
        out.append(desc)
    for gone in set(marks) - set(plt.get_fignums()):
        marks.pop(gone, None)
        out.append({"num": gone, "closed": True})
    return out


def _arr(values: Any) -> Any:
    try:
        return np.asarray(values, dtype=float)
    except Exception:
        return np.asarray([], dtype=float)


def describe_figure(fig: Any) -> dict:
    sup = getattr(fig, "_suptitle", None)
    axes = []
    for ax in fig.axes:
        bars = []
        in_containers = set()
        for c in ax.containers:
            if type(c).__name__ == "BarContainer":
                rects = list(c.patches)
                in_containers.update(id(r) for r in rects)
                bars.append({"x": _arr([r.get_x() for r in rects]), "y": _arr([r.get_y() for r in rects]),
                             "w": _arr([r.get_width() for r in rects]), "h": _arr([r.get_height() for r in rects]),
                             "label": str(c.get_label() or ""),
                             "horizontal": getattr(c, "orientation", "vertical") == "horizontal"})
        loose = [p for p in ax.patches if type(p).__name__ == "Rectangle" and id(p) not in in_containers]
        if loose:
            bars.append({"x": _arr([r.get_x() for r in loose]), "y": _arr([r.get_y() for r in loose]),
                         "w": _arr([r.get_width() for r in loose]), "h": _arr([r.get_height() for r in loose]),
                         "label": "", "horizontal": False})
        lines = [{"x": _arr(ln.get_xdata()), "y": _arr(ln.get_ydata()), "label": str(ln.get_label()),
                  "marker": str(ln.get_marker()), "linestyle": str(ln.get_linestyle())} for ln in ax.lines]
        colls = []
        for c in ax.collections:
            try:
                offsets = np.asarray(c.get_offsets(), dtype=float)
            except Exception:
                offsets = np.zeros((0, 2))
            colls.append({"offsets": offsets, "sizes": _arr(c.get_sizes()), "label": str(c.get_label()),
                          "kind": type(c).__name__})
        legend = ax.get_legend()
        axes.append({
            "title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "xscale": ax.get_xscale(), "yscale": ax.get_yscale(),
            "xlim": list(ax.get_xlim()), "ylim": list(ax.get_ylim()),
            "lines": lines, "bars": bars, "collections": colls, "images": len(ax.images),
            "legend": None if legend is None else [t.get_text() for t in legend.get_texts()],
            "position": [float(v) for v in ax.get_position().bounds],
        })
    return {"num": fig.number, "suptitle": sup.get_text() if sup is not None else "", "axes": axes}


def install(scratch: str, socket_path: str | None = None) -> None:
    """Called once, when the kernel has started, before any student code runs.

    Requests are not code to execute: input transformers, ``exec`` hooks and the execution
    counter are not involved. The socket listens for one connection, the grader's, made
    right after this returns and before the first student cell; once it is accepted the
    listening socket is closed and its file removed. The shell-channel handler stays
    registered for the file path."""
    from IPython import get_ipython

    ip = get_ipython()
    bridge = Bridge(scratch, ip.user_ns)  # held by the handlers below, never by a name the student can see
    kernel = getattr(ip, "kernel", None)
    if kernel is None:
        return

    def handle(stream: Any, idents: Any, parent: dict) -> None:
        try:
            bridge.serve(str(parent.get("content", {}).get("nonce", "")))
        finally:
            kernel.session.send(stream, "graders_reply", {"status": "ok"}, parent, idents)

    kernel.shell_handlers["graders_request"] = handle
    if socket_path:
        _listen(bridge, Path(socket_path))


def _listen(bridge: Bridge, path: Path) -> None:
    import asyncio

    try:
        loop = asyncio.get_event_loop()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen(1)
    except (OSError, RuntimeError):
        return  # no socket: requests come as files

    def accept() -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        loop.remove_reader(server.fileno())
        server.close()
        try:
            path.unlink()
        except OSError:
            pass
        conn.setblocking(True)

        def readable() -> None:
            if not bridge.serve_socket(conn):
                loop.remove_reader(conn.fileno())
                conn.close()

        loop.add_reader(conn.fileno(), readable)

    loop.add_reader(server.fileno(), accept)
