"""The same sweep on serial, process pool and a Dask LocalCluster stores the same outcomes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import detente.store
from detente.analysis.executors import ProcessExecutor, SerialExecutor
from detente.io.sweep_yaml import load_sweep
from detente.store import run_into_store
from sweep_fixtures import canonical, write_toy_sweep


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    return load_sweep(write_toy_sweep(folder), chunk_size=4)


def _stored(path, run_id):
    with detente.store.open(path, read_only=True) as st:
        return canonical(st.outcomes(run_id)), st.experiments(run_id), st.run(run_id).executor


@pytest.mark.slow
def test_serial_process_and_dask_store_the_same_outcomes(plan, tmp_path):
    from distributed import LocalCluster

    from detente.scale import DaskExecutor

    serial = run_into_store(plan, tmp_path / "serial.duckdb", executor=SerialExecutor())
    with ProcessExecutor(2) as pool:
        process = run_into_store(
            plan, tmp_path / "process.duckdb", executor=pool, executor_name="process(2)"
        )
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        DaskExecutor(cluster.scheduler_address, timeout=60) as dask,
    ):
        on_dask = run_into_store(
            plan, tmp_path / "dask.duckdb", executor=dask, executor_name="dask(local, 2)"
        )
        assert len(dask.client.scheduler_info()["workers"]) == 2
    assert serial.run_id == process.run_id == on_dask.run_id  # the executor is not identity
    ref_out, ref_exp, _ = _stored(tmp_path / "serial.duckdb", serial.run_id)
    for path, name in (("process.duckdb", "process(2)"), ("dask.duckdb", "dask(local, 2)")):
        out, exp, executor = _stored(tmp_path / path, serial.run_id)
        assert executor == name
        pd.testing.assert_frame_equal(out, ref_out, check_exact=True)
        pd.testing.assert_frame_equal(exp, ref_exp, check_exact=True)


def test_dask_executor_maps_in_item_order_on_threads():
    from detente.scale import DaskExecutor

    with DaskExecutor(workers=2, processes=False) as ex:
        assert ex.workers == 2
        assert ex.map(abs, [-3, 1, -2]) == [3, 1, 2]
        seen: list[tuple[int, int]] = []
        assert ex.map(abs, [-1, -2], progress=lambda d, n: seen.append((d, n))) == [1, 2]
        assert seen[-1] == (2, 2)
        assert sorted(ex.imap(abs, [-5, 6])) == [(0, 5), (1, 6)]
        assert list(ex.imap(abs, [])) == []


def _malloc_env() -> dict[str, str | None]:
    import os

    names = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_")
    return {name: os.environ.get(name) for name in names}


def _profiling() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def _memory_managed() -> bool:
    import dask

    return any(
        dask.config.get(f"distributed.worker.memory.{k}")
        for k in ("target", "spill", "pause", "terminate")
    )


def test_local_workers_start_with_the_allocator_settings_that_keep_chunks_fast(monkeypatch):
    from detente.scale import DaskExecutor

    # what Dask's own default, or a cluster started earlier in this process, leaves behind
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    with DaskExecutor(workers=1) as ex:
        assert ex.workers == 1
        (env,) = ex.client.run(_malloc_env).values()
        (profiling,) = ex.client.run(_profiling).values()
        (managed,) = ex.client.run(_memory_managed).values()
    assert not profiling and not managed
    assert env == {
        "MALLOC_TRIM_THRESHOLD_": None,
        "MALLOC_ARENA_MAX": "1",
        "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
    }
    assert _malloc_env() == {
        "MALLOC_TRIM_THRESHOLD_": "65536",
        "MALLOC_ARENA_MAX": None,
        "MALLOC_MMAP_THRESHOLD_": None,
    }


def test_an_unreachable_scheduler_is_a_clear_error():
    from detente.scale import DaskExecutor, DaskUnavailableError

    with pytest.raises(DaskUnavailableError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=2)


def test_detente_imports_without_dask():
    code = textwrap.dedent(
        """
        import sys
        for name in ("dask", "distributed"):
            sys.modules[name] = None  # as if not installed
        import detente.scale, detente.store, detente.analysis.sweep, detente.cli
        from detente.scale import DaskExecutor, DaskUnavailableError
        try:
            DaskExecutor()
        except DaskUnavailableError as exc:
            print(exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "the Dask executor needs dask.distributed: pip install 'detente[dask]'" in out.stdout
