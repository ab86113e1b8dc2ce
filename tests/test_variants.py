"""Tests for graders.variants: fresh, reproducible hidden inputs."""

import numpy as np

from graders.variants import current_student, grading_rng, variant_seed


def test_seed_is_stable_and_distinct():
    """Does the same (student, assignment, purpose) give the same seed, and others differ?"""
    a = variant_seed("s1", "02_sigmoid", "correct")
    assert a == variant_seed("s1", "02_sigmoid", "correct")
    others = {variant_seed("s2", "02_sigmoid", "correct"), variant_seed("s1", "03_minibatch", "correct"),
              variant_seed("s1", "02_sigmoid", "speed")}
    assert a not in others and len(others) == 3
    assert 0 <= a < 2**32


def test_seed_does_not_depend_on_hash_randomisation():
    """Is the seed a fixed number (sha256), not Python's per-process hash()?"""
    assert variant_seed("alice", "01_mcq", "") == variant_seed("alice", "01_mcq", "")
    assert variant_seed("a", "bc") != variant_seed("ab", "c")


def test_student_from_nbgrader_working_directory(tmp_path, monkeypatch):
    """Is the student read from autograded/<student>/<assignment>, as nbgrader runs it?"""
    monkeypatch.delenv("GRADERS_STUDENT", raising=False)
    d = tmp_path / "autograded" / "bob" / "02_sigmoid"
    d.mkdir(parents=True)
    assert current_student(d) == "bob"
    assert current_student(tmp_path) == "instructor"
    monkeypatch.setenv("GRADERS_STUDENT", "carol")
    assert current_student(d) == "carol"


def test_rng_reproduces(monkeypatch):
    """Does a regrade draw the same numbers?"""
    monkeypatch.setenv("GRADERS_STUDENT", "dave")
    x = grading_rng("04_softmax", "z").normal(size=3)
    assert np.array_equal(x, grading_rng("04_softmax", "z").normal(size=3))


def test_stable_across_processes_with_different_hash_seeds():
    """Is the seed the same in processes with different PYTHONHASHSEED (unlike hash())?"""
    import subprocess
    import sys

    code = "from graders.variants import variant_seed; print(variant_seed('s123', 'ipl', 'x'))"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert outs == {f"{variant_seed('s123', 'ipl', 'x')}\n"}


def test_seed_is_the_documented_sha256_prefix():
    """Is the seed the first 4 bytes of sha256('student\\x1fassignment\\x1fpurpose')?"""
    import hashlib

    want = int.from_bytes(hashlib.sha256("student\x1fassignment\x1f".encode()).digest()[:4], "big")
    assert variant_seed("student", "assignment") == want


def test_grading_sets_the_student_for_this_context_only(monkeypatch):
    """The engine grades many submissions in one process: does grading(s) decide the inputs
    inside it, over the environment, and leave nothing behind for the next submission or
    for another thread?"""
    import threading

    from graders.variants import current_student, grading

    monkeypatch.setenv("GRADERS_STUDENT", "from-the-environment")
    seen = []
    with grading("ada"):
        assert current_student() == "ada"
        with grading("bob"):
            assert current_student() == "bob"
        assert current_student() == "ada"
        t = threading.Thread(target=lambda: seen.append(current_student()))
        t.start()
        t.join()
    assert current_student() == "from-the-environment" and seen == ["from-the-environment"]
