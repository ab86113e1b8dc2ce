"""Checks for generators: is it lazy, what does it yield, does it refuse bad input.

Draining a student's generator is the dangerous part of grading it: it may never stop,
raise after three items, or raise ``SystemExit``. :func:`collect` takes at most ``limit``
items and turns every way of failing into data (the exception and the student's line),
so an infinite generator costs the student the check instead of hanging the grader. A
body that loops forever *without* yielding cannot be stopped from inside Python; that is
the engine's per-cell timeout.

*Lazy* is tested in two steps, without timing (see :func:`check_lazy`): the call must
return an iterator rather than a list, and, probed through its array inputs, it must not
build every item before handing out the first.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from ..calling import Call, call, student_frame
from ..describe import block, describe, describe_inputs, hint_line, labelled, safe_repr, type_name
from ..result import Result
from ..protocol.read_counter import counting, keeping

__all__ = ["Collected", "collect", "step", "is_iterator", "check_is_generator", "check_lazy", "check_yields"]

CAUGHT = (Exception, KeyboardInterrupt, SystemExit)
"""What a student's code may raise without ending the grading run (as in calling.call)."""

_YIELD_HINT = "use `yield` inside the loop instead of collecting the items in a list and returning it"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def is_iterator(obj: Any) -> bool:
    """True for generators and any object with ``__iter__`` and ``__next__`` (``map``,
    ``zip``, a student's iterator class); False for lists, tuples and arrays, which hold
    every item at once."""
    t = type(obj)
    return hasattr(t, "__next__") and hasattr(t, "__iter__")


def _where(exc: BaseException, it: Any) -> str:
    """The student's line for an error raised inside ``next(it)``; empty when ``it`` is not
    student code (then the deepest frame would be our own ``next`` call)."""
    code = getattr(it, "gi_code", None) or getattr(getattr(type(it), "__next__", None), "__code__", None)
    return student_frame(exc, SimpleNamespace(__code__=code)) if code is not None else ""


@dataclass(frozen=True)
class Collected:
    """What draining an iterable produced."""

    items: tuple
    """The items yielded, at most ``limit`` of them."""
    error: BaseException | None = None
    """The exception raised while iterating (not StopIteration), if any."""
    where: str = ""
    """``line N: '...'`` of the student's code that raised."""
    hit_limit: bool = False
    """True when the iterable had more than ``limit`` items (it may be infinite)."""
    not_iterable: bool = False
    """True when ``iter(obj)`` itself failed (e.g. the student returned None)."""

    def error_text(self, name: str) -> str:
        """``"name raised IndexError: ... (at line 7: '...') after yielding 3 items"``."""
        if self.error is None:
            return ""
        return f"{Call(error=self.error, where=self.where).error_text(name)}, after yielding {_plural(len(self.items), 'item')}"


def step(it: Any) -> tuple[Any, bool, BaseException | None, str]:
    """One ``next(it)`` as data: ``(item, finished, error, where)``; never raises."""
    try:
        return next(it), False, None, ""
    except StopIteration:
        return None, True, None, ""
    except CAUGHT as exc:
        return None, True, exc, _where(exc, it)


def collect(obj: Any, limit: int = 10_000) -> Collected:
    """Take at most ``limit`` items from ``obj``; never raises, never asks for more than
    ``limit + 1`` items. A generator left unfinished is closed (its ``finally`` blocks run,
    errors ignored)."""
    try:
        it = iter(obj)
    except CAUGHT as exc:
        return Collected((), exc, _where(exc, obj), not_iterable=True)
    items: list[Any] = []
    while True:
        item, finished, error, where = step(it)
        if finished:
            return Collected(tuple(items), error, where)
        if len(items) == limit:
            break
        items.append(item)
    if inspect.isgenerator(it):
        try:
            it.close()
        except CAUGHT:
            pass
    return Collected(tuple(items), hit_limit=True)


def _fail(check: str, first: str, inputs: Any, hint: str | None, default_hint: str | None, **details: Any) -> Result:
    return Result.fail(check, block(first, labelled("Input", describe_inputs(inputs)), hint_line(hint or default_hint)),
                       **details)


def _func_name(func: Any, name: str | None) -> str:
    return name or f"{getattr(func, '__name__', 'the function')}(...)"


def _not_iterator_text(name: str, obj: Any, strict: bool) -> tuple[str, str]:
    """The sentence and default hint for a value that is not a lazy iterator."""
    want = "a generator" if strict else "a generator (or another iterator)"
    text = f"{name} returned {describe(obj)}; expected {want}."
    if obj is None:
        return text, "a function with `yield` in its body returns a generator when called; did you `return` instead?"
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return f"{name} gave the function itself, not its result; expected {want}.", "call it: f(...)"
    if isinstance(obj, (list, tuple, np.ndarray)):
        return f"{text[:-1]}, which holds every item in memory at once.", _YIELD_HINT
    return text, _YIELD_HINT


def check_is_generator(obj: Any, *, strict: bool = False, name: str = "your function", inputs: Any = None,
                       hint: str | None = None) -> Result:
    """Is ``obj`` (what the student's function returned) a generator, not a list or tuple?

    With ``strict=False`` any iterator counts (``map``, ``zip``, an iterator class), since
    each produces items on demand; ``strict=True`` asks for a generator specifically."""
    kind = "generator" if inspect.isgenerator(obj) else "iterator" if is_iterator(obj) else None
    if kind == "generator" or (kind == "iterator" and not strict):
        return Result.ok("check_is_generator", f"{name} returned a {kind}.", kind=kind)
    text, default_hint = _not_iterator_text(name, obj, strict)
    return _fail("check_is_generator", text, inputs, hint, default_hint, kind=type_name(obj))


def _probe(values: Any, reads: list[int]) -> Any:
    if type(values) is np.ndarray:
        return counting(values, reads)
    return values


def _has_data(args: tuple, kwargs: dict) -> bool:
    """Does any array argument hold at least one value?"""
    return any(isinstance(a, np.ndarray) and a.size > 0 for a in [*args, *kwargs.values()])


def check_lazy(func: Callable[..., Any], *args: Any, name: str | None = None, inputs: Any = None,
               hint: str | None = None, probe: bool = True, limit: int = 10_000, **kwargs: Any) -> Result:
    """Does ``func(*args, **kwargs)`` hand out items on demand rather than all at once?

    Design, without timing (timed unit tests are flaky on shared machines):

    1. The call must return an iterator (``__iter__`` and ``__next__``): a generator,
       ``map``..., not a list, tuple or array. A generator function passes this step
       without running any of its body.
    2. With ``probe=True``, every plain ndarray argument is replaced by a view that counts
       how often it is indexed (:class:`~graders.protocol.read_counter.ReadCounter`); while the
       call and the draining run, ``np.asarray`` and numpy's other conversions keep the probe
       (:func:`~graders.protocol.read_counter.keeping`). We count reads at the first item and
       after draining (at most ``limit`` items). Lazy means the first item needed *fewer*
       reads than all of them: shuffling once (``X[perm]``) then slicing per batch passes,
       while ``return iter([... every batch ...])`` or a generator that builds all batches
       (a list comprehension, ``np.array_split``) before its first ``yield`` fails.

    An inconclusive probe never passes on inputs that hold data: no item, a single item, no
    read of the probed arrays at all (the data was reached some other way), or an error that
    only the probe provokes (a function that refuses an ndarray subclass) all fail, each with
    a message that says what the check could not see. Give inputs that make at least two items.

    ``name``, ``inputs``, ``hint``, ``probe`` and ``limit`` belong to the check; all other
    keywords go to ``func``. ``details`` holds ``reads_at_call``, ``reads_at_first``,
    ``reads_total``, ``n_items`` and ``probe`` ("lazy", "eager", "empty", "single", "blind",
    "refused", "inconclusive" (no data), "off").
    """
    name = _func_name(func, name)
    if not probe:
        c = call(func, *args, **kwargs)
        if c.raised:
            return _fail("check_lazy", c.error_text(name), inputs, hint, None, probe="off")
        if not is_iterator(c.value):
            text, default_hint = _not_iterator_text(name, c.value, strict=False)
            return _fail("check_lazy", text, inputs, hint, default_hint, kind=type_name(c.value), probe="off")
        kind = "generator" if inspect.isgenerator(c.value) else "iterator"
        return Result.ok("check_lazy", f"{name} returned a {kind}.", kind=kind, probe="off")
    reads = [0]
    with keeping():
        c = call(func, *[_probe(a, reads) for a in args], **{k: _probe(v, reads) for k, v in kwargs.items()})
    if c.raised:
        plain = call(func, *args, **kwargs)
        if plain.raised:
            return _fail("check_lazy", plain.error_text(name), inputs, hint, None, probe="off")
        return _refused(name, c.error_text(name), inputs, hint)
    value = c.value
    if not is_iterator(value):
        text, default_hint = _not_iterator_text(name, value, strict=False)
        return _fail("check_lazy", text, inputs, hint, default_hint, kind=type_name(value), probe="off")
    kind = "generator" if inspect.isgenerator(value) else "iterator"
    at_call = reads[0]
    with keeping():
        item, finished, error, where = step(value)
        at_first = reads[0]
        first = Collected(() if finished else (item,), error, where)
        rest = collect(value, limit) if not finished else Collected(())
    figures = {"kind": kind, "reads_at_call": at_call, "reads_at_first": at_first, "reads_total": reads[0],
               "n_items": len(first.items) + len(rest.items) + int(rest.hit_limit)}
    if first.error is not None or rest.error is not None:  # a real error, or one the probe caused?
        plain = call(func, *args, **kwargs)
        got = collect(plain.value, limit) if not plain.raised else None
        if got is not None and got.error is None:
            probed = (first if first.error is not None else rest).error_text(name)
            return _refused(name, probed, inputs, hint, **figures)
        text = plain.error_text(name) if got is None else got.error_text(name)
        return _fail("check_lazy", text + ".", inputs, hint, None, probe="off", **figures)
    n, data = figures["n_items"], _has_data(args, kwargs)
    if n == 0 and data:
        return _fail(
            "check_lazy",
            f"{name} handed out no items at all for inputs that hold data, so it cannot show that it "
            "builds its items on demand.",
            inputs, hint, "yield one item per step of the loop, for as long as there is data left",
            probe="empty", **figures)
    if n == 1 and data:
        return _fail(
            "check_lazy",
            f"{name} handed out a single item for inputs that hold data, so it cannot show that it builds its "
            "items on demand rather than all at once.",
            inputs, hint, "yield one batch per step of the loop, not everything as one item", probe="single",
            **figures)
    if n < 2:
        return Result.ok("check_lazy", f"{name} returned a {kind} (its inputs hold no data to judge more by).",
                         probe="inconclusive", **figures)
    if reads[0] == 0:
        return _fail(
            "check_lazy",
            f"{name} handed out {_plural(n, 'item')} without ever indexing its array inputs, so the check "
            "cannot see whether it builds each item when it is asked for or all of them at once.",
            inputs, hint, "index the arrays you were given, one batch at a time: `yield X[idx], y[idx]` "
            "inside the loop (not via lists, .tolist() or a buffer)", probe="blind", **figures)
    if at_first < reads[0]:
        return Result.ok("check_lazy", f"{name} returned a {kind} that builds its items when they are asked for.",
                         probe="lazy", **figures)
    when = "when called" if at_call == reads[0] else "before handing out the first one"
    return _fail(
        "check_lazy",
        f"{name} is not lazy: it built all its items {when}. It indexed its array inputs {at_first} times for "
        f"the first item, and {reads[0]} times in total for {_plural(n, 'item')}.",
        inputs, hint, "build each item only when it is asked for: `yield X[idx], y[idx]` inside the loop",
        probe="eager", **figures)


def _refused(name: str, error: str, inputs: Any, hint: str | None, **figures: Any) -> Result:
    """The function works on plain arrays but not on the probe: the check cannot see inside."""
    return _fail(
        "check_lazy",
        f"{error}, when its array inputs were an ndarray subclass (it runs on plain arrays), so the check "
        "cannot see whether it builds its items on demand.",
        inputs, hint, "accept any NumPy array: np.asarray(X) at the top is enough, without testing type(X)",
        probe="refused", **figures)


def _types_words(types: Any) -> str:
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(getattr(t, "__name__", str(t)) if t is not np.ndarray else "numpy.ndarray" for t in types)


def check_yields(obj: Any, *, count: int | None = None, item_type: Any = tuple, item_len: int | None = None,
                 part_type: Any = None, limit: int = 10_000, name: str = "your generator", inputs: Any = None,
                 hint: str | None = None) -> Result:
    """Drain ``obj`` (at most ``limit`` items) and check what came out.

    Stages, first failure reported: it can be iterated, it raised nothing, it stopped within
    ``limit`` items, every item is an ``item_type`` (None: any) of length ``item_len``
    whose parts are each a ``part_type`` (e.g. ``np.ndarray``, to catch batches built as
    lists), and there were ``count`` items. ``details["items"]`` holds what was yielded, for
    checks on the values; ``details["n_items"]`` the count.
    """
    got = collect(obj, limit)
    details = {"items": got.items, "n_items": len(got.items), "hit_limit": got.hit_limit,
               "error": type(got.error).__name__ if got.error is not None else None}
    if got.not_iterable:
        text, default_hint = _not_iterator_text(name, obj, strict=False)
        return _fail("check_yields", f"{text[:-1]}, which cannot be iterated.", inputs, hint, default_hint, **details)
    if got.error is not None:
        return _fail("check_yields", got.error_text(name) + ".", inputs, hint, None, **details)
    if got.hit_limit:
        stop = f" after {_plural(count, 'item')}" if count is not None else ""
        return _fail("check_yields", f"{name} yielded more than {limit:,} items without stopping; expected it to "
                     f"end{stop}.", inputs, hint,
                     "make sure the loop ends once every sample has been used (a `while True` needs a `return`)",
                     **details)
    for k, item in enumerate(got.items):
        if item_type is not None and not isinstance(item, item_type):
            return _fail("check_yields", f"{name} yielded {describe(item)} as item {k}; expected a "
                         f"{_types_words(item_type)}.", inputs, hint, "yield X_batch, y_batch (a tuple)", **details)
        if item_len is not None:
            n = _safe_len(item)
            if n != item_len:
                return _fail("check_yields", f"{name} yielded an item of length {n} as item {k}, expected "
                             f"length {item_len}: {safe_repr(item, 120)}.", inputs, hint, None, **details)
        if part_type is not None and isinstance(item, (tuple, list)):
            wrong = [p for p in item if not isinstance(p, part_type)]
            if wrong:
                parts = ", ".join(type_name(p) for p in item)
                return _fail("check_yields", f"{name} yielded item {k} made of ({parts}); expected each part to be "
                             f"a {_types_words(part_type)}.", inputs, hint,
                             "index the arrays (X[idx]) rather than building Python lists", **details)
    if count is not None and len(got.items) != count:
        return _fail("check_yields", f"{name} yielded {_plural(len(got.items), 'item')}, expected {count}.",
                     inputs, hint, None, **details)
    return Result.ok("check_yields", f"{name} yielded {_plural(len(got.items), 'item')}.", **details)


def _safe_len(item: Any) -> int | None:
    try:
        return len(item)
    except Exception:
        return None
