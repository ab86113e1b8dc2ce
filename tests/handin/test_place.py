"""Does placing a submission keep whatever was there (moved aside or kept), and does nbgrader ignore what was moved?"""

import datetime as dt
import json
import subprocess
import sys

import pytest

from graders.course import load_course, parse_timestamp
from graders.handin.place import Incoming, lms_record, place
from tests.handin.zips import A, make_course, notebook

UTC = dt.timezone.utc
DAY1 = dt.datetime(2026, 12, 4, 15, 23, 1, 123456, tzinfo=UTC)
DAY2 = DAY1 + dt.timedelta(days=1)
NOW = dt.datetime(2026, 12, 10, 9, 0, 0, tzinfo=UTC)


def incoming(tag, when, student="s001"):
    return Incoming(student, {f"{A}.ipynb": notebook(tag)}, when, {"lms": "moodle", "folder": "Ann Lee_1_assignsubmission_file_"})


@pytest.fixture
def course(tmp_path):
    return load_course(make_course(tmp_path))


def sub(course, student="s001"):
    return course.root / "submitted" / student / A


def test_a_new_submission_is_written_as_nbgrader_writes_one(course):
    """Are the notebook, timestamp.txt in nbgrader's format (read back by parse_utc) and lms.json written?"""
    p = place(course, A, incoming("v1", DAY1), NOW)
    assert (p.placed, p.status) == (True, "placed")
    assert (sub(course) / "timestamp.txt").read_text() == "2026-12-04 15:23:01.123456 UTC"
    assert parse_timestamp((sub(course) / "timestamp.txt").read_text()) == DAY1.replace(tzinfo=None)
    assert (sub(course) / f"{A}.ipynb").read_bytes() == notebook("v1")
    assert lms_record(course, "s001", A)["folder"] == "Ann Lee_1_assignsubmission_file_"
    assert sorted(p.name for p in sub(course).parent.iterdir()) == [A]  # no temporary folder left


def test_an_older_submission_is_moved_aside_not_deleted(course):
    """Does a newer incoming submission move the old folder, every file in it, to submitted/.replaced/?"""
    place(course, A, incoming("v1", DAY1), NOW)
    (sub(course) / "notes.txt").write_text("the student's own file")
    p = place(course, A, incoming("v2", DAY2), NOW)
    aside = course.root / "submitted" / ".replaced" / "s001" / f"{A}-20261210T090000Z"
    assert (p.status, p.detail) == ("replaced", f"the older one moved to submitted/.replaced/s001/{A}-20261210T090000Z")
    assert (aside / f"{A}.ipynb").read_bytes() == notebook("v1") and (aside / "notes.txt").is_file()
    assert (sub(course) / f"{A}.ipynb").read_bytes() == notebook("v2")
    assert place(course, A, incoming("v3", DAY2 + dt.timedelta(hours=1)), NOW).status == "replaced"
    assert (aside.parent / f"{A}-20261210T090000Z-2" / f"{A}.ipynb").read_bytes() == notebook("v2")


def test_a_reader_always_finds_a_whole_submission_while_newer_ones_are_placed(course):
    """While submissions replace each other (the service does this while its grader reads),
    does a reader always find the folder with a notebook and a timestamp, never none or half?"""
    import threading

    place(course, A, incoming("v0", DAY1), NOW)
    stop, seen = threading.Event(), []

    def read() -> None:
        while not stop.is_set():
            folder = sub(course)
            names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
            seen.append({f"{A}.ipynb", "timestamp.txt"} <= names)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, 200):
            assert place(course, A, incoming(f"v{i}", DAY1 + dt.timedelta(minutes=i)), NOW).status == "replaced"
    finally:
        stop.set()
        reader.join()
    assert len(seen) > 100 and all(seen)
    assert len(list((course.root / "submitted" / ".replaced" / "s001").iterdir())) == 199


def test_a_newer_submission_already_there_is_kept(course):
    """Is a submission already in submitted/ that is newer than the incoming one left untouched, and said so?"""
    place(course, A, incoming("v2", DAY2), NOW)
    p = place(course, A, incoming("v1", DAY1), NOW)
    assert not p.placed and "already holds a newer submission (2026-12-05 15:23 UTC, this one 2026-12-04 15:23)" in p.detail
    assert (sub(course) / f"{A}.ipynb").read_bytes() == notebook("v2")
    assert not (course.root / "submitted" / ".replaced").exists()


def test_the_same_submission_twice_is_unchanged(course):
    """Is collecting the same zip again a no-op ('unchanged'), with nothing moved aside?"""
    place(course, A, incoming("v1", DAY1), NOW)
    assert place(course, A, incoming("v1", DAY1), NOW).status == "unchanged"
    assert not (course.root / "submitted" / ".replaced").exists()


def test_an_untimed_submission_is_moved_aside(course):
    """Is a folder without a readable timestamp.txt (copied in by hand) moved aside rather than overwritten?"""
    sub(course).mkdir(parents=True)
    (sub(course) / f"{A}.ipynb").write_bytes(notebook("by hand"))
    assert place(course, A, incoming("v1", DAY1), NOW).status == "replaced"


def test_a_symlinked_student_folder_is_not_written_through(course, tmp_path):
    """Is submitted/<student> being a symbolic link (pointing anywhere) refused, and nothing written there?"""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (course.root / "submitted").mkdir()
    (course.root / "submitted" / "s001").symlink_to(elsewhere)
    p = place(course, A, incoming("v1", DAY1), NOW)
    assert not p.placed and "is a symbolic link: not writing through it" in p.detail
    assert list(elsewhere.iterdir()) == []


def test_nbgraders_listings_do_not_see_replaced(course):
    """Do nbgrader's API, our autograde and our reports list only the real student, not submitted/.replaced?"""
    from nbgrader.apps import NbGraderAPI

    from graders.engine.runner.autograde import submitted_students

    place(course, A, incoming("v1", DAY1), NOW)
    place(course, A, incoming("v2", DAY2), NOW)
    api = NbGraderAPI(coursedir=course.coursedir, config=course.config)
    assert api.get_submitted_students(A) == {"s001"}
    assert submitted_students(course, A) == ["s001"]
    assert course.students_with("submitted", [A]) == ["s001"]  # the reports' listing


@pytest.mark.slow
def test_stock_autograde_grades_past_replaced(tmp_path):
    """Does stock `nbgrader autograde` grade the new submission and never take .replaced for a student?"""
    root = make_course(tmp_path)
    (root / "source" / A).mkdir(parents=True)
    (root / "source" / A / f"{A}.ipynb").write_bytes(notebook("source"))
    env_path = str(sys.executable).rsplit("/", 1)[0]
    env = {"PATH": env_path + ":/usr/bin:/bin", "HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "jcfg")}
    run = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*run, "generate_assignment", A, "--force"], cwd=root, env=env, check=True, capture_output=True,
                   timeout=300)
    course = load_course(root)
    place(course, A, incoming("v1", DAY1), NOW)
    place(course, A, incoming("v2", DAY2), NOW)
    proc = subprocess.run([*run, "autograde", A], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert sorted(p.name for p in (root / "autograded").iterdir()) == ["s001"]
    graded = json.loads((root / "autograded" / "s001" / A / f"{A}.ipynb").read_text())
    assert "".join(graded["cells"][0]["source"]) == "# v2\n"
