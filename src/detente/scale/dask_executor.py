"""``DaskExecutor``: chunks of experiments on a Dask cluster (``dask.distributed``).

It follows the :class:`~detente.analysis.executors.Executor` protocol, so every
analysis on the evaluate seam (sweeps, batches of draws) can run on a local
cluster or on an existing one named by its scheduler address. Results come
back in item order and equal the serial executor's bit for bit: each chunk is
computed from its own inputs, on whichever worker.

``dask.distributed`` is imported when the executor is created, not when this
module is imported, so the rest of detente works without the ``dask`` extra.
The client is held by the executor and never sent to workers; the function
mapped is scattered to the workers once, not shipped with every chunk.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

from detente.analysis.executors import WORKER_MALLOC, Progress
from detente.errors import DetenteError

T = TypeVar("T")
R = TypeVar("R")


class DaskUnavailableError(DetenteError):
    """Dask is not installed, or the scheduler cannot be reached."""


_SPAWN_ENV = "distributed.nanny.pre-spawn-environ"
"""Where Dask takes the environment of the workers a nanny spawns.

Local workers get :data:`~detente.analysis.executors.WORKER_MALLOC`. Dask's own default sets
``MALLOC_TRIM_THRESHOLD_``; any explicit value switches off glibc's dynamic mmap threshold,
so each of the exchange's large working arrays is mapped and unmapped afresh. Measured on
10,000 first-strike draws on two workers: 37 s with Dask's setting, about 19 s without it,
about 16 s with WORKER_MALLOC (serial: 31 s). A cluster started elsewhere keeps its own
settings (set ``distributed.nanny.pre-spawn-environ`` there the same way)."""


WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.worker.memory.terminate": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "5s",
}
"""Dask settings of the local workers. The statistical profiler (Dask's dashboard) samples
the stack of the thread running a task every 10 ms; without it a 30,000-draw exploration on
two workers took 47.6 s instead of 54.3 s. The workers' memory manager (spilling, pausing,
restarting a worker near its limit, a check every 100 ms) and the event loop's 20 ms ticks
cost the computation too: without them, and with the system monitor every 5 s, 20,000
first-strike draws on two workers take 0.85-0.86 ms a draw instead of 0.93-0.95 (a pool of
processes: 0.81). A local worker's memory is bounded by the chunks detente gives it
(``ROWS_PER_CHUNK`` exchange rows), so it needs no manager. A cluster started elsewhere
keeps its own settings."""


@contextlib.contextmanager
def _local_workers() -> Iterator[None]:
    """Local workers spawned in this block get :data:`WORKER_MALLOC` and
    :data:`WORKER_CONFIG`; this process's own environment is as before afterwards.

    Dask's nanny copies the settings into this process's environment to hand them on (and a
    cluster started earlier leaves its own trim threshold there, which would be inherited),
    so the variables are cleared for the block and put back after it."""
    import dask

    saved = {name: os.environ.pop(name, None) for name in WORKER_MALLOC}
    try:
        env = {f"{_SPAWN_ENV}.{k}": v for k, v in WORKER_MALLOC.items()}
        with dask.config.set({**env, **WORKER_CONFIG}):
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _call(fn: Callable[[T], R], item: T) -> R:
    return fn(item)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskUnavailableError(
            "the Dask executor needs dask.distributed: pip install 'detente[dask]'"
        ) from None
    return distributed


class DaskExecutor:
    """Maps a function over items on a Dask cluster.

    Parameters
    ----------
    address
        Scheduler address of an existing cluster (``tcp://host:8786``); when
        omitted a ``LocalCluster`` is started on this machine and stopped on
        :meth:`close`.
    workers
        Workers of the local cluster (default: one per core).
    processes
        Whether local workers are processes (default) or threads of this one.
    client
        An existing ``distributed.Client`` to use instead (not closed here).
    timeout
        Seconds to wait for the scheduler.

    Raises
    ------
    DaskUnavailableError
        If ``dask.distributed`` is not installed or the scheduler cannot be reached.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        workers: int | None = None,
        processes: bool = True,
        client: Any = None,
        timeout: float = 30.0,
    ) -> None:
        distributed = _distributed()
        self._cluster: Any = None
        self._own_client = client is None
        if client is not None:
            self.client = client
        elif address is not None:
            try:
                self.client = distributed.Client(address, timeout=timeout)
            except OSError as exc:
                raise DaskUnavailableError(
                    f"cannot reach the Dask scheduler at {address!r}: {exc}"
                ) from None
        else:
            with _local_workers():
                self._cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=":0",
                )
            self.client = distributed.Client(self._cluster, timeout=timeout)
        self.address: str = address or str(self.client.scheduler.address)
        """The scheduler's address."""

    @property
    def workers(self) -> int:
        """Threads the cluster's workers run tasks on, in all (at least one)."""
        threads: dict[str, int] = self.client.nthreads()
        return max(1, sum(threads.values()))

    def _submit(self, fn: Callable[[T], R], items: Sequence[T]) -> list[Any]:
        remote_fn = self.client.scatter(fn, broadcast=True, hash=False)
        # items go to the cluster as data, not inside the task graph: a chunk of many
        # draws is megabytes, and a graph that large is slow to send and warned about
        remote_items = self.client.scatter(list(items), hash=False)
        return list(self.client.map(_call, [remote_fn] * len(items), remote_items, pure=False))

    def imap(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """``(index, fn(item))`` for every item, as each finishes on the cluster."""
        if not items:
            return
        distributed = _distributed()
        futures = self._submit(fn, items)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in distributed.as_completed(futures):
                yield index[fut.key], fut.result()
        finally:
            self.client.cancel(futures)

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        """``[fn(item) for item in items]`` computed on the cluster, in item order."""
        results: dict[int, R] = {}
        for i, value in self.imap(fn, items):
            results[i] = value
            if progress is not None:
                progress(len(results), len(items))
        return [results[i] for i in range(len(items))]

    def close(self) -> None:
        """Close the client (if this executor made it) and stop a local cluster."""
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["DaskExecutor", "DaskUnavailableError"]
