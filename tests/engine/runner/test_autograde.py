"""Tests for graders.engine.runner.autograde: one command grades a class, resumably, with a summary."""

from pathlib import Path

import pytest

from graders import cli
from graders.engine.runner.autograde import GRADED, NOT_GRADED, SKIPPED, WITH_FAILURES, autograde
from samples.course import Course, with_answers

A = "02_sigmoid"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("engine"), [A])
    src = course.source_nb(A)
    course.submit("key", A, src)
    course.submit("blank", A, course.release_nb(A))
    course.submit("broken", A, '{"cells": [ not json')
    course.submit("nosigmoid", A, with_answers(src, {"sigmoid": "# not done\n"}))
    course.first = autograde(course.root, A, progress=False)
    return course


def test_summary_separates_the_three_outcomes(course):
    """Are graded, graded-with-failures and could-not-grade told apart, each with its reason?"""
    by = {o.student: o for o in course.first.outcomes}
    assert by["key"].status == GRADED
    assert by["blank"].status == WITH_FAILURES and "sigmoid_correct (NotImplementedError)" in by["blank"].detail
    assert by["nosigmoid"].status == WITH_FAILURES and "(NameError)" in by["nosigmoid"].detail
    assert by["broken"].status == NOT_GRADED
    assert by["broken"].detail.startswith("the submitted notebook is not valid JSON")
    assert course.first.exit_code == 1
    assert course.first.lines()[0] == "1 graded, 2 graded with failures, 1 could not grade, 0 skipped (already graded)"


def test_gradebook_matches_stock_nbgrader(course):
    """Does the key get every automatic point in nbgrader's own gradebook?"""
    scores = course.scores(A)["key"]
    assert all(s == m for s, m in scores.values())


def test_rerun_skips_what_is_graded_and_force_regrades_one(course):
    """Does a rerun skip graded submissions, and --student with --force regrade just one?"""
    again = autograde(course.root, A, progress=False)
    assert {o.student: o.status for o in again.outcomes} == {
        "key": SKIPPED, "blank": SKIPPED, "nosigmoid": SKIPPED, "broken": NOT_GRADED}
    one = autograde(course.root, A, ["key"], force=True, progress=False)
    assert [(o.student, o.status) for o in one.outcomes] == [("key", GRADED)]
    assert one.exit_code == 0


def test_cli_prints_the_summary(course, capsys):
    """Does `python -m graders autograde` print the summary and exit 1 when one could not be graded?"""
    code = cli.main(["autograde", "--root", str(course.root), A, "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1
    assert "could not grade" in out and "broken: could not grade: the submitted notebook is not valid JSON" in out


def test_writer_sanitizes_each_notebook_once_and_alone_when_nothing_is_kept(course, monkeypatch):
    """Does writing reuse the runner's sanitized notebook, and sanitize itself when none is kept?"""
    import nbformat

    from graders.engine.runner import pipeline
    from graders.engine.task import Executed

    runs = []
    real = pipeline.run_sanitizers
    monkeypatch.setattr(pipeline, "run_sanitizers", lambda *a: runs.append(1) or real(*a))
    path = course.root / "submitted" / "key" / A / f"{A}.ipynb"
    writer = pipeline.Writer(course.root)
    nb = writer.sanitize("key", A, path)
    assert len(runs) == 1 and A in writer.kept[("key", A)]
    done = Executed("key", A, {A: nbformat.writes(nb)})
    assert writer.write(done)["success"]
    assert len(runs) == 1 and not writer.kept  # the first pass took the kept copy
    assert writer.write(done)["success"]
    assert len(runs) == 2  # nothing kept: nbgrader's sanitizers ran in the first pass, as stock


def test_stats_say_where_the_time_and_cpu_went(course):
    """Does --stats give, per notebook, timings, CPU of kernel and grader, and per-cell CPU?"""
    stats: dict = {}
    autograde(course.root, A, ["key"], force=True, progress=False, workers=0, stats=stats)
    assert stats["assignments"] == [A] and stats["runner_cpu_s"] > 0
    t = stats["notebooks"][f"key/{A}"]
    assert t["total_s"] >= t["kernel_cells_s"] + t["test_cells_s"]
    assert set(t["cells"]) == set(t["cpu"]) and "sigmoid_speed" in t["cells"]
    kernel, grader = zip(*t["cpu"].values())
    assert t["cpu"]["sigmoid_speed"][0] > 0  # the student's sigmoid was timed in the kernel
    assert 0 < sum(kernel) <= t["kernel_cpu_s"] + 0.05 and 0 < sum(grader) <= t["judge_cpu_s"] + 0.05


def test_longest_assignment_is_dispatched_first(tmp_path):
    """Is an assignment with more code weighed heavier, and a corrupt notebook weighed zero?"""
    from graders.engine.runner.autograde import _weight

    def notebook(name, code):
        folder = tmp_path / "source" / name
        folder.mkdir(parents=True)
        (folder / f"{name}.ipynb").write_text(
            '{"cells": [{"cell_type": "code", "source": "%s"}, {"cell_type": "markdown", "source": "%s"}]}'
            % (code, "m" * 5000))

    notebook("short", "x = 1")
    notebook("long", "y = 2\\n" * 100)
    (tmp_path / "source" / "broken").mkdir()
    (tmp_path / "source" / "broken" / "broken.ipynb").write_text("{not json")
    from graders.course import load_course

    course = load_course(tmp_path)
    assert _weight(course, "long") > _weight(course, "short") > 0
    assert _weight(course, "broken") == 0


@pytest.mark.parametrize("fork", ["1", "0"], ids=["forked-kernels", "cold-kernels"])
def test_a_local_cluster_leaves_nothing_behind(course, monkeypatch, fork):
    """The workers close their kernel factories before the cluster stops them (a stopped
    worker may never reach its exit handlers), and a kernel started cold removes its kernel
    spec once started: no scratch folder, factory folder, factory log or spec folder is
    left in the workers' temporary folder. (A short folder: socket paths have a limit.)"""
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="gl-", dir="/tmp"))
    try:
        monkeypatch.setenv("TMPDIR", str(tmp))
        monkeypatch.setenv("GRADERS_FORK", fork)
        summary = autograde(course.root, A, students=["key"], force=True, progress=False, workers=2)
        assert [o.status for o in summary.outcomes] == [GRADED]
        assert sorted(p.name for p in tmp.iterdir() if p.name.startswith("graders-")) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_notebook_budget_comes_from_the_course_config(tmp_path):
    """``c.NotebookBudget.cells`` in nbgrader_config.py sets a notebook's time budget (in cell
    limits) for every task; absent, five limits; nonsense is an error that names the setting."""
    from graders.engine.runner.autograde import cell_timeout, make_task, notebook_budget
    from graders.engine.runner.pipeline import Writer

    c = Course.create(tmp_path, ["04_softmax"])
    assert notebook_budget(Writer(c.root).config, cell_timeout(Writer(c.root).config)) == 5 * 60
    config = c.root / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.NotebookBudget.cells = 2\nc.Execute.timeout = 10\n")
    writer = Writer(c.root)
    timeout = cell_timeout(writer.config)
    assert (timeout, notebook_budget(writer.config, timeout)) == (10, 20)
    c.submit("ada", "04_softmax", c.source_nb("04_softmax"))
    task, problems = make_task(writer, writer.course, "04_softmax", "ada", timeout, None, notebook_budget(writer.config, timeout))
    assert task.budget_s == 20 and not problems
    config.write_text(config.read_text() + "\nc.NotebookBudget.cells = 0\n")
    with pytest.raises(ValueError, match="c.NotebookBudget.cells must be a positive number"):
        notebook_budget(Writer(c.root).config, 10)


@pytest.mark.parametrize("argv, words", [
    (["99_nope"], "no assignment 99_nope in "),
    (["02_Sigmoid"], "no assignment 02_Sigmoid in "),
    ([A, "--student", "nobody"], "no submission from nobody for 02_sigmoid in "),
])
def test_an_unknown_assignment_or_student_is_an_error_listing_the_known_ones(course, argv, words):
    """A misspelt name exits 2 and lists what exists, instead of "0 graded"; nothing is graded."""
    import subprocess
    import sys

    from samples.course import _env

    before = sorted(p.stat().st_mtime for p in (course.root / "autograded").rglob("*.ipynb"))
    r = subprocess.run([sys.executable, "-m", "graders", "autograde", "--root", str(course.root), *argv,
                        "--no-progress"], env=_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.startswith("error: " + words)
    known = "the assignments are: 02_sigmoid" if "assignment" in words else \
        "students who handed in: blank, broken, key, nosigmoid"
    assert known in r.stderr and "graded" not in r.stdout
    assert sorted(p.stat().st_mtime for p in (course.root / "autograded").rglob("*.ipynb")) == before


def test_a_notebook_no_worker_could_run_is_not_graded_with_the_workers_reason(course):
    """A worker's reason travels as a reason, not in the place of the notebook's JSON: even one
    that starts like JSON reaches the summary word for word, and nothing is scored."""
    from graders.engine.runner.autograde import NOT_GRADED, finish
    from graders.engine.runner.pipeline import Writer
    from graders.engine.task import Executed

    writer = Writer(course.root)
    writer.sanitize("key", A, course.root / "submitted" / "key" / A / f"{A}.ipynb")
    why = '{"the kernel": "could not start"}'
    out = finish(writer, writer.course, Executed("key", A, failed={A: why}), 1.0)
    assert out.status == NOT_GRADED and out.detail == f"{A}: {why}"


def test_a_run_with_nothing_to_grade_starts_no_cluster_and_imports_no_server(course):
    """With every chosen submission up to date, does the command skip them and exit 0 without
    starting Dask, opening the writer or importing nbgrader's Jupyter server extensions?"""
    import subprocess
    import sys

    code = ("import sys\nfrom graders.cli import main\n"
            f"rc = main(['autograde', '--root', {str(course.root)!r}, {A!r}, '--student', 'key', '--no-progress'])\n"
            "print(rc, sorted(m for m in ('distributed', 'jupyter_server', 'nbgrader.converters') "
            "if m in sys.modules))\n")
    autograde(course.root, A, ["key"], progress=False)  # graded now if an earlier test left it stale
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=course.root)
    assert proc.returncode == 0, proc.stderr
    assert "0 graded, 0 graded with failures, 0 could not grade, 1 skipped" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "0 []"
