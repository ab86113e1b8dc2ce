"""The student kit installed as students install it: a fresh virtualenv outside the repository
with only the kit, numpy, pandas and matplotlib (oldest declared, and the instructor's pins)."""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess

import pytest

from .support import ROOT, clean_env, pinned_versions

SMOKE = ROOT / "tests" / "kit" / "smoke.py"


def released_imports() -> list[str]:
    """Every ``import graders...`` / ``from graders... import ...`` in the released notebooks."""
    found = set()
    for nb in sorted((ROOT / "release").glob("*/*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "graders" or \
                        isinstance(node, ast.Import) and any(a.name.split(".")[0] == "graders" for a in node.names):
                    found.add(ast.unparse(node))
    return sorted(found)


def digest(frame) -> str:
    text = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def instructors_data() -> dict[str, str]:
    """Digests of the data the instructor's package generates (smoke.py makes the same calls)."""
    from graders.data import make_houses, make_ipl, make_zomato

    deliveries, matches = make_ipl(n_seasons=1, seed=3)
    return {"zomato": digest(make_zomato(200, seed=7)), "houses": digest(make_houses(200, seed=7)),
            "deliveries": digest(deliveries), "matches": digest(matches)}


def run_smoke(python, tmp_path) -> dict:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"imports": released_imports()}))
    proc = subprocess.run([str(python), "-I", str(SMOKE), str(request)], capture_output=True, text=True,
                          env=clean_env(), cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_released_notebooks_import_only_what_the_kit_has():
    """Do the released notebooks import graders at all (so the smoke run below exercises them)?"""
    imports = released_imports()
    assert any("graders.checks" in s for s in imports) and any("graders.data" in s for s in imports)


def test_every_module_and_check_works_in_a_fresh_venv(kit_python, kit_dist, tmp_path, instructors_data):
    """In a venv holding only the kit, does every shipped module import, every public check pass
    what it should pass and fail what it should fail, every data generator and loader work,
    every import of the released notebooks resolve, instructor-only names say they are not in
    the kit, and the data come out identical to the instructor's?"""
    report = run_smoke(kit_python, tmp_path)
    assert report["graders_file"].startswith(str(kit_python.parents[1])), report["graders_file"]
    shipped = {name for name in kit_dist.wheel_files() if name.startswith("graders/")}
    expected_modules = {name[:-len(".py")].removesuffix("/__init__").replace("/", ".") for name in shipped}
    assert set(report["modules"]) == expected_modules
    assert report["problems"] == []
    assert report["digests"] == instructors_data


@pytest.mark.slow
def test_venvs_have_the_libraries_asked_for(kit_venv, tmp_path):
    """Do the two venvs really hold the oldest declared and the pinned numpy, pandas and matplotlib?"""
    code = "import json, numpy, pandas, matplotlib; print(json.dumps([m.__version__ for m in (numpy, pandas, matplotlib)]))"
    versions = {}
    for which in ("oldest", "pinned"):
        out = subprocess.run([str(kit_venv(which)), "-I", "-c", code], capture_output=True, text=True,
                             env=clean_env(), cwd=tmp_path, check=True, timeout=120).stdout
        versions[which] = json.loads(out)
    assert [v.split(".")[:2] for v in versions["oldest"]] == [["1", "26"], ["2", "2"], ["3", "8"]]
    assert versions["pinned"] == [pin.split("==")[1] for pin in pinned_versions()]

