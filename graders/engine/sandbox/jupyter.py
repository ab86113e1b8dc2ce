"""Start a Jupyter kernel inside the sandbox and talk to it over IPC sockets.

jupyter_client 8 ignores ``KernelManager.kernel_cmd``, so the sandbox goes into a kernel
spec written to a private folder; a kernel that silently ran unsandboxed would look exactly
like one that works, which is why the tests prove the sandbox from inside. TCP cannot cross
``--unshare-net``; IPC sockets in the scratch folder, bound into the sandbox, can (and they
avoid the port race of several kernels started at once).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from .policy import Policy, kernel_argv

SPEC_NAME = "graders-sandbox"


def write_spec(policy: Policy, python: str | None = None) -> Path:
    """A kernel spec folder under the scratch folder's parent (outside the sandbox's view)."""
    specs = policy.scratch.resolve().parent / f"{policy.scratch.name}.kernels"
    folder = specs / SPEC_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": kernel_argv(policy, python or sys.executable), "display_name": "sandboxed Python 3",
            "language": "python", "env": {"MPLBACKEND": "Agg", **policy.extra_env}}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return specs


def start_sandboxed_kernel(policy: Policy, python: str | None = None,
                           startup_timeout: float = 60) -> tuple[KernelManager, object]:
    """Start the kernel; return (manager, blocking client) ready to execute."""
    policy.scratch.mkdir(parents=True, exist_ok=True)
    specs = write_spec(policy, python)
    km = KernelManager(kernel_name=SPEC_NAME, transport="ipc",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]))
    km.ip = str(policy.scratch.resolve() / "kernel-ipc")
    km.connection_file = str(policy.scratch.resolve() / "kernel.json")
    try:
        km.start_kernel(cwd=str(policy.scratch.resolve()))
    finally:  # read once, at the start; nothing else removes it
        shutil.rmtree(specs, ignore_errors=True)
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=startup_timeout)
    except RuntimeError:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def run(kc, code: str, timeout: float = 60) -> dict:
    """Execute ``code``; return {"stdout", "error": (ename, evalue) or None, "status"}."""
    out: list[str] = []
    error: list[tuple[str, str]] = []

    def hook(msg: dict) -> None:
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content.get("text", ""))
        elif kind == "error":
            error.append((content.get("ename", ""), content.get("evalue", "")))

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return {"stdout": "".join(out), "error": error[0] if error else None,
            "status": reply["content"]["status"]}
