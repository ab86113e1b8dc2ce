"""The writer's steps are the course's own autograde steps, with Execute swapped for Inject."""

import pytest

from graders.course import load_course
from graders.engine.runner.pipeline import Inject, Writer, autograde_steps
from graders.engine.runner.savegrades import SaveAutoGradesOnce


def _course(tmp_path, extra=""):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n" + extra)
    return load_course(tmp_path)


def test_nbgraders_default_steps_with_only_execute_and_the_save_replaced(tmp_path):
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    course = _course(tmp_path)
    stock = list(Autograde(coursedir=course.coursedir, config=course.config).autograde_preprocessors)
    ours = autograde_steps(course.config, course.coursedir)
    assert SaveAutoGrades in stock
    assert [{Execute: Inject, SaveAutoGrades: SaveAutoGradesOnce}.get(s, s) for s in stock] == ours
    assert Writer(course).config.Autograde.autograde_preprocessors == ours


def test_a_step_the_course_leaves_out_is_left_out(tmp_path):
    """A course that drops LimitOutput from its autograde (by name, as a config file can) is
    graded without it here too, instead of by a copied list of nbgrader's defaults."""
    course = _course(tmp_path, "c.Autograde.autograde_preprocessors = ['nbgrader.preprocessors.Execute', "
                               "'nbgrader.preprocessors.SaveAutoGrades']\n")
    assert autograde_steps(course.config, course.coursedir) == [Inject, SaveAutoGradesOnce]


def test_steps_without_execute_are_refused_by_name(tmp_path):
    course = _course(tmp_path, "c.Autograde.autograde_preprocessors = ['nbgrader.preprocessors.SaveAutoGrades']\n")
    with pytest.raises(ValueError, match="autograde_preprocessors must hold exactly one Execute step"):
        autograde_steps(course.config, course.coursedir)
