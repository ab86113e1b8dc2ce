"""A real PostgreSQL server for gradebook tests, and a fresh database for each test.

nbgrader takes any SQLAlchemy URL as ``c.CourseDirectory.db_url``; courses that outgrow
SQLite move to PostgreSQL, so the tests run against a real server rather than a mock:

- ``GRADERS_PG_URL`` set (CI starts a server with ``.ci/postgres.sh``): that server is used;
- otherwise, when the server binaries exist, ``.ci/postgres.sh`` starts a private cluster for
  this test session (as the ``postgres`` user under root) and it is stopped and deleted after;
- otherwise the tests skip, naming what to install, unless ``GRADERS_REQUIRE_PG=1``
  (CI), where a missing server or driver fails instead, so CI cannot go green by skipping.

Each test gets its own ``CREATE DATABASE`` (dropped after), so no test sees another's rows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from samples.course import REPO, Course, nbgrader

SCRIPT = REPO / ".ci" / "postgres.sh"
DRIVER_PIN = "psycopg2-binary==2.9.13"
UNAVAILABLE = 3  # .ci/postgres.sh's exit code for "no server binaries and may not install"


def unavailable(reason: str) -> None:
    """Skip, or fail when CI requires PostgreSQL (a skip there would hide a broken setup)."""
    if os.environ.get("GRADERS_REQUIRE_PG") == "1":
        pytest.fail(f"GRADERS_REQUIRE_PG=1 but PostgreSQL is unavailable: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


def require_driver() -> None:
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        unavailable(f"no PostgreSQL driver for SQLAlchemy; install with: .venv/bin/pip install {DRIVER_PIN}")


def run_script(verb: str, folder: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GRADERS_PG_DIR=folder, GRADERS_PG_NO_INSTALL="1", GRADERS_PG_PORT="55532")
    return subprocess.run(["bash", str(SCRIPT), verb], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


@contextmanager
def private_cluster() -> Iterator[str]:
    """Start a throwaway cluster in a new folder under the system temp folder (the postgres
    user must reach it, which pytest's per-user tmp_path does not allow); yield its URL."""
    folder = tempfile.mkdtemp(prefix="graders-pg-test-")
    try:
        started = run_script("start", folder)
        if started.returncode == UNAVAILABLE:
            unavailable(started.stderr.strip().splitlines()[-1])
        if started.returncode != 0:
            pytest.fail(f".ci/postgres.sh start failed ({started.returncode}):\n{started.stderr}", pytrace=False)
        line = next((ln for ln in started.stdout.splitlines() if ln.startswith("export GRADERS_PG_URL=")), None)
        if line is None:
            pytest.fail(f".ci/postgres.sh start printed no GRADERS_PG_URL:\n{started.stdout}", pytrace=False)
        yield line.split("=", 1)[1].strip("'")
    finally:
        run_script("stop", folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a database on a running server, whose role may create databases."""
    require_driver()
    url = os.environ.get("GRADERS_PG_URL")
    if url:
        yield url
        return
    if not SCRIPT.is_file():
        unavailable(f"{SCRIPT} is missing")
    with private_cluster() as url:
        yield url


def _connect(url: str):
    import psycopg2
    from sqlalchemy.engine import make_url

    u = make_url(url)
    conn = psycopg2.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                            dbname=u.database, connect_timeout=10)
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    return conn


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``; dropped afterwards."""
    from sqlalchemy.engine import make_url

    name = f"graders_t_{uuid.uuid4().hex[:12]}"
    conn = _connect(server_url)
    try:
        with conn.cursor() as cur:
            try:
                cur.execute(f'CREATE DATABASE "{name}"')
            except Exception as e:  # noqa: BLE001 - turned into a test failure that says why
                pytest.fail(f"cannot CREATE DATABASE on {make_url(server_url)!r} (the role needs "
                            f"CREATEDB): {e}", pytrace=False)
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh database for one test."""
    with fresh_database(pg_server) as url:
        yield url


def course_with_db(tmp: Path, assignment: str, db_url: str) -> Course:
    """A throwaway course like ``Course.create`` whose config is the repo's plus ``db_url``,
    released with stock ``nbgrader generate_assignment`` (which writes that gradebook)."""
    root = tmp / "course"
    (root / "source").mkdir(parents=True)
    config = (REPO / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(config + f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
    nbgrader(root, "generate_assignment", assignment, "--force")
    return Course(root)


def scores(db_url: str, assignment: str) -> dict[str, dict[str, tuple[float, float]]]:
    """{student: {grade_id: (score, max_score)}} from the gradebook at any URL."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, tuple[float, float]]] = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                out[sub.student.id] = {g.name: (g.score, g.max_score) for g in nb.grades}
    return out


def notebook_scores(course: Course, assignment: str) -> dict[str, dict[str, tuple[float, float]]]:
    """{student: {grade_id: (score, max_score)}} as nbgrader's own rule (``determine_grade``)
    reads them off the autograded notebooks: what the grading run produced, before any
    gradebook stored it."""
    import nbformat
    from nbgrader.utils import determine_grade, is_grade

    out: dict[str, dict[str, tuple[float, float]]] = {}
    for folder in sorted((course.root / "autograded").glob(f"*/{assignment}")):
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, 4)
            out[folder.parent.name] = {c.metadata.nbgrader["grade_id"]: determine_grade(c)
                                       for c in nb.cells if is_grade(c)}
    return out


def run_graders(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m graders ARGS`` run from the course root, as an instructor runs it."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
