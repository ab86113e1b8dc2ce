"""Does the class report count what a TA asks about, from hand-made records?"""

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


def test_speed_ratios_and_loops_are_read_from_messages():
    """Are the two slow submissions' ratios and the one loop user counted?"""
    cf = tables.cell_frame(small_class())
    assert sorted(tables.speed_ratios(cf)["ratio"]) == [7.5, 41.3]
    loops = tables.loop_usage(cf)
    assert loops[["n", "using_loops"]].values.tolist() == [[3, 1]]


def test_same_failure_is_grouped():
    """Do the two speed failures (41.3x and 7.5x) form one group of two?"""
    groups = tables.common_failures(tables.cell_frame(small_class()))
    top = groups.iloc[0]
    assert top["count"] == 2 and top["message"].startswith("softmax(z): Nx slower than the reference")


def test_page_lists_manual_queue_and_failures(tmp_path):
    """Does the page name who waits for a TA and whose submission failed, with embedded figures?"""
    page, t = report_html(small_class(), "04_softmax")
    text = html.unescape(page)
    assert "softmax_written" in t["manual"]["cells"].tolist()
    assert t["not_graded"]["student"].tolist() == ["dan"]
    assert "not valid JSON" in text
    assert page.count("data:image/png;base64,") >= 3
    paths = write_report(small_class(), "04_softmax", tmp_path)
    assert paths[0].name == "04_softmax.html" and all(p.exists() for p in paths)
    assert {p.name for p in paths[1:]} >= {"04_softmax-cells.csv", "04_softmax-scores.csv"}
