"""The class report as a TA sees it in chromium: real tables, the summary first, every
section filled from a class graded by the engine (02_sigmoid: the key, every archetype, a
blank, a broken and a misnamed submission)."""

from __future__ import annotations

import pytest

from graders.report.classreport import write_report
from graders.report.collect import collect
from tests.browser.conftest import ARTIFACTS
from tests.report.graded_course import A, graded_course

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    course = graded_course(tmp_path_factory)
    return write_report(collect(course.root, [A]), A, tmp_path_factory.mktemp("report"))[0]


def rows(page, section: str) -> list[list[str]]:
    """The body rows of the first table in a section, cell by cell, as rendered."""
    return page.eval_on_selector_all(
        f"section#{section} table tbody tr", "trs => trs.map(tr => [...tr.cells].map(td => td.innerText.trim()))")


def header(page, section: str) -> list[str]:
    return page.eval_on_selector_all(f"section#{section} table thead th", "ths => ths.map(th => th.innerText.trim())")


def test_the_report_renders_tables_with_the_summary_first(page, report):
    """Every table is a table in the DOM (no markup shown as text); the first section is the
    summary per notebook, then per aspect, then where the class struggles."""
    page.goto(report.as_uri())
    page.screenshot(path=str(ARTIFACTS / "classreport.png"), full_page=True)
    body = page.inner_text("body")
    assert "<table" not in body and "<tr" not in body and "&lt;" not in body
    order = page.eval_on_selector_all("section", "ss => ss.map(s => s.id)")
    assert order[:3] == ["summary", "aspects", "struggles"] and order[-1] == "cells"
    assert page.locator("section table").count() >= 8
    summary = dict(zip(header(page, "summary"), rows(page, "summary")[0]))
    assert summary["notebook"] == A and int(summary["graded"]) >= 9
    assert "corrupt" in summary["who_could_not_be_graded"] and "renamed" in summary["who_could_not_be_graded"]
    aspects = {r[0] for r in rows(page, "aspects")}
    assert {"correctness", "speed", "loops", "stability"} <= aspects


def test_struggles_show_counts_and_an_example_message(page, report):
    """The hardest cells come with their most common causes, a count and one student's words."""
    page.goto(report.as_uri())
    cols = header(page, "struggles")
    found = [dict(zip(cols, r)) for r in rows(page, "struggles")]
    assert found and len({r["cell"] for r in found}) <= 5
    assert all(int(r["count"]) >= 1 and r["example"] for r in found)
    assert any("NotImplementedError" in r["example"] or "not answered" in r["example"] for r in found)


def test_speed_lists_every_submission_with_its_ratio(page, report):
    """Passing speed checks show their ratio too, read from the results stored with the cells."""
    page.goto(report.as_uri())
    cols = header(page, "speed")
    speed = {r[cols.index("student")]: dict(zip(cols, r)) for r in rows(page, "speed")}
    assert speed["key"]["passed"] == "True" and float(speed["key"]["ratio"]) < float(speed["key"]["allowed"])
    assert speed["loop"]["passed"] == "False" and float(speed["loop"]["ratio"]) > float(speed["loop"]["allowed"])
    loops = {r[1]: r for r in rows(page, "loops")}
    assert loops["sigmoid_loops"][3] == "1"
