"""Does `python -m graders collect` put each LMS's download into submitted/, and report every file it did not place?"""

import shutil

import pytest

from graders import cli
from graders.course import parse_timestamp
from samples.course import REPO
from tests.handin.zips import (A, CONFIG, Entry, canvas, classroom, make_course, moodle, notebook, tree, write_roster,
                               write_zip)

NB = f"{A}.ipynb"
ROSTER = [("s001", "Ann", "Lee", "al@uni.edu", "123456"), ("s002", "Zoë", "Müller", "zm@uni.edu", "123457"),
          ("s003", "Bo", "Ek", "be@uni.edu", "")]


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path)


@pytest.fixture
def roster(tmp_path):
    return write_roster(tmp_path / "roster.csv", ROSTER)


def collect(capsys, root, zip_path, *extra):
    code = cli.main(["collect", A, str(zip_path), "--root", str(root), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def row(out, entry):
    """The table line for a zip entry."""
    return next(line for line in out.splitlines() if entry in line)


def submitted(root, student):
    folder = root / "submitted" / student / A
    return (folder / NB).read_bytes(), parse_timestamp((folder / "timestamp.txt").read_text())


def test_moodle_folders_with_roster(course, roster, tmp_path, capsys):
    """Do Moodle participant folders land in submitted/<roster id>/, dated from the zip, with exit 0 and a full table?"""
    z = write_zip(tmp_path / "moodle.zip", [
        moodle("Ann Lee", 123456, NB, notebook("ann"), (2026, 12, 4, 15, 23, 2)),  # DOS dates: 2 s steps
        moodle("Zoë Müller", 123457, NB, notebook("zoe"), (2026, 12, 4, 16, 0, 0), trailing=False),
        moodle("Bo Ek", 555, NB, notebook("bo"))])  # no lms_id in the roster: matched by name
    code, out, err = collect(capsys, course, z, "--roster", str(roster))
    assert code == 0 and err == ""
    assert submitted(course, "s001") == (notebook("ann"), parse_timestamp("2026-12-04 15:23:02 UTC"))
    assert submitted(course, "s002")[0] == notebook("zoe")
    assert "matched to the roster by name" in row(out, "Bo Ek_555")
    assert out.splitlines()[0] == f"collect {A} from moodle.zip: Moodle layout, 3 file(s), roster {roster}"
    assert out.splitlines()[-1] == ("placed 3 file(s) for 3 student(s) (3 new, 0 replacing an older one, "
                                    "0 already there); not placed: 0")


def test_moodle_flat_layout_without_roster(course, tmp_path, capsys):
    """Does the older flat Moodle layout work without a roster, ids made from names, and a warning saying so?"""
    z = write_zip(tmp_path / "flat.zip", [moodle("Zoë Müller", 9, NB, notebook("zoe"), flat=True)])
    code, out, err = collect(capsys, course, z)
    assert code == 0 and submitted(course, "zoe_muller")[0] == notebook("zoe")
    assert err.startswith("warning: no roster: student ids are the Moodle names made folder-safe")


def test_canvas_late_and_resubmitted(course, tmp_path, capsys):
    """Does Canvas's newest attachment win, are both copies reported (exit 1), and is a LATE mark shown?"""
    roster = write_roster(tmp_path / "canvas.csv", [("s001", "Ann", "Lee", "al@uni.edu", "4021"),
                                                    ("s002", "Zoë", "Müller", "zm@uni.edu", "")])
    z = write_zip(tmp_path / "canvas.zip", [
        canvas("leeann", 4021, 7001, NB, notebook("ann v1")),
        canvas("leeann", 4021, 7002, f"{A}-1.ipynb", notebook("ann v2")),
        canvas("mullerzoe", 4022, 7003, NB, notebook("zoe"), late="LATE")])
    code, out, err = collect(capsys, course, z, "--roster", str(roster))
    assert code == 1
    assert submitted(course, "s001")[0] == notebook("ann v2")
    assert "newest of 2 copies" in row(out, "7002")
    assert row(out, "7001").split()[:3] == ["not", "placed", "s001"]
    assert f"older copy of {NB}: leeann_4021_7002_{A}-1.ipynb is newer and was placed" in row(out, "7001")
    assert "Canvas marked it late" in row(out, "mullerzoe")


def test_classroom_latest_by_date_not_by_copy_number(course, roster, tmp_path, capsys):
    """In a Classroom download, does the later-dated file win even when Drive numbered the other '(1)'?"""
    z = write_zip(tmp_path / "drive-download.zip", [
        classroom("Ann Lee", NB, notebook("newer"), (2026, 12, 5, 9, 0, 0)),
        classroom("Ann Lee", f"{A} (1).ipynb", notebook("older"), (2026, 12, 4, 9, 0, 0))])
    code, out, _ = collect(capsys, course, z, "--roster", str(roster))
    assert code == 1 and submitted(course, "s001")[0] == notebook("newer")
    assert "older copy" in row(out, "(1).ipynb")


def test_hostile_and_broken_files_are_reported_and_the_rest_placed(course, roster, tmp_path, capsys):
    """Are unknown students, wrong names, non-notebooks, bad JSON, path tricks and links each reported with
    their reason, nothing written outside the course, and the good submission still placed?"""
    z = write_zip(tmp_path / "moodle.zip", [
        moodle("Ann Lee", 123456, NB, notebook("ann")),
        moodle("Eve Intruder", 999, NB, notebook("eve")),
        moodle("Zoë Müller", 123457, "Untitled.ipynb", notebook()),
        moodle("Zoë Müller", 123457, f"{A} (copy).ipynb", notebook()),
        moodle("Zoë Müller", 123457, f"{A}.py", b"print(1)"),
        moodle("Bo Ek", 555, NB, b'{"cells": [ not json'),
        Entry(f"Ann Lee_123456_assignsubmission_file_/../../../../escaped/{NB}", notebook("evil")),
        Entry(f"/tmp/Ann Lee_123456_assignsubmission_file_/{NB}", notebook("evil")),
        Entry(f"Zoë Müller_123457_assignsubmission_file_/{NB}", str(tmp_path / "secret").encode(), symlink=True),
        Entry("__MACOSX/._x", b"junk")])
    before = tree(tmp_path)
    code, out, _ = collect(capsys, course, z, "--roster", str(roster))
    assert code == 1
    assert tree(tmp_path) - before == {f"course/submitted/s001/{A}/{n}" for n in (NB, "timestamp.txt", "lms.json")}
    assert "unknown student Eve Intruder (Moodle id 999): not in roster.csv" in row(out, "Eve Intruder")
    assert f"wrong notebook name 'Untitled.ipynb' (expected {NB})" in row(out, "Untitled")
    assert f"wrong notebook name '{A} (copy).ipynb'" in row(out, "(copy)")
    assert f"not a notebook (.py file '{A}.py'); expected {NB}" in row(out, ".py")
    assert "not valid JSON (line 1, column 13: Expecting value)" in row(out, "Bo Ek")
    assert "'..' in the zip entry's name" in row(out, "escaped")
    assert "absolute path as the zip entry's name" in row(out, "  /tmp/Ann")
    assert "symbolic link in the zip (never followed)" in row(out, f"Zoë Müller_123457_assignsubmission_file_/{NB}")
    assert row(out, "__MACOSX").startswith("  ignored")
    assert out.splitlines()[-1].endswith("not placed: 8")


def test_json_that_is_not_a_notebook(course, tmp_path, capsys):
    """Is valid JSON that is no notebook reported as such?"""
    z = write_zip(tmp_path / "z.zip", [moodle("Ann Lee", 1, NB, b'{"hello": "world"}')])
    assert "JSON but not a Jupyter notebook" in row(collect(capsys, course, z)[1], "Ann Lee")


def test_two_people_one_id_are_not_merged(course, tmp_path, capsys):
    """Without a roster, are two Canvas users with the same name kept apart (both refused), not merged?"""
    z = write_zip(tmp_path / "c.zip", [canvas("smithjohn", 1, 10, NB, notebook("a")),
                                       canvas("smithjohn", 2, 11, NB, notebook("b"))])
    code, out, _ = collect(capsys, course, z)
    assert code == 1 and not (course / "submitted").exists()
    assert "2 different Canvas people (1, 2) would become student 'smithjohn'" in row(out, "smithjohn_1_")


def test_collecting_again_keeps_newer_and_moves_older_aside(course, roster, tmp_path, capsys):
    """Is the same zip again 'unchanged' (exit 0), a newer zip replacing with the old moved aside, an older one refused?"""
    old = write_zip(tmp_path / "old.zip", [moodle("Ann Lee", 123456, NB, notebook("v1"), (2026, 12, 4, 9, 0, 0))])
    new = write_zip(tmp_path / "new.zip", [moodle("Ann Lee", 123456, NB, notebook("v2"), (2026, 12, 5, 9, 0, 0))])
    assert collect(capsys, course, old, "--roster", str(roster))[0] == 0
    code, out, _ = collect(capsys, course, old, "--roster", str(roster))
    assert code == 0 and "unchanged" in row(out, "Ann Lee")
    code, out, _ = collect(capsys, course, new, "--roster", str(roster))
    assert code == 0 and "replaced" in row(out, "Ann Lee") and "the older one moved to submitted/.replaced/s001/" in out
    assert [p.name for p in (course / "submitted" / ".replaced" / "s001").iterdir()][0].startswith(f"{A}-")
    code, out, _ = collect(capsys, course, old, "--roster", str(roster))
    assert code == 1 and "already holds a newer submission" in row(out, "Ann Lee")
    assert submitted(course, "s001")[0] == notebook("v2")


def test_folders_and_time_zone_come_from_the_course_config(tmp_path, capsys):
    """Are submitted_directory, release_directory and Exchange.timezone read from nbgrader_config.py?"""
    config = CONFIG + ('c.CourseDirectory.submitted_directory = "handed_in"\n'
                       'c.CourseDirectory.release_directory = "out"\nc.Exchange.timezone = "Europe/Berlin"\n')
    root = make_course(tmp_path, config, release="out")
    z = write_zip(tmp_path / "z.zip", [moodle("Ann Lee", 1, NB, notebook(), (2026, 12, 4, 15, 23, 0))])
    assert collect(capsys, root, z)[0] == 0
    stamp = (root / "handed_in" / "ann_lee" / A / "timestamp.txt").read_text()
    assert stamp == "2026-12-04 15:23:00.000000 CET" and str(parse_timestamp(stamp)) == "2026-12-04 14:23:00"


def test_the_course_own_config(tmp_path, capsys):
    """Does collect work with this course's real nbgrader_config.py?"""
    root = make_course(tmp_path)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    z = write_zip(tmp_path / "z.zip", [moodle("Ann Lee", 1, NB, notebook())])
    assert collect(capsys, root, z)[0] == 0 and (root / "submitted" / "ann_lee" / A / NB).is_file()


@pytest.mark.parametrize("case, message", [
    ("missing zip", "error: no such zip: "),
    ("corrupt zip", " is not a readable zip file (File is not a zip file)"),
    ("zip bomb", " would expand to 3 MB, over the 1 MB cap (a zip bomb? raise the cap with --max-mb"),
    ("missing roster", "error: no such roster: "),
    ("roster without ids", "has no 'id' column"),
    ("unknown assignment", "is '05_nope' an assignment of this course?"),
    ("no LMS layout", "no file in it is named the way Moodle, Canvas or Google Classroom name downloaded submissions; pass --lms"),
])
def test_unusable_inputs_exit_2_with_one_line(course, tmp_path, capsys, case, message):
    """Does each unusable input stop collect with exit 2, one line naming the problem, and nothing written?"""
    z = write_zip(tmp_path / "ok.zip", [moodle("Ann Lee", 1, NB, notebook())])
    args, assignment = ["--max-mb", "1"], A
    if case == "missing zip":
        z = tmp_path / "nope.zip"
    elif case == "corrupt zip":
        z.write_bytes(b"this is not a zip")
    elif case == "zip bomb":
        write_zip(z, [moodle("Ann Lee", i, NB, b" " * 1_000_000) for i in range(3)])
    elif case == "missing roster":
        args += ["--roster", str(tmp_path / "nope.csv")]
    elif case == "roster without ids":
        (tmp_path / "r.csv").write_text("name,email\nAnn,a@b\n")
        args += ["--roster", str(tmp_path / "r.csv")]
    elif case == "unknown assignment":
        assignment = "05_nope"
    elif case == "no LMS layout":
        write_zip(z, [Entry("notes/04_softmax.ipynb", notebook())])
    code = cli.main(["collect", assignment, str(z), "--root", str(course), *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert not (course / "submitted").exists()


def test_lms_can_be_forced(course, tmp_path, capsys):
    """With --lms canvas, is a Moodle-named file reported as not named as Canvas names files?"""
    z = write_zip(tmp_path / "z.zip", [moodle("Ann Lee", 1, NB, notebook())])
    code, out, _ = collect(capsys, course, z, "--lms", "canvas")
    assert code == 1 and f"not named as a Canvas download names files (e.g. lastnamefirstname_12345_67890_{NB})" in out
