"""Does what a notebook tells students agree with what its hidden checks do?"""

import re

import nbformat

from graders.checks.choices import normalise_choice
from samples.course import REPO


def source(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", 4)


def cell(nb, grade_id: str) -> str:
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def shape(text: str) -> tuple[int, ...]:
    return tuple(int(x.replace("_", "")) for x in re.findall(r"[\d_]+", text))


def test_softmax_speed_is_timed_on_the_shape_the_text_states():
    """04 says on what batch shape speed is measured: is it the shape the hidden check times?"""
    nb = source("04_softmax")
    stated = re.search(r"batch of shape `\(([\d_, ]+)\)`", cell(nb, "intro"))
    timed = re.search(r"_zs = _rng\.normal\([^)]*size=\(([\d_, ]+)\)\)", cell(nb, "softmax_speed"))
    assert stated and timed
    assert shape(stated.group(1)) == shape(timed.group(1))


def test_every_answer_form_the_mcq_text_allows_is_accepted():
    """01 shows forms of an answer that are fine: does the check accept each of them?"""
    intro = cell(source("01_mcq"), "intro")
    line = next(l for l in intro.splitlines() if "are all fine" in l)
    forms = re.findall(r'`"([^"`]*)"`', line)
    assert len(forms) >= 3 and any("[" in f for f in forms)
    assert {normalise_choice(f) for f in forms} == {"b"}


def test_manhattan_is_checked_for_the_integer_array_the_text_asks_for():
    """06 asks for an integer array: do the visible and the hidden check both require one?"""
    nb = source("06_ipl_pipeline")
    assert "integer array of shape `(2, 20)`" in cell(nb, "manhattan-task")
    checked = cell(nb, "manhattan_correct")
    visible, hidden = checked.split("### BEGIN HIDDEN TESTS")
    assert 'kind="iu"' in visible and 'kind="iu"' in hidden
