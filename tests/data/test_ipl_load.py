"""Tests for graders.data.ipl_load and ipl_layouts."""

import re
from pathlib import Path

import pandas as pd
import pytest

from graders.data import (CANONICAL_DELIVERY_DTYPES, CANONICAL_MATCH_DTYPES, IPLDataError,
                          IPLFileNotFound, load_ipl, make_ipl)

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "ipl-real"
SAMPLES = ["kaggle_2008_2016", "kaggle_2008_2020_sample", "kaggle_2008_2024_sample"]


@pytest.fixture(scope="module")
def synthetic():
    return make_ipl(2, seed=11)


@pytest.fixture()
def written(tmp_path, synthetic):
    synthetic.deliveries.to_csv(tmp_path / "deliveries.csv", index=False)
    synthetic.matches.to_csv(tmp_path / "matches.csv", index=False)
    return tmp_path


def _assert_canonical(data):
    assert {c: str(t) for c, t in data.deliveries.dtypes.items()} == CANONICAL_DELIVERY_DTYPES
    assert {c: str(t) for c, t in data.matches.dtypes.items()} == CANONICAL_MATCH_DTYPES


def test_synthetic_files_round_trip(written, synthetic):
    """Does writing the synthetic frames to CSV and loading them give the same frames back?"""
    loaded = load_ipl(written)
    pd.testing.assert_frame_equal(loaded.deliveries, synthetic.deliveries)
    pd.testing.assert_frame_equal(loaded.matches, synthetic.matches)


def test_deliveries_file_alone_gets_derived_matches(tmp_path, synthetic):
    """Given only a deliveries file, are winners derived from the innings totals?"""
    synthetic.deliveries.to_csv(tmp_path / "deliveries.csv", index=False)
    loaded = load_ipl(tmp_path / "deliveries.csv")
    _assert_canonical(loaded)
    real = synthetic.matches.set_index("id")
    derived = loaded.matches.set_index("id")
    decided = real["result"].isin(["runs", "wickets"]) & real["method"].isna()
    assert (derived.loc[decided, "winner"] == real.loc[decided, "winner"]).all()


def _to_2022_layout(d: pd.DataFrame, m: pd.DataFrame, folder: Path) -> None:
    """Write canonical frames in the 2008-2022 layout (0-based overs, its own names)."""
    out = d.rename(columns={
        "match_id": "ID", "inning": "innings", "over": "overs", "ball": "ballnumber", "batsman": "batter",
        "non_striker": "non-striker", "batsman_runs": "batsman_run", "extra_runs": "extras_run",
        "total_runs": "total_run", "extras_type": "extra_type", "is_wicket": "isWicketDelivery",
        "player_dismissed": "player_out", "dismissal_kind": "kind", "fielder": "fielders_involved",
        "batting_team": "BattingTeam"}).drop(columns=["bowling_team"])
    out["overs"] -= 1
    out.to_csv(folder / "IPL_Ball_by_Ball_2008_2022.csv", index=False)
    won_by = m["result"].map({"runs": "Runs", "wickets": "Wickets", "tie": "SuperOver", "no result": "NoResults"})
    pd.DataFrame({
        "ID": m["id"], "City": m["city"], "Date": m["date"].dt.strftime("%Y-%m-%d"),
        "Season": m["season"].astype(str), "Team1": m["team1"], "Team2": m["team2"], "Venue": m["venue"],
        "TossWinner": m["toss_winner"], "TossDecision": m["toss_decision"], "SuperOver": m["super_over"],
        "WinningTeam": m["winner"], "WonBy": won_by, "Margin": m["result_margin"], "method": m["method"],
    }).to_csv(folder / "IPL_Matches_2008_2022.csv", index=False)


def test_2008_2022_layout_maps_onto_canonical(tmp_path, synthetic):
    """Does a file in the 2008-2022 layout load to the same canonical frames?"""
    _to_2022_layout(*synthetic, tmp_path)
    loaded = load_ipl(tmp_path)
    pd.testing.assert_frame_equal(loaded.deliveries, synthetic.deliveries)
    pd.testing.assert_frame_equal(loaded.matches, synthetic.matches)


@pytest.mark.parametrize("folder", SAMPLES)
def test_real_samples_load_in_canonical_form(folder):
    """Does each shared real layout load with canonical columns, dtypes and 1-based overs?"""
    if not (REAL / folder).is_dir():
        pytest.skip("shared real data absent")
    data = load_ipl(REAL / folder)
    _assert_canonical(data)
    main = data.deliveries[data.deliveries["inning"] <= 2]
    assert main["over"].between(1, 20).all() and main["over"].max() == 20
    assert set(data.deliveries["match_id"]) <= set(data.matches["id"])
    assert data.matches["season"].between(2008, 2024).all()
    assert data.matches["result"].isin(["runs", "wickets", "tie", "no result"]).all()


def test_real_2008_2016_full_file():
    """Does the full 2008-2016 file load completely, super overs as innings 3-4?"""
    if not (REAL / "kaggle_2008_2016").is_dir():
        pytest.skip("shared real data absent")
    d, m = load_ipl(REAL / "kaggle_2008_2016" / "deliveries.csv")
    assert (len(d), len(m)) == (136598, 577)
    assert d["inning"].max() == 4
    assert (m["super_over"] == "Y").sum() == (m["result"] == "tie").sum() > 0
    assert d["extras_type"].isin(["wides"]).sum() > 0 and d["fielder"].notna().any()


def test_missing_path_is_named(tmp_path):
    """Is a missing folder reported by name, as both IPLDataError and FileNotFoundError?"""
    with pytest.raises(IPLFileNotFound, match=re.escape(f"{tmp_path / 'nope'}: no such file or folder")):
        load_ipl(tmp_path / "nope")
    assert issubclass(IPLFileNotFound, FileNotFoundError)


def test_folder_without_deliveries_lists_what_it_found(tmp_path):
    """Does a folder without a deliveries file say which names it looked for and what it found?"""
    (tmp_path / "notes.csv").write_text("a\n1\n")
    with pytest.raises(IPLDataError, match=r"no deliveries file \(looked for deliveries.csv.*found notes.csv"):
        load_ipl(tmp_path)


def test_missing_column_names_file_layout_and_column(written):
    """Does a known layout missing a column name the file, the layout and the column?"""
    path = written / "deliveries.csv"
    pd.read_csv(path).drop(columns=["bowler", "fielder"]).to_csv(path, index=False)
    with pytest.raises(IPLDataError, match=re.escape(
            f"{path}: looks like the canonical (synthetic) layout but is missing column(s) bowler, fielder")):
        load_ipl(written)


def test_unrecognised_layout_lists_columns_and_closest(tmp_path):
    """Is an unknown layout described by its columns and what the closest layout lacks?"""
    path = tmp_path / "deliveries.csv"
    pd.DataFrame({"match": [1], "runs": [4]}).to_csv(path, index=False)
    with pytest.raises(IPLDataError, match=r"unrecognised layout: columns found match, runs; closest is the .* missing "):
        load_ipl(path)


def test_empty_and_header_only_files(tmp_path, synthetic):
    """Are an empty file and a header-only file reported plainly?"""
    path = tmp_path / "deliveries.csv"
    path.write_text("")
    with pytest.raises(IPLDataError, match=re.escape(f"{path}: the file is empty")):
        load_ipl(path)
    path.write_text(",".join(synthetic.deliveries.columns) + "\n")
    with pytest.raises(IPLDataError, match="header but no delivery rows"):
        load_ipl(path)


def test_non_numeric_runs_name_column_and_rows(written):
    """Does a non-numeric value in a runs column name the column and show the bad value?"""
    path = written / "deliveries.csv"
    d = pd.read_csv(path)
    d["total_runs"] = d["total_runs"].astype(str)
    d.loc[3, "total_runs"] = "four"
    d.to_csv(path, index=False)
    with pytest.raises(IPLDataError, match=re.escape(
            "column 'total_runs' must hold whole numbers; 1 row(s) do not, e.g. row(s) [3] hold ['four']")):
        load_ipl(written)
