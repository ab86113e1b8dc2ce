"""What of a source notebook must never reach a student, as a set of lines.

A line is secret when it lies inside a solution, hidden-test or mark-scheme region (or is
the model text of a manually graded answer cell) and appears nowhere in the visible parts
of the notebook, not even inside a longer visible line (a visible check may import more
names, or pass a hint among other arguments: that text is published). The release leak test scans released notebooks for these lines; the
feedback scrubs them out of failure messages, because student code can put text it found
in the kernel (IPython's ``In`` history holds the hidden test cells already run) into an
exception message.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..cells import is_answer_md

SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
MARK_SCHEME = ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")
REGIONS = [SOLUTION, HIDDEN, MARK_SCHEME]
MARKERS = {m for pair in REGIONS for m in pair}
TRIVIAL = re.compile(r"^[\s#()\[\]{}:,.'\"-]*$")
MIN_CHARS = 6
REDACTED = "[removed: text from a hidden test]"


def split_source(source: str, solution_markdown: bool = False,
                 regions: Iterable[tuple[str, str]] = REGIONS) -> tuple[list[str], list[str]]:
    """(secret lines, visible lines) of one cell's source."""
    lines = source.splitlines()
    if solution_markdown:
        return lines, []
    secret, visible, inside = [], [], None
    for line in lines:
        stripped = line.strip()
        if inside is None:
            inside = next((end for begin, end in regions if stripped.startswith(begin)), None)
            (secret if inside else visible).append(line)
        else:
            secret.append(line)
            if stripped.startswith(inside):
                inside = None
    return secret, visible


def secret_lines(cells: Iterable[tuple[str, bool]], regions: Iterable[tuple[str, str]] = REGIONS) -> set[str]:
    """Secret lines of a notebook given as (source, is a manually graded markdown answer)."""
    secret: set[str] = set()
    visible: set[str] = set()
    regions = list(regions)
    for source, solution_markdown in cells:
        s, v = split_source(source, solution_markdown and SOLUTION in regions, regions)
        secret |= {x.strip() for x in s}
        visible |= {x.strip() for x in v}
    shown = "\n".join(visible)
    return {s for s in secret - visible - MARKERS
            if len(s) >= MIN_CHARS and not TRIVIAL.match(s) and s not in shown}


def secrets_of(nb: Any) -> set[str]:
    """Secret lines of an nbformat notebook."""
    return secret_lines((cell.get("source", ""), is_answer_md(cell)) for cell in nb.cells)


def hidden_test_lines(sources: Iterable[str]) -> set[str]:
    """Lines of hidden tests and mark schemes: what a failure message may never quote.
    (Solution lines are left alone: a message quoting the student's own line that happens
    to equal the model answer reveals nothing the student does not have.)"""
    return secret_lines(((src, False) for src in sources), regions=[HIDDEN, MARK_SCHEME])


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of a secret line replaced by a marker."""
    for s in sorted(secrets, key=len, reverse=True):
        if s in text:
            text = text.replace(s, REDACTED)
    return text
