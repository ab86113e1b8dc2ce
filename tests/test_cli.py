"""Does `python -m graders <verb>` run feedback, report and export on a course?"""

import csv
import subprocess
import sys

import pytest

from graders import cli
from tests.report.graded_course import A, graded_course


def test_the_three_verbs_are_registered():
    """Are feedback, report and export verbs, each with a help line?"""
    assert {"feedback", "report", "export"} <= set(cli.VERBS)
    assert all(v.help for v in cli.VERBS.values())


def test_a_new_verb_is_one_decorated_function(monkeypatch, capsys):
    """Can a verb be added by registering one function, with its own arguments?"""
    monkeypatch.setattr(cli, "VERBS", dict(cli.VERBS))

    @cli.verb("hello", "say hello", cli.arg("--name", default="world"))
    def hello(args):
        print(f"hello {args.name}")
        return 3

    assert cli.main(["hello", "--name", "TA"]) == 3
    assert capsys.readouterr().out == "hello TA\n"


def test_a_course_without_gradebook_is_a_clear_error(tmp_path, capsys):
    """Does a folder with no gradebook.db exit 2 with a one-line reason, not a traceback?"""
    assert cli.main(["report", "--root", str(tmp_path)]) == 2
    assert "no gradebook.db" in capsys.readouterr().err


def test_module_entry_point_shows_the_verbs():
    """Does `python -m graders --help` list the verbs?"""
    out = subprocess.run([sys.executable, "-m", "graders", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "feedback" in out.stdout and "report" in out.stdout and "export" in out.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return graded_course(tmp_path_factory)


@pytest.mark.slow
def test_report_prints_where_and_headline_figures(course, capsys):
    """Does `report` print the page's path, students, the mean per notebook and the hardest cell?"""
    assert cli.main(["report", "--root", str(course.root), "-a", A]) == 0
    out = capsys.readouterr().out
    assert f"report: {(course.root / 'reports' / (A + '.html')).resolve()}" in out
    assert "students: 13" in out
    assert f"mean {A}: " in out and "hardest cell: 02_sigmoid:" in out
    assert "could not grade: 2" in out


@pytest.mark.slow
def test_export_marks_failed_autogrades(course, capsys):
    """Does `export` write one row per student, with 'could not grade' for the corrupt file?"""
    assert cli.main(["export", "--root", str(course.root), "--to", "lms.csv"]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader(open(course.root / "lms.csv"))}
    assert rows["corrupt"][f"{A} status"] == "could not grade" and rows["corrupt"][f"{A} total"] == ""
    assert rows["key"][f"{A}:sigmoid_correct"] == "3"


@pytest.mark.slow
def test_feedback_writes_a_page_per_submission(course, capsys):
    """Does `feedback` write a page for each submitted student, in nbgrader's feedback folder?"""
    assert cli.main(["feedback", "--root", str(course.root), "-s", "key", "-s", "missing"]) == 0
    assert "feedback: 2 page(s)" in capsys.readouterr().out
    assert (course.root / "feedback" / "missing" / A / f"{A}.html").is_file()
