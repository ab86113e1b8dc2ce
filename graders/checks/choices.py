"""Multiple-choice answers: forgiving about form, strict about content.

Students type ``q1 = "c"`` in many ways: ``"C"``, ``" c "``, ``"(c)"``, ``"[c]"``, ``"c)"``. All of
these mean the same letter and are accepted. Anything that is not one of the valid
letters (``"c or d"``, ``3``, ``None``) fails with a message listing the valid letters,
so a typo costs a retry, not the point. A wrong letter never reveals the right one.
"""

from __future__ import annotations

import re
from typing import Any

from ..describe import safe_repr
from ..result import Result

_FORM = re.compile(r"^\s*[(\[]?\s*([A-Za-z])\s*[)\].]?\s*$")


def normalise_choice(answer: Any, options: str = "abcd") -> str | None:
    """The single lower-case letter ``answer`` stands for, or None if it is not one of
    ``options``."""
    if not isinstance(answer, str):
        return None
    m = _FORM.match(answer)
    if not m:
        return None
    letter = m.group(1).lower()
    return letter if letter in options else None


def check_choice_format(answer: Any, *, options: str = "abcd", name: str = "answer") -> Result:
    """Is the answer one of the valid letters, in any accepted form? (Public check.)"""
    letter = normalise_choice(answer, options)
    valid = ", ".join(f'"{o}"' for o in options)
    if letter is not None:
        return Result.ok("check_choice_format", f"{name}: {letter!r} is a valid choice", letter=letter)
    if answer is None or answer == "":
        what = "is empty"
    else:
        what = f"is {safe_repr(answer, 40)}, which is not one of the choices"
    return Result.fail("check_choice_format",
                       f"{name} {what}. Set it to one of {valid}, for example {name} = \"{options[0]}\".",
                       answer=safe_repr(answer, 40))


def check_choice(answer: Any, correct: str, *, options: str = "abcd", name: str = "answer") -> Result:
    """Is the answer the correct letter? Invalid forms fail as in :func:`check_choice_format`."""
    if correct not in options:
        raise ValueError(f"check_choice: correct answer {correct!r} is not among options {options!r}")
    fmt = check_choice_format(answer, options=options, name=name)
    if not fmt.passed:
        return Result.fail("check_choice", fmt.message, **dict(fmt.details))
    letter = fmt.details["letter"]
    if letter == correct:
        return Result.ok("check_choice", f"{name}: correct", letter=letter)
    return Result.fail("check_choice", f"{name}: ({letter}) is not the right answer. "
                                       "Re-read the question and the section it comes from.",
                       letter=letter)
