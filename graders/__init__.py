"""graders: checks, grading engine and reports for the course kit.

Hidden test cells import checks from here and read like sentences::

    from graders import check_close
    r = check_close(softmax(z), expected, rtol=1e-6, name="softmax(z)", inputs={"z": z})
    assert r.passed, r.message

Names are loaded on first use (PEP 562), so tools that need one small part of the package
(the kernel launcher, nbgrader's config, the student's check) do not pay for importing
numpy, pandas and matplotlib up front.

The student kit (``pip install pnd4dl-kit``, built by ``make student-kit``) is this package
without its instructor-only modules (the grading engine, reports, hidden-test seeds): a name
whose module is not installed raises an ImportError that says so, and is left out of
``__all__`` and ``dir()``.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

_EXPORTS = {
    "Result": ".result", "first_failure": ".result",
    "check_close": ".checks.values", "check_equal": ".checks.values",
    "check_frame": ".checks.frames",
    "check_type": ".checks.shapes", "check_shape": ".checks.shapes", "check_dtype": ".checks.shapes",
    "check_array": ".checks.shapes",
    "check_no_mutation": ".checks.mutation",
    "check_no_loops": ".checks.loops", "check_no_loops_static": ".checks.loops",
    "check_no_loops_dynamic": ".checks.loops", "find_loops": ".checks.loops", "Args": ".checks.loops",
    "check_speed": ".checks.speed",
    "check_stable": ".checks.stability", "check_no_warnings": ".checks.stability",
    "check_finite": ".checks.stability",
    "check_figure": ".checks.plots", "check_lines": ".checks.plots", "check_bars": ".checks.plots",
    "check_scatter": ".checks.plots", "check_labels": ".checks.plots",
    "check_is_generator": ".checks.iterators", "check_lazy": ".checks.iterators",
    "check_yields": ".checks.iterators", "collect": ".checks.iterators",
    "check_raises": ".checks.raises",
    "check_choice": ".checks.choices", "check_choice_format": ".checks.choices",
    "grading_rng": ".variants", "variant_seed": ".variants",
}


def _installed(module: str, package: str) -> bool:
    """Whether ``module`` (relative to ``package``) is installed, without importing it."""
    try:
        return importlib.util.find_spec(module, package) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def _exported(exports: dict[str, str], package: str) -> list[str]:
    """The names of ``exports`` whose modules are installed (all of them, but in the kit)."""
    present = {m for m in set(exports.values()) if _installed(m, package)}
    return sorted(name for name, module in exports.items() if module in present)


def _load(exports: dict[str, str], package: str, name: str) -> Any:
    """The value of ``name`` from its module in ``exports``, for a package's ``__getattr__``."""
    module = exports.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    full = importlib.util.resolve_name(module, package)
    try:
        loaded = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name != full:  # a dependency of the module is missing, not the module
            raise
        raise ImportError(f"{package}.{name} is part of the instructor's package, not the student "
                          f"kit: {full} is not installed", name=full) from None
    return getattr(loaded, name)


def _lazy(exports: dict[str, str], namespace: dict[str, Any]) -> tuple[Any, Any]:
    """A package's PEP 562 ``__getattr__`` (loads and keeps a name of ``exports``) and
    ``__dir__`` (its globals and ``__all__``), for ``namespace``, the package's globals()."""
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        value = _load(exports, package, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(namespace["__all__"]))

    return __getattr__, __dir__


__all__ = _exported(_EXPORTS, __name__)
__getattr__, __dir__ = _lazy(_EXPORTS, globals())
