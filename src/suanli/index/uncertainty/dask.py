"""Scale-out on Dask distributed: the same chunks, run on a cluster.

``open_client(workers=N)`` starts a ``LocalCluster`` on loopback (one thread per worker, no dashboard);
``open_client(scheduler="tcp://host:8786")`` connects to a running scheduler. :func:`map_chunks`
broadcasts the prepared evaluator once, submits one task per chunk and returns the results in
chunk order, so sums and concatenations, hence every output, do not depend on the number of
workers: each chunk's random numbers are keyed by global sample indices (see ``sampling``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ...errors import ConfigError


@contextmanager
def open_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` (and its LocalCluster when ``workers`` is given), closed on exit."""
    if workers is not None and scheduler is not None:
        raise ConfigError("give either --workers or --scheduler, not both")
    if workers is None and scheduler is None:
        yield None
        return
    from ...extras import require

    require("dask")
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=20)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                              hint="check the address (tcp://host:8786) and that the scheduler is running") from None
        try:
            yield client
        finally:
            client.close()
        return
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    # loopback only; the scheduler's HTTP endpoints take a free port (no dashboard: bokeh is not installed)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0")
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def map_chunks(fn: Callable[..., Any], shared: Any, tasks: Sequence[tuple], client: Any = None,
               progress: Callable[[int], None] | None = None) -> list[Any]:
    """``[fn(shared, *t) for t in tasks]``, locally or on ``client``; ``progress(done_chunks)``."""
    if client is None:
        out = []
        for i, t in enumerate(tasks):
            out.append(fn(shared, *t))
            if progress:
                progress(i + 1)
        return out
    from distributed import as_completed

    [fut_shared] = client.scatter([shared], broadcast=True, hash=False)
    futs = [client.submit(fn, fut_shared, *t, pure=False) for t in tasks]
    pos = {f.key: i for i, f in enumerate(futs)}
    out: list[Any] = [None] * len(futs)
    done = 0
    for f in as_completed(futs):
        out[pos[f.key]] = f.result()
        done += 1
        if progress:
            progress(done)
    return out
