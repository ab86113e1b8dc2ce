"""Does each LMS collector read its LMS's real file names, and does auto-detection pick the right one?"""

import subprocess
import sys

import pytest

from graders.handin.lms import CanvasCollector, ClassroomCollector, MoodleCollector, detect
from tests.handin.zips import A, canvas, classroom, make_course, moodle, notebook, write_zip


@pytest.mark.parametrize("name, folder", [
    ("Ann Lee_123456_assignsubmission_file_/04_softmax.ipynb", "Ann Lee_123456_assignsubmission_file_"),
    ("Ann Lee_123456_assignsubmission_file/04_softmax.ipynb", "Ann Lee_123456_assignsubmission_file"),
    ("Ann Lee_123456_assignsubmission_file_04_softmax.ipynb", "Ann Lee_123456_assignsubmission_file_"),
    ("downloads/Ann Lee_123456_assignsubmission_file_/04_softmax.ipynb", "Ann Lee_123456_assignsubmission_file_"),
])
def test_moodle_folders_flat_files_and_a_rezipped_folder(name, folder):
    """Are Moodle's per-participant folders (with and without 4.1's trailing _), the old flat files and a
    download unzipped and zipped again all read as participant 123456's 04_softmax.ipynb?"""
    f = MoodleCollector().parse(name)
    assert (f.lms, f.lms_id, f.lms_name, f.file_name, f.folder) == ("moodle", "123456", "Ann Lee", f"{A}.ipynb", folder)


def test_moodle_onlinetext_is_not_a_file_submission():
    """Is Moodle's online-text folder left unparsed (it holds no uploaded file)?"""
    assert MoodleCollector().parse("Ann Lee_123456_assignsubmission_onlinetext_/onlinetext.html") is None


@pytest.mark.parametrize("name, late", [("leeann_4021_99812_04_softmax.ipynb", False),
                                        ("leeann_LATE_4021_99812_04_softmax.ipynb", True),
                                        ("leeann_late_4021_99812_04_softmax.ipynb", True)])
def test_canvas_names_and_late_marks(name, late):
    """Does a Canvas name give the user id, lastnamefirstname, the attachment id as order and the late mark?"""
    f = CanvasCollector().parse(name)
    assert (f.lms_id, f.lms_name, f.file_name, f.order, f.late) == ("4021", "leeann", f"{A}.ipynb", 99812, late)


def test_canvas_resubmission_is_a_numbered_copy():
    """Is Canvas's '04_softmax-1.ipynb' read as copy 1 of 04_softmax.ipynb?"""
    f = CanvasCollector().parse("leeann_4021_99813_04_softmax-1.ipynb")
    assert f.candidates() == [(f"{A}-1.ipynb", 0), (f"{A}.ipynb", 1)]


def test_classroom_names_and_drive_duplicates():
    """Does 'First Last - 04_softmax (1).ipynb' give the name and copy 1 of 04_softmax.ipynb?"""
    f = ClassroomCollector().parse("04_softmax/Zoë Müller - 04_softmax (1).ipynb")
    assert (f.lms_name, f.lms_id) == ("Zoë Müller", "")
    assert f.candidates()[-1] == (f"{A}.ipynb", 1)


@pytest.mark.parametrize("entries, lms", [
    ([moodle("Ann Lee", 1, f"{A}.ipynb", b""), moodle("Bo Ek", 2, "x - y.ipynb", b"")], "moodle"),
    ([moodle("Ann Lee", 1, f"{A}.ipynb", b"", flat=True)], "moodle"),
    ([canvas("leeann", 4, 5, f"{A}.ipynb", b""), canvas("ekbo", 6, 7, f"{A}.ipynb", b"")], "canvas"),
    ([classroom("Ann Lee", f"{A}.ipynb", b""), classroom("Bo Ek", f"{A} (1).ipynb", b"")], "classroom"),
])
def test_auto_detection(entries, lms):
    """Does auto-detection name the LMS whose layout the zip's names follow?"""
    assert detect([e.name for e in entries]).lms == lms


def test_nothing_recognised():
    """Does a zip of unrelated names detect no LMS?"""
    assert detect(["notes.txt", "04_softmax.ipynb"]) is None


@pytest.mark.slow
def test_the_collectors_work_with_stock_zip_collect(tmp_path):
    """Do the collectors also plug into stock `nbgrader zip_collect --collector=...`, as nbgrader plugins?"""
    root = make_course(tmp_path)
    archive = root / "downloaded" / A / "archive"
    archive.mkdir(parents=True)
    write_zip(archive / "moodle.zip", [moodle("Ann Lee", 123456, f"{A}.ipynb", notebook("ann"))])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", A,
                           "--collector=graders.handin.lms.MoodleCollector"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (root / "submitted" / "123456" / A / f"{A}.ipynb").read_bytes() == notebook("ann")
