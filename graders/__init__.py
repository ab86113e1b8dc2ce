"""graders: checks, grading engine and reports for the course kit.

Hidden test cells import checks from here and read like sentences::

    from graders import check_close
    r = check_close(softmax(z), expected, rtol=1e-6, name="softmax(z)", inputs={"z": z})
    assert r.passed, r.message

Names are loaded on first use (PEP 562), so tools that need one small part of the package
(the kernel launcher, nbgrader's config, the student's check) do not pay for importing
numpy, pandas and matplotlib up front.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Result": ".result", "first_failure": ".result",
    "check_close": ".checks.values", "check_equal": ".checks.values",
    "check_frame": ".checks.frames",
    "check_type": ".checks.shapes", "check_shape": ".checks.shapes", "check_dtype": ".checks.shapes",
    "check_array": ".checks.shapes",
    "check_no_mutation": ".checks.mutation",
    "check_no_loops": ".checks.loops", "check_no_loops_static": ".checks.loops",
    "check_no_loops_dynamic": ".checks.loops", "find_loops": ".checks.loops", "Args": ".checks.loop_trace",
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

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graders' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
