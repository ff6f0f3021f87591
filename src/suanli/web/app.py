"""The FastAPI app: ``create_app(source)``.

Pages are one HTML shell (rendered with autoescaping) plus ``static/app.js``, which builds every
element with ``textContent`` (never ``innerHTML`` with data), so a unit named
``<script>alert(1)</script>`` shows as text. plotly.js is the report's partial bundle (same plotly.js
version as the plotly wheel's), served from the package; nothing is loaded from another host (a
Content-Security-Policy says so too).
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import mimetypes
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import code_version
from ..report.plotlyjs import page_js
from .api import router
from .assets import PLOTLY_PATH, STATIC, plotly_url, static_url
from .demand import router as demand_router
from .intervals import router as intervals_router
from .source import Source
from .views import router as views_router

HERE = Path(__file__).parent
MAX_BODY = 64 * 1024          # bytes; a request body larger than this gets 413
TOKEN_HEADER = "x-suanli-token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
PAGES = ["/", "/cities", "/industries", "/compare", "/methodology", "/capacity", "/markets", "/survey",
         "/sensitivity", "/years", "/tables", "/scenarios", "/a/{name}", "/a/{name}/unit/{unit_id}",
         "/city/{unit_id}", "/industry/{unit_id}"]
#: Host names accepted when the server is bound to loopback (DNS-rebinding defence: a page on
#: evil.example that resolves its name to 127.0.0.1 sends "Host: evil.example" and is refused)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


class StaticCache:
    """The dashboard's own static files and plotly.js, read once at start-up, gzip-compressed
    once, served with a strong ETag and ``Cache-Control: immutable`` (pages link them with their
    content hash in the query string, :mod:`suanli.web.assets`, so a changed file is a new URL).
    Only the files enumerated here can be served: a request path never becomes a file path."""

    def __init__(self, files: dict[str, Path | bytes]) -> None:
        self.files: dict[str, tuple[bytes, bytes, str, str]] = {}
        for url, path in files.items():
            raw = path if isinstance(path, bytes) else path.read_bytes()
            kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
            self.files[url] = (raw, gzip.compress(raw, 6, mtime=0), etag, kind)

    def response(self, url: str, request: Request) -> Response:
        raw, gz, etag, kind = self.files[url]
        headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", "").lower():
            return Response(gz, media_type=kind, headers={**headers, "Content-Encoding": "gzip"})
        return Response(raw, media_type=kind, headers=headers)


def _json(status: int, detail: str, errors: list[dict[str, Any]] | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


class GuardMiddleware:
    """Pure ASGI: body-size limit (413), API token (401) and security headers on every response."""

    def __init__(self, app: Any, token: str | None, max_body: int = MAX_BODY,
                 allowed_hosts: tuple[str, ...] | None = None) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path = scope.get("path", "")
        if self.allowed_hosts is not None and _hostname(headers.get("host", "")) not in self.allowed_hosts:
            await _json(421, "this dashboard answers only to " + ", ".join(sorted(self.allowed_hosts))
                        + " (the Host header names another site: DNS rebinding?)")(scope, receive, send)
            return
        if "\x00" in path or "%00" in scope.get("raw_path", b"").decode("latin-1"):
            await _json(400, "a NUL byte in the path")(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"
        if head:   # every GET route answers HEAD: same status and headers, no body
            scope = {**scope, "method": "GET"}
        cl = headers.get("content-length")
        if cl is not None:
            if not cl.isdigit():
                await _json(400, "invalid Content-Length header")(scope, receive, send)
                return
            if int(cl) > self.max_body:
                await _json(413, f"request body too large ({cl} bytes; the limit is {self.max_body})")(
                    scope, receive, send)
                return
        if self.token and path.startswith("/api/"):
            given = headers.get(TOKEN_HEADER, "")
            auth = headers.get("authorization", "")
            if not given and auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                await _json(401, "this dashboard needs its access token (printed by 'suanli serve'); "
                                 "send it in the X-Suanli-Token header",
                            headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
                return

        seen = 0

        async def limited_receive() -> dict:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    raise StarletteHTTPException(413, f"request body too large (over {self.max_body} bytes)")
            return msg

        async def send_with_headers(msg: dict) -> None:
            if head and msg["type"] == "http.response.body":
                msg = {**msg, "body": b""}
            if msg["type"] == "http.response.start":
                hs = list(msg.get("headers", []))
                hs += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                       (b"x-frame-options", b"DENY")]
                if not any(k.lower() == b"content-security-policy" for k, _ in hs):
                    hs.append((b"content-security-policy", CSP.encode()))
                msg = {**msg, "headers": hs}
            await send(msg)

        await self.app(scope, limited_receive, send_with_headers)


class HotPath:
    """Pure ASGI answer for the one request a slider move sends, ``POST
    /api/assessments/{name}/scores``, without FastAPI's routing, dependency solving and
    response handling (about a third of the CPU of that answer on a 300-unit assessment).

    It sits inside :class:`GuardMiddleware` (host, token and size checks apply as to every
    request) and takes only the plain case: a declared ``Content-Length``, a JSON content type,
    a known assessment, a body that validates as ``Settings`` and settings the engine's
    sub-millisecond path serves (:func:`suanli.web.api._inline`). The answer is the very bytes
    the FastAPI route gives (:func:`suanli.web.api._scores_body`). Anything else (an invalid
    body, an engine refusal, a method that needs a worker thread) is passed on, with the body
    replayed, to the FastAPI route, which answers it with its usual status and message."""

    PATH = re.compile(r"^/api/assessments/([a-z][a-z0-9_]{0,39})/scores$")

    def __init__(self, app: Any, source: Source) -> None:
        self.app = app
        self.source = source

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        m = self.PATH.match(scope.get("path", "")) if scope["type"] == "http" and scope.get("method") == "POST" else None
        if m is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if b"content-length" not in headers or not headers.get(b"content-type", b"").startswith(b"application/json"):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            msg = await receive()
            if msg["type"] != "http.request":
                return                    # the client went away
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        answer = self._answer(m.group(1), body)
        if answer is None:
            replayed = False

            async def replay() -> dict:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})

    def _answer(self, name: str, body: bytes) -> bytes | None:
        from fastapi import HTTPException
        from pydantic import ValidationError

        from .api import Settings, _inline, _scores_body

        try:
            view = self.source.view(name)
            settings = Settings.model_validate_json(body)
        except (KeyError, ValidationError, ValueError):
            return None
        if not _inline(view, settings):
            return None
        try:
            return _scores_body(view, settings)
        except HTTPException:
            return None


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def create_app(source: Source | str | Path | None = None, *, token: str | None = None,
               allowed_hosts: tuple[str, ...] | None = None, workers: int = 2) -> FastAPI:
    """The dashboard app for an edition or build folder (or an opened :class:`Source`).
    With ``token`` every ``/api/`` call must carry it (header ``X-Suanli-Token``). With
    ``allowed_hosts`` (``suanli serve`` passes :data:`LOOPBACK_HOSTS` when bound to loopback) a
    request naming another host is refused with 421. Engine work runs in at most ``workers``
    threads, off the event loop."""
    import anyio
    src = source if isinstance(source, Source) else Source.open(source)
    app = FastAPI(
        title="suanli dashboard API",
        version=code_version(),
        description="Explore and re-weight the assessments of a suanli edition. Scores come from the "
                    "same composite-index engine as `suanli build`.",
        docs_url=None, redoc_url=None,
    )
    app.state.source = src
    app.state.token = token
    app.state.limiter = anyio.CapacityLimiter(max(1, workers))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errs = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ())]
            errs.append({"loc": loc, "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))})
        first = errs[0] if errs else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"][1:] if len(first["loc"]) > 1 else first["loc"]) or "request"
        more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
        return _json(422, f"invalid {where}: {first['msg']}{more}", errs[:50])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _json(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _other(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover - a bug if reached
        return _json(500, f"internal error ({type(exc).__name__}); please report it")

    app.include_router(router)
    app.include_router(demand_router)
    app.include_router(views_router)
    app.include_router(intervals_router)
    files: dict[str, Path | bytes] = {f"/static/{f.name}": f for f in sorted(STATIC.iterdir()) if f.is_file()}
    files[PLOTLY_PATH] = page_js()
    static = StaticCache(files)
    app.state.static = static

    def static_route(url: str):
        async def serve_static(request: Request) -> Response:
            return static.response(url, request)
        return serve_static

    for url in static.files:
        app.add_api_route(url, static_route(url), methods=["GET"], include_in_schema=False)

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    shell = env.get_template("index.html")

    def page(request: Request) -> HTMLResponse:
        ed = src.edition
        boot = {"tokenRequired": bool(token), "edition": str(ed.id), "version": code_version(),
                "report": src.has_file("report.html")}
        html = shell.render(title_zh=ed.title.zh, title_en=ed.title.en, synthetic=bool(ed.synthetic),
                            boot=json.dumps(boot), report=src.has_file("report.html"), static_url=static_url,
                            plotly_url=plotly_url())
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    for p in PAGES:
        app.add_api_route(p, page, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)

    @app.get("/report.html", include_in_schema=False)
    async def report(request: Request) -> Response:
        f = src.file("report.html")
        if f is None:
            return _json(404, "this build has no report.html (serve a folder written by 'suanli build')")
        # the build's own self-contained report (inline styles and scripts, no other host)
        return HTMLResponse(f.read_bytes(), headers={"Cache-Control": "no-cache", "Content-Security-Policy": (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; connect-src 'none'; frame-ancestors 'none'")})

    def energy(request: Request) -> HTMLResponse:
        from ..energy.page import energy_page

        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        html = energy_page(src.table("energy_national"), src.table("energy_by_province"),
                           src.table("energy_reconciliation"), title=src.edition.title.en if lang == "en"
                           else src.edition.title.zh, synthetic=bool(src.edition.synthetic), lang=lang)
        # server-rendered page whose charts are inline scripts (escaped JSON, no other host)
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Content-Security-Policy": (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; connect-src 'none'; frame-ancestors 'none'")})

    app.add_api_route("/energy", energy, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)

    def capacity_anchors(request: Request) -> HTMLResponse:
        from ..capacity.dashboard import anchors_page

        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        html = anchors_page(src.table, title=src.edition.title.en if lang == "en" else src.edition.title.zh,
                            synthetic=bool(src.edition.synthetic), lang=lang)
        # server-rendered like /energy: inline chart scripts with escaped JSON, no other host
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Content-Security-Policy": (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; connect-src 'none'; frame-ancestors 'none'")})

    app.add_api_route("/capacity/anchors", capacity_anchors, methods=["GET"], include_in_schema=False,
                      response_class=HTMLResponse)

    app.add_middleware(HotPath, source=src)       # inside the guard: added first
    app.add_middleware(GuardMiddleware, token=token, allowed_hosts=allowed_hosts)
    return app
