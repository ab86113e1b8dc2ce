"""Grouping failure messages for class-wide counts.

Messages are written for students, one submission at a time; a TA wants them counted.
Numbers, array contents and quoted code vary between students for the same mistake, so
they are replaced by placeholders before grouping. Figures (speed ratios, loop findings)
are never read back out of messages: the report takes them from the results the engine
stores with each cell (graders.result.MIME).
"""

from __future__ import annotations

import re

_ARRAY = re.compile(r"array\(\[.*?\]\)", re.S)
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?=x\b|\W|$)", re.I)
"""A standalone number ("3", "-2.0", "1e-9", the "41.3" of "41.3x"), not the digits of "float64"."""
_SPACES = re.compile(r"\s+")


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
