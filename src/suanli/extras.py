"""Optional parts of suanli and the extra that installs each.

The core (``pip install suanli``) builds editions, reports and workbooks. The dashboard needs the
``web`` extra (FastAPI, uvicorn) and Dask scale-out of the uncertainty engine the ``dask`` extra
(distributed). :func:`require` turns a missing extra into a clear message instead of an
``ImportError`` traceback.
"""

from __future__ import annotations

from importlib.util import find_spec

from .errors import ConfigError

#: extra → (modules it provides, what needs it)
EXTRAS: dict[str, tuple[tuple[str, ...], str]] = {
    "web": (("fastapi", "starlette", "uvicorn"), "the dashboard (suanli serve)"),
    "dask": (("distributed",), "running the uncertainty engine on Dask (--workers, --scheduler)"),
}


def missing(extra: str) -> list[str]:
    """Modules of ``extra`` that are not installed."""
    return [m for m in EXTRAS[extra][0] if find_spec(m) is None]


def require(extra: str) -> None:
    """Raise a :class:`ConfigError` naming the extra when any of its modules is missing."""
    gone = missing(extra)
    if gone:
        raise ConfigError(f"{EXTRAS[extra][1]} needs the optional '{extra}' dependencies "
                          f"(missing: {', '.join(gone)})",
                          hint=f"install them with: pip install 'suanli[{extra}]'  (./dev installs every extra)")


__all__ = ["EXTRAS", "missing", "require"]
