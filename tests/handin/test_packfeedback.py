"""Does pack-feedback zip each student's pages so their LMS takes them back: Moodle's participant folders
for Moodle students, <student_id>/ for the rest, one zip per student and one for the class?"""

import json
import zipfile

import pytest

from graders import cli
from tests.handin.zips import A, make_course, moodle, notebook, write_roster, write_zip

PAGE = f"{A}.html"


def moodle_reads(path: str):
    """Where Moodle's "upload multiple feedback files in a zip" puts a file: (participant id, plugin, file name),
    following assignfeedback_file_zip_importer::is_valid_filename_for_import; None when it skips the file."""
    parts = path.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit():
            continue
        parts.insert(0, info[4] if len(info) == 5 else "")
        return int(info[1]), (info[2], info[3]), "/".join(parts)
    return None


@pytest.fixture
def course(tmp_path, capsys):
    root = make_course(tmp_path)
    roster = write_roster(tmp_path / "roster.csv", [("s001", "Ann", "Lee", "a@u", "123456"),
                                                    ("s002", "Zoë", "Müller", "z@u", "123457")])
    z = write_zip(tmp_path / "moodle.zip", [moodle("Ann Lee", 123456, f"{A}.ipynb", notebook()),
                                            moodle("Zoë Müller", 123457, f"{A}.ipynb", notebook(), trailing=False)])
    assert cli.main(["collect", A, str(z), "--root", str(root), "--roster", str(roster)]) == 0
    hub = root / "submitted" / "s003" / A  # handed in through JupyterHub: no lms.json
    hub.mkdir(parents=True)
    (hub / f"{A}.ipynb").write_bytes(notebook())
    for s in ("s001", "s002", "s003"):
        folder = root / "feedback" / s / A
        folder.mkdir(parents=True)
        (folder / PAGE).write_text(f"<html>{s}</html>")
        (folder / "timestamp.txt").write_text("2026-12-04 15:23:00.000000 UTC")
    capsys.readouterr()
    return root


def names(path):
    with zipfile.ZipFile(path) as zf:
        return sorted(zf.namelist())


def test_class_zip_in_each_students_layout(course, capsys):
    """Does the class zip hold Moodle students' pages under their download folder and others under their id?"""
    assert cli.main(["pack-feedback", A, "--root", str(course)]) == 0
    out = capsys.readouterr().out
    assert names(course / "feedback_zips" / f"{A}.zip") == [
        f"Ann Lee_123456_assignsubmission_file_/{PAGE}", f"Zoë Müller_123457_assignsubmission_file/{PAGE}",
        f"s003/{PAGE}"]
    assert f"class zip: {course / 'feedback_zips' / (A + '.zip')} (2 in Moodle's participant folders, 1 as" in out


def test_moodle_reads_the_pages_back_to_the_right_participant(course, capsys):
    """Would Moodle's zip importer give each page to the participant it came from, as a file-plugin file?"""
    cli.main(["pack-feedback", A, "--root", str(course)])
    with zipfile.ZipFile(course / "feedback_zips" / f"{A}.zip") as zf:
        read = {moodle_reads(n) for n in zf.namelist()} - {None}
        assert zf.read(f"Ann Lee_123456_assignsubmission_file_/{PAGE}") == b"<html>s001</html>"
    assert read == {(123456, ("assignsubmission", "file"), f"/{PAGE}"), (123457, ("assignsubmission", "file"), f"/{PAGE}")}


def test_one_zip_per_student(course, tmp_path, capsys):
    """Is there one zip per student, in --out, holding only that student's pages (no timestamp.txt)?"""
    out = tmp_path / "out"
    assert cli.main(["pack-feedback", A, "--root", str(course), "--out", str(out)]) == 0
    assert sorted(p.name for p in (out / A).iterdir()) == ["s001.zip", "s002.zip", "s003.zip"]
    assert names(out / A / "s001.zip") == [f"Ann Lee_123456_assignsubmission_file_/{PAGE}"]
    assert names(out / A / "s003.zip") == [f"s003/{PAGE}"]


def test_a_tampered_folder_name_falls_back_to_the_student_id(course, capsys):
    """Is an lms.json folder that is not one plain path component ignored in favour of <student_id>/?"""
    record = course / "submitted" / "s001" / A / "lms.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), "folder": "../../x"}))
    cli.main(["pack-feedback", A, "--root", str(course)])
    assert f"s001/{PAGE}" in names(course / "feedback_zips" / f"{A}.zip")


def test_no_feedback_yet(tmp_path, capsys):
    """Without feedback pages, is it exit 2 with one line saying to run make feedback?"""
    assert cli.main(["pack-feedback", A, "--root", str(make_course(tmp_path))]) == 2
    assert "run `make feedback`" in capsys.readouterr().err
