"""Does the sweep remove what crashed workers left behind, and only that?"""

import os
import time

from graders.engine.sandbox.launch import IPC_PREFIX, SCRATCH_PREFIX, STALE_AFTER_S, ZYGOTE_PREFIX, sweep


def _make(path, seconds_old=0):
    path.mkdir() if path.suffix != ".log" else path.write_text("")
    then = time.time() - seconds_old
    os.utime(path, (then, then))
    return path


def test_stale_folders_and_factory_logs_go_fresh_ones_stay(tmp_path):
    old = STALE_AFTER_S + 60
    stale = [_make(tmp_path / f"{SCRATCH_PREFIX}old", old), _make(tmp_path / f"{IPC_PREFIX}old", old),
             _make(tmp_path / f"{ZYGOTE_PREFIX}old.log", old)]
    fresh = [_make(tmp_path / f"{SCRATCH_PREFIX}new"), _make(tmp_path / f"{ZYGOTE_PREFIX}new.log"),
             _make(tmp_path / "someone-elses", old)]
    sweep(tmp_path, ())
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in fresh)


def test_empty_groups_whose_folder_is_gone_are_removed(tmp_path):
    base = tmp_path / "cgroups" / "graders"
    orphan, kid, live = (base / f"{ZYGOTE_PREFIX}a", base / f"{ZYGOTE_PREFIX}a-k1", base / f"{SCRATCH_PREFIX}b")
    for group in (orphan, kid, live):
        group.mkdir(parents=True)
    (tmp_path / live.name).mkdir()  # its kernel is still running
    sweep(tmp_path, (str(base),))
    assert not orphan.exists() and not kid.exists() and live.exists()


def test_reading_the_course_config_leaves_no_socket_folder(tmp_path):
    """Every process that reads nbgrader_config.py (each nbgrader command, the runner, the
    writer) makes a folder for kernel sockets; it goes when the process exits."""
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    code = ("from pathlib import Path; from graders.course import load_course; "
            f"print(load_course(Path({str(root)!r})).config.KernelManager.ip)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    if str(tmp_path) not in out.stdout:
        pytest.skip("the sandbox kernel spec is not installed: the course config makes no folder")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(IPC_PREFIX)] == []
