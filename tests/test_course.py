"""The course module: one reading of nbgrader_config.py, folders from nbgrader's format_path."""

import pytest

from graders.course import CourseError, load_course


def test_folders_follow_the_courses_own_names(tmp_path):
    """A course that renames nbgrader's folders and their layout: does every step's folder, the
    students who handed in and the assignments follow it, with no "submitted" assumed?"""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.submitted_directory = 'handed_in'\n"
        "c.CourseDirectory.autograded_directory = 'marked'\n"
        "c.CourseDirectory.source_directory = 'masters'\n")
    (tmp_path / "masters" / "hw1").mkdir(parents=True)
    (tmp_path / "masters" / "hw1" / "hw1.ipynb").write_text("{}")
    (tmp_path / "handed_in" / "ada" / "hw1").mkdir(parents=True)
    (tmp_path / "handed_in" / "bob" / "hw2").mkdir(parents=True)
    course = load_course(tmp_path)
    assert course.folder("submitted", "ada", "hw1") == tmp_path.resolve() / "handed_in" / "ada" / "hw1"
    assert course.notebook("autograded", "ada", "hw1", "hw1") == tmp_path.resolve() / "marked/ada/hw1/hw1.ipynb"
    assert course.assignments() == ["hw1"]
    assert [p.name for p in course.source_notebooks("hw1")] == ["hw1.ipynb"]
    assert course.students_with("submitted", "hw1") == ["ada"]
    assert course.students_with("submitted", ["hw1", "hw2"]) == ["ada", "bob"]
    assert course.gradebook_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"


def test_an_unknown_step_or_a_missing_course_is_named(tmp_path):
    with pytest.raises(CourseError, match="no course folder"):
        load_course(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="unknown course step 'graded'"):
        load_course(tmp_path).folder("graded", "ada", "hw1")


def test_a_gradebook_that_cannot_open_is_named_without_its_password(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.db_url = 'postgresql://ta:hunter2@127.0.0.1:1/grades'\n")
    with pytest.raises(ConnectionError, match="cannot open the gradebook database at postgresql://ta:\\*\\*\\*@") as err:
        load_course(tmp_path).gradebook()
    assert "hunter2" not in str(err.value)
