"""The course's data: the synthetic IPL and its loaders and statistics, Zomato, houses.

Generators follow ``make_<name>(n, *, seed)``; every one is deterministic given its seed,
and `variant_seed` turns (student, assignment) into a seed for hidden-test variants.
`awkward_ipl` and `variant_seed` serve hidden tests, and the statistics report
(`compute_stats`, `stats_table`, `format_table`) the instructor's ``python -m graders.data
stats``; they are loaded on first use (PEP 562). The student kit ships none of their modules
(the report's code computes much of what the 06 notebook asks for) and raises an ImportError
saying so.
"""

from __future__ import annotations


from .. import _exported, _lazy
from .houses import HOUSE_NOISE_SD, HOUSE_TRUTH, make_houses
from .ipl_load import IPLFileNotFound, load_ipl
from .ipl_schema import (CANONICAL_DELIVERY_DTYPES, CANONICAL_MATCH_DTYPES, IPLData, IPLDataError,
                         to_canonical)
from .ipl_sim import make_ipl
from .zomato import make_zomato

_INSTRUCTOR_ONLY = {
    "awkward_ipl": ".ipl_awkward", "variant_seed": "..variants",
    "compute_stats": ".ipl_stats", "format_table": ".ipl_stats", "stats_table": ".ipl_stats",
}

__all__ = sorted([
    "CANONICAL_DELIVERY_DTYPES", "CANONICAL_MATCH_DTYPES", "HOUSE_NOISE_SD", "HOUSE_TRUTH",
    "IPLData", "IPLDataError", "IPLFileNotFound", "load_ipl", "make_houses", "make_ipl",
    "make_zomato", "to_canonical",
] + _exported(_INSTRUCTOR_ONLY, __name__))
__getattr__, __dir__ = _lazy(_INSTRUCTOR_ONLY, globals())
