"""Does the course grade the same with a PostgreSQL gradebook as with SQLite?

nbgrader takes any SQLAlchemy URL as ``c.CourseDirectory.db_url``. These tests grade a
course whose config is the repo's plus a PostgreSQL URL, on a real server (see
``tests/engine/pg.py``), through the same commands an instructor runs.
"""

import csv
import shutil
import socket
import subprocess

import pytest
from sqlalchemy.engine import make_url

from samples.course import REPO, Course, nbgrader
from tests.engine.pg import (course_with_db, fresh_database, notebook_scores, pg_server,  # noqa: F401
                             pg_url, require_driver, run_graders, scores)

A = "02_sigmoid"
pytestmark = pytest.mark.slow


def submit_key_and_blank(course: Course) -> None:
    course.submit("key", A, course.source_nb(A))
    course.submit("blank", A, course.release_nb(A))


def autograde(course: Course) -> None:
    proc = run_graders(course.root, "autograde", A, "--force")
    assert proc.returncode == 0, f"autograde failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}"


def test_postgres_gradebook_holds_the_scores_sqlite_gets(pg_url, tmp_path):
    """Does every grade cell of every submission score the same in PostgreSQL as in SQLite?

    Both courses run the students' code, so a timing check (sigmoid_speed) may come out
    differently in the two runs on a busy machine, which is not the gradebook's doing. So each
    gradebook is held, cell by cell, to what its own run scored (nbgrader's rule applied to the
    autograded notebooks), and the two gradebooks to the same students, cells and maxima:
    together, equal {student: {grade_id: (score, max)}} whenever the two runs agree."""
    on_pg = course_with_db(tmp_path / "pg", A, pg_url)
    on_sqlite = Course.create(tmp_path / "sqlite", [A])
    for course in (on_pg, on_sqlite):
        submit_key_and_blank(course)
        autograde(course)
    assert not (on_pg.root / "gradebook.db").exists(), "the PostgreSQL course wrote a SQLite gradebook"
    pg, sqlite = scores(pg_url, A), on_sqlite.scores(A)
    assert set(sqlite) == {"key", "blank"} and all(sqlite.values())
    assert pg == notebook_scores(on_pg, A)
    assert sqlite == notebook_scores(on_sqlite, A)
    assert {s: {g: m for g, (_, m) in c.items()} for s, c in pg.items()} == \
        {s: {g: m for g, (_, m) in c.items()} for s, c in sqlite.items()}


def key_row(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["student_id"] == "key"]
    assert len(rows) == 1, f"expected one row for student key in {path}, got {rows}"
    return rows[0]


@pytest.fixture(scope="module")
def graded(pg_server, tmp_path_factory):
    """A course graded into a fresh database of its own: (course, db_url). The export tests
    share it because exporting only reads the gradebook; grading it once saves a run."""
    with fresh_database(pg_server) as url:
        course = course_with_db(tmp_path_factory.mktemp("export"), A, url)
        course.submit("key", A, course.source_nb(A))
        autograde(course)
        yield course, url


def test_nbgrader_export_reads_the_postgres_gradebook(graded):
    """Does `nbgrader export` write the totals that the PostgreSQL gradebook holds?"""
    course, url = graded
    proc = nbgrader(course.root, "export", "--to", "grades.csv", check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    row = key_row(course.root / "grades.csv")
    cells = scores(url, A)["key"]
    assert float(row["raw_score"]) == sum(s for s, _ in cells.values())
    assert float(row["max_score"]) == sum(m for _, m in cells.values())


def test_graders_export_reads_the_postgres_gradebook(graded):
    """Does `python -m graders export` write the per-cell scores the PostgreSQL gradebook holds?"""
    course, url = graded
    proc = run_graders(course.root, "export", "--to", "grades_lms.csv")
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-3000:]}"
    row = key_row(course.root / "grades_lms.csv")
    cells = scores(url, A)["key"]
    assert {gid: float(row[f"{A}:{gid}"]) for gid in cells} == {gid: s for gid, (s, _) in cells.items()}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory):
    """Autograde, once, a course whose db_url names a loopback port where no server listens
    (one submission, no release: releasing needs the gradebook too). No database is made,
    so the tests below share this one run: (url, completed process or the timeout)."""
    require_driver()
    url = make_url(f"postgresql+psycopg2://graders:pw-not-shown@127.0.0.1:{closed_port()}/graders_test")
    root = tmp_path_factory.mktemp("unreachable") / "course"
    root.mkdir()
    config = (REPO / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(
        config + f"\nc.CourseDirectory.db_url = {url.render_as_string(hide_password=False)!r}\n")
    shutil.copytree(REPO / "source" / A, root / "source" / A)
    course = Course(root)
    course.submit("key", A, course.source_nb(A))
    try:
        return url, run_graders(root, "autograde", A, "--force", timeout=30)
    except subprocess.TimeoutExpired as e:  # a hang is the failure these tests exist for
        return url, e


def test_wrong_port_fails_fast_saying_the_database_is_unreachable(unreachable):
    """Does a db_url with the wrong port end autograde within 30 s with an error about the database?"""
    _, proc = unreachable
    assert not isinstance(proc, Exception), f"autograde with an unreachable gradebook did not exit: {proc}"
    assert proc.returncode != 0
    assert "database" in proc.stdout + proc.stderr


def test_wrong_port_error_names_the_database(unreachable):
    """Does the error name the database it could not reach, host, port and name, without the password?"""
    url, proc = unreachable
    assert not isinstance(proc, Exception), f"autograde with an unreachable gradebook did not exit: {proc}"
    out = proc.stdout + proc.stderr
    assert f"{url.host}:{url.port}/{url.database}" in out
    assert url.password not in out
