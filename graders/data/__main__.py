"""Command line: ``python -m graders.data generate DIR`` and ``python -m graders.data stats PATH``.

``generate`` writes every course data set (the Makefile's ``make data``); ``stats`` prints
the calibration table for any IPL folder or deliveries file, real or synthetic.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .houses import make_houses
from .ipl_load import load_ipl
from .ipl_schema import IPLDataError
from .ipl_sim import make_ipl
from .ipl_stats import format_table, stats_table
from .zomato import make_zomato

DEFAULT_SEED = 42
DEFAULT_SEASONS = 17


def write_ipl(out: Path, *, seed: int = DEFAULT_SEED, n_seasons: int = DEFAULT_SEASONS) -> list[Path]:
    folder = out / "ipl"
    folder.mkdir(parents=True, exist_ok=True)
    deliveries, matches = make_ipl(n_seasons, seed=seed)
    paths = [folder / "deliveries.csv", folder / "matches.csv"]
    deliveries.to_csv(paths[0], index=False, lineterminator="\n")
    matches.to_csv(paths[1], index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return paths


def write_small(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "zomato.csv", out / "houses.csv"]
    make_zomato(seed=42).to_csv(paths[0], index=False, lineterminator="\n")
    make_houses(seed=42).to_csv(paths[1], index=False, lineterminator="\n")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.data", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the course data sets into DIR")
    gen.add_argument("out", type=Path)
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED, help="IPL seed (default %(default)s)")
    gen.add_argument("--n-seasons", type=int, default=DEFAULT_SEASONS)
    gen.add_argument("--only", choices=["all", "ipl", "small"], default="all",
                     help="small = zomato and houses only")
    st = sub.add_parser("stats", help="print the IPL statistics table for a folder or deliveries file")
    st.add_argument("path", type=Path)
    args = parser.parse_args(argv)

    try:
        if args.command == "generate":
            start = time.perf_counter()
            paths = []
            if args.only in ("all", "small"):
                paths += write_small(args.out)
            if args.only in ("all", "ipl"):
                paths += write_ipl(args.out, seed=args.seed, n_seasons=args.n_seasons)
            for p in paths:
                print(f"wrote {p} ({p.stat().st_size / 1e6:.1f} MB)")
            print(f"done in {time.perf_counter() - start:.1f} s")
        else:
            deliveries, matches = load_ipl(args.path)
            print(f"{args.path}: {len(matches)} matches, {len(deliveries)} delivery rows")
            print(format_table(stats_table(deliveries, matches)))
    except IPLDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
