"""Matplotlib figures for the class report, returned as base64 PNG for embedding.

Figures are built with ``matplotlib.figure.Figure`` and the Agg canvas directly, so no
pyplot state or display backend is touched: the report runs the same on a headless server.
"""

from __future__ import annotations

import base64
import io
from typing import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def to_base64(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def score_histograms(scores: Mapping[str, Sequence[float]], max_scores: Mapping[str, float]) -> str:
    """One small histogram per notebook: how the class's totals spread over 0..max."""
    keys = list(scores)
    cols = min(3, max(1, len(keys)))
    rows = (len(keys) + cols - 1) // cols or 1
    fig = Figure(figsize=(4 * cols, 2.6 * rows))
    for i, key in enumerate(keys):
        ax = fig.add_subplot(rows, cols, i + 1)
        top = max_scores.get(key) or max(scores[key] or [1.0])
        ax.hist(list(scores[key]), bins=min(10, max(1, int(top))), range=(0, top), color="#4c72b0")
        ax.set_title(key, fontsize=9)
        ax.set_xlabel("points")
        ax.set_ylabel("students")
    fig.tight_layout()
    return to_base64(fig)


def pass_rate_bars(rates: Mapping[str, float], title: str) -> str:
    """Horizontal bars of pass rates (0..100%), hardest at the top."""
    items = sorted(rates.items(), key=lambda kv: kv[1], reverse=True)
    fig = Figure(figsize=(6, 0.28 * len(items) + 1.0))
    ax = fig.add_subplot(1, 1, 1)
    ax.barh([k for k, _ in items], [100 * v for _, v in items], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions passing")
    ax.set_title(title, fontsize=10)
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    return to_base64(fig)


def ratio_histogram(ratios: Sequence[float]) -> str:
    """How much slower than the reference the failing speed checks were (log scale)."""
    import numpy as np

    fig = Figure(figsize=(6, 2.8))
    ax = fig.add_subplot(1, 1, 1)
    lo, hi = max(min(ratios), 1.0), max(max(ratios), 2.0)
    ax.hist(list(ratios), bins=np.geomspace(lo, hi * 1.01, 12), color="#c44e52")
    ax.set_xscale("log")
    ax.set_xlabel("x slower than the reference")
    ax.set_ylabel("submissions")
    fig.tight_layout()
    return to_base64(fig)
