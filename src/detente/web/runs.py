"""Stored sweep runs, read from the results store ``detente serve --store`` names.

``detente sweep SPEC --store PATH`` writes runs; the dashboard lists them and
shows each one's values over its levers (the figures of ``detente runs report``,
from :mod:`detente.report.sweep` and :mod:`detente.viz.sweep`; nothing here runs
the engine). The store is opened read-only for each request and closed at once:
DuckDB lets one process write a file at a time, so a server that held it open
would stop ``detente sweep`` from adding runs while the dashboard is up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from detente.errors import DetenteError


class StoreUnavailable(DetenteError):
    """The store cannot be read now (another process is writing it, or it is not a store)."""


class RunNotFound(DetenteError):
    """No run, or more than one, has the id asked for."""


def _time(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


class StoreAccess:
    """The results store at ``path``, opened read-only for each question.

    Creating it opens the store once for writing, which creates a missing store
    and refuses a file that is not one. A sweep job of this server writes it
    through :meth:`writing`; while it does, questions are answered "being
    written" at once rather than kept waiting (DuckDB does not let one process
    hold a file open for reading and for writing at the same time).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import detente.store

        self.path = Path(path)
        self._state = threading.Condition()
        self._readers = 0
        self._writing = False
        with detente.store.open(self.path):
            pass

    @contextmanager
    def writing(self) -> Iterator[Path]:
        """Hold the store for writing (one job at a time, once the questions being
        answered are done); yields its path."""
        with self._state:
            if self._writing or not self._state.wait_for(lambda: not self._readers, timeout=30):
                raise StoreUnavailable(
                    f"the results store {self.path.name} is being written by another job of "
                    "this server; submit again when it has finished"
                )
            self._writing = True
        try:
            yield self.path
        finally:
            with self._state:
                self._writing = False
                self._state.notify_all()

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._state:
            if self._writing:
                raise StoreUnavailable(
                    f"the results store {self.path.name} is being written by a sweep job of "
                    "this server; ask again when it has finished"
                )
            self._readers += 1
        try:
            with self._open_read_only() as store:
                yield store
        finally:
            with self._state:
                self._readers -= 1
                self._state.notify_all()

    @contextmanager
    def _open_read_only(self) -> Iterator[Any]:
        import detente.store

        try:
            store = detente.store.open(self.path, read_only=True)
        except detente.store.StoreError as exc:
            raise StoreUnavailable(str(exc)) from None
        with store:
            yield store

    def runs(self) -> list[dict[str, Any]]:
        """Every stored run, oldest first: id, name, status, sizes, times."""
        with self._reading() as store:
            frame = store.runs()
            out = []
            for row in frame.itertuples(index=False):
                info = store.find(row.run_id)
                out.append(
                    {
                        "id": str(row.run_id),
                        "short_id": info.short_id,
                        "name": str(row.name),
                        "label": info.label,
                        "status": str(row.status),
                        "complete": info.complete,
                        "chunks_done": int(row.chunks_done),
                        "chunks": int(row.chunks),
                        "points": int(row.points),
                        "experiments": int(row.experiments),
                        "design": str(row.design),
                        "started_at": _time(row.started_at),
                        "ended_at": _time(row.ended_at),
                    }
                )
            return out

    def run(self, run_id: str) -> dict[str, Any]:
        """One run (its id or a unique start of it): what it is, and per definition kept
        its value at every point with the figure of ``detente runs report``."""
        import detente.store
        from detente.report.sweep import collect_sweep
        from detente.stability import LABELS
        from detente.viz.sweep import lines_figure

        with self._reading() as store:
            try:
                data = collect_sweep(store, run_id)
            except detente.store.StoreError as exc:
                raise RunNotFound(str(exc)) from None
        info = data.info
        names = [lv["name"] for lv in data.levers]
        definitions = []
        for definition, (frame, series) in data.tables.items():
            title = f"{LABELS.get(definition, definition)} ({series})"
            fig = lines_figure(frame, data.levers, title)
            fig.update_layout(autosize=True)
            values = frame["value"].to_numpy()
            definitions.append(
                {
                    "definition": definition,
                    "label": LABELS.get(definition, definition),
                    "series": series,
                    "points": [
                        {"levers": {n: _plain(r[n]) for n in names}, "value": float(r["value"])}
                        for _, r in frame.iterrows()
                    ],
                    "low": float(values.min()),
                    "high": float(values.max()),
                    "figure": json.loads(fig.to_json()),
                }
            )
        return {
            "id": info.run_id,
            "short_id": info.short_id,
            "name": info.name,
            "label": info.label,
            "question": info.question,
            "scenario": str(info.scenario.get("label") or info.scenario.get("name") or ""),
            "design": info.design,
            "points": info.points,
            "experiments": info.experiments,
            "status": info.status,
            "complete": info.complete,
            "chunks_done": info.chunks_done,
            "chunks": info.chunks,
            "seed": info.seed,
            "code_version": info.code_version,
            "levers": [
                {"name": lv["name"], "label": lv.get("label") or lv["name"], "kind": lv["kind"]}
                for lv in data.levers
            ],
            "definitions": definitions,
        }


def _plain(value: Any) -> Any:
    """A lever value as JSON has it (numpy scalars to Python numbers)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


__all__ = ["RunNotFound", "StoreAccess", "StoreUnavailable"]
