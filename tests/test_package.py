"""Tests for the package's public surface."""

import subprocess
import sys

import graders


def test_every_export_resolves():
    """Does every name in __all__ load, and is it the object its module defines? In the
    instructor's package every export is installed, so a name whose module path is wrong (a
    module moved, the export not) is missing from __all__, and that fails here."""
    assert sorted(graders.__all__) == sorted(graders._EXPORTS)
    for name in graders.__all__:
        assert getattr(graders, name) is not None, name
    from graders.checks.values import check_close
    assert graders.check_close is check_close


def test_importing_the_package_is_light():
    """Does `import graders` leave numpy, pandas and matplotlib unloaded until a check is used?"""
    code = "import sys, graders; print(sorted(m for m in ('numpy', 'pandas', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_unknown_name_is_an_attribute_error():
    """Is a typo an AttributeError naming the attribute?"""
    try:
        graders.check_closee
    except AttributeError as exc:
        assert "check_closee" in str(exc)
    else:
        raise AssertionError("no AttributeError")
