"""Build the student kit (``pnd4dl-kit``): a wheel and an sdist of the student's part of graders/.

    python kit/build.py [--out dist] [--list]

The kit is built from the same files as the instructor's package (one source of truth):
the files of graders/ named in SHIPPED, less those in WITHHELD, are staged beside
kit/pyproject.toml and kit/README.md in a temporary folder, with the instructor's version
(from pyproject.toml) as VERSION, and ``python -m build`` makes the sdist and, from the
sdist, the wheel. Notebooks import the same names in both worlds, since the kit's import
name is ``graders`` too.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "kit"
PACKAGE = ROOT / "graders"

#: What the kit ships, as globs relative to graders/: what released notebooks import (the
#: checks and the course data) and what those need. This is the only list of the kit's files.
SHIPPED = ("__init__.py", "result.py", "describe.py", "calling.py", "submit.py", "checks/**/*", "protocol/*.py", "data/*.py")

#: Files the globs above match that stay with the instructor: a data set built for hidden
#: tests only, the data command line (``python -m graders.data``) and the statistics report it
#: prints (its code computes much of what the 06 notebook asks students to write). Everything
#: not matched above stays too: the engine, reports, the student's check command, nbgrader
#: preprocessors, the command line and ``variants.py`` (hidden-test seeds).
WITHHELD = ("data/ipl_awkward.py", "data/__main__.py", "data/ipl_stats.py")


def kit_files(package: Path = PACKAGE) -> list[str]:
    """The kit's files, as sorted paths relative to ``package`` (``checks/values.py``)."""
    found = {p.relative_to(package).as_posix() for pattern in SHIPPED for p in package.glob(pattern)
             if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")}
    missing = [w for w in WITHHELD if not (package / w).is_file()]
    if missing:  # a renamed withheld file would otherwise ship under its new name unnoticed
        raise SystemExit(f"error: WITHHELD names files that do not exist: {', '.join(missing)}")
    return sorted(found - set(WITHHELD))


def instructor_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The instructor package's version, which the kit shares."""
    with pyproject.open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def stage(into: Path) -> Path:
    """Lay out the kit's project in ``into``: pyproject.toml, README.md, VERSION, graders/."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(KIT / name, into / name)
    (into / "VERSION").write_text(instructor_version() + "\n")
    for rel in kit_files():
        target = into / "graders" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PACKAGE / rel, target)
    return into


def build(out: Path) -> list[Path]:
    """Build the sdist and, from it, the wheel into ``out``; return their paths."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pnd4dl-kit-") as tmp:
        staged, made = Path(tmp) / "project", Path(tmp) / "dist"
        staged.mkdir()
        stage(staged)
        # --no-isolation: the pinned setuptools of the instructor's environment builds it,
        # so the build needs no download and gives the same files every time.
        proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(made), str(staged)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"error: building the student kit failed (exit {proc.returncode})")
        built = []
        for artifact in sorted(made.iterdir()):
            shutil.copy2(artifact, out / artifact.name)
            built.append(out / artifact.name)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kit/build.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--list", action="store_true", help="print the files the kit ships, build nothing")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(f"graders/{rel}" for rel in kit_files()))
        return 0
    for path in build(args.out):
        print(f"built {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
