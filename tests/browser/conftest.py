"""Fixtures: a graded course served by the formgrader, and a headless Debian chromium.

Browser tests skip, saying why, when /usr/bin/chromium or the playwright package is
missing; CI installs both (make sysdeps and the lock file), so there they run.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.browser.formgrader import graded_course, serve
from samples.course import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def formgrader(tmp_path_factory):
    """01_mcq submitted by 'ada', autograded, and the formgrader serving that course."""
    tmp = tmp_path_factory.mktemp("formgrader")
    course = graded_course(tmp)
    with serve(course.root, tmp / "server.log") as server:
        yield server


@pytest.fixture
def page(tmp_path):
    """A page in a fresh headless chromium profile; closed after the test."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run make sysdeps (Debian package chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the playwright package is missing: install the pinned requirements.lock")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
