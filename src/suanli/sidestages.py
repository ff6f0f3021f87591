"""Standalone stages in a side process, beside the build's main loop.

A stage whose ``standalone`` is true reads no other stage's tables: its ``run`` uses the store only to
write (``write_table`` / ``write_input``) and the context only for the edition, the options, the
output folder's path and the log. On a machine with more than one core the build runs such stages,
in build order, in one forked process while the main process runs the others (the default edition:
survey, index and uncertainty, about 40 % of the stages' time, beside capacity, markets, energy and
demand). The side process never touches the store: it records each write and each log line, and
the main process replays them into the real store when its loop reaches the stage, through the same
``write_table`` / ``write_input`` calls with the same arguments. So the tables, their provenance and
value-class checks, the CSVs, the stage cache's records and the log are exactly those of a serial
build.

Anything unexpected in the side process (an error in the stage, a store method other than the two
writers, a result that does not pickle, the process gone) makes the main process run that stage
and every later side stage itself: an error is raised by the same code, with the same message and
file location, as in a serial build, and the side process is only ever a way to be faster.

``SUANLI_SIDE_STAGES=0`` turns the side process off (everything runs in the main process).
"""

from __future__ import annotations

import os
from typing import Any

from .stage import BuildContext, Stage


class NotStandalone(Exception):
    """A standalone stage used the store for something other than writing."""


class _Recorder:
    """The store as a standalone stage sees it in the side process: the writes are recorded (the
    frames copied, so a later change to them does not reach the replay) and nothing else exists."""

    def __init__(self, calls: list[tuple]) -> None:
        self._calls = calls

    def write_table(self, name: str, df: Any, **kw: Any) -> None:
        self._calls.append(("write_table", name, df.copy(), kw))

    def write_input(self, name: str, df: Any, **kw: Any) -> None:
        self._calls.append(("write_input", name, df.copy(), kw))

    def __getattr__(self, attr: str) -> Any:
        raise NotStandalone(f"a standalone stage used store.{attr}")


def _child(conn: Any, stages: list[Stage], ctx: BuildContext, parent: int) -> None:
    """Run ``stages`` in order; send ``(name, calls)`` after each, ``(name, None)`` for the first that
    fails (and stop there)."""
    for st in stages:
        if os.getppid() != parent:  # the build is gone: nobody will read the results
            return
        calls: list[tuple] = []
        side = BuildContext(ctx.edition, ctx.out, _Recorder(calls), dict(ctx.options),  # type: ignore[arg-type]
                            log_fn=lambda msg, calls=calls: calls.append(("log", msg)))
        try:
            st.run(side)
            conn.send((st.name, calls))
        except BaseException:  # noqa: BLE001 - the main process runs the stage itself and reports
            try:
                conn.send((st.name, None))
            except Exception:  # noqa: BLE001 - the pipe is gone with the build
                pass
            return


def _side_process(conn: Any, stages: list[Stage], ctx: BuildContext, parent: int) -> None:
    """The side process: :func:`_child`, then leave at once, as a pool worker does (``os._exit``): no
    interpreter shutdown, no flush of streams whose locks another thread of the build may have held
    when the process was forked."""
    try:
        _child(conn, stages, ctx, parent)
    finally:
        os._exit(0)


class SideStages:
    """A forked process running ``stages`` (standalone, in build order) for the build in ``ctx``."""

    def __init__(self, ctx: BuildContext, stages: list[Stage]) -> None:
        import multiprocessing as mp
        import queue
        import threading

        self.names = [st.name for st in stages]
        self._failed = False
        mpc = mp.get_context("fork")
        conn, child = mpc.Pipe(duplex=False)
        self._proc = mpc.Process(target=_side_process, args=(child, stages, ctx, os.getpid()), daemon=True,
                                 name="suanli-side-stages")
        self._proc.start()
        child.close()
        # A thread takes each stage's results off the pipe as soon as they are sent: a pipe holds
        # 64 KB, so otherwise the side process would wait, with its next stage unstarted, until the
        # main loop reached the stage it had finished.
        self._got: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(conn,), daemon=True, name="suanli-side-reader")
        self._reader.start()

    def _read(self, conn: Any) -> None:
        try:
            for _ in self.names:
                self._got.put(conn.recv())
        except BaseException:  # noqa: BLE001 - the pipe closed early, or a result did not unpickle:
            pass  # the main process runs the stages it got nothing for
        finally:
            conn.close()
            self._got.put(None)  # nothing more will come

    @classmethod
    def start(cls, ctx: BuildContext, stages: list[Stage]) -> SideStages | None:
        """The side process for ``stages``, or None when there are none or it cannot be started
        (the main process then runs them, as it would on one core)."""
        if not stages:
            return None
        try:
            return cls(ctx, stages)
        except OSError:  # no process to be had (out of memory, a process limit)
            return None

    @staticmethod
    def wanted(todo: list[Stage], computed: list[bool]) -> list[Stage]:
        """The standalone stages worth running on the side: those computed (not reused) that some
        other computed stage before them can run beside; none on one core, without ``fork``, or
        with ``SUANLI_SIDE_STAGES=0``."""
        import multiprocessing as mp

        if (os.environ.get("SUANLI_SIDE_STAGES", "1") == "0" or (os.cpu_count() or 1) < 2
                or "fork" not in mp.get_all_start_methods()):
            return []
        side = [i for i, st in enumerate(todo) if computed[i] and st.standalone]
        if not side or not any(computed[i] and not todo[i].standalone for i in range(side[-1])):
            return []
        return [todo[i] for i in side]

    def take(self, name: str) -> list[tuple] | None:
        """The recorded calls of stage ``name`` (waiting for them), or ``None``: the main process runs
        it itself (the side process failed on it or an earlier one, or is gone)."""
        if self._failed or name not in self.names:
            return None
        got = self._got.get()
        if got is None or got[0] != name or got[1] is None:
            self._failed = True
            return None
        return got[1]

    @staticmethod
    def replay(ctx: BuildContext, calls: list[tuple]) -> None:
        """Apply recorded ``calls`` to the build's store and log, in order."""
        for call in calls:
            if call[0] == "log":
                ctx.log(call[1])
            else:
                kind, name, df, kw = call
                getattr(ctx.store, kind)(name, df, **kw)

    def close(self) -> None:
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._reader.join()


__all__ = ["NotStandalone", "SideStages"]
