"""Does collect() turn a real autograded class into records with a reason for every lost point?"""

import html
import json

import nbformat
import pytest

from graders.report.collect import collect, diagnose, student_images
from graders.report.feedback import feedback_html, write_feedback
from graders.report.records import GRADED, NEEDS_MANUAL, NOT_GRADED
from graders.report.secrets import secrets_of
from tests.report.graded_course import A, archetype_students, graded_course


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return graded_course(tmp_path_factory)


@pytest.fixture(scope="module")
def records(course):
    return {r.student: r for r in collect(course.root, [A])}


@pytest.mark.slow
def test_feedback_never_shows_a_secret_line(course, records):
    """Does any solution, hidden-test or mark-scheme line reach any archetype's feedback page?"""
    secrets = secrets_of(course.source_nb(A))
    assert len(secrets) > 20, "the scan needs the source's secret lines to mean anything"
    paths = write_feedback(course.root, records.values())
    assert len(paths) == len(records)
    leaks = []
    for path in paths:
        student = path.parent.parent.name
        raw = path.read_text()
        text = raw + "\n" + html.unescape(raw)
        leaks += [(student, s) for s in secrets - own_lines(course, student) if s in text]
    assert leaks == []


def own_lines(course, student):
    """Lines of the student's own answer cells: quoting them (e.g. the line that raised) is
    showing the student their code, even where it matches the instructor's solution."""
    path = course.root / "submitted" / student / A / f"{A}.ipynb"
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return set()
    return {line.strip() for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
            and c.cell_type == "code" for line in c.source.splitlines()}


@pytest.mark.slow
def test_feedback_never_shows_a_traceback(course, records):
    """Are traceback markers (frames, ANSI colours, 'Traceback') absent from every page?"""
    for r in records.values():
        page = feedback_html(r)
        assert "Traceback" not in page and "\x1b[" not in page and "----> " not in page


@pytest.mark.slow
def test_every_lost_point_has_a_reason(records):
    """Does every grade cell below its maximum carry a non-empty reason on the page?"""
    for student in archetype_students():
        r = records[student]
        assert r.status in (GRADED, NEEDS_MANUAL), (student, r.reason)
        for c in r.cells:
            if c.lost or c.score is None:
                assert c.reason.strip(), (student, c.name)
                assert c.reason.splitlines()[0] in html.unescape(feedback_html(r))


@pytest.mark.slow
def test_archetypes_lose_exactly_their_cells(records):
    """Do the records agree with the course tests about which cells each archetype loses?"""
    from samples.archetypes.sigmoid import ARCHETYPES

    for name, (_, lost) in ARCHETYPES.items():
        assert {c.name for c in records[name].cells if c.lost} == lost, name
    assert not any(c.lost for c in records["key"].cells)


@pytest.mark.slow
def test_missing_function_reads_as_a_name_error(records):
    """Does a deleted function give 'NameError: name 'sigmoid' is not defined' as the reason?"""
    reasons = {c.name: c.reason for c in records["missing"].cells}
    assert reasons["sigmoid_correct"] == "NameError: name 'sigmoid' is not defined"


@pytest.mark.slow
def test_unreadable_submissions_are_not_zeros(records):
    """Are a corrupt file and a wrongly named notebook 'could not grade', each with why?"""
    assert records["corrupt"].status == NOT_GRADED
    assert "not valid JSON" in records["corrupt"].reason
    assert records["renamed"].status == NOT_GRADED
    assert "no notebook named 02_sigmoid.ipynb" in records["renamed"].reason
    assert "my_sigmoid.ipynb" in records["renamed"].reason


@pytest.mark.slow
def test_the_students_plot_is_in_the_feedback(records):
    """Does the key's own plot (an image/png output of its solution cell) reach its page?"""
    assert len(records["key"].images) >= 1
    assert f"data:image/png;base64,{records['key'].images[0]}" in feedback_html(records["key"])


def test_diagnose_names_corrupt_json(tmp_path):
    """Is a truncated notebook file diagnosed as invalid JSON with its position?"""
    (tmp_path / "hw.ipynb").write_text('{"cells": [')
    assert diagnose(tmp_path, "hw").startswith("the submitted notebook is not valid JSON (line 1")


def test_diagnose_names_an_invalid_notebook(tmp_path):
    """Is valid JSON that is not a notebook diagnosed as such, not as a kernel failure?"""
    (tmp_path / "hw.ipynb").write_text(json.dumps({"hello": 1}))
    assert diagnose(tmp_path, "hw").startswith("the submitted notebook is not a valid notebook")


def test_diagnose_lists_what_was_handed_in(tmp_path):
    """When the notebook is missing, are the notebooks that were handed in listed?"""
    (tmp_path / "other.ipynb").write_text("{}")
    assert diagnose(tmp_path, "hw") == "no notebook named hw.ipynb in the submission (found: other.ipynb)"


def test_diagnose_falls_back_to_the_autograde_log(tmp_path):
    """Is a readable, valid notebook without an autograded twin blamed on the run, not the file?"""
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "hw.ipynb")
    assert "autograding failed while running the notebook" in diagnose(tmp_path, "hw")


def test_student_images_skip_grade_cells():
    """Are PNGs from grade cells left out, and PNGs from the student's cells kept?"""
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    nb = nbformat.v4.new_notebook()
    mine = nbformat.v4.new_code_cell("plot()")
    mine.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png})]
    graded = nbformat.v4.new_code_cell("check()")
    graded.metadata["nbgrader"] = {"grade": True, "grade_id": "x_plot", "points": 1}
    graded.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png + "A"})]
    nb.cells = [mine, graded]
    assert student_images(nb) == [png]


def test_smuggled_hidden_tests_are_scrubbed(records):
    """Does a function that raises the running grade cell's source (In[-1]) show no hidden test?

    Under our engine the grade cell never runs in the kernel, so In[-1] is the student's own
    cell: nothing hidden is there to smuggle, and nothing needs scrubbing. (Under stock
    nbgrader it would be the hidden test; secrets.scrub removes that, see test_secrets.)"""
    reasons = "\n".join(c.reason for c in records["smuggler"].cells)
    assert "raise ValueError(In[-1])" in reasons or "[removed: text from a hidden test]" in reasons
    assert "_ref_sigmoid" not in reasons and "BEGIN HIDDEN" not in reasons


@pytest.mark.slow
def test_every_check_leaves_its_result_as_data_that_the_report_reads(course, records):
    """Each grade cell graded by the engine stores its checks' results (graders.result.MIME)
    in the autograded notebook; the report's speed and loop tables come from them: the key's
    passing speed check has its ratio, the looping archetype is counted as looping, and none
    of it changes when every message is reworded."""
    import dataclasses

    from graders.report import tables
    from graders.result import MIME

    nb = nbformat.read(course.root / "autograded" / "key" / A / f"{A}.ipynb", as_version=4)
    stored = {c.metadata["nbgrader"]["grade_id"]: o["data"][MIME] for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade") for o in c.get("outputs", [])
              if o.get("output_type") == "display_data" and MIME in o.get("data", {})}
    assert {"sigmoid_correct", "sigmoid_speed", "sigmoid_loops", "sigmoid_stability"} <= set(stored)
    assert all(r["passed"] for rs in stored.values() for r in rs)
    json.dumps(stored)  # plain JSON, nothing else
    cf = tables.cell_frame(records.values())
    speed = tables.speed_ratios(cf).set_index("student")
    assert speed.loc["key", "passed"] and 0 < speed.loc["key", "ratio"] < speed.loc["key", "allowed"]
    assert not speed.loc["loop", "passed"] and speed.loc["loop", "ratio"] > speed.loc["loop", "allowed"]
    loops = tables.loop_usage(cf).set_index("cell")
    assert loops.loc["sigmoid_loops", "using_loops"] == 1  # the loop archetype, and only it
    reworded = [dataclasses.replace(r, cells=tuple(dataclasses.replace(c, reason=c.reason and "Reworded.")
                                                   for c in r.cells)) for r in records.values()]
    cf2 = tables.cell_frame(reworded)
    assert tables.speed_ratios(cf2).equals(tables.speed_ratios(cf))
    assert tables.loop_usage(cf2).equals(tables.loop_usage(cf))


@pytest.mark.slow
def test_a_blank_notebook_says_not_answered_yet_for_every_item(records):
    """The untouched release loses every automatic point, each with the same "not answered
    yet" words naming the function, whatever the check would have said."""
    blank = records["blank"]
    lost = [c for c in blank.cells if c.lost and not c.manual]
    assert len(lost) >= 8
    for c in lost:
        fn = c.name.rsplit("_", 1)[0]
        assert c.not_answered == fn
        assert c.reason == f"{fn} is not answered yet: replace `raise NotImplementedError()` in its answer cell " \
                           "with your answer."
    assert not any(c.not_answered for c in records["key"].cells)
