"""Checks on the words of a plot: title, axis labels, legend entries.

Students legitimately write "Sigmoid function" where the exercise says "sigmoid", or
"Epoch " with a trailing space, so text is matched leniently: case and runs of whitespace
are ignored, and by default an expected word only has to be *contained* in the text. An
exercise that needs more precision passes a compiled regular expression instead of a
string. Data, by contrast, is checked strictly (see :mod:`graders.checks.plots`).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from ...describe import block, hint_line, safe_repr
from ...result import Result
from .inspect import AxesSummary

Expected = bool | str | re.Pattern | None
"""``None``/``False``: not checked; ``True``: must be non-empty; ``str``: matched leniently;
``re.Pattern``: ``pattern.search(text)`` must succeed."""

_DEFAULT_HINTS = {
    "title": "ax.set_title(...) or plt.title(...)",
    "xlabel": "ax.set_xlabel(...) or plt.xlabel(...)",
    "ylabel": "ax.set_ylabel(...) or plt.ylabel(...)",
    "legend": "give each artist a label= and call ax.legend() (or plt.legend())",
}
_WHAT = {"title": "The plot", "xlabel": "The x-axis", "ylabel": "The y-axis"}


def normalise(text: Any) -> str:
    """Case-folded text with whitespace runs collapsed: ``" Loss  per\\nEpoch"`` -> ``"loss per epoch"``."""
    return " ".join(str(text).split()).casefold()


def text_matches(text: str, expected: Expected, *, contains: bool = True) -> bool:
    if expected is None or expected is False:
        return True
    if expected is True:
        return bool(text.strip())
    if isinstance(expected, re.Pattern):
        return expected.search(text) is not None
    want, got = normalise(expected), normalise(text)
    return want in got if contains else want == got


def expectation_words(expected: Expected, *, contains: bool = True) -> str:
    """``"containing 'loss'"``, ``"matching r'^epochs?$'"``: what was asked, for messages."""
    if expected is True:
        return "non-empty"
    if isinstance(expected, re.Pattern):
        return f"matching r{safe_repr(expected.pattern, 60)}"
    return f"{'containing' if contains else 'equal to'} {safe_repr(str(expected), 60)}"


def assign(n_expected: int, n_actual: int, ok: Callable[[int, int], bool]) -> dict[int, int]:
    """Pair each expected item with a distinct actual one where ``ok(i, j)`` (bipartite
    matching by augmenting paths), so "sigmoid" and "sigmoid derivative" can both be
    matched whichever order the student drew them in. Returns ``{expected: actual}``."""
    okm = [[bool(ok(i, j)) for j in range(n_actual)] for i in range(n_expected)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(n_actual):
            if okm[i][j] and j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(n_expected):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def unmatched_texts(
    texts: Sequence[str], expected: Sequence[Expected], *, contains: bool = True
) -> list[Expected]:
    """The expected entries that no distinct text matches."""
    pairs = assign(len(expected), len(texts), lambda i, j: text_matches(texts[j], expected[i], contains=contains))
    return [e for i, e in enumerate(expected) if i not in pairs]


def quoted(texts: Sequence[Any]) -> str:
    return ", ".join(safe_repr(t, 60) for t in texts) if texts else "none"


def label_problems(
    ax: AxesSummary,
    *,
    title: Expected = None,
    xlabel: Expected = None,
    ylabel: Expected = None,
    legend: bool | Sequence[Expected] | None = None,
    contains: bool = True,
    suptitle: str = "",
) -> list[tuple[str, str]]:
    """``[(part, sentence), ...]`` for every label that is missing or wrong."""
    problems: list[tuple[str, str]] = []
    found = {"title": ax.title or suptitle, "xlabel": ax.xlabel, "ylabel": ax.ylabel}
    for part, want in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if want is None or want is False:
            continue
        text = found[part]
        noun = "title" if part == "title" else "label"
        if not text.strip():
            problems.append((part, f"{_WHAT[part]} has no {noun}."))
        elif not text_matches(text, want, contains=contains):
            words = expectation_words(want, contains=contains)
            problems.append((part, f"{_WHAT[part]} {noun} is {safe_repr(text, 80)}, expected a {noun} {words}."))
    if legend is not None and legend is not False:
        if ax.legend is None:
            problems.append(("legend", "The plot has no legend."))
        elif not ax.legend:
            problems.append(("legend", "The legend is empty (no artist has a label)."))
        elif legend is not True:
            missing = unmatched_texts(ax.legend, list(legend), contains=contains)
            if missing:
                want = ", ".join(expectation_words(m, contains=contains) for m in missing)
                problems.append(
                    ("legend", f"The legend has entries {quoted(ax.legend)}, but none {want}.")
                )
    return problems


def check_labels_on(
    ax: AxesSummary,
    *,
    title: Expected = None,
    xlabel: Expected = None,
    ylabel: Expected = None,
    legend: bool | Sequence[Expected] | None = None,
    contains: bool = True,
    suptitle: str = "",
    name: str | None = None,
    hint: str | None = None,
) -> Result:
    """:func:`graders.checks.plots.check_labels` on an already summarised axes."""
    problems = label_problems(
        ax, title=title, xlabel=xlabel, ylabel=ylabel, legend=legend, contains=contains, suptitle=suptitle
    )
    found = {"title": ax.title or suptitle, "xlabel": ax.xlabel, "ylabel": ax.ylabel,
             "legend": list(ax.legend) if ax.legend is not None else None}
    prefix = f"{name}, axes {ax.index}: " if name else ""
    if not problems:
        return Result.ok("check_labels", f"{prefix or 'On axes ' + str(ax.index) + ': '}the labels asked for are there.",
                         axes=ax.index, found=found, missing=[])
    lines = []
    for part, sentence in problems:
        lines.append(sentence if hint else f"{sentence} Hint: {_DEFAULT_HINTS[part]}")
    lines[0] = prefix + lines[0]
    return Result.fail("check_labels", block(*lines, hint_line(hint)),
                       axes=ax.index, found=found, missing=[p for p, _ in problems])
