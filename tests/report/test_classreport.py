"""Does the class report count what a TA asks about, from hand-made records?"""

import dataclasses
import html

from graders.report import tables
from graders.report.classreport import headline, report_html, write_report
from tests.report.records_factory import small_class


def test_headline_figures():
    """Are students, mean per notebook and the hardest cell computed over graded notebooks?"""
    h = headline(small_class())
    assert h.students == 4
    assert h.means == {"04_softmax": (8 + 3 + 2) / 3}
    assert h.hardest == ("04_softmax:softmax_speed", 1 / 3)
    assert h.could_not_grade == 1 and h.awaiting_manual == 1
    assert "hardest cell: 04_softmax:softmax_speed (33% pass)" in h.lines()


def test_speed_ratios_and_loops_come_from_stored_results():
    """Every speed cell's ratio, the passing one too, and the one loop user are counted from
    the results stored with the cells; reworded messages change none of it."""
    cf = tables.cell_frame(small_class())
    speed = tables.speed_ratios(cf)
    assert sorted(speed["ratio"]) == [1.2, 7.5, 41.3] and speed["passed"].sum() == 1
    loops = tables.loop_usage(cf)
    assert loops[["n", "using_loops"]].values.tolist() == [[3, 1]]
    reworded = [dataclasses.replace(r, cells=tuple(dataclasses.replace(c, reason=c.reason and "Reworded.")
                                                   for c in r.cells)) for r in small_class()]
    cf2 = tables.cell_frame(reworded)
    assert tables.speed_ratios(cf2).equals(speed) and tables.loop_usage(cf2).equals(loops)


def test_same_failure_is_grouped():
    """Do the two speed failures (41.3x and 7.5x) form one group of two?"""
    groups = tables.common_failures(tables.cell_frame(small_class()))
    top = groups.iloc[0]
    assert top["count"] == 2 and top["message"].startswith("softmax(z): Nx slower than the reference")


def test_page_lists_manual_queue_and_failures(tmp_path):
    """Does the page name who waits for a TA and whose submission failed, with embedded figures?"""
    page, t = report_html(small_class(), "04_softmax")
    assert "&lt;table" not in page and page.count('<table class="dataframe data">') >= 6
    text = html.unescape(page)
    assert "softmax_written" in t["manual"]["cells"].tolist()
    assert t["not_graded"]["student"].tolist() == ["dan"]
    assert "not valid JSON" in text
    assert page.count("data:image/png;base64,") >= 3
    paths = write_report(small_class(), "04_softmax", tmp_path)
    assert paths[0].name == "04_softmax.html" and all(p.exists() for p in paths)
    assert {p.name for p in paths[1:]} >= {"04_softmax-cells.csv", "04_softmax-scores.csv"}


def test_struggles_name_the_cell_its_causes_and_an_example():
    """The hardest cells, each with its grouped causes, their counts and one student's words."""
    cf = tables.cell_frame(small_class())
    hard = tables.struggles(cf, tables.cell_pass_rates(cf))
    assert hard["cell"].tolist()[0] == "softmax_speed"
    top = hard.iloc[0]
    assert top["failed"] == 2 and top["count"] == 2 and top["cause"].startswith("softmax(z): Nx slower")
    assert top["example"].startswith("softmax(z): ") and "slower than the reference" in top["example"]
    assert "softmax_written" not in hard["cell"].tolist()  # manual answers are the TA's, not a struggle


def test_flagged_items_are_explained_in_words():
    """A cell that the weaker students pass and the stronger fail is flagged, saying so; one
    that separates them is not."""
    from tests.report.records_factory import cell, notebook

    records = []
    for i in range(10):
        strong = i >= 5
        records.append(notebook(f"s{i}", [cell("softmax_correct", 3 if strong else 0, 3),
                                          cell("softmax_shape", 1 if strong else 0),
                                          cell("softmax_loops", 0 if strong else 1)]))
    rates = tables.cell_pass_rates(tables.cell_frame(records))
    flagged = tables.flagged_items(rates)
    assert flagged["cell"].tolist() == ["softmax_loops"]
    assert "pass it more often than those who did better" in flagged["why"].iloc[0]
    assert flagged["why"].iloc[0].startswith("softmax_loops is passed by 50% of 10;")
