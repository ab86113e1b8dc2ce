"""Does the LMS export tell graded, waiting and failed notebooks apart, with late penalties?"""

import csv

from graders.report.export import export_rows, penalty, write_export
from tests.report.records_factory import cell, notebook, small_class


def test_one_row_per_student_with_cell_and_total_columns():
    """Is there a column per grade cell and a total, status and reason per notebook?"""
    header, rows = export_rows(small_class())
    assert header[:5] == ["student_id", "04_softmax:softmax_correct", "04_softmax:softmax_loops",
                          "04_softmax:softmax_speed", "04_softmax:softmax_written"]
    assert header[5:] == ["04_softmax total", "04_softmax status", "04_softmax reason",
                          "04_softmax late_penalty", "total"]
    assert [r["student_id"] for r in rows] == ["ann", "bob", "cat", "dan"]


def test_a_failed_autograde_is_not_a_zero():
    """Does a corrupt submission get an empty total, 'could not grade' and the reason?"""
    dan = export_rows(small_class())[1][3]
    assert dan["04_softmax total"] == ""
    assert dan["04_softmax status"] == "could not grade"
    assert "not valid JSON" in dan["04_softmax reason"]


def test_waiting_cells_are_named():
    """Does a notebook awaiting a TA say which cells wait?"""
    bob = export_rows(small_class())[1][1]
    assert bob["04_softmax status"] == "needs manual grading"
    assert bob["04_softmax reason"] == "awaiting: softmax_written"
    assert bob["04_softmax:softmax_written"] == ""


def test_gradebook_penalty_wins_over_the_option():
    """Is nbgrader's recorded late penalty used even when a per-day option is given?"""
    r = notebook("x", [cell("f_correct", 3, 3)], late_penalty=0.5, seconds_late=3 * 86400)
    assert penalty(r, late_penalty_per_day=0.1) == 0.5


def test_per_day_penalty_counts_started_days_and_stops_at_zero():
    """Is 1.5 days late at 10%/day of 10 points a 2-point penalty, and never beyond the score?"""
    r = notebook("x", [cell("f_correct", 7, 10)], seconds_late=1.5 * 86400)
    assert penalty(r, 0.1) == 2.0
    assert penalty(notebook("y", [cell("f_correct", 1, 10)], seconds_late=9 * 86400), 0.5) == 1.0
    assert penalty(r, 0.0) == 0.0


def test_written_csv_reads_back(tmp_path):
    """Does the CSV round-trip with the totals after penalties?"""
    recs = [notebook("x", [cell("f_correct", 7, 10)], seconds_late=100)]
    path = write_export(recs, tmp_path / "out.csv", late_penalty_per_day=0.1)
    row = next(csv.DictReader(open(path)))
    assert row["04_softmax total"] == "6" and row["04_softmax late_penalty"] == "1" and row["total"] == "6"
