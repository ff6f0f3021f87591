"""Shared fixtures."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # data the tests need, each folder with its source and licence


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the build's fault-injection variables, plus ``extra``."""
    env = dict(os.environ)
    for k in ("SUANLI_FAULT", "SUANLI_PAUSE", "SUANLI_PAUSE_MARKER"):
        env.pop(k, None)
    env.update(extra)
    return env


def _shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made once per test session and shared by every pytest-xdist worker.

    The first worker to ask makes it (``make(folder)``) under an exclusive lock in the session's
    common temporary folder; the others wait for the lock and reuse the result. A folder left
    half-made by a failed ``make`` is made again by the next asker, so one failure does not leave
    a broken folder behind for the other tests."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".complete").touch()
    return folder


def _cli_build(what: str, out: Path, *args: str, **env: str) -> None:
    """``suanli build ARGS --out OUT -q`` in a subprocess, as a user runs it; a failure raises with its output."""
    r = subprocess.run([sys.executable, "-m", "suanli", "build", *args, "--out", str(out), "-q"],
                       env=clean_env(**env), capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        raise RuntimeError(f"the {what} build failed (exit {r.returncode}):\n{r.stdout}\n{r.stderr}")


def _make_default_build(folder: Path) -> None:
    _cli_build("default", folder / "out", "--lang", "zh,en", PYTHONHASHSEED="1")


def _default_build(factory: pytest.TempPathFactory) -> Path:
    return _shared_folder(factory, "default-build", _make_default_build)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``suanli build --lang zh,en`` of the bundled edition (every stage and report format), run
    once per test session as a user runs it (a subprocess) and shared by every worker; its report
    cache is beside it (``default_build.parent / ".out.cache"``).

    Read-only for tests: a test that changes a build copies it first (``shutil.copytree``), and
    opens the store with ``Store.open_read_only`` (DuckDB allows many read-only processes, or one
    writer)."""
    return _default_build(tmp_path_factory) / "out"


def _prefetch(make: Callable[[pytest.TempPathFactory], object], factory: pytest.TempPathFactory) -> None:
    try:
        make(factory)
    except Exception:  # noqa: BLE001 - the fixture makes it again and reports the failure in the test
        pass


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Callable[[Path], None]], Path]:
    """``shared_folder(name, make)``: a folder made once per session for every xdist worker."""
    return lambda name, make: _shared_folder(tmp_path_factory, name, make)


@pytest.fixture
def suanli_cmd() -> list[str]:
    """Command prefix running the CLI in a subprocess with this interpreter."""
    return [sys.executable, "-m", "suanli"]


@pytest.fixture
def env_no_faults() -> dict[str, str]:
    return clean_env()


def pytest_configure(config):
    """Refuse ``--dist loadgroup`` with pytest 9.2 and pytest-xdist up to 3.8: pytest 9.2 keeps node
    ids in a new field, so xdist's ``@group`` suffix is lost and it silently stops grouping
    (a known pytest-xdist bug, open as of pytest-xdist 3.8.0); every module-scoped build would then be
    made on both workers."""
    if config.getoption("dist", "no") != "loadgroup":
        return
    from importlib.metadata import version

    from packaging.version import Version

    if Version(pytest.__version__) >= Version("9.2") and Version(version("pytest-xdist")) <= Version("3.8.0"):
        raise pytest.UsageError(
            f"pytest {pytest.__version__} with pytest-xdist {version('pytest-xdist')} ignores --dist loadgroup's "
            "groups (a known pytest-xdist bug). Install the pinned versions: "
            "pip install -c constraints.txt -e '.[dev]' (or pip install 'pytest<9.2').")


def pytest_itemcollected(item):
    """Under pytest-xdist (``--dist loadgroup``), keep each test module on one worker (its
    module-scoped fixtures are made once) unless a test names its own ``xdist_group``.

    Marked here, as each test is collected: pytest-xdist's ``pytest_collection_modifyitems`` turns
    the marker into the ``@group`` suffix of the node id that its scheduler groups by, so a marker
    added in that hook after it would group nothing (each test would go to either worker, and a
    module's fixtures, builds among them, would be made on both)."""
    if item.get_closest_marker("xdist_group") is None:
        module = Path(str(item.fspath)).resolve().relative_to(ROOT / "tests").as_posix()
        item.add_marker(pytest.mark.xdist_group(module))


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: only the selected tests count
def pytest_collection_modifyitems(config, items):
    """Order the tests for the two workers and start the shared builds. Expensive builds shared by
    many modules are made once per session for every worker (``shared_folder``), so modules of one
    folder can run on both workers."""
    # Order, a group (module) moving as a whole with the order within it kept: first the two long
    # crash-safety halves (pytest-xdist hands one to each worker at the start, so they run side by
    # side and not last, one after the other on one worker while the other idles); then the tests
    # that need no shared build; then the others that need the shared default build. The build starts
    # below, in the background: the halves wait for it while it keeps the cores busy (its two PDFs
    # are typeset side by side). ``./dev test`` passes --no-loadscope-reorder so xdist keeps this
    # order.
    uses: dict[str, set[str]] = {}
    for item in items:
        uses.setdefault(item.get_closest_marker("xdist_group").args[0], set()).update(getattr(item, "fixturenames", ()))
    rank = {g: 0 if g.startswith("crash-safety") else 2 if "default_build" in f else 1
            for g, f in uses.items()}
    items[:] = sorted(items, key=lambda it: rank[it.get_closest_marker("xdist_group").args[0]])
    # When a selected test needs the shared default build, start it now in a background thread (the
    # build itself is a subprocess), so that this worker goes on running other tests instead of idling
    # until the first test that needs it; that test then waits on the lock for what is left.
    factory = getattr(config, "_tmp_path_factory", None)
    if config.getoption("collectonly", False):
        return  # nothing will run
    if factory is not None:
        # make this worker's base temporary folder here, before any thread: TempPathFactory makes it
        # on first use without a lock, so a background build and the first test's fixture asking at
        # once both tried to create it and one failed (FileExistsError at a test's setup)
        factory.getbasetemp()
    if factory is not None and any("default_build" in getattr(item, "fixturenames", ()) for item in items):
        threading.Thread(target=_prefetch, args=(_default_build, factory), name="default_build", daemon=True).start()
