"""The FastAPI app: ``create_app(source)``.

Pages are one HTML shell (rendered with autoescaping) plus ``static/app.js``, which builds every
element with ``textContent`` (never ``innerHTML`` with data), so a unit named
``<script>alert(1)</script>`` shows as text. plotly.js is served from the plotly wheel's own
``package_data``; nothing is loaded from another host (a Content-Security-Policy says so too).
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Any

import plotly
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import code_version
from .api import router
from .demand import router as demand_router
from .source import Source

HERE = Path(__file__).parent
STATIC = HERE / "static"
PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
MAX_BODY = 64 * 1024          # bytes; a request body larger than this gets 413
TOKEN_HEADER = "x-suanli-token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
PAGES = ["/", "/cities", "/industries", "/compare", "/methodology", "/a/{name}", "/a/{name}/unit/{unit_id}",
         "/city/{unit_id}", "/industry/{unit_id}"]


def _json(status: int, detail: str, errors: list[dict[str, Any]] | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


class GuardMiddleware:
    """Pure ASGI: body-size limit (413), API token (401) and security headers on every response."""

    def __init__(self, app: Any, token: str | None, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path = scope.get("path", "")
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
            if msg["type"] == "http.response.start":
                hs = list(msg.get("headers", []))
                hs += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                       (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]
                msg = {**msg, "headers": hs}
            await send(msg)

        await self.app(scope, limited_receive, send_with_headers)


def create_app(source: Source | str | Path | None = None, *, token: str | None = None) -> FastAPI:
    """The dashboard app for an edition or build folder (or an opened :class:`Source`).
    With ``token`` every ``/api/`` call must carry it (header ``X-Suanli-Token``)."""
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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/vendor/plotly", StaticFiles(directory=PLOTLY_DIR), name="plotly")

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    shell = env.get_template("index.html")

    def page(request: Request) -> HTMLResponse:
        ed = src.edition
        boot = {"tokenRequired": bool(token), "edition": str(ed.id), "version": code_version()}
        html = shell.render(title_zh=ed.title.zh, title_en=ed.title.en, synthetic=bool(ed.synthetic),
                            boot=json.dumps(boot), version=code_version())
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    for p in PAGES:
        app.add_api_route(p, page, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)

    app.add_middleware(GuardMiddleware, token=token)
    return app
