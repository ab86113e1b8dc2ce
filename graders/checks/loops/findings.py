"""What a static loop finding is, the kinds there are, and how ``allowed=`` reads.

Kept apart from the scanner so reports and the grading engine can use findings (and
their ``as_dict`` form in ``Result.details``) without importing the AST machinery.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

KINDS: Mapping[str, str] = {
    "for": "for loop",
    "while": "while loop",
    "listcomp": "list comprehension",
    "setcomp": "set comprehension",
    "dictcomp": "dict comprehension",
    "genexp": "generator expression",
    "recursion": "recursion",
    "map": "map() calls a function once per element",
    "filter": "filter() calls a function once per element",
    "reduce": "functools.reduce() calls a function once per element",
    "np.vectorize": "np.vectorize runs a Python loop",
    "np.frompyfunc": "np.frompyfunc runs a Python loop",
    "np.apply_along_axis": "np.apply_along_axis runs a Python loop",
    "np.apply_over_axes": "np.apply_over_axes runs a Python loop",
    "pandas.apply": ".apply() calls a Python function per row/element",
    "pandas.applymap": ".applymap() calls a Python function per element",
    "pandas.map": ".map() calls a Python function per element",
    "pandas.agg": ".agg() with a Python function",
    "pandas.transform": ".transform() with a Python function",
    "pandas.iterrows": ".iterrows() iterates row by row",
    "pandas.itertuples": ".itertuples() iterates row by row",
    "itertools": "itertools iteration helper",
    "exec": "exec() runs code hidden in a string",
    "eval": "eval() runs code hidden in a string",
    "compile": "compile() builds code from a string",
}
"""Every kind of finding, with the words shown to students. The keys are what
``allowed=`` accepts."""

@dataclass(frozen=True)
class LoopFinding:
    """One Python loop (or loop in disguise) in the student's code."""

    kind: str
    """A key of :data:`KINDS`, e.g. ``"for"``, ``"np.vectorize"``, ``"recursion"``."""

    line: int
    """Line number as the student sees it (in the cell, file or ``source=`` string)."""

    text: str
    """That line's text, stripped."""

    function: str
    """The function the line is in: the checked function or a helper it calls."""

    detail: str = ""
    """Extra words, e.g. ``"itertools.starmap"`` or ``"relu() -> step() -> relu()"``."""

    helper: bool = False
    """True when the line is in a helper rather than the checked function."""

    def label(self) -> str:
        words = KINDS.get(self.kind, self.kind)
        return f"{words}: {self.detail}" if self.detail else words

    def __str__(self) -> str:
        if self.line <= 0:
            where = f"{self.function}() itself"
        elif self.text:
            where = f"line {self.line}: {self.text!r}"
        else:
            where = f"line {self.line}"
        extra = f" in helper {self.function}()" if self.helper else ""
        return f"{where} ({self.label()}{extra})"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line, "text": self.text,
                "function": self.function, "detail": self.detail, "helper": self.helper}


@dataclass(frozen=True)
class StaticScan:
    """What the static signal saw: findings beyond the allowance, and tolerated ones."""

    findings: tuple[LoopFinding, ...] = ()
    allowed: tuple[LoopFinding, ...] = ()
    available: bool = True
    reason: str = ""
    """Why the source could not be read, when ``available`` is False."""

    functions: tuple[str, ...] = field(default_factory=tuple)
    """Functions whose source was read (the checked one first, then helpers)."""

    unanswered: tuple[str, ...] = field(default_factory=tuple)
    """Functions still the release's stub (their body starts with ``raise NotImplementedError``):
    a scan of a stub finds no loop, but nothing was answered."""

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


def normalise_allowed(allowed: Mapping[str, int] | Iterable[str] | None) -> dict[str, float]:
    """``{"for": 1}`` stays as is; ``("for",)`` means any number of ``for`` loops.
    Unknown kinds raise ValueError: a typo must not silently allow nothing."""
    if allowed is None:
        return {}
    if isinstance(allowed, str):
        allowed = (allowed,)
    items = allowed.items() if isinstance(allowed, Mapping) else ((k, math.inf) for k in allowed)
    out: dict[str, float] = {}
    for kind, count in items:
        if kind not in KINDS:
            raise ValueError(f"unknown loop kind {kind!r} in allowed=; known: {', '.join(KINDS)}")
        if count is None or count < 0:
            raise ValueError(f"allowed[{kind!r}] must be a count >= 0, got {count!r}")
        out[kind] = count
    return out
