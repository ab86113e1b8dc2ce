"""Does a worker fall back to a cold sandbox per kernel when forking kernels fails?"""

import graders.engine.grader.worker as worker


def test_failed_fork_falls_back_to_cold_sandboxes(monkeypatch):
    calls = []

    def broken(course, env):
        calls.append("fork")
        raise OSError(1, "unshare: Operation not permitted")

    monkeypatch.setattr(worker, "_forked_session", broken)
    monkeypatch.setattr(worker, "_cold_session", lambda course, env, sandbox: ("cold", sandbox))
    monkeypatch.setattr(worker, "_FORK_FAILED", [])
    monkeypatch.setenv("GRADERS_FORK", "1")
    assert worker.start_session(None, sandbox=True) == ("cold", True)
    assert worker.start_session(None, sandbox=True) == ("cold", True)
    assert calls == ["fork"]  # tried once, then cold for the rest of the worker's life
    assert "Operation not permitted" in worker._FORK_FAILED[0]


def test_no_sandbox_never_forks(monkeypatch):
    monkeypatch.setattr(worker, "_forked_session", lambda course, env: (_ for _ in ()).throw(AssertionError))
    monkeypatch.setattr(worker, "_cold_session", lambda course, env, sandbox: ("cold", sandbox))
    assert worker.start_session(None, sandbox=False) == ("cold", False)


def test_a_kernel_without_a_course_folder_is_still_forked(monkeypatch):
    """With no course folder to hide, is the kernel still forked by the factory (not cold)?"""
    import pytest

    if not worker.sandbox_enabled():
        pytest.skip("bubblewrap is not installed")
    monkeypatch.setattr(worker, "_FORK_FAILED", [])
    monkeypatch.setattr(worker, "_ZYGOTES", {})
    monkeypatch.setattr(worker, "_POOLS", {})
    monkeypatch.setenv("GRADERS_FORK", "1")
    session = worker.start_session(None)
    try:
        assert worker._FORK_FAILED == []
        assert type(session.km).__name__ == "ForkedKernel"
        reply, _ = session.link._run("x = 6 * 7", 30)
        assert reply["status"] == "ok" and session.link.request("get", name="x")["value"] == 42
    finally:
        session.close()
    (stand_in,) = worker._ZYGOTES["None"].owned
    assert stand_in.is_dir()
    worker.shutdown()
    assert not stand_in.exists()  # the empty folder that stood in for the course goes with its factory


def test_closing_the_factory_leaves_no_folder_log_or_group(monkeypatch):
    """A worker's kernel factory, once closed, leaves nothing in the temporary folder or
    the pids cgroups (its log is kept only when it has something to say)."""
    import os
    from pathlib import Path

    import pytest

    from graders.engine.sandbox.forked import Zygote
    from graders.engine.sandbox.limits import group_bases

    if not worker.sandbox_enabled():
        pytest.skip("bubblewrap is not installed")
    zygote = Zygote(Path(__file__).parent, {})
    km, kc, folder = zygote.spawn()
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    root, log = zygote.root, Path(zygote.log.name)
    assert root.is_dir() and log.exists()
    zygote.close()
    assert not root.exists() and not log.exists() and not folder.exists()
    assert not any(os.path.isdir(os.path.join(b, root.name)) for b in group_bases())
    assert not any(name.endswith(folder.name) for b in group_bases() if os.path.isdir(b) for name in os.listdir(b))
