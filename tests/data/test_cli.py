"""Tests for graders.data.__main__ (the command line)."""

import pandas as pd

from graders.data import load_ipl, make_houses, make_zomato
from graders.data.__main__ import main


def test_generate_small_writes_zomato_and_houses(tmp_path, capsys):
    """Does `generate DIR --only small` write both small data sets exactly?"""
    assert main(["generate", str(tmp_path), "--only", "small"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "zomato.csv"), make_zomato())
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "houses.csv"), make_houses())
    assert "zomato.csv" in capsys.readouterr().out


def test_generate_ipl_then_stats(tmp_path, capsys):
    """Do generated IPL files load, and does `stats` print the table for them?"""
    assert main(["generate", str(tmp_path), "--only", "ipl", "--n-seasons", "1", "--seed", "5"]) == 0
    d, m = load_ipl(tmp_path / "ipl")
    assert len(m) == 60
    assert main(["stats", str(tmp_path / "ipl")]) == 0
    out = capsys.readouterr().out
    assert "60 matches" in out and "runs per legal ball" in out


def test_stats_on_a_missing_path_is_a_clean_error(tmp_path, capsys):
    """Does `stats` on a missing path exit 2 with one error line, no traceback?"""
    assert main(["stats", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such file or folder" in err and "Traceback" not in err
