"""``suanli build``: run every stage of an edition into a fresh store and swap it into place.

Stages (:class:`suanli.stage.Stage`) are listed in :func:`stages` in dependency order.

Incremental builds (:mod:`suanli.stagecache`): a stage whose code, edition parameters, input files,
declared options (``Stage.options``: names of ``ctx.options`` it reads) and upstream stages are
unchanged reuses the previous build's results; ``Stage.cacheable = False`` opts a stage out, the
``force`` option (``suanli build --force``) recomputes everything, and ``force_from`` (``suanli build
--force-from STAGE``) recomputes that stage and every later one while earlier stages are reused.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import code_version
from .edition import Edition
from .errors import BuildError, InputError, SuanliError, stamp_location
from .limits import limits_in_force
from .sidestages import SideStages
from .stage import BuildContext, Stage
from .stagecache import StageCache, stage_key
from .store import Store, atomic_swap, now, recover, staging_dir


def stages() -> list[Stage]:
    """Stages in dependency order."""
    from .capacity.stage import STAGE as capacity
    from .demand.stage import STAGE as demand
    from .energy.stage import STAGE as energy
    from .index.stage import STAGE as index
    from .index.uncertainty.stage import STAGE as uncertainty
    from .markets.stage import STAGE as markets
    from .opendata.stage import STAGE as opendata
    from .report.stage import STAGE as report
    from .survey.stage import STAGE as survey

    order = [capacity, markets, energy, demand, survey, index, uncertainty, opendata, report]
    for st in order:
        if not isinstance(st, Stage):
            raise TypeError(f"{st!r} is not a suanli.stage.Stage")
    return order


def build(
    edition: Edition,
    out: str | Path,
    *,
    options: dict[str, Any] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Build ``edition`` into ``out`` atomically. Returns the output folder."""
    with limits_in_force(edition.limits):  # the edition's plausibility limits, for every reader
        return _build(edition, out, options=options, progress=progress, log=log)


def edition_stages(edition: Edition) -> list:
    """The stages that apply to ``edition``, in build order."""
    return [s for s in stages() if s.applies(edition)]


def first_forced(names: list[str], force_from: str | None) -> int:
    """Index in ``names`` (the stages to run, in order) of the first stage to recompute whatever the
    previous build holds (past the end: none). ``force_from`` must name one of them, or be ``None``;
    otherwise ``ValueError`` names the stages."""
    if not force_from:
        return len(names)
    if force_from not in names:
        raise ValueError(f"unknown stage {force_from!r}; this edition's stages are {', '.join(names)}")
    return names.index(force_from)


def _build(
    edition: Edition,
    out: str | Path,
    *,
    options: dict[str, Any] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    target = Path(out).resolve()
    recover(target)
    started = now()
    staging = staging_dir(target)
    store = None
    try:
        store = Store(staging, write_csv_tables=edition.outputs.tables_csv)
        ctx = BuildContext(edition, staging, store, dict(options or {}), log_fn=log)
        todo = edition_stages(edition)
        hashes = edition.input_hashes()
        params = edition.parameters()
        cache = StageCache(target if target.exists() else None, store, enabled=not ctx.options.get("force", False))
        forced_at = first_forced([st.name for st in todo], ctx.options.get("force_from"))
        # every stage's key and previous result first: a key holds the keys (not the results) of the
        # stages before it, so all are known before any stage runs
        keys: list[str] = []
        hits: list = []
        for i, st in enumerate(todo):
            opts = {k: ctx.options.get(k) for k in st.options}
            extra = st.key_extra() if st.cacheable else {}
            if extra:
                opts["_extra"] = extra
            keys.append(stage_key(st.name, params, hashes, opts, list(keys)))
            hits.append(cache.lookup(st.name, keys[-1]) if st.cacheable and i < forced_at else None)
        _fault_point("start")
        side = SideStages.start(ctx, SideStages.wanted(todo, [h is None for h in hits]))
        try:
            for i, st in enumerate(todo):
                if progress:
                    progress(st.name, i, len(todo))
                _fault_point(f"before-{st.name}")
                before = cache.begin(staging)
                hit = hits[i]
                if hit is not None:
                    cache.reuse(hit, staging)
                    ctx.log(f"{st.name}: inputs unchanged, {len(hit.tables)} tables reused from the previous build")
                else:
                    # the writes and log lines of a standalone stage the side process ran, or None
                    calls = side.take(st.name) if side is not None else None
                    try:
                        if calls is not None:
                            SideStages.replay(ctx, calls)
                        else:
                            st.run(ctx)
                    except InputError as exc:
                        # a message from engine code names no file: it is about this edition
                        stamp_location(exc, edition.file)
                        raise
                cache.finish(st.name, keys[i], before, staging, reused=hit is not None)
                _fault_point(f"after-{st.name}")
        finally:
            if side is not None:
                side.close()
        if progress:
            progress("finish", len(todo), len(todo))
        cache.write()
        finished = now()
        store.record_run(edition=edition.id, code_version=code_version(), input_hashes=hashes,
                         parameters=params, started=started, finished=finished)
        lineage = {
            "edition": edition.id,
            "edition_folder": str(edition.root),
            "code_version": code_version(),
            "input_hashes": hashes,
            "parameters": params,
            "options": ctx.options,
            "started": started.isoformat(),
            "finished": finished.isoformat(),
            "synthetic": edition.synthetic,
            "tables": {k: vars(v) for k, v in sorted(store.provenance.items())},
            "messages": ctx.messages,
        }
        (staging / "lineage.json").write_text(json.dumps(lineage, ensure_ascii=False, indent=2, default=str),
                                              encoding="utf-8")
        store.close()
        store = None
        _fault_point("before-swap")
        atomic_swap(staging, target)
        return target
    except BaseException:
        if store is not None:
            try:
                store.con.close()
            except Exception:  # noqa: BLE001 - best effort while unwinding
                pass
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _fault_point(name: str) -> None:
    """Test hooks for crash-safety tests.

    ``SUANLI_FAULT=<point>`` makes the build fail there; ``SUANLI_PAUSE=<point>`` writes the file
    named by ``SUANLI_PAUSE_MARKER`` and sleeps, so a test can SIGKILL the build at that point.
    """
    if os.environ.get("SUANLI_FAULT") == name:
        raise BuildError(f"injected fault at {name}")
    if os.environ.get("SUANLI_PAUSE") == name:
        import time

        marker = os.environ.get("SUANLI_PAUSE_MARKER")
        if marker:
            Path(marker).write_text(name, encoding="utf-8")
        time.sleep(float(os.environ.get("SUANLI_PAUSE_SECONDS", "30")))


__all__ = ["BuildContext", "Stage", "build", "stages", "SuanliError"]
