"""The student kit as built: what the wheel and the sdist hold, and what they declare."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile

import pytest

from .support import ROOT, clean_env

PACKAGE = ROOT / "graders"

#: What released notebooks import from, and what that needs. Stated here, apart from
#: kit/build.py, so that a slip in the build's list shows up as a failure.
KIT_MODULES = ("__init__.py", "result.py", "describe.py", "calling.py", "submit.py")
#: Withheld from graders/data/: a data set for hidden tests, the instructor's data command
#: line, and the statistics report it prints (its code solves much of the 06 notebook).
DATA_WITHHELD = ("ipl_awkward.py", "__main__.py", "ipl_stats.py")
#: Never in the kit, whatever else changes.
INSTRUCTOR_ONLY = ("graders/variants.py", "graders/engine/", "graders/report/", "graders/student/",
                   "graders/preprocessors/", "graders/cli.py", "graders/__main__.py", "graders/course.py",
                   "graders/data/ipl_awkward.py", "graders/data/__main__.py", "graders/serve/", "graders/handin/")

# Modules the standard library dropped in Python 3.12 and 3.13 (PEP 594, PEP 632, ...).
REMOVED_FROM_STDLIB = {
    "asynchat", "asyncore", "distutils", "imp", "smtpd",  # 3.12
    "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis",
    "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
    "lib2to3",  # 3.13
}


def expected_files() -> set[str]:
    """The kit's files by the policy above, from the source tree as it is now."""
    files = {f"graders/{name}" for name in KIT_MODULES}
    files |= {p.relative_to(ROOT).as_posix() for p in (PACKAGE / "checks").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    files |= {f"graders/data/{p.name}" for p in (PACKAGE / "data").glob("*.py") if p.name not in DATA_WITHHELD}
    files |= {f"graders/protocol/{p.name}" for p in (PACKAGE / "protocol").glob("*.py")}  # what checks ask of a call
    return files


def instructor_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_wheel_holds_exactly_the_kit_modules(kit_dist):
    """Does the wheel hold graders/__init__, result, describe, calling, checks/ and data/ (less the
    withheld data modules), and nothing else but its own metadata?"""
    files = kit_dist.wheel_files()
    dist_info = f"pnd4dl_kit-{instructor_version()}.dist-info/"
    assert {f for f in files if not f.startswith(dist_info)} == expected_files()
    assert {f[len(dist_info):] for f in files if f.startswith(dist_info)} == \
        {"METADATA", "WHEEL", "RECORD", "top_level.txt"}


def test_sdist_holds_exactly_the_kit_modules(kit_dist):
    """Does the sdist hold the same modules, and besides them only its build files and metadata?"""
    files = kit_dist.sdist_files()
    assert {f for f in files if f.startswith("graders/")} == expected_files()
    rest = {f for f in files if not f.startswith(("graders/", "pnd4dl_kit.egg-info/"))}
    assert rest == {"PKG-INFO", "README.md", "VERSION", "pyproject.toml", "setup.cfg"}


@pytest.mark.parametrize("which", ["wheel", "sdist"])
def test_no_instructor_module_ships(kit_dist, which):
    """Is nothing of the engine, reports, student check, preprocessors, command lines, hidden-test
    seeds or hidden data set in the wheel or the sdist?"""
    files = kit_dist.wheel_files() if which == "wheel" else kit_dist.sdist_files()
    assert [f for f in files if f.startswith(INSTRUCTOR_ONLY)] == []
    assert [f for f in files if f.startswith("graders/") and not f.startswith(("graders/checks/", "graders/data/", "graders/protocol/"))
            and f.count("/") > 1] == []


def test_version_is_the_instructors(kit_dist):
    """Does the kit carry the instructor package's version, in its file names and metadata?"""
    version = instructor_version()
    assert kit_dist.wheel.name == f"pnd4dl_kit-{version}-py3-none-any.whl"
    assert kit_dist.sdist.name == f"pnd4dl_kit-{version}.tar.gz"
    assert (kit_dist.metadata()["Name"], kit_dist.metadata()["Version"]) == ("pnd4dl-kit", version)


def test_metadata_declares_python_and_lower_bounds(kit_dist):
    """Does the metadata ask for Python >= 3.10 and only lower bounds of numpy, pandas and
    matplotlib (never ==), so pip keeps what Colab or a JupyterHub already has?"""
    meta = kit_dist.metadata()
    assert meta["Requires-Python"] == ">=3.10"
    reqs = {r.name: r for r in kit_dist.requirements()}
    assert sorted(reqs) == ["matplotlib", "numpy", "pandas"]
    for req in reqs.values():
        assert [s.operator for s in req.specifier] == [">="], str(req)
        assert req.marker is None and not req.extras, str(req)
    assert {str(r.specifier) for r in reqs.values()} == {">=1.26", ">=2.2", ">=3.8"}
    classifiers = meta.get_all("Classifier")
    assert {f"Programming Language :: Python :: 3.{minor}" for minor in range(10, 14)} <= set(classifiers)


def test_wheel_is_pure_python(kit_dist):
    """Is the wheel one file for every platform and Python 3 (no compiled parts)?"""
    wheel = kit_dist.wheel_files()[f"pnd4dl_kit-{instructor_version()}.dist-info/WHEEL"].decode()
    assert "Root-Is-Purelib: true" in wheel and "Tag: py3-none-any" in wheel


@pytest.fixture(scope="module")
def unpacked(kit_dist, tmp_path_factory):
    """The wheel unpacked: the folder a pure wheel installs into site-packages."""
    folder = tmp_path_factory.mktemp("kit-unpacked")
    with zipfile.ZipFile(kit_dist.wheel) as z:
        z.extractall(folder)
    return folder


def test_every_module_runs_on_python_310(unpacked):
    """Does vermin find every shipped module runnable on Python 3.10 (annotations evaluated,
    3.12 f-string syntax detected)?"""
    modules = sorted(str(p) for p in (unpacked / "graders").rglob("*.py"))
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from vermin import main; sys.exit(main())",
         "-t=3.10-", "--no-tips", "--violations", "--eval-annotations", "--feature", "fstring-pep701", *modules],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Analyzing {len(modules)} files" in proc.stdout


def test_no_module_imports_what_python_313_removed(unpacked):
    """Does no shipped module import a standard-library module that Python 3.12 or 3.13 removed?"""
    found = []
    for path in sorted((unpacked / "graders").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            found += [f"{path.relative_to(unpacked)}:{node.lineno}: {n}" for n in names
                      if n.split(".")[0] in REMOVED_FROM_STDLIB]
    assert found == []


KIT_IMPORTS = r"""
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path.insert(0, sys.argv[1])
import graders, graders.data
assert graders.__file__.startswith(sys.argv[1]), graders.__file__
for module, name in (("graders", "grading_rng"), ("graders", "variant_seed"), ("graders.data", "awkward_ipl"),
                     ("graders.data", "variant_seed"), ("graders.data", "stats_table")):
    try:
        exec(f"from {module} import {name}", {})
    except ImportError as exc:
        print(f"{module}.{name}: {exc}")
print("graders.__all__ has", sorted({"grading_rng", "variant_seed"} & set(graders.__all__) & set(dir(graders))))
print("graders.data.__all__ has", sorted({"awkward_ipl", "variant_seed", "stats_table"} & set(graders.data.__all__)))
namespace = {}
exec("from graders import *; from graders.data import *", namespace)
print("star imports give check_close and make_ipl:", {"check_close", "make_ipl"} <= set(namespace))
try:
    graders.check_closee
except AttributeError as exc:
    print("typo:", exc)
"""


def test_instructor_names_say_they_are_not_in_the_kit(unpacked):
    """With only the kit's files, does asking for an instructor-only name raise an ImportError
    saying so, while `import *` and dir() simply leave those names out?"""
    proc = subprocess.run([sys.executable, "-c", KIT_IMPORTS, str(unpacked)], capture_output=True, text=True,
                          env=clean_env(), cwd=unpacked, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "graders.grading_rng: graders.grading_rng is part of the instructor's package, not the student kit: "
        "graders.variants is not installed",
        "graders.variant_seed: graders.variant_seed is part of the instructor's package, not the student kit: "
        "graders.variants is not installed",
        "graders.data.awkward_ipl: graders.data.awkward_ipl is part of the instructor's package, not the student "
        "kit: graders.data.ipl_awkward is not installed",
        "graders.data.variant_seed: graders.data.variant_seed is part of the instructor's package, not the "
        "student kit: graders.variants is not installed",
        "graders.data.stats_table: graders.data.stats_table is part of the instructor's package, not the student "
        "kit: graders.data.ipl_stats is not installed",
        "graders.__all__ has []",
        "graders.data.__all__ has []",
        "star imports give check_close and make_ipl: True",
        "typo: module 'graders' has no attribute 'check_closee'",
    ]

