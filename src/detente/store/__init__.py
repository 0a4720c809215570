"""Layer 3: the results store (DuckDB): sweep runs, their experiments and tidy outcomes.

>>> import detente.store
>>> store = detente.store.open("detente-results.duckdb")   # doctest: +SKIP
>>> store.runs()                                            # doctest: +SKIP
>>> store.outcomes(run_id)                                  # doctest: +SKIP

DuckDB is imported when a store is opened (the ``store`` extra).
"""

from __future__ import annotations

import os

from detente.store.results import (
    DEFAULT_STORE,
    ExportError,
    ResultsStore,
    RunInfo,
    StoreError,
)
from detente.store.runner import StoredSweep, run_into_store
from detente.store.schema import content_hash


def open(path: str | os.PathLike[str] = DEFAULT_STORE, *, read_only: bool = False) -> ResultsStore:
    """Open the results store at ``path`` (created if missing, unless ``read_only``).

    Parameters
    ----------
    path
        The DuckDB file (default ``detente-results.duckdb``).
    read_only
        Open for reading only, so other readers can share the file.

    Returns
    -------
    ResultsStore
        Use :meth:`~ResultsStore.runs`, :meth:`~ResultsStore.outcomes`,
        :meth:`~ResultsStore.experiments`; close it (or use ``with``) when done.
    """
    return ResultsStore(path, read_only=read_only)


__all__ = [
    "DEFAULT_STORE",
    "ExportError",
    "ResultsStore",
    "RunInfo",
    "StoreError",
    "StoredSweep",
    "content_hash",
    "open",
    "run_into_store",
]
