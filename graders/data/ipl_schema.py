"""The canonical IPL layout: column names, dtypes and the one casting step every source ends in.

The chapter's code (``deliveries.groupby(['match_id', 'over'])``, ``is_wicket`` sums,
``batsman`` strike rates) only works on one layout, while the public copies of the data
come in four. Defining the target layout once, and funnelling the generator and every
loader through `to_canonical`, is what lets the same statistics code describe both the
synthetic data and the real files.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

#: deliveries: one row per ball bowled, wides and no-balls included (they are re-bowled).
#: ``over`` is 1-based (1..20); innings 3 and later are super overs.
CANONICAL_DELIVERY_DTYPES: dict[str, str] = {
    "match_id": "int64",
    "inning": "int64",
    "batting_team": "str",
    "bowling_team": "str",
    "over": "int64",
    "ball": "int64",
    "batsman": "str",
    "non_striker": "str",
    "bowler": "str",
    "batsman_runs": "int64",
    "extra_runs": "int64",
    "total_runs": "int64",
    "extras_type": "str",  # wides / noballs / byes / legbyes / penalty, missing when none
    "is_wicket": "int64",  # 1 on any dismissal row, retired hurt included (as in the sources)
    "player_dismissed": "str",
    "dismissal_kind": "str",
    "fielder": "str",
}

#: matches: one row per scheduled match, abandoned ones included.
CANONICAL_MATCH_DTYPES: dict[str, str] = {
    "id": "int64",
    "season": "Int64",
    "date": "datetime64[ns]",
    "venue": "str",
    "city": "str",
    "team1": "str",
    "team2": "str",
    "toss_winner": "str",
    "toss_decision": "str",  # bat / field
    "winner": "str",  # missing for a no result
    "result": "str",  # runs / wickets / tie / no result
    "result_margin": "Int64",  # missing for a tie or a no result
    "method": "str",  # "D/L" or missing
    "super_over": "str",  # Y / N
}

DELIVERY_COLUMNS = list(CANONICAL_DELIVERY_DTYPES)
MATCH_COLUMNS = list(CANONICAL_MATCH_DTYPES)
RUN_COLUMNS = ("batsman_runs", "extra_runs", "total_runs")
RESULT_VALUES = ("runs", "wickets", "tie", "no result")


class IPLData(NamedTuple):
    """Both frames of one data set; unpacks as ``deliveries, matches = make_ipl(seed=1)``."""

    deliveries: pd.DataFrame
    matches: pd.DataFrame


class IPLDataError(ValueError):
    """Input that cannot become the canonical layout; the message names file, layout and columns."""


def _where(source: str | None) -> str:
    return f"{source}: " if source else ""


def require_columns(frame: pd.DataFrame, needed, *, source: str | None, layout: str) -> None:
    """Raise IPLDataError naming every missing column at once (not the first KeyError)."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise IPLDataError(
            f"{_where(source)}looks like the {layout} layout but is missing "
            f"column(s) {', '.join(missing)}"
        )


def _cast_numeric(frame: pd.DataFrame, col: str, dtype: str, source: str | None) -> pd.Series:
    column = frame[col]
    if pd.api.types.is_integer_dtype(column.dtype) and (dtype == "Int64" or not column.isna().any()):
        return column.astype(dtype)  # whole numbers already: nothing to parse or check
    values = pd.to_numeric(column, errors="coerce")
    bad = values.isna() & frame[col].notna()
    if dtype == "int64" and values.isna().any():
        bad = values.isna()
    if bad.any():
        rows = list(frame.index[bad][:3])
        shown = [frame[col].iloc[frame.index.get_loc(r)] for r in rows]
        raise IPLDataError(
            f"{_where(source)}column {col!r} must hold whole numbers; "
            f"{int(bad.sum())} row(s) do not, e.g. row(s) {rows} hold {shown!r}"
        )
    if (values.dropna() % 1 != 0).any():
        raise IPLDataError(f"{_where(source)}column {col!r} holds fractions; expected whole numbers")
    return values.astype(dtype)


def _as_str(values: pd.Series) -> pd.Series:
    """``values.astype("str")``, missing values kept missing.

    pandas 3 backs "str" with its string dtype, where NaN stays NaN. pandas 2 makes object
    columns and writes missing values as the text "nan" or "None"; those are put back as NaN,
    so "missing when none" holds on the student kit's oldest pandas too.
    """
    text = values.astype("str")
    if text.dtype == object:
        text = text.where(values.notna(), np.nan)
    return text


def _cast(frame: pd.DataFrame, dtypes: dict[str, str], source: str | None, layout: str) -> pd.DataFrame:
    require_columns(frame, dtypes, source=source, layout=layout)
    out = {}
    for col, dtype in dtypes.items():
        if dtype in ("int64", "Int64"):
            out[col] = _cast_numeric(frame, col, dtype, source)
        elif dtype.startswith("datetime"):
            parsed = pd.to_datetime(frame[col], errors="coerce", format="mixed")
            if (parsed.isna() & frame[col].notna()).any():
                raise IPLDataError(f"{_where(source)}column {col!r} holds values that are not dates")
            out[col] = parsed.astype(dtype)
        else:
            out[col] = _as_str(frame[col])
    return pd.DataFrame(out).reset_index(drop=True)


def to_canonical(
    deliveries: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    source: str | None = None,
    layout: str = "canonical",
) -> IPLData:
    """Validate and cast both frames to the canonical columns, in canonical order.

    Every producer of IPL frames ends here, so column order, dtypes and the error text for
    bad values are identical whatever the source was.
    """
    if len(deliveries) == 0:
        raise IPLDataError(f"{_where(source)}no delivery rows")
    d = _cast(deliveries, CANONICAL_DELIVERY_DTYPES, source, layout)
    m = _cast(matches, CANONICAL_MATCH_DTYPES, source, layout)
    d = d.sort_values(["match_id", "inning"], kind="stable").reset_index(drop=True)
    m = m.sort_values("id", kind="stable").reset_index(drop=True)
    return IPLData(d, m)
