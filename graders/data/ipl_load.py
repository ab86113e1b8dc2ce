"""load_ipl: any of the public IPL layouts (or our own files) into the canonical layout.

Students meet the data as whatever CSV they downloaded; the course code and the stats
report expect one layout. Loading is: find the files, read them, recognise the layout,
check its columns and numbers, adapt, and cast through `to_canonical`. Every failure
along the way is an `IPLDataError` that names the file and what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .ipl_layouts import Layout, derive_matches, detect_layout
from .ipl_schema import IPLData, IPLDataError, _cast_numeric, require_columns, to_canonical

DELIVERY_FILES = ("deliveries.csv", "IPL Ball-by-Ball 2008-2020.csv", "IPL_Ball_by_Ball_2008_2022.csv")
MATCH_FILES = ("matches.csv", "IPL Matches 2008-2020.csv", "IPL_Matches_2008_2022.csv")


class IPLFileNotFound(IPLDataError, FileNotFoundError):
    """A missing file or folder; catchable as either IPLDataError or FileNotFoundError."""


def _find(folder: Path, names: tuple[str, ...], word: str) -> Path | None:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    hits = sorted(p for p in folder.glob("*.csv") if word in p.name.lower())
    return hits[0] if len(hits) == 1 else None


def locate(path_or_dir) -> tuple[Path, Path | None]:
    """(deliveries file, matches file or None) for a folder or a deliveries file."""
    path = Path(path_or_dir)
    if not path.exists():
        raise IPLFileNotFound(f"{path}: no such file or folder")
    if path.is_file():
        return path, _find(path.parent, MATCH_FILES, "match")
    deliveries = _find(path, DELIVERY_FILES, "ball") or _find(path, DELIVERY_FILES, "deliver")
    if deliveries is None:
        found = ", ".join(sorted(p.name for p in path.glob("*.csv"))) or "no CSV files"
        raise IPLFileNotFound(
            f"{path}: no deliveries file (looked for {', '.join(DELIVERY_FILES)}); found {found}")
    return deliveries, _find(path, MATCH_FILES, "match")


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, low_memory=False)
    except pd.errors.EmptyDataError:
        raise IPLDataError(f"{path}: the file is empty (no header, no rows)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise IPLDataError(f"{path}: not a readable CSV file ({exc})") from None
    return frame


def _adapt_deliveries(raw: pd.DataFrame, source: str) -> tuple[pd.DataFrame, Layout]:
    layout, closest = detect_layout(raw.columns)
    if layout is None:
        missing = [c for c in closest.delivery_columns if c not in raw.columns]
        raise IPLDataError(
            f"{source}: unrecognised layout: columns found {', '.join(map(str, raw.columns))}; "
            f"closest is the {closest.name} layout, missing {', '.join(missing)}")
    require_columns(raw, layout.delivery_columns, source=source, layout=layout.name)
    if len(raw) == 0:
        raise IPLDataError(f"{source}: the file has a header but no delivery rows")
    raw = raw.copy()
    for col in layout.numeric:
        raw[col] = _cast_numeric(raw, col, "int64", source)
    return layout.deliveries(raw), layout


def load_ipl(path_or_dir) -> IPLData:
    """Read a folder (or a deliveries CSV) of IPL data in any known layout, as canonical frames.

    The matches file is found beside the deliveries file by its usual names; without one,
    a matches table is derived from the deliveries (winner and margin from the totals).
    """
    d_path, m_path = locate(path_or_dir)
    deliveries, layout = _adapt_deliveries(_read(d_path), str(d_path))
    if m_path is None:
        return to_canonical(deliveries, derive_matches(deliveries), source=str(d_path), layout=layout.name)
    raw_m = _read(m_path)
    require_columns(raw_m, layout.match_columns, source=str(m_path), layout=layout.name)
    for col in ("id", "ID"):
        if col in raw_m.columns:
            raw_m[col] = _cast_numeric(raw_m, col, "int64", str(m_path))
    matches = layout.matches(raw_m)
    try:
        return to_canonical(deliveries, matches, source=f"{d_path} + {m_path.name}", layout=layout.name)
    except IPLDataError:
        raise
    except (TypeError, ValueError) as exc:  # a value the adapters could not make sense of
        raise IPLDataError(f"{m_path}: values do not fit the {layout.name} layout ({exc})") from None
