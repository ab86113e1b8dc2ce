"""graders: checks, grading engine and reports for the course kit.

Hidden test cells import checks from here and read like sentences::

    from graders import check_close
    r = check_close(softmax(z), expected, rtol=1e-6, name="softmax(z)", inputs={"z": z})
    assert r.passed, r.message
"""

from .checks.choices import check_choice, check_choice_format
from .checks.frames import check_frame
from .checks.iterators import check_is_generator, check_lazy, check_yields, collect
from .checks.loop_trace import Args
from .checks.loops import check_no_loops, check_no_loops_dynamic, check_no_loops_static, find_loops
from .checks.mutation import check_no_mutation
from .checks.plots import check_bars, check_figure, check_labels, check_lines, check_scatter
from .checks.raises import check_raises
from .checks.shapes import check_array, check_dtype, check_shape, check_type
from .checks.speed import check_speed
from .checks.stability import check_finite, check_no_warnings, check_stable
from .checks.values import check_close, check_equal
from .result import Result, first_failure
from .variants import grading_rng, variant_seed

__all__ = [
    "Result", "first_failure",
    "check_close", "check_equal", "check_frame",
    "check_type", "check_shape", "check_dtype", "check_array",
    "check_no_mutation",
    "check_no_loops", "check_no_loops_static", "check_no_loops_dynamic", "find_loops", "Args",
    "check_speed",
    "check_stable", "check_no_warnings", "check_finite",
    "check_figure", "check_lines", "check_bars", "check_scatter", "check_labels",
    "check_is_generator", "check_lazy", "check_yields", "collect", "check_raises",
    "check_choice", "check_choice_format",
    "grading_rng", "variant_seed",
]
