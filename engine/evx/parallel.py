"""An order-keeping parallel map over a stream, with a bounded number of items in flight.

:func:`ordered_map` applies ``func(state, item)`` to every item of an iterable and yields
the results in input order. Items are taken from the iterable only as fast as results are
consumed (at most ``window`` chunks of ``chunk_size`` items are pending), so a generator
that reads documents lazily is never read ahead of the workers, and memory stays flat in
the length of the stream.

``state`` (a compiled rule set, say) reaches each worker once: as an initializer argument
of a process pool (:class:`ProcessBackend`), or as data scattered to every worker
of a Dask cluster (``evx.integrations.dask.DaskBackend``). Any object with ``submit`` and
``close`` methods (:class:`Backend`) can run the chunks.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Backend", "ProcessBackend", "ordered_map", "run_chunk"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class Backend(Protocol[T, R]):
    """Runs chunks of items somewhere and hands back a future of their results."""

    parallelism: int  # how many chunks it runs at once

    def submit(self, chunk: list[T]) -> Future[list[R]]:
        """Start on a chunk; the future's result is the chunk's results, in order."""
        ...

    def close(self, cancel: bool) -> None:
        """Release the workers; with ``cancel``, without waiting for pending chunks."""
        ...


def run_chunk(func: Callable[[S, T], R], state: S, chunk: list[T]) -> list[R]:
    """The results of one chunk: what each worker runs (importable by name, so that any
    backend can ship it)."""
    return [func(state, item) for item in chunk]


_WORKER: tuple[Callable[[Any, Any], Any], Any] | None = None


def _exit_with_parent() -> None:
    """Let this worker end when its parent does. A pool worker waits for work on a
    queue whose writing end it holds itself, so it never sees the parent die: killed
    outright (SIGKILL, the OOM killer), a parent would leave its workers, and the
    forkserver they keep alive, sleeping for ever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="evx-parent-watch", daemon=True).start()


def _init(func: Callable[[Any, Any], Any], state: Any) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool, and no worker prints a
    # traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    global _WORKER
    _WORKER = (func, state)


def _run_in_worker(chunk: list[Any]) -> list[Any]:
    assert _WORKER is not None, "the pool's initializer did not run"
    return run_chunk(_WORKER[0], _WORKER[1], chunk)


def _start_quiet_tracker() -> None:
    """Start multiprocessing's resource tracker (if it is not running yet) with its
    "leaked semaphore objects to clean up" warning off: after a SIGKILL of the parent it
    cleans up the pool's semaphores, as it should, and has nothing to tell the user. It
    takes its warning options from ``sys.warnoptions`` when it starts; they are put back
    at once, so nothing else in this process changes."""
    if os.name != "posix":  # there is no resource tracker elsewhere
        return
    from multiprocessing import resource_tracker

    saved = list(sys.warnoptions)
    sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions[:] = saved


def _context() -> multiprocessing.context.BaseContext:
    """Where workers come from: forked from a server process that imported evx once
    (``forkserver``, so a worker starts in milliseconds, not the second an import of evx
    takes), or spawned afresh where there is no forkserver (Windows). Never a plain fork of
    the caller, whose threads and state are not ours to copy."""
    _start_quiet_tracker()
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["evx._orphans", "evx.ruleset"])
        return context
    return multiprocessing.get_context("spawn")


class ProcessBackend(Generic[S, T, R]):
    """A pool of worker processes, each given ``func`` and ``state`` once."""

    def __init__(self, func: Callable[[S, T], R], state: S, processes: int) -> None:
        self.parallelism = processes
        self._pool = ProcessPoolExecutor(
            processes, mp_context=_context(), initializer=_init, initargs=(func, state)
        )

    def submit(self, chunk: list[T]) -> Future[list[R]]:
        return self._pool.submit(_run_in_worker, chunk)

    def close(self, cancel: bool) -> None:
        self._pool.shutdown(wait=not cancel, cancel_futures=cancel)


def ordered_map(
    func: Callable[[S, T], R],
    state: S,
    items: Iterable[T],
    *,
    processes: int = 1,
    backend: Backend[T, R] | None = None,
    chunk_size: int = 8,
    window: int | None = None,
) -> Iterator[R]:
    """``func(state, item)`` for every item, in input order.

    Without a ``backend`` and with ``processes`` ≤ 1 this runs here, one item at a time;
    otherwise chunks of ``chunk_size`` items go to the backend (a :class:`ProcessBackend`
    of ``processes`` workers by default), at most ``window`` chunks at once (default:
    twice the backend's parallelism, plus two). Closing the iterator early, or an
    exception, cancels what is pending.
    """
    if backend is None and processes <= 1:
        for item in items:
            yield func(state, item)
        return
    runner: Backend[T, R] = backend or ProcessBackend(func, state, processes)
    limit = window or 2 * runner.parallelism + 2
    pending: deque[Future[list[R]]] = deque()
    source = iter(items)
    finished = False
    try:
        while True:
            while len(pending) < limit:
                chunk = list(islice(source, chunk_size))
                if not chunk:
                    break
                pending.append(runner.submit(chunk))
            if not pending:
                break
            yield from pending.popleft().result()
        finished = True
    finally:
        runner.close(cancel=not finished)
