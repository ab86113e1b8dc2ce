"""Reading failure messages back for class-wide counts: grouping, speed ratios, loop lines.

Messages are written for students, one submission at a time; a TA wants them counted.
Numbers, array contents and quoted code vary between students for the same mistake, so
they are replaced by placeholders before grouping.
"""

from __future__ import annotations

import re

_ARRAY = re.compile(r"array\(\[.*?\]\)", re.S)
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?=x\b|\W|$)", re.I)
"""A standalone number ("3", "-2.0", "1e-9", the "41.3" of "41.3x"), not the digits of "float64"."""
_SPACES = re.compile(r"\s+")
_RATIO = re.compile(r"(at least )?(\d+(?:\.\d+)?)x slower than the reference")
_LOOP_HEAD = re.compile(r"uses Python loops")


def headline(message: str) -> str:
    """The first non-empty line of a message: what went wrong, before inputs and hints."""
    for line in message.splitlines():
        if line.strip():
            return line.strip()
    return ""


def normalise(message: str) -> str:
    """A message's first line with inputs and figures replaced, so the same mistake made by
    different students, on different random inputs, reads the same.

    >>> normalise("softmax(z): 3 of 12 values differ at (0, 1): got 0.25, expected array([0.1])")
    'softmax(z): N of N values differ at (N, N): got N, expected array(…)'
    """
    text = headline(message)
    text = _ARRAY.sub("array(…)", text)
    text = _QUOTED.sub("'…'", text)
    text = _BRACKETS.sub("[…]", text)
    text = _NUMBER.sub("N", text)
    return _SPACES.sub(" ", text).strip()


def speed_ratio(message: str) -> tuple[float, bool] | None:
    """(ratio, is_lower_bound) from a speed failure ("41.3x slower", "at least 85x slower")."""
    m = _RATIO.search(message)
    if not m:
        return None
    return float(m.group(2)), bool(m.group(1))


def uses_loops(message: str) -> bool:
    """True when a loops check failed because the code loops (not because it could not run)."""
    return bool(_LOOP_HEAD.search(message))
