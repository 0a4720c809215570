"""Crash safety: a sweep killed with SIGKILL at random moments, then resumed, stores exactly
what an uninterrupted run stores: no row lost, none duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import detente.store
from detente.io.sweep_yaml import load_sweep
from detente.store import content_hash, run_into_store
from sweep_fixtures import TOY_SWEEP, canonical, write_toy_sweep

pytestmark = pytest.mark.slow

SWEEP = TOY_SWEEP.replace(
    "values: [0, 50, 100, 200]", "values: [0, 25, 50, 75, 100, 150, 200, 300]"
)
"""48 points: with one point per chunk, 48 transactions to land a kill between."""


def _cli(spec: Path, store: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "detente",
        "sweep",
        str(spec),
        "--store",
        str(store),
        "--chunk-size",
        "1",
        "--resume",
    ]


def _state(store: Path, run_id: str) -> tuple[int, int, int, int, int, str]:
    """Chunks, experiments, distinct experiments, outcome rows, rows chunks claim, status."""
    with detente.store.open(store, read_only=True) as st:
        con = st.con
        chunks, claimed = con.execute(
            "SELECT count(*), coalesce(sum(outcome_rows), 0) FROM chunks WHERE run_id = ?",
            [run_id],
        ).fetchone()
        experiments, distinct = con.execute(
            "SELECT count(*), count(DISTINCT experiment) FROM experiments WHERE run_id = ?",
            [run_id],
        ).fetchone()
        rows = con.execute("SELECT count(*) FROM outcomes WHERE run_id = ?", [run_id]).fetchone()
        status = st.run(run_id).status
    return int(chunks), int(experiments), int(distinct), int(rows[0]), int(claimed), status


def test_sigkill_at_random_moments_then_resume_equals_an_uninterrupted_run(tmp_path):
    spec = write_toy_sweep(tmp_path, SWEEP)
    plan = load_sweep(spec, chunk_size=1)
    run_id = content_hash(plan)
    reference = tmp_path / "reference.duckdb"
    run_into_store(plan, reference)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # how long the command runs after its first progress line on this machine, so that
    # the kills land inside the run whatever the machine's speed
    timed = subprocess.Popen(
        _cli(spec, tmp_path / "timed.duckdb"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert timed.stderr is not None
    timed.stderr.readline()
    started = time.perf_counter()
    timed.communicate(timeout=120)
    whole = time.perf_counter() - started

    store = tmp_path / "killed.duckdb"
    rng = np.random.default_rng(19890301)
    history = []
    for _ in range(4):
        proc = subprocess.Popen(
            _cli(spec, store), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert proc.stderr is not None
        # the first progress line says the run is under way: its chunks are being written
        first = proc.stderr.readline().decode()
        time.sleep(rng.uniform(0.15, 0.35) * whole)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        err = first + proc.stderr.read().decode()
        proc.stderr.close()
        assert killed or proc.returncode == 0, err
        chunks, experiments, distinct, rows, claimed, status = _state(store, run_id)
        # every stored chunk is whole: its experiments and outcome rows are all there, once
        assert experiments == distinct == chunks  # one point per chunk, no duplicates
        assert rows == claimed
        history.append((killed, chunks, status))
        if not killed:
            break
    kills = [h for h in history if h[0]]
    assert len(kills) >= 3, history
    partial = [c for k, c, _ in history if k and 0 < c < plan.n_chunks]
    assert len(partial) >= 2, history  # the kills landed mid-run, not before or after it
    # a run killed before its last chunk is left as it was, "running" (nothing tidied up);
    # on a busy machine a kill can land after the last chunk and the status, before exit
    assert all(status == "running" for k, c, status in history if k and c < plan.n_chunks)

    final = subprocess.run(_cli(spec, store), capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    chunks, experiments, distinct, rows, claimed, status = _state(store, run_id)
    assert (chunks, experiments, distinct, status) == (48, 48, 48, "complete")

    with (
        detente.store.open(store, read_only=True) as a,
        detente.store.open(reference, read_only=True) as b,
    ):
        resumed, uninterrupted = a.outcomes(run_id), b.outcomes(run_id)
        assert len(resumed) == len(uninterrupted) == rows == claimed
        pd.testing.assert_frame_equal(
            canonical(resumed), canonical(uninterrupted), check_exact=True
        )
        pd.testing.assert_frame_equal(a.experiments(run_id), b.experiments(run_id))
        dupes = a.con.execute(
            'SELECT count(*) FROM (SELECT experiment, definition, reading, "case", side, '
            "quantity, count(*) AS n FROM outcomes WHERE run_id = ? GROUP BY ALL HAVING n > 1)",
            [run_id],
        ).fetchone()
        assert dupes == (0,)
