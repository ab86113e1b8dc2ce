"""The course's data: the synthetic IPL and its loaders and statistics, Zomato, houses.

Generators follow ``make_<name>(n, *, seed)``; every one is deterministic given its seed,
and `variant_seed` turns (student, assignment) into a seed for hidden-test variants.
"""

from .houses import HOUSE_NOISE_SD, HOUSE_TRUTH, make_houses
from .ipl_awkward import awkward_ipl
from .ipl_load import IPLFileNotFound, load_ipl
from .ipl_schema import (CANONICAL_DELIVERY_DTYPES, CANONICAL_MATCH_DTYPES, IPLData, IPLDataError,
                         to_canonical)
from .ipl_sim import make_ipl
from .ipl_stats import compute_stats, format_table, stats_table
from ..variants import variant_seed
from .zomato import make_zomato

__all__ = [
    "CANONICAL_DELIVERY_DTYPES", "CANONICAL_MATCH_DTYPES", "HOUSE_NOISE_SD", "HOUSE_TRUTH",
    "awkward_ipl",
    "IPLData", "IPLDataError", "IPLFileNotFound", "compute_stats", "format_table", "load_ipl",
    "make_houses", "make_ipl", "make_zomato", "stats_table", "to_canonical", "variant_seed",
]
