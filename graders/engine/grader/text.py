"""Text from the student's kernel, made safe to store.

A Python string can hold a lone UTF-16 surrogate (``"\\ud800"``), which no UTF-8 file can:
printed by a student's code or carried in an error message, it would make the autograded
notebook unwritable and the batch fail. Every such code point becomes U+FFFD, the
replacement character; valid text is returned unchanged (the same object).
"""

from __future__ import annotations

from typing import Any


def clean(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def clean_tree(value: Any) -> Any:
    """``value`` (a notebook, its dicts and lists) with every string cleaned, in place where it
    can be; returns the cleaned value."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        for key in list(value):
            new_key = clean(key) if isinstance(key, str) else key
            item = clean_tree(value[key])
            if new_key is not key:
                del value[key]
            value[new_key] = item
        return value
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = clean_tree(item)
        return value
    return value


def writes_safely(nb: Any) -> str:
    """``nbformat.writes(nb)``, cleaning the notebook first when it holds a lone surrogate."""
    import nbformat

    text = nbformat.writes(nb)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return nbformat.writes(clean_tree(nb))
