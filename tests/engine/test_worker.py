"""Does a worker fall back to a cold sandbox per kernel when forking kernels fails?"""

import graders.engine.worker as worker


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
