"""``python -m graders check PATH``: the student's one command before submitting.

Exit codes: 0 every public check passed; 1 a public check failed, was not answered or
timed out; 2 the notebook could not be read (missing, not JSON, not a notebook) or the
arguments were wrong. Warnings about edited or deleted test cells do not change the exit
code: the grader restores those cells, so they say the local result may not be the grade.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # imported lazily: see _skip_iri_grammar
    import nbformat

    from .integrity import CellWarning
    from .run import CellOutcome, RunTimes

FAILING = ("fail", "not answered", "timeout")


@dataclass(frozen=True)
class CheckReport:
    """Everything one check found; ``exit_code`` is what the command returns."""

    outcomes: list["CellOutcome"]
    warnings: list["CellWarning"]
    times: "RunTimes"
    total: float
    release: Path | None
    text: str

    @property
    def exit_code(self) -> int:
        return 1 if any(o.status in FAILING for o in self.outcomes) else 0


class NotebookError(Exception):
    """The notebook (or its release) cannot be read; the message says why, in one line."""


def read_notebook(path: Path) -> "nbformat.NotebookNode":
    """Read a notebook, turning every way it can be broken into one clear sentence."""
    import nbformat

    if not path.is_file():
        raise NotebookError(f"{path}: no such notebook")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError(f"{path}: cannot be read ({exc})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"{path} is not valid notebook JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); was it edited in a text editor or truncated? Open a checkpoint "
            f"(File > Revert to checkpoint) or download the released notebook again") from None
    if not isinstance(raw, dict) or "cells" not in raw:
        raise NotebookError(f"{path} is JSON but not a Jupyter notebook (no 'cells')")
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:
        raise NotebookError(f"{path} is not a valid notebook: {str(exc).splitlines()[0]}") from None


def check_notebook(path: Path, *, release: Path | None = None,
                   timeout: float = 30) -> CheckReport:
    """Run ``path``'s public checks and compare its test cells with the release."""
    start = time.perf_counter()
    from .integrity import compare_with_release, find_release
    from .run import run_public_checks
    from .table import render

    nb = read_notebook(path)
    release_path = find_release(path, release)
    warnings: list[CellWarning] = []
    # Checking the released file itself leaves nothing to compare.
    if release_path is not None and release_path.resolve() != path.resolve():
        warnings = compare_with_release(nb, read_notebook(release_path))
    outcomes, times = run_public_checks(path, nb, timeout=timeout)
    total = time.perf_counter() - start
    text = render(path.name, outcomes, warnings, times, total,
                  str(release_path) if release_path else None)
    return CheckReport(outcomes, warnings, times, total, release_path, text)


def _skip_iri_grammar() -> None:
    """Let jsonschema (imported by nbformat) skip its optional IRI grammar.

    jsonschema builds the ``rfc3987_syntax`` grammar at import when that package is
    installed: about 1.5 s, more than running a whole notebook. Notebook schemas use no
    IRI format, and a missing optional package is what jsonschema already handles. Done
    only before jsonschema is imported, so a process that has it already is unchanged.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m graders check",
        description="Run the public checks of one notebook, as nbgrader would grade them.")
    p.add_argument("notebook", type=Path, help="the notebook to check, e.g. 02_sigmoid.ipynb")
    p.add_argument("--release", type=Path, default=None,
                   help="the released notebook to compare test cells with "
                        "(default: release/<name>/<name>.ipynb in a parent folder)")
    p.add_argument("--timeout", type=float, default=30,
                   help="seconds a cell may run before it is stopped (default 30)")
    return p


def check_main(argv: list[str], stdout: TextIO | None = None,
               stderr: TextIO | None = None) -> int:
    """Entry point of ``python -m graders check``; returns the exit code."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    _skip_iri_grammar()
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return 0 if exc.code == 0 else 2
    try:
        report = check_notebook(args.notebook, release=args.release, timeout=args.timeout)
    except NotebookError as exc:
        print(f"error: {exc}", file=err)
        return 2
    print(report.text, file=out)
    return report.exit_code

