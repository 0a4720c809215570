"""Tables of the results store (DuckDB), and the content hash that names a run.

``runs``
    one row per sweep: its id (the content hash), name, the spec and the
    resolved base scenario as JSON, the code version, seed, design, executor,
    sizes, start and end, status (``running``, ``complete``, ``failed``,
    ``interrupted``);
``chunks``
    one row per chunk written, in the same transaction as the chunk's rows: a
    chunk is in the store completely or not at all, and resuming computes the
    chunks that have no row here;
``experiments``
    one row per point and draw: point, draw, chunk, and its inputs as JSON
    (``{"lever": value, ...}`` plus the draw's parameters);
``outcomes``
    tidy: experiment, definition, reading, case, side, quantity, value (the
    shape of :mod:`detente.analysis.sweep_tidy`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from detente import __version__
from detente.analysis.sweep import Sampler, SweepPlan

STORE_FORMAT = 1
"""Version of the table layout; part of every run's content hash."""

DDL = (
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        label VARCHAR,
        question VARCHAR,
        spec VARCHAR NOT NULL,
        scenario VARCHAR NOT NULL,
        code_version VARCHAR NOT NULL,
        seed BIGINT NOT NULL,
        design VARCHAR NOT NULL,
        levers VARCHAR NOT NULL,
        executor VARCHAR,
        points BIGINT NOT NULL,
        experiments BIGINT NOT NULL,
        chunks INTEGER NOT NULL,
        chunk_points INTEGER NOT NULL,
        started_at TIMESTAMP NOT NULL,
        ended_at TIMESTAMP,
        status VARCHAR NOT NULL,
        message VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS chunks (
        run_id VARCHAR NOT NULL,
        chunk INTEGER NOT NULL,
        experiments INTEGER NOT NULL,
        outcome_rows BIGINT NOT NULL,
        seconds DOUBLE NOT NULL,
        written_at TIMESTAMP NOT NULL,
        PRIMARY KEY (run_id, chunk)
    )""",
    """CREATE TABLE IF NOT EXISTS experiments (
        run_id VARCHAR NOT NULL,
        experiment BIGINT NOT NULL,
        point BIGINT NOT NULL,
        draw INTEGER NOT NULL,
        chunk INTEGER NOT NULL,
        inputs VARCHAR NOT NULL,
        PRIMARY KEY (run_id, experiment)
    )""",
    """CREATE TABLE IF NOT EXISTS outcomes (
        run_id VARCHAR NOT NULL,
        experiment BIGINT NOT NULL,
        definition VARCHAR NOT NULL,
        reading VARCHAR NOT NULL,
        "case" VARCHAR NOT NULL,
        side VARCHAR NOT NULL,
        quantity VARCHAR NOT NULL,
        value DOUBLE
    )""",
)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def identity(plan: SweepPlan, sampler: Sampler | None = None) -> dict[str, Any]:
    """What a run computes, as plain data: the resolved scenario and the spec's substance.

    The spec's name, label, question, chunk size and the way its scenario was
    named are left out (they do not change a number); the code version and the
    store format are in, so that results of another version are not reused.
    """
    spec = plan.spec.model_dump(
        mode="json", exclude={"name", "label", "question", "chunk_size", "scenario"}
    )
    return {
        "format": STORE_FORMAT,
        "code_version": __version__,
        "scenario": plan.scenario.model_dump(mode="json"),
        "spec": spec,
        "sampler": None
        if sampler is None
        else f"{getattr(sampler, '__module__', '?')}.{getattr(sampler, '__qualname__', '?')}",
    }


def content_hash(plan: SweepPlan, sampler: Sampler | None = None) -> str:
    """The run id: SHA-256 of :func:`identity` written as canonical JSON (hex)."""
    return hashlib.sha256(_canonical(identity(plan, sampler)).encode()).hexdigest()


__all__ = ["DDL", "STORE_FORMAT", "content_hash", "identity"]
