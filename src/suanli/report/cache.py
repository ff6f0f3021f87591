"""Content-addressed cache for rendered artefacts (figures, plotly JSON, PDF, workbook).

Keys hash the inputs of a rendering (table contents, labels, options) plus the code that renders
them, so an unchanged input reuses the stored result and any change re-renders. The cache lives
beside the output folder (``.<out>.cache/report``) because the build swaps the output folder
atomically; entries unused for ``PRUNE_DAYS`` days are removed at the end of a build.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from importlib import metadata
from pathlib import Path

PRUNE_DAYS = 7
_STAGING = re.compile(r"^\.(?P<name>.+)\.building-[0-9a-f]+$")


def default_cache_dir(out: Path) -> Path:
    """``<parent>/.<name>.cache/report`` for the build's target folder (``out`` may be the staging folder)."""
    out = Path(out).resolve()
    m = _STAGING.match(out.name)
    name = m.group("name") if m else out.name
    return out.parent / f".{name}.cache" / "report"


#: Modules whose code changes the rendered output of a given spec or document.
RENDER_FILES = {"render.py", "render_mpl.py", "render_plotly.py", "margins.py", "spec.py", "fmt.py", "fonts.py", "tilemap.py",
                "xlsx.py", "i18n.py", "plotlyjs.py", "cache.py"}


#: The files behind each cached artefact: matplotlib figures, plotly JSON, everything else.
SALT_FILES = {"mpl": {"render_mpl.py", "spec.py", "fmt.py", "fonts.py", "tilemap.py"},
              "plotly": {"render_plotly.py", "margins.py", "spec.py", "fmt.py", "fonts.py", "tilemap.py"}}


def code_salt(kind: str = "all") -> str:
    """Hash of the files that turn specs into pictures, workbooks and PDFs, and the renderer library versions.

    Chapter code (``sections/``, ``document.py``, claims, figure builders) is left out on purpose: what it
    produces is already in each cache key (a figure's content hash covers its data and labels; the PDF's
    key covers the whole HTML), so editing a sentence does not re-render every figure.
    """
    h = hashlib.sha256()
    here = Path(__file__).parent
    for p in sorted(here.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and (
                p.name in SALT_FILES[kind] if kind in SALT_FILES else (p.name in RENDER_FILES or p.suffix in (".j2", ".css"))):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    for pkg in ("matplotlib", "plotly", "weasyprint", "openpyxl", "noto-cjk-sans-otc"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()[:16]


class Cache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = Path(folder) if folder else None
        self.used: set[Path] = set()
        self.hits = 0
        self.misses = 0
        self.missed: list[str] = []
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, kind: str, key: str, ext: str) -> Path | None:
        if not self.folder:
            return None
        d = self.folder / kind
        d.mkdir(exist_ok=True)
        return d / f"{key}.{ext}"

    def empty(self, kind: str) -> bool:
        """Whether the cache holds no entry of ``kind`` (a first build into this folder, or no cache)."""
        if not self.folder:
            return True
        d = self.folder / kind
        return not d.is_dir() or next(d.iterdir(), None) is None

    def get(self, kind: str, key: str, ext: str) -> bytes | None:
        p = self.path(kind, key, ext)
        if p is None or not p.exists():
            self.misses += 1
            self.missed.append(f"{kind}/{key}")
            return None
        self.hits += 1
        self.used.add(p)
        os.utime(p)
        return p.read_bytes()

    def put(self, kind: str, key: str, ext: str, data: bytes) -> None:
        p = self.path(kind, key, ext)
        if p is None:
            return
        tmp = p.with_suffix(p.suffix + f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, p)
        self.used.add(p)

    def prune(self, days: float = PRUNE_DAYS) -> int:
        """Remove entries unused for ``days`` days, and the partial file a killed writer left (a
        ``.tmp<pid>`` whose process is gone): it is never read, only its finished rename is."""
        if not self.folder:
            return 0
        cutoff = time.time() - days * 86400
        n = 0
        for p in self.folder.rglob("*"):
            if not p.is_file() or p in self.used:
                continue
            m = _TMP.search(p.name)
            if p.stat().st_mtime < cutoff or (m and not _alive(int(m.group(1)))):
                p.unlink(missing_ok=True)
                n += 1
        return n


_TMP = re.compile(r"\.tmp(\d+)$")


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a writer's partial file is kept while it does)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:24]
