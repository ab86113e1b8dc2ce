"""``python -m graders tokens``: a roster in, one secret per student out, only hashes kept."""

from __future__ import annotations

import sqlite3

import pytest

from nbgrader.api import Gradebook

from samples.course import graders_cli

pytestmark = pytest.mark.slow

ROSTER = "id,first_name,last_name,email\nada,Ada,Lovelace,ada@example.org\nbob,Bob,,\n"


def course(tmp_path):
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    (root / "roster.csv").write_text(ROSTER)
    return root


def test_the_roster_is_added_to_the_gradebook_and_each_student_gets_one_token(tmp_path):
    """Is stdout exactly the id,token CSV (one row per student), the students in nbgrader's
    gradebook with their names, and no token in the store, only its hash?"""
    root = course(tmp_path)
    out = graders_cli(root, "tokens", "--roster", "roster.csv")
    lines = out.stdout.splitlines()
    assert lines[0] == "id,token" and [line.split(",")[0] for line in lines[1:]] == ["ada", "bob"]
    tokens = [line.split(",")[1] for line in lines[1:]]
    assert all(len(t) >= 40 for t in tokens) and len(set(tokens)) == 2
    assert "2 new token(s)" in out.stderr
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        ada = gb.find_student("ada")
        assert (ada.first_name, ada.last_name, ada.email) == ("Ada", "Lovelace", "ada@example.org")
    db = (root / "service" / "service.db").read_bytes()
    assert not any(t.encode() in db for t in tokens)
    with sqlite3.connect(root / "service" / "service.db") as con:
        assert con.execute("SELECT COUNT(*) FROM tokens WHERE revoked IS NULL").fetchone() == (2,)


def test_running_the_roster_again_keeps_tokens_and_revoke_then_reissue_replaces_one(tmp_path):
    root = course(tmp_path)
    graders_cli(root, "tokens", "--roster", "roster.csv")
    again = graders_cli(root, "tokens", "--roster", "roster.csv")
    assert again.stdout == "id,token\n" and "2 already had one" in again.stderr
    assert "revoked 1 token(s) of ada" in graders_cli(root, "tokens", "--revoke", "ada").stderr
    third = graders_cli(root, "tokens", "--roster", "roster.csv").stdout.splitlines()
    assert [line.split(",")[0] for line in third] == ["id", "ada"]


def test_bad_requests_exit_non_zero_and_say_why(tmp_path):
    root = course(tmp_path)
    missing = graders_cli(root, "tokens", "--revoke", "nobody", check=False)
    assert missing.returncode == 1 and "nobody has no live token" in missing.stderr
    (root / "bad.csv").write_text("name,email\nAda,a@x\n")
    bad = graders_cli(root, "tokens", "--roster", "bad.csv", check=False)
    assert bad.returncode == 2 and "has no 'id' column" in bad.stderr and bad.stdout == ""
    (root / "dup.csv").write_text("id\nada\nada\n")
    dup = graders_cli(root, "tokens", "--roster", "dup.csv", check=False)
    assert dup.returncode == 2 and "appears twice" in dup.stderr
    assert graders_cli(root, "tokens", check=False).returncode == 2
    staff = graders_cli(root, "tokens", "--staff", "ta1").stdout.splitlines()
    assert staff[0] == "id,token" and staff[1].startswith("ta1,")
