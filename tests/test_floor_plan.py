"""The floor plan holds: which rooms may import which, read from the code itself.

The rules live in README.md's layout table and graders/engine/__init__.py; these tests keep
them true as the code grows (the kernel room's own rule, standard library and numpy only, is
tested by booting it: tests/engine/test_boot.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "graders"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(absolute module, names imported from it) for every import in ``path``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, [a.name for a in node.names]))
            out += [(f"{module}.{a.name}", []) for a in node.names]  # `from pkg import module`
    return out


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def offenders(folder: Path, bad) -> list[str]:
    return [f"{p.relative_to(ROOT)}: {m}" for p in files(folder) for m, names in imports(p) if bad(m, names)]


def test_the_engine_does_not_import_the_reports_or_the_checks():
    """The engine reads the course through graders.course and asks checks' questions through
    graders.protocol; reports and checks are neither of those."""
    assert offenders(PACKAGE / "engine", lambda m, _: m.startswith(("graders.report", "graders.checks"))) == []


def test_the_checks_do_not_import_the_engine():
    assert offenders(PACKAGE / "checks", lambda m, _: m.startswith("graders.engine")) == []


def test_no_module_outside_the_checks_reaches_a_private_name_of_one():
    def private(m: str, names: list[str]) -> bool:
        return m.startswith("graders.checks") and (any(n.startswith("_") for n in names)
                                                   or any(part.startswith("_") and part != "__init__"
                                                          for part in m.split(".")))

    outside = [p for p in files(PACKAGE) if PACKAGE / "checks" not in p.parents]
    found = [f"{p.relative_to(ROOT)}: {m}" for p in outside for m, names in imports(p) if private(m, names)]
    assert found == []


@pytest.mark.parametrize("folder", ["demo", "bench"])
def test_demo_and_bench_import_nothing_from_the_tests(folder):
    assert offenders(ROOT / folder, lambda m, _: m == "tests" or m.startswith("tests.")) == []


def test_the_service_grades_through_the_runner_only():
    """The submission service hands work to the engine as the autograde command does (the
    runner's tasks, writer and workers); it never reaches into the grader, kernel or sandbox
    rooms beyond the worker's entry points, nor into the checks."""
    allowed = ("graders.engine.runner", "graders.engine.task", "graders.engine.grader.worker")

    def bad(m: str, _names: list[str]) -> bool:
        return (m.startswith("graders.engine") and m != "graders.engine" and not m.startswith(allowed)) \
            or m.startswith("graders.checks")

    assert offenders(PACKAGE / "serve", bad) == []


def test_the_students_submit_uses_the_standard_library_only():
    """``graders.submit`` ships in the student kit and runs in Colab: no package of ours or
    anyone else's (Colab's own modules, imported only when present, aside)."""
    import sys

    found = [m for m, _ in imports(PACKAGE / "submit.py")
             if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] not in ("__future__", "google")]
    assert found == []


def test_the_rules_can_fail():
    """The import reader sees a relative import for what it is (so the rules above can fail)."""
    found = imports(PACKAGE / "engine" / "grader" / "judge.py")
    assert ("graders.protocol.budget", ["CutOff", "OutOfBudget"]) in found
