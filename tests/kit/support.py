"""What the kit's tests share: the repository's root, a clean environment for a venv's Python,
the built kit's files and metadata, and the library versions each test venv gets."""

from __future__ import annotations

import email.message
import email.parser
import os
import re
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("numpy", "pandas", "matplotlib")


@dataclass(frozen=True)
class KitDist:
    wheel: Path
    sdist: Path

    def wheel_files(self) -> dict[str, bytes]:
        """Every file in the wheel, by its path in the archive."""
        with zipfile.ZipFile(self.wheel) as z:
            return {name: z.read(name) for name in z.namelist() if not name.endswith("/")}

    def sdist_files(self) -> dict[str, bytes]:
        """Every file in the sdist, by its path below the top folder (``pnd4dl_kit-0.1.0/``)."""
        with tarfile.open(self.sdist) as t:
            return {m.name.split("/", 1)[1]: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}

    def metadata(self) -> email.message.Message:
        """The wheel's METADATA (core metadata, as pip reads it)."""
        files = self.wheel_files()
        name = next(n for n in files if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(files[name].decode())

    def requirements(self) -> list[Requirement]:
        return [Requirement(r) for r in self.metadata().get_all("Requires-Dist") or []]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what would make a venv's Python see the repository or .venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE")}
    env.update(MPLBACKEND="Agg", **extra)
    return env


def oldest_versions(kit: KitDist) -> list[str]:
    """``numpy==1.26.*`` for ``numpy>=1.26``: the lowest release series the kit admits."""
    pins = []
    for req in kit.requirements():
        (spec,) = [s for s in req.specifier if s.operator == ">="]
        pins.append(f"{req.name}=={spec.version}.*")
    return pins


def pinned_versions() -> list[str]:
    """The instructor's pins of numpy, pandas and matplotlib, from requirements.lock."""
    lock = (ROOT / "requirements.lock").read_text()
    return [re.search(rf"^{name}==\S+$", lock, re.M | re.I).group(0) for name in LIBRARIES]
