"""Assertions on what a person sees in a rendered page, not on the HTML file's bytes.

Syntax highlighting splits code into many spans, so a grep of the HTML can miss a leaked
hidden test that a student reads plainly; the rendered text cannot.
"""

from __future__ import annotations


def rendered_text(page) -> str:
    """All text of the rendered document: visible text plus hidden and script text."""
    return page.evaluate(
        "() => document.body.innerText + '\\n' + document.documentElement.textContent")


def assert_not_in_dom(page, forbidden: list[str]) -> None:
    """Fail, naming each string, when any of ``forbidden`` appears in the rendered page."""
    text = rendered_text(page)
    found = [s for s in forbidden if s in text]
    assert not found, f"{page.url} shows {len(found)} forbidden string(s): {found}"
