"""The service's store: tokens kept hashed, a queue that records each result once."""

from __future__ import annotations

import datetime as dt

from graders.serve.store import GRADED, GRADING, QUEUED, STAFF, SUPERSEDED, Store, now


def test_a_token_is_stored_only_as_its_hash_and_revoking_it_ends_it(tmp_path):
    store = Store(tmp_path / "s.db")
    token = store.add_token("ada")
    assert store.who(token) == ("ada", "student")
    assert token.encode() not in b"".join(p.read_bytes() for p in tmp_path.iterdir())
    staff = store.add_token("ta1", STAFF)
    assert store.who(staff) == ("ta1", "staff")
    assert store.revoke("ada") == 1
    assert store.who(token) is None and store.who("") is None and store.who("x" * 1000) is None


def test_a_newer_submission_supersedes_only_queued_older_ones(tmp_path):
    store = Store(tmp_path / "s.db")
    t = now()
    store.add("a1", "ada", "A", "A", t, 0)
    store.add("b1", "bob", "A", "A", t, 0)
    assert store.claim().id == "a1"  # a1 is being graded: a newer one does not touch it
    store.add("a2", "ada", "A", "A", t, 0)
    assert store.add("a3", "ada", "A", "A", t, 0) == ["a2"]
    assert [store.get(i).status for i in ("a1", "a2", "a3")] == [GRADING, SUPERSEDED, QUEUED]
    assert store.get("a2").superseded_by == "a3"


def test_one_submission_per_student_and_assignment_is_in_flight(tmp_path):
    """While ada's first is grading, her next waits and bob's goes first."""
    store = Store(tmp_path / "s.db")
    t = now()
    store.add("a1", "ada", "A", "A", t, 0)
    store.claim()
    store.add("a2", "ada", "A", "A", t, 0)
    store.add("b1", "bob", "A", "A", t, 0)
    assert store.claim().id == "b1"
    assert store.claim() is None
    assert store.claim(busy=set()) is None


def test_a_result_is_recorded_once_and_a_restart_resumes_what_was_grading(tmp_path):
    store = Store(tmp_path / "s.db")
    store.add("a1", "ada", "A", "A", now(), 0)
    store.add("b1", "bob", "A", "A", now(), 0)
    store.claim()
    store.claim()
    assert store.finish("a1", GRADED, "", 9, 12, 1.0)
    assert not store.finish("a1", GRADED, "", 0, 12, 1.0)  # a second result is refused
    assert store.get("a1").score == 9
    again = Store(tmp_path / "s.db")  # a service started after a crash
    assert again.resume() == 1
    b1 = again.claim()
    assert (b1.id, b1.attempts) == ("b1", 2)


def test_the_rate_window_counts_the_last_hour(tmp_path):
    store = Store(tmp_path / "s.db")
    t = now()
    store.add("old", "ada", "A", "A", t - dt.timedelta(hours=2), 0)
    store.add("new", "ada", "A", "A", t - dt.timedelta(minutes=10), 0)
    store.add("other", "ada", "B", "B", t, 0)
    n, first = store.recent_count("ada", "A", t - dt.timedelta(hours=1))
    assert n == 1 and first.startswith((t - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
