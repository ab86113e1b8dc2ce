"""The grader's end of a student's kernel: proxies that hidden tests use as if local.

A hidden test cell runs in the grader's process, in a namespace where every name the cell
does not define itself is looked up in the student's kernel when first used:

- data (arrays, frames, strings, numbers) arrives as a copy, decoded by :mod:`codec`;
- a function arrives as a :class:`RemoteFunction`: calling it sends copies of the
  arguments, runs the call in the kernel, and returns the result. A change the call makes
  to its arguments stays in the kernel: the test's own objects, from which it computes
  expected values, are never touched by the student's code. "Did it change its input?" is
  asked through ``__graders_watch__``: the kernel sends the arguments back and the grader
  compares them with its own copies (after the call, after each item of a generator, and
  at the end of the cell);
- a generator arrives as a :class:`RemoteIterator`; figures as local copies
  (:mod:`graders.engine.grader.figures`), kept in step after every call;
- modules the tests know (numpy, pandas, pyplot, ...) are the grader's own imports.

Checks that need to observe a call from the inside ask the proxy through three hooks,
``__graders_time__`` (CPU time of the kernel's processes, read from ``/proc`` here),
``__graders_trace__`` (event counts, which can only fail a check) and
``__graders_shadow__`` (the function's source, taken from the notebook the grader holds,
never from the kernel).
"""

from __future__ import annotations

import builtins
import importlib
import linecache
import types
import warnings
from typing import Any

import numpy as np

from ... import protocol
from ...protocol.read_counter import is_probe
from .. import EngineError
from ..kernel import codec

TRUSTED_MODULES = ("numpy", "pandas", "matplotlib", "math", "random", "statistics", "itertools",
                   "functools", "collections", "string", "re", "json", "time", "datetime", "graders",
                   "typing", "operator", "scipy")


class StudentError(Exception):
    """An exception the student's code raised in the kernel, of a type the grader does not have."""


class KernelLost(EngineError, RuntimeError):
    """The kernel stopped answering (it died, or ignored an interrupt past its time limit)."""


def rebuild_error(info: dict) -> BaseException:
    """A local exception of the same type (builtin, numpy) or a named stand-in."""
    name = str(info.get("type", "Exception"))
    msg = str(info.get("msg", ""))
    module = str(info.get("module", ""))
    cls = None
    if module == "builtins":
        cand = getattr(builtins, name, None)
        if isinstance(cand, type) and issubclass(cand, BaseException):
            cls = cand
    elif module.startswith("numpy"):
        for mod in (np.linalg, getattr(np, "exceptions", np)):
            cand = getattr(mod, name, None)
            if isinstance(cand, type) and issubclass(cand, BaseException):
                cls = cand
    if cls is None:
        bases = tuple(b for b in (getattr(builtins, m, None) for m in info.get("mro", [])[1:])
                      if isinstance(b, type) and issubclass(b, Exception))[:1] or (StudentError,)
        if bases[0] is Exception:
            bases = (StudentError,)
        cls = type(name, bases, {"__module__": "student"})
    try:
        exc = cls(msg) if cls is not KeyError else KeyError(msg.strip("'"))
    except Exception:
        exc = StudentError(f"{name}: {msg}")
    where = info.get("where") or {}
    exc.__graders_where__ = (f"line {where['lineno']}: {where['line']!r}" if where.get("line")
                             else (f"line {where['lineno']}" if where.get("lineno") else ""))
    return exc


class RemoteObject:
    """An object that stays in the kernel (a student's class instance, say)."""

    def __init__(self, link: Any, node: dict) -> None:
        self._link, self._node = link, node

    def __repr__(self) -> str:
        return str(self._node.get("repr", f"<{self._node.get('type')} object>"))


def remote_object(link: Any, node: dict) -> RemoteObject:
    cls = type(str(node.get("type", "object")), (RemoteObject,), {"__module__": "student"})
    return cls(link, node)


class RemoteFunction:
    """A callable that lives in the student's kernel."""

    __graders_remote__ = True  # graders.protocol.MARK: answers graders.protocol.Remote

    def __init__(self, link: Any, node: dict) -> None:
        self._link = link
        self._node = node
        self.__name__ = self.__qualname__ = str(node.get("name", "function"))
        self._shadow: Any = None
        self._stash: tuple[Any, int] | None = None
        """The arguments last stashed in the kernel for timing, and their handle there."""

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _probes(args, kwargs):
            self._trust("check_lazy")
        return self._result(self._call(args, kwargs, watch=False), args, kwargs)

    def _trust(self, check: str) -> None:
        """Raise Tampering when the notebook reaches into the grader (graders.engine.grader.tamper):
        then nothing this kernel reports about a call can decide ``check``."""
        findings = getattr(self._link, "tampering", None)
        if findings:
            from .tamper import Tampering, message

            raise Tampering(message(findings, check))

    def _call(self, args: tuple, kwargs: dict, watch: bool) -> dict:
        hung = getattr(self._link, "hung", {}).get(self._node["h"])
        if hung is not None:
            exc = TimeoutError(f"{self.__name__} was not called again: in an earlier test it was still running "
                               "when the time limit ran out")
            exc.__graders_where__ = protocol.where(hung)
            raise exc
        out = self._link.request("call", h=self._node["h"], args=list(_send(args, self._link)),
                                 kwargs=_send_kwargs(kwargs, self._link), watch=watch)
        self._link.reemit(out)
        _count_reads(args, kwargs, out.get("reads"))
        return out

    def _result(self, out: dict, args: tuple, kwargs: dict) -> Any:
        if not out.get("ok"):
            raise rebuild_error(out.get("error") or {})
        value = out.get("value")
        if isinstance(value, RemoteIterator):
            value._origin = (args, kwargs)
            if out.get("reads") is not None:
                value._probes = _probes(args, kwargs)
        return value

    # hooks for checks ---------------------------------------------------------
    def __graders_watch__(self, args: tuple, kwargs: dict) -> "Watched":
        """Call with the arguments watched: see :class:`Watched`."""
        from ...calling import Call

        self._trust("check_no_mutation")
        out = self._call(args, kwargs, watch=True)
        watched = Watched(self._link, out.get("watch"), out.get("after"), out.get("kwafter"))
        try:
            value = self._result(out, args, kwargs)
        except BaseException as exc:
            watched.outcome = Call(error=exc, where=protocol.where(exc))
            return watched
        if isinstance(value, RemoteIterator):
            value._watched = watched
        watched.outcome = Call(value=value)
        return watched

    def __graders_time__(self, args: tuple, loops: int, cut_after_s: float | None, keep: int | None = None,
                         fresh: int | None = None):
        """CPU time of ``loops`` calls, measured on the kernel's processes from outside.

        Arguments are stashed in the kernel once per distinct ``args`` object (sending them
        is not the student's time); the previous stash is dropped. With ``fresh`` (a seed),
        each call gets its own reordering of them, built before the timed loop
        (graders/protocol/fresh.py). With ``keep``, the value of that call is kept there and
        ``Sample.kept()`` fetches it."""
        from ...protocol import Sample
        from ...calling import Call

        import time

        self._trust("check_speed")
        if self._stash is None or self._stash[0] is not args:
            if self._stash is not None:
                try:
                    self._link.request("drop", h=self._stash[1])
                except Exception:
                    pass
            t0 = time.monotonic()
            out = self._link.request("stash", args=list(_send(args, self._link)), kwargs={})
            self._stash = (args, out["value"])
            if cut_after_s is not None:  # sending the input is not the student's time
                cut_after_s += time.monotonic() - t0
        handle = self._stash[1]
        calls_h = None
        if fresh is not None:
            from ...protocol.fresh import count

            calls_h = self._link.request("fresh", args_h=handle, seed=int(fresh),
                                         count=count(args, {}, loops)).get("value")
        out, cpu_s, cut = self._link.timed("time", cut_after_s, h=self._node["h"], args_h=handle, calls_h=calls_h,
                                           loops=int(loops), keep=keep)
        if cut:
            return Sample(cpu_s, loops, cut=True)
        if not out.get("ok"):
            err = rebuild_error(out.get("error") or {})
            return Sample(cpu_s, loops, failure=Call(error=err, where=err.__graders_where__))
        kept = (lambda: self._link.request("kept").get("value")) if keep is not None else None
        return Sample(cpu_s, loops, kept=kept)

    def __graders_trace__(self, args: tuple, kwargs: dict) -> dict:
        self._trust("check_no_loops")
        out = self._link.request("trace", h=self._node["h"], args=list(_send(args, self._link)),
                                 kwargs=_send_kwargs(kwargs, self._link))
        if out.get("error"):
            out["exception"] = rebuild_error(out["error"])
        return out

    @property
    def __signature__(self) -> Any:
        """The parameters as the notebook's text defines them (messages name arguments)."""
        import inspect

        shadow = self.__graders_shadow__
        if shadow is None:
            raise AttributeError("__signature__")
        return inspect.signature(shadow)

    @property
    def __graders_shadow__(self) -> Any:
        """The function compiled here from the notebook's own text (never executed), or None."""
        if self._shadow is None:
            self._shadow = self._link.shadow(self._node) or False
        return self._shadow or None


class Watched:
    """A watched call: the kernel's copies of its arguments, as they were last reported.

    ``state()`` is what the kernel sent back after the call, or after the latest item a
    returned generator yielded; ``again()`` asks the kernel for them once more (the end of
    the cell, for a change made after the call returned). The grader compares them with
    its own copies, which the student's code never received.
    """

    def __init__(self, link: Any, token: Any, after: Any, kwafter: Any) -> None:
        self._link, self.token = link, token
        self.outcome: Any = None
        self.after: list = list(after) if isinstance(after, list) else []
        self.kwafter: dict = dict(kwafter) if isinstance(kwafter, dict) else {}

    def update(self, after: Any, kwafter: Any) -> None:
        if isinstance(after, list):
            self.after = list(after)
        if isinstance(kwafter, dict):
            self.kwafter = dict(kwafter)

    def again(self, settle_s: float = 0.0) -> "Watched":
        if self.token is not None:
            out = self._link.request("watched", token=self.token, settle=settle_s)
            self.update(out.get("after"), out.get("kwafter"))
        return self

    def at_end_of_cell(self, compare: Any) -> None:
        """Run ``compare(self)`` again when the cell ends (see graders.engine.grader.judge)."""
        pending = getattr(self._link, "end_of_cell", None)
        if isinstance(pending, list):
            pending.append(lambda settle_s: compare(self.again(settle_s)))


class RemoteIterator:
    """An iterator (usually a generator) that lives in the kernel."""

    __graders_remote__ = True  # graders.protocol.MARK

    def __init__(self, link: Any, node: dict) -> None:
        self._link, self._node = link, node
        self._probes: list = []
        self._origin: tuple = ((), {})
        self._watched: Watched | None = None
        self._done = False

    def __iter__(self) -> "RemoteIterator":
        return self

    def __next__(self) -> Any:
        if self._done:
            raise StopIteration
        out = self._link.request("next", h=self._node["h"])
        self._link.reemit(out)
        if self._watched is not None:
            self._watched.update(out.get("after"), out.get("kwafter"))
        reads = out.get("reads")
        if reads is not None:
            for counter in self._probes:
                counter[0] = reads
        if out.get("stop"):
            self._done = True
            raise StopIteration
        if not out.get("ok"):
            raise rebuild_error(out.get("error") or {})
        return out.get("value")

    def __repr__(self) -> str:
        return f"<{self._node.get('type', 'generator')} object>"


def _probes(args: tuple, kwargs: dict) -> list:
    return [a.__graders_reads__ for a in [*args, *kwargs.values()] if is_probe(a)]


def _count_reads(args: tuple, kwargs: dict, reads: Any) -> None:
    if reads is None:
        return
    for counter in _probes(args, kwargs):
        counter[0] = reads


class KernelRef:
    """An argument that is the very object the kernel handed out: sent back by reference."""

    def __init__(self, handle: int) -> None:
        self._node = {"h": handle}


def _one(a: Any, link: Any) -> Any:
    if is_probe(a):
        return {"__probe__": a.view(np.ndarray)}
    handle = link.kernel_handle(a) if hasattr(link, "kernel_handle") else None
    return KernelRef(handle) if handle is not None else a


def _send(args: tuple, link: Any) -> list:
    return [_one(a, link) for a in args]


def _send_kwargs(kwargs: dict, link: Any) -> dict:
    return {k: _one(v, link) for k, v in kwargs.items()}


_BUILTIN_NAMES = {k: v for k, v in vars(builtins).items() if not k.startswith("__")}


class Namespace(dict):
    """A hidden test cell's globals: its own names, then the kernel's, fetched on first use."""

    def __init__(self, link: Any) -> None:
        # Builtin names are entered up front. A lookup in a dict subclass that misses costs
        # a KeyError, and a test's helper looping over rows in Python looks up ``len`` or
        # ``range`` hundreds of thousands of times; a builtin is never fetched anyway.
        super().__init__(_BUILTIN_NAMES)
        self._link = link
        self["__builtins__"] = builtins
        self["__name__"] = "__main__"

    def __missing__(self, name: str) -> Any:
        if hasattr(builtins, name) or name.startswith("__"):
            raise KeyError(name)
        out = self._link.fetch(name)
        if not out.get("ok"):
            raise KeyError(name)
        value = out.get("value")
        if hasattr(self._link, "remember"):
            self._link.remember(value, out.get("h"))
        self[name] = value
        return value


def trusted_module(name: str) -> Any:
    """The grader's own import of a module the kernel has, if it is one tests may use."""
    if name.split(".")[0] not in TRUSTED_MODULES:
        return None
    try:
        return importlib.import_module(name)
    except Exception:
        return None


def find_code(code: types.CodeType, name: str, firstlineno: int) -> types.CodeType | None:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name and const.co_firstlineno == firstlineno:
                return const
            found = find_code(const, name, firstlineno)
            if found is not None:
                return found
    return None


def shadow_function(text: str, filename: str, name: str, firstlineno: int, globals_: dict) -> Any:
    """Compile ``text`` (a cell the grader sent), never run it, and wrap ``name``'s code."""
    try:
        module = compile(text, filename, "exec", dont_inherit=True)
    except SyntaxError:
        return None
    code = find_code(module, name, firstlineno)
    if code is None:
        return None
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    closure = tuple(types.CellType(None) for _ in code.co_freevars) or None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return types.FunctionType(code, globals_, name, None, closure)
