"""The HTTP routes (Starlette, served by uvicorn) and ``python -m graders serve``.

    POST /api/submissions/<assignment>   a notebook (multipart field 'notebook') -> 202 {id, status}
    GET  /api/submissions/<id>           its status, and points when the policy shows them
    GET  /api/submissions                the caller's own submissions, newest first
    GET  /api/me                         who the token belongs to
    GET  /feedback/<id>                  the feedback page of that submission, for its student
    GET  /                               the upload page
    POST /session                        a token from a form, kept in an HttpOnly cookie
    GET  /ta, /ta/report                 the TA page and the class report (staff tokens only)

A token comes as ``Authorization: Bearer <token>`` (the notebook's ``submit()``, scripts) or
as the cookie ``/session`` sets (pages). Another student's submission is a 404, exactly as
one that does not exist, so ids cannot be probed. Errors are JSON ``{"error": ...}`` with
the status that names them (401, 403, 404, 413, 422, 429 with ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..course import load_course
from . import ServeError
from .dispatch import Dispatcher
from .intake import Intake, Refused
from .pages import message_page, sign_in_page, ta_page, upload_page
from .policy import Duedates, deadline, load_policy
from .store import FINAL, GRADED, NOT_GRADED, QUEUED, GRADING, STAFF, STUDENT, Store, now
from .views import full_shown, page, status

COOKIE = "graders_token"
FORM_OVERHEAD = 64 * 1024
"""Bytes a multipart body may hold beyond the notebook itself (boundaries, headers)."""

log = logging.getLogger("graders.serve")


class Service:
    """Everything a request needs, made once at start."""

    def __init__(self, root: Path, workers: int = 2, scheduler: str | None = None,
                 sandbox: bool | None = None) -> None:
        self.course = load_course(root)
        self.policy = load_policy(self.course)
        self.state = self.course.root / self.policy.state
        self.store = Store(self.state / "service.db")
        self.duedates = Duedates(self.course)
        self.intake = Intake(self.course, self.policy, self.store, self.state, self.duedates)
        if not self.intake.notebooks:
            raise ServeError(f"no assignment in {self.course.step_root('release', student=False)} has exactly one "
                             f"released notebook: run make release first")
        self.resumed = self.store.resume()
        self.dispatcher = Dispatcher(self.course, self.policy, self.store, self.state, self.duedates,
                                     self.intake.upload_path, workers, scheduler, sandbox)

    def start(self) -> None:
        self.dispatcher.start()
        self.dispatcher.ready.wait()
        if self.dispatcher.error is not None:
            raise ServeError(f"the grader could not start: {self.dispatcher.error}")
        if self.resumed:
            log.warning("resumed %d submission(s) a stopped service was grading", self.resumed)
        self.dispatcher.wake.set()

    def stop(self) -> None:
        self.dispatcher.stop()

    def due(self, assignment: str):
        return deadline(self.policy, assignment, self.duedates)


def error(status_code: int, message: str, retry_after: int | None = None) -> JSONResponse:
    body = {"error": message}
    headers = {}
    if retry_after is not None:
        body["retry_after"] = retry_after
        headers["Retry-After"] = str(retry_after)
    if status_code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="graders"'
    return JSONResponse(body, status_code=status_code, headers=headers)


def token_of(request: Request) -> str:
    """The bearer token, else the sign-in cookie; a cookie is ignored on a POST another site
    sent (its Origin names another host), so no page elsewhere can hand work in as a student."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    if request.method == "POST" and not same_origin(request):
        return ""
    return request.cookies.get(COOKIE, "")


def same_origin(request: Request) -> bool:
    """True unless the request's Origin header names a host other than the one it was sent to."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    from urllib.parse import urlsplit

    return urlsplit(origin).netloc == request.headers.get("host", "")


async def caller(request: Request) -> tuple[str, str] | None:
    token = token_of(request)
    if not token:
        return None
    return await run_in_threadpool(request.app.state.service.store.who, token)


NO_TOKEN = "no valid token: send 'Authorization: Bearer <your token>' (your instructor gave you one)"


# routes ------------------------------------------------------------------------------------
async def submit(request: Request) -> Response:
    svc: Service = request.app.state.service
    who = await caller(request)
    if who is None:
        return error(401, NO_TOKEN)
    holder, role = who
    if role != STUDENT:
        return error(403, "a staff token cannot hand work in; use a student's token")
    assignment = request.path_params["assignment"]
    try:
        svc.intake.assignment(assignment)
    except Refused as r:
        return error(r.status, r.message)
    limit = svc.policy.max_bytes + FORM_OVERHEAD
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        return error(413, f"the upload is {int(length) / 1e6:.1f} MB; the limit is {svc.policy.max_upload_mb:g} MB")
    try:
        body = await _read_capped(request, limit)
    except _TooLarge:
        return error(413, f"the upload is larger than the limit of {svc.policy.max_upload_mb:g} MB")
    try:
        filename, data = await _notebook_field(request, body)
        accepted = await run_in_threadpool(svc.intake.accept, holder, assignment, filename, data)
    except Refused as r:
        return error(r.status, r.message, r.retry_after)
    svc.dispatcher.wake.set()
    body = {"id": accepted.id, "status": QUEUED, "status_url": f"/api/submissions/{accepted.id}"}
    if accepted.late_s:
        body["late"] = True
        body["seconds_late"] = round(accepted.late_s, 1)
    if accepted.superseded:
        body["superseded"] = accepted.superseded
    return JSONResponse(body, status_code=202)


class _TooLarge(Exception):
    pass


async def _read_capped(request: Request, limit: int) -> bytes:
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


async def _notebook_field(request: Request, body: bytes) -> tuple[str, bytes]:
    """The multipart field 'notebook' of ``body`` (already read, within the limit)."""
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise Refused(400, "send the notebook as multipart/form-data, in the field 'notebook'")
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    replay = Request(request.scope, receive)
    try:
        form = await replay.form(max_files=2, max_fields=20, max_part_size=1024 * 1024)
    except Exception as exc:  # python-multipart's and Starlette's parse errors
        raise Refused(400, f"the upload is not a readable multipart form: {exc}") from None
    upload = form.get("notebook")
    if upload is None or isinstance(upload, str):
        raise Refused(400, "no file in the field 'notebook'")
    try:
        return upload.filename or "", await upload.read()
    finally:
        await form.close()


async def get_submission(request: Request) -> Response:
    svc: Service = request.app.state.service
    who = await caller(request)
    if who is None:
        return error(401, NO_TOKEN)
    sub = await run_in_threadpool(svc.store.get, request.path_params["sid"])
    if sub is None or (who[1] != STAFF and sub.student != who[0]):
        return error(404, "no such submission of yours")
    due = svc.due(sub.assignment)
    return JSONResponse(status(sub, who[1] == STAFF or full_shown(svc.policy, due, now()), due))


async def my_submissions(request: Request) -> Response:
    svc: Service = request.app.state.service
    who = await caller(request)
    if who is None:
        return error(401, NO_TOKEN)
    subs = await run_in_threadpool(svc.store.listing, None, 50, who[0])
    out = []
    for sub in subs:
        due = svc.due(sub.assignment)
        out.append(status(sub, full_shown(svc.policy, due, now()), due))
    return JSONResponse({"student": who[0], "submissions": out})


async def me(request: Request) -> Response:
    who = await caller(request)
    if who is None:
        return error(401, NO_TOKEN)
    return JSONResponse({"id": who[0], "role": who[1]})


async def feedback(request: Request) -> Response:
    svc: Service = request.app.state.service
    who = await caller(request)
    if who is None:
        return HTMLResponse(sign_in_page("Sign in to see this feedback page.", request.url.path), status_code=401)
    sub = await run_in_threadpool(svc.store.get, request.path_params["sid"])
    if sub is None or (who[1] != STAFF and sub.student != who[0]):
        return HTMLResponse(message_page("Not found", "No such submission of yours."), status_code=404)
    if sub.status not in FINAL:
        text = ("A newer submission replaced this one before it was graded." if sub.status not in (QUEUED, GRADING)
                else f"This submission is {sub.status}; this page refreshes itself.")
        return HTMLResponse(message_page("Not graded yet", text, refresh=0 if sub.status not in (QUEUED, GRADING)
                                         else 2), status_code=202 if sub.status in (QUEUED, GRADING) else 200)
    full = who[1] == STAFF or full_shown(svc.policy, svc.due(sub.assignment), now())
    html = await run_in_threadpool(page, svc.state, sub, full)
    if html is None:
        return HTMLResponse(message_page("Could not grade", sub.detail or "no page was written"))
    return HTMLResponse(html)


async def session(request: Request) -> Response:
    svc: Service = request.app.state.service
    if not same_origin(request):
        return error(403, "sign in from this site's own page")
    form = await request.form(max_files=0, max_fields=5)
    token = str(form.get("token") or "").strip()
    next_url = str(form.get("next") or "")
    who = await run_in_threadpool(svc.store.who, token)
    if who is None:
        if next_url:
            return HTMLResponse(sign_in_page("That token is not valid (revoked or mistyped).", _local(next_url)),
                                status_code=401)
        return error(401, "that token is not valid (revoked or mistyped)")
    response = RedirectResponse(_local(next_url), status_code=303) if next_url else JSONResponse(
        {"id": who[0], "role": who[1]})
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        max_age=180 * 24 * 3600)
    return response


def _local(url: str) -> str:
    """Only a path on this site (never '//elsewhere' or 'https://elsewhere') after sign-in."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


async def index(request: Request) -> Response:
    svc: Service = request.app.state.service
    return HTMLResponse(upload_page(svc.course.root.name, sorted(svc.intake.notebooks)))


async def staff_only(request: Request, why: str) -> Response | None:
    """The page a caller without a staff token gets (the sign-in form, 401; 'Staff only' for a
    student's token, 403), or None for staff."""
    who = await caller(request)
    if who is None:
        return HTMLResponse(sign_in_page(why, request.url.path), status_code=401)
    if who[1] != STAFF:
        return HTMLResponse(message_page("Staff only", "This page is for course staff."), status_code=403)
    return None


async def ta(request: Request) -> Response:
    svc: Service = request.app.state.service
    refused = await staff_only(request, "The TA page needs a staff token.")
    if refused is not None:
        return refused

    def gather():
        return (svc.store.counts(), svc.store.listing((QUEUED, GRADING), 200),
                svc.store.listing((NOT_GRADED,), 50), svc.store.listing((GRADED,), 50))

    counts, queue, failures, recent = await run_in_threadpool(gather)
    return HTMLResponse(ta_page(svc.course.root.name, counts, list(reversed(queue)), failures, recent))


async def ta_report(request: Request) -> Response:
    svc: Service = request.app.state.service
    refused = await staff_only(request, "The class report needs a staff token.")
    if refused is not None:
        return refused

    def build() -> str:
        from ..report.classreport import write_report
        from ..report.collect import collect

        graded = sorted({s.assignment for s in svc.store.listing((GRADED,), 10_000)})
        if not graded:
            return message_page("Class report", "Nothing has been graded yet.")
        records = collect(svc.course, graded)
        paths = write_report(records, "+".join(graded), svc.state / "reports")
        return paths[0].read_text(encoding="utf-8")

    return HTMLResponse(await run_in_threadpool(build))


def create_app(root: Path, workers: int = 2, scheduler: str | None = None, sandbox: bool | None = None) -> Starlette:
    """The service's app; the course is read and the grader started when it starts."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        service = Service(root, workers, scheduler, sandbox)
        await asyncio.get_running_loop().run_in_executor(None, service.start)
        app.state.service = service
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, service.stop)

    return Starlette(routes=[
        Route("/", index),
        Route("/session", session, methods=["POST"]),
        Route("/api/me", me),
        Route("/api/submissions", my_submissions),
        Route("/api/submissions/{assignment}", submit, methods=["POST"]),
        Route("/api/submissions/{sid}", get_submission),
        Route("/feedback/{sid}", feedback),
        Route("/ta", ta),
        Route("/ta/report", ta_report),
    ], lifespan=lifespan)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, workers: int = 2, scheduler: str | None = None) -> int:
    """Run the service until interrupted (``python -m graders serve``)."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    app = create_app(root, workers, scheduler)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True, forwarded_allow_ips="127.0.0.1")
    return 0
