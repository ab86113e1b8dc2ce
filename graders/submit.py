"""Hand a notebook in to the course's submission service, from the notebook itself.

    from graders.submit import submit
    submit("04_softmax", url="https://grader.example.edu")      # asks for your token

It sends the notebook you are working in: in Google Colab the notebook as the browser holds
it now (unsaved edits included), in Jupyter or VS Code the file as last saved, or the file at
``path=``. Then it waits for the grade and prints it with the feedback page's address.

Your token is a password: leave it out of the notebook (it would be handed in with it).
Without ``token=`` it is read from the environment variable ``GRADERS_TOKEN``, then from
Colab's secrets (the key icon, name ``GRADERS_TOKEN``), then asked for with a hidden prompt.
The address can come from ``GRADERS_SUBMIT_URL`` the same way.

Only the standard library is used, so it works wherever the kit installs.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

FINAL = ("graded", "could not grade", "superseded")


class SubmitError(Exception):
    """The notebook was not handed in (or its grade could not be read): the reason says why."""


def submit(assignment: str, token: str | None = None, url: str | None = None, path: str | os.PathLike | None = None,
           wait: bool = True, timeout: float = 300.0) -> dict:
    """Hand in ``assignment``; returns the service's last answer (``status``, ``score``...)."""
    base = (url or os.environ.get("GRADERS_SUBMIT_URL") or _colab_secret("GRADERS_SUBMIT_URL") or "").rstrip("/")
    if not base:
        raise SubmitError("no service address: pass url='https://...' (your course page gives it) "
                          "or set GRADERS_SUBMIT_URL")
    if not base.startswith(("https://", "http://")):
        raise SubmitError(f"the address {base!r} must start with https://")
    token = token or os.environ.get("GRADERS_TOKEN") or _colab_secret("GRADERS_TOKEN") or _ask_token()
    name, data = _notebook(assignment, path)
    answer = _post(f"{base}/api/submissions/{urllib.parse.quote(assignment, safe='')}", token, name, data)
    print(f"handed in {name} for {assignment}: submission {answer['id']}, {answer['status']}"
          + (" (late)" if answer.get("late") else ""))
    if not wait:
        return answer
    status = _wait(f"{base}/api/submissions/{answer['id']}", token, timeout)
    print(describe(status, base))
    return status


def describe(status: dict, base: str) -> str:
    """One line a student reads: the grade, or why there is none, and where the feedback is."""
    state = status.get("status")
    if state == "graded":
        if status.get("scores_shown"):
            line = f"graded: {status['score']:g} / {status['max_score']:g}"
            if status.get("waiting_for_ta"):
                line += f" ({status['waiting_for_ta']:g} points wait for a TA)"
        else:
            line = "graded: your points appear after the deadline; the page shows your visible checks now"
    elif state == "could not grade":
        line = f"could not grade: {status.get('reason', '')}"
    elif state == "superseded":
        return "a newer submission of yours replaced this one before it was graded"
    else:
        return f"still {state}: look again later at {base}/"
    return line + (f"\nfeedback: {base}{status['feedback']}" if status.get("feedback") else "")


def _ask_token() -> str:
    import getpass

    token = getpass.getpass("Your submission token: ").strip()
    if not token:
        raise SubmitError("no token given")
    return token


def _colab_secret(name: str) -> str | None:
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return userdata.get(name)
    except Exception:  # not set, or access not granted to this notebook
        return None


def _notebook(assignment: str, path: str | os.PathLike | None) -> tuple[str, bytes]:
    """(file name, bytes) of the notebook to hand in."""
    if path is not None:
        p = Path(path)
        try:
            return p.name, p.read_bytes()
        except OSError as exc:
            raise SubmitError(f"cannot read {p}: {exc.strerror or exc}") from None
    colab = _colab_notebook()
    if colab is not None:
        return f"{assignment}.ipynb", json.dumps(colab).encode("utf-8")
    found = _open_notebook_file()
    if found is not None:
        age = time.time() - found.stat().st_mtime
        print(f"sending {found.name} as last saved ({age:.0f} s ago): save it first (Ctrl-S) if you changed it since")
        return found.name, found.read_bytes()
    raise SubmitError("cannot tell which notebook you are in: pass path='04_softmax.ipynb'")


def _colab_notebook() -> dict | None:
    """The notebook open in Colab, as the browser holds it; None outside Colab."""
    try:
        from google.colab import _message  # type: ignore[import-not-found]
    except ImportError:
        return None
    reply = _message.blocking_request("get_ipynb", request="", timeout_sec=30)
    if not isinstance(reply, dict) or not isinstance(reply.get("ipynb"), dict):
        raise SubmitError("Colab did not hand over the notebook: save it (File > Save) and try again")
    return reply["ipynb"]


def _open_notebook_file() -> Path | None:
    """The notebook file of this kernel: Jupyter sets JPY_SESSION_NAME, VS Code __vsc_ipynb_file__."""
    candidates = [os.environ.get("JPY_SESSION_NAME", "")]
    try:
        ip = get_ipython()  # type: ignore[name-defined]  # noqa: F821 - only inside IPython
        candidates.append(ip.user_ns.get("__vsc_ipynb_file__", ""))
    except NameError:
        pass
    for c in candidates:
        if c and c.endswith(".ipynb") and Path(c).is_file():
            return Path(c)
    return None


def _post(url: str, token: str, name: str, data: bytes) -> dict:
    boundary = uuid.uuid4().hex
    safe = name.replace('"', "").replace("\r", "").replace("\n", "")
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"notebook\"; filename=\"{safe}\"\r\n"
            f"Content-Type: application/x-ipynb+json\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    return _call(request)


def _wait(url: str, token: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    status: dict = {}
    while time.monotonic() < deadline:
        status = _call(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}))
        if status.get("status") in FINAL:
            return status
        time.sleep(1.0)
    return status


def _call(request: urllib.request.Request) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            reason = json.loads(exc.read().decode("utf-8")).get("error", "")
        except ValueError:
            reason = ""
        wait = exc.headers.get("Retry-After") if exc.code == 429 else None
        raise SubmitError(f"the service refused it ({exc.code}): {reason or exc.reason}"
                          + (f" [retry after {wait} s]" if wait else "")) from None
    except urllib.error.URLError as exc:
        raise SubmitError(f"cannot reach the service at {request.full_url}: {exc.reason}") from None
