"""Is a grading kernel confined to an allow-list, alone, and inside its memory limit?

Each test starts kernels the way the engine does (``worker.start_session``: a kernel forked by
the factory inside the sandbox), runs attack code in them, and reads what the attack could
reach from a file it leaves in its own folder. The attacks plant nothing on the host that
outlives the test: secrets are planted in the test's own folders.
"""

import json
import os
import shutil
import textwrap

import pytest

import graders.engine.sandbox.forked as forked
import graders.engine.grader.worker as worker
from graders.engine.sandbox.policy import runtime_paths

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="the grading sandbox needs bubblewrap")


@pytest.fixture
def fresh_engine(monkeypatch):
    """A worker state of its own: its factory, pools and fallbacks are the test's alone."""
    monkeypatch.setattr(worker, "_FORK_FAILED", [])
    monkeypatch.setattr(worker, "_ZYGOTES", {})
    monkeypatch.setattr(worker, "_POOLS", {})
    monkeypatch.setenv("GRADERS_FORK", "1")
    yield
    worker.shutdown()


@pytest.fixture
def course(tmp_path):
    """A course, and beside it another checkout holding hidden tests and a solution."""
    root = tmp_path / "course"
    (root / "datasets").mkdir(parents=True)
    (root / "datasets" / "public.csv").write_text("a,b\n1,2\n")
    (root / "gradebook.db").write_text("HIDDEN-GRADEBOOK")
    other = tmp_path / "other-checkout" / "source" / "04_softmax"
    other.mkdir(parents=True)
    (other / "04_softmax.ipynb").write_text('{"cells": ["HIDDEN-SOLUTION"]}')
    (tmp_path / "notes.txt").write_text("HIDDEN-NOTES")
    return root


def start(course):
    """A kernel as the engine makes one: forked by the factory (a fallback would hide a failure)."""
    session = worker.start_session(course)
    assert isinstance(session.km, forked.ForkedKernel), worker._FORK_FAILED
    return session


def run_in_kernel(session, code, timeout=60):
    """Run ``code`` in the kernel; it stores what it found with ``_report(key, value)``."""
    prelude = textwrap.dedent("""
        import json as _json, os as _os
        _found = {}
        def _report(key, value):
            _found[key] = value
            with open("report.json", "w") as _fh:
                _json.dump(_found, _fh)
    """)
    reply, _ = session.link._run(prelude + textwrap.dedent(code), timeout)
    path = session.scratch / "report.json"
    return (json.loads(path.read_text()) if path.exists() else {}), reply


def test_the_kernel_sees_only_the_allowed_files(course, fresh_engine, tmp_path):
    """Can a kernel read another checkout's hidden tests, the gradebook, /root, /etc/shadow, /home?"""
    session = start(course)
    try:
        found, reply = run_in_kernel(session, f"""
            import glob
            def _read(path):
                try:
                    with open(path, errors="replace") as fh:
                        return fh.read(200)
                except OSError as e:
                    return type(e).__name__
            def _list(path):
                try:
                    return sorted(_os.listdir(path))
                except OSError as e:
                    return type(e).__name__
            _report("other_checkout", [_read(p) for p in glob.glob({str(tmp_path)!r} + "/*/source/*/*.ipynb")])
            _report("any_source", [p for depth in range(5) for p in glob.glob("/*" * depth + "/source/*/*.ipynb")])
            _report("notes", _read({str(tmp_path / 'notes.txt')!r}))
            _report("gradebook", _read({str(course / 'gradebook.db')!r}))
            _report("course", _list({str(course)!r}))
            _report("shadow", _read("/etc/shadow"))
            _report("root", _list("/root"))
            _report("home", _list("/home"))
            _report("etc", _list("/etc"))
            _report("top", _list("/"))
            _report("data", _read({str(course / 'datasets' / 'public.csv')!r}))
            import numpy, pandas, matplotlib.pyplot
            _report("imports", "ok")
        """)
    finally:
        session.close()
    assert found.get("imports") == "ok", reply
    text = json.dumps(found)
    assert "HIDDEN" not in text, found
    assert found["other_checkout"] == [] and found["any_source"] == []
    assert found["course"] == ["datasets"]
    assert found["data"].startswith("a,b")
    assert found["shadow"] in ("FileNotFoundError", "PermissionError")
    # /root shows up only as the way to an allowed path (an interpreter installed under it)
    on_the_way = {p.parts[2] for p in runtime_paths() if p.parts[1:2] == ("root",)}
    assert found["root"] in ("FileNotFoundError", "PermissionError") or set(found["root"]) <= on_the_way
    assert found["home"] == "FileNotFoundError" or all(p.parts[1] == "home" for p in runtime_paths())
    assert "shadow" not in found["etc"] and "ssh" not in found["etc"] and len(found["etc"]) < 20
    assert not {"var", "sys", "srv", "boot", "run"} & set(found["top"]), found["top"]


def test_a_kernel_never_sees_another_kernels_files(course, fresh_engine):
    """Does a file one kernel writes to /tmp, /dev/shm or its folder reach a kernel beside it or after it?"""
    plant = """
        import glob
        for _dir in ("/tmp", "/dev/shm", "."):
            with open(_os.path.join(_dir, "planted-by-first.txt"), "w") as _fh:
                _fh.write("FIRST-KERNEL-SECRET")
        _report("planted", sorted(glob.glob("/tmp/planted*") + glob.glob("/dev/shm/planted*")))
    """
    look = """
        import glob
        _hits = []
        for _pattern in ("/tmp/**", "/dev/shm/**", "../*/planted*", "../planted*"):
            _hits += [p for p in glob.glob(_pattern, recursive=True) if "planted" in p]
        _report("seen", _hits)
        _report("listing_tmp", sorted(_os.listdir("/tmp")))
        _report("listing_shm", sorted(_os.listdir("/dev/shm")))
    """
    first = start(course)
    try:
        planted, _ = run_in_kernel(first, plant)
        beside = start(course)
        try:
            seen_beside, _ = run_in_kernel(beside, look)
        finally:
            beside.close()
    finally:
        first.close()
    after = start(course)
    try:
        seen_after, _ = run_in_kernel(after, look)
    finally:
        after.close()
    assert planted["planted"] == ["/dev/shm/planted-by-first.txt", "/tmp/planted-by-first.txt"]
    assert seen_beside["seen"] == [] and seen_after["seen"] == []
    assert "planted-by-first.txt" not in seen_beside["listing_shm"] + seen_after["listing_shm"]


def test_children_and_tmpfs_cannot_take_memory_past_the_limit(course, fresh_engine, monkeypatch):
    """Three children touching 300 MB each and a full /dev/shm, against a 600 MB kernel: does the
    kernel's memory stay within its limit (RLIMIT_AS alone counts none of the children's)?"""
    from graders.engine.sandbox.limits import memory_base

    if memory_base() is None:
        pytest.skip("no memory cgroup can be made on this machine")
    monkeypatch.setattr(forked, "KERNEL_MEMORY_MB", 600)
    session = start(course)
    groups = [g for g in session.km._cgroups if os.path.exists(os.path.join(g, "memory.limit_in_bytes"))
              or os.path.exists(os.path.join(g, "memory.max"))]
    assert groups, session.km._cgroups
    try:
        found, _ = run_in_kernel(session, """
            import time
            _kids = []
            for _i in range(3):
                _r, _w = _os.pipe()
                _pid = _os.fork()
                if _pid == 0:
                    _os.close(_r)
                    _held = bytearray(300 * 1024 * 1024)
                    for _j in range(0, len(_held), 4096):
                        _held[_j] = 1
                    _os.write(_w, b"1")
                    time.sleep(5)
                    _os._exit(0)
                _os.close(_w)
                _kids.append((_pid, _r))
            _shm = 0
            try:
                with open("/dev/shm/fill", "wb") as _fh:
                    for _k in range(40):
                        _fh.write(b"x" * 8 * 1024 * 1024)
                        _fh.flush()
                        _shm += 8
            except OSError as e:
                _report("shm_error", type(e).__name__)
            _report("shm_mb", _shm)
            _held = sum(1 for _pid, _r in _kids if _os.read(_r, 1) == b"1")
            _report("children_holding_300mb", _held)
        """, timeout=60)
        peak = {}
        for group in groups:
            for name in ("memory.max_usage_in_bytes", "memory.peak"):
                path = os.path.join(group, name)
                if os.path.exists(path):
                    peak[group] = int(open(path).read()) / 2**20
    finally:
        session.close()
    print(found, peak)
    assert peak and all(mb <= 600 + 1 for mb in peak.values()), peak
    assert found.get("shm_mb", 0) <= 256, found  # /dev/shm is sized
    assert found.get("children_holding_300mb", 0) * 300 + found.get("shm_mb", 0) < 900 + 256, found
