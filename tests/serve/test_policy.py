"""The course's submission policy: settings read from nbgrader_config.py, deadlines from it or the gradebook."""

from __future__ import annotations

import datetime as dt

import pytest
from nbgrader.api import Gradebook

from graders.course import load_course
from graders.serve import ServeError
from graders.serve.policy import Duedates, deadline, load_policy
from graders.serve.views import full_shown


def course_with(tmp_path, lines: str = ""):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n" + lines)
    return load_course(tmp_path)


def test_settings_come_from_the_course_config(tmp_path):
    course = course_with(tmp_path, 'c.SubmissionPolicy.per_hour = 2\nc.SubmissionPolicy.max_upload_mb = 0.5\n'
                                   'c.SubmissionPolicy.deadlines = {"04_softmax": "2026-12-10 23:59:00 Europe/London"}\n')
    policy = load_policy(course)
    assert (policy.per_hour, policy.max_bytes) == (2, 512 * 1024)
    assert deadline(policy, "04_softmax") == dt.datetime(2026, 12, 10, 23, 59)  # London is UTC in December
    assert deadline(policy, "02_sigmoid", {}) is None


@pytest.mark.parametrize("line, words", [
    ("c.SubmissionPolicy.per_hour = -1", "per_hour must be 0"),
    ("c.SubmissionPolicy.max_upload_mb = 0", "max_upload_mb must be positive"),
    ('c.SubmissionPolicy.deadlines = {"04_softmax": "next friday"}', "is not a date nbgrader reads"),
])
def test_a_setting_that_cannot_work_is_an_error_naming_it(tmp_path, line, words):
    with pytest.raises(ServeError, match=words):
        load_policy(course_with(tmp_path, line + "\n"))


def test_a_duedate_set_in_the_gradebook_while_the_service_runs_is_heard(tmp_path):
    course = course_with(tmp_path)
    dues = Duedates(course, ttl=0)
    assert dict(dues) == {}
    assert not (tmp_path / "gradebook.db").exists()  # reading did not create a gradebook
    with Gradebook(course.gradebook_url) as gb:
        gb.add_assignment("04_softmax", duedate=dt.datetime(2027, 1, 1, 12, 0))
    assert deadline(load_policy(course), "04_softmax", dues) == dt.datetime(2027, 1, 1, 12, 0)
    with Gradebook(course.gradebook_url) as gb:
        gb.update_or_create_assignment("04_softmax", duedate=dt.datetime(2027, 2, 1, 12, 0))
    assert dues["04_softmax"] == dt.datetime(2027, 2, 1, 12, 0)


def test_points_show_before_the_deadline_only_when_the_course_says_all(tmp_path):
    public = load_policy(course_with(tmp_path))
    due, before, after = dt.datetime(2027, 1, 1), dt.datetime(2026, 12, 31), dt.datetime(2027, 1, 2)
    assert (full_shown(public, due, before), full_shown(public, due, after), full_shown(public, None, before)) == \
        (False, True, True)
    (tmp_path / "all").mkdir()
    everything = load_policy(course_with(tmp_path / "all", 'c.SubmissionPolicy.before_deadline = "all"\n'))
    assert full_shown(everything, due, before)
