"""``suanli serve [EDITION or BUILD DIR]``: the local dashboard."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ConfigError


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    source: Annotated[Path | None, typer.Argument(
        help="Edition folder or a build folder written by 'suanli build' (default: the bundled 2025 edition).")] = None,
    host: Annotated[str, typer.Option(help="Address to bind. Anything but loopback requires a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 = any free port).", min=0, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        help="Access token every API call must carry (generated when binding beyond loopback).",
        envvar="SUANLI_TOKEN")] = None,
) -> None:
    """Start the dashboard: explore and re-weight the assessments in the browser."""
    from ..extras import require

    require("web")
    import uvicorn

    from .app import create_app

    if token is not None and len(token) < 16:
        raise ConfigError("--token must be at least 16 characters", hint="or omit it to get a generated one")
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    from .app import LOOPBACK_HOSTS

    app = create_app(source, token=token, allowed_hosts=LOOPBACK_HOSTS if is_loopback(host) else None)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    typer.echo(f"suanli dashboard for {app.state.source.edition.id} ({app.state.source.kind}) on {url}")
    if token:
        typer.echo(f"access token: {token}")
        typer.echo(f"open {url}#token={token}")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                limit_concurrency=200, timeout_keep_alive=5, server_header=False, **fast_io())


def fast_io() -> dict[str, str]:
    """uvicorn's C HTTP parser and event loop when installed (the web extra declares them): a
    request then costs less CPU in parsing and scheduling than with h11 and asyncio."""
    out = {}
    try:
        import httptools  # noqa: F401

        out["http"] = "httptools"
    except ImportError:
        pass
    try:
        import uvloop  # noqa: F401

        out["loop"] = "uvloop"
    except ImportError:
        pass
    return out
