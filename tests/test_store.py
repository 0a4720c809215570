"""The results store: chunks in transactions, reuse by content hash, resume, export, rm."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

import detente.store
from detente.analysis.sweep import iter_chunks, run_sweep
from detente.io.changes import with_changes
from detente.io.sweep_yaml import load_sweep
from detente.model.cases import AlertCase
from detente.store import StoreError, content_hash, run_into_store
from detente.store.frames import _own_case, headline_table
from detente.store.schema import identity
from sweep_fixtures import TOY_SWEEP, canonical, write_toy_sweep


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def plan(folder):
    return load_sweep(write_toy_sweep(folder), chunk_size=5)


@pytest.fixture(scope="module")
def reference(plan):
    """The sweep computed in memory, no store."""
    return run_sweep(plan, vary=with_changes)


@pytest.fixture(scope="module")
def stored(folder, plan):
    path = folder / "full.duckdb"
    result = run_into_store(plan, path)
    return path, result


def test_a_stored_run_holds_exactly_the_in_memory_results(stored, reference, plan):
    path, result = stored
    assert not result.reused and result.chunks_computed == plan.n_chunks == 5
    with detente.store.open(path, read_only=True) as st:
        out = st.outcomes(result.run_id)
        experiments = st.experiments(result.short_id)
        info = st.run(result.short_id)
    assert result.rows_written == len(out) == len(reference.outcomes)
    pd.testing.assert_frame_equal(canonical(out), canonical(reference.outcomes), check_exact=True)
    assert list(experiments.columns) == ["experiment", "point", "draw", "bmd", "sea", "posture"]
    assert experiments["experiment"].tolist() == list(range(24))
    assert experiments.iloc[5][["bmd", "sea", "posture"]].tolist() == [0, 0.6, "generated"]
    assert info.complete and info.status == "complete" and info.chunks_done == 5
    assert info.points == 24 and info.design == "grid" and info.executor == "serial"
    assert info.scenario["name"] == "toy_dyad"
    assert info.ended_at is not None and info.ended_at >= info.started_at


def test_the_same_sweep_again_reuses_the_run(stored, plan, folder):
    path, first = stored
    again = run_into_store(plan, path)
    assert again.reused and again.chunks_computed == 0 and again.run_id == first.run_id
    # a different name, label or chunk size is the same computation
    renamed = load_sweep(
        write_toy_sweep(folder, TOY_SWEEP.replace("name: toy_sweep", "name: other")),
        chunk_size=3,
    )
    assert content_hash(renamed) == first.run_id
    # a different value is another run
    changed = load_sweep(write_toy_sweep(folder, TOY_SWEEP.replace("200]", "300]")))
    assert content_hash(changed) != first.run_id
    write_toy_sweep(folder)  # restore the file for other tests


def test_identity_holds_the_resolved_scenario_and_code_version(plan):
    ident = identity(plan)
    assert ident["scenario"]["name"] == "toy_dyad"
    assert ident["code_version"] == detente.__version__
    assert "name" not in ident["spec"] and "chunk_size" not in ident["spec"]


def test_resume_computes_only_the_missing_chunks(folder, plan, stored):
    path = folder / "partial.duckdb"
    run_id = content_hash(plan)
    with detente.store.ResultsStore(path) as st:
        st.create_run(run_id, plan, "serial", plan.spec.model_dump(mode="json"))
        for result in iter_chunks(plan, chunks=[0, 3], vary=with_changes):
            st.write_chunk(run_id, result, 0.0)
    with pytest.raises(StoreError, match=r"incomplete \(2 of 5 chunks stored.*--resume"):
        run_into_store(plan, path)
    # a resumed run keeps the stored layout, even if asked for another chunk size
    other_layout = load_sweep(folder / "toy-sweep.yaml", chunk_size=7)
    done = run_into_store(other_layout, path, resume=True)
    assert done.resumed and done.chunks_computed == 3 and done.chunks == 5
    with (
        detente.store.open(path, read_only=True) as a,
        detente.store.open(stored[0], read_only=True) as b,
    ):
        pd.testing.assert_frame_equal(
            canonical(a.outcomes(run_id)), canonical(b.outcomes(run_id)), check_exact=True
        )
        assert a.run(run_id).complete


def test_a_chunk_is_never_stored_twice(folder, plan, stored):
    path, result = stored
    chunk = next(iter_chunks(plan, chunks=[1], vary=with_changes))
    with detente.store.ResultsStore(path) as st:
        before = st.con.execute("SELECT count(*) FROM outcomes").fetchone()
        with pytest.raises(StoreError, match=r"chunk 1 of run .* is already stored"):
            st.write_chunk(result.run_id, chunk, 0.0)
        after = st.con.execute("SELECT count(*) FROM outcomes").fetchone()
    assert before == after


def test_export_parquet_and_csv_with_lever_columns(folder, stored):
    path, result = stored
    with detente.store.open(path, read_only=True) as st:
        tidy = st.outcomes(result.run_id, with_inputs=True)
        pq = st.export(result.run_id, folder / "out" / "run.parquet", "parquet")
        csv = st.export(result.run_id, folder / "run.csv", "csv")
    from_parquet = pd.read_parquet(pq)
    from_csv = pd.read_csv(csv)
    assert list(from_parquet.columns) == [
        "experiment",
        "point",
        "draw",
        "bmd",
        "sea",
        "posture",
        "definition",
        "reading",
        "case",
        "side",
        "quantity",
        "value",
    ]
    assert len(from_parquet) == len(from_csv) == len(tidy)
    columns = list(from_parquet.columns)
    mine = tidy[columns].sort_values(columns[:-1]).reset_index(drop=True)
    theirs = from_parquet.sort_values(columns[:-1]).reset_index(drop=True)
    assert (mine["value"].to_numpy() == theirs["value"].to_numpy()).all()
    assert (mine["posture"].to_numpy() == theirs["posture"].to_numpy()).all()
    assert not list(folder.glob(".*.tmp")) and not list((folder / "out").glob(".*.tmp"))


def test_outcomes_filter(stored):
    path, result = stored
    with detente.store.open(path, read_only=True) as st:
        one = st.outcomes(
            result.run_id,
            definition="first_strike",
            reading="us",
            side="combined",
            quantity="value",
        )
    assert set(one["definition"]) == {"first_strike"} and set(one["reading"]) == {"us"}
    assert len(one) == 24 * 2  # every point, both response cases


def test_headline_table_reads_each_points_own_case_by_policy(stored):
    path, result = stored
    with detente.store.open(path, read_only=True) as st:
        table, label = headline_table(st, result.run_id, "first_strike")
        info = st.run(result.run_id)
        tidy = st.outcomes(result.run_id, with_inputs=True)
    assert label == "full reading, own alert levels, by policy"
    policy = tidy["case"].map(lambda c: not AlertCase.parse(c).ride_out)
    want = tidy[
        policy
        & (tidy["definition"] == "first_strike")
        & (tidy["reading"] == "full")
        & (tidy["side"] == "combined")
        & (tidy["quantity"] == "value")
    ]
    assert len(table) == 24 and len(want) == 24
    by_point = want.groupby("point")["value"].mean()
    assert table.set_index("point")["value"].to_dict() == by_point.to_dict()
    own = AlertCase.parse(_own_case(info.scenario))
    assert own.levels == tuple(
        (s["posture"]["actor"], s["posture"]["alert"]) for s in info.scenario["sides"]
    )
    assert not own.ride_out


def test_remove_deletes_every_row(folder, plan):
    path = folder / "rm.duckdb"
    result = run_into_store(plan, path)
    with detente.store.open(path) as st:
        removed = st.remove(result.short_id)
        assert removed.run_id == result.run_id
        for table in ("runs", "chunks", "experiments", "outcomes"):
            assert st.con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        with pytest.raises(StoreError, match="no run"):
            st.run(result.short_id)


def test_store_errors_are_plain(folder):
    with pytest.raises(StoreError, match="no results store at"):
        detente.store.open(folder / "missing.duckdb", read_only=True)
    other = folder / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(StoreError, match="not a detente results store"):
        detente.store.open(other, read_only=True)
    text = folder / "text.duckdb"
    text.write_text("hello")
    with pytest.raises(StoreError, match="not a DuckDB results store"):
        detente.store.open(text)
    with pytest.raises(StoreError, match="is not a file"):
        detente.store.open(folder)


def test_ambiguous_or_unknown_ids_list_the_runs(stored):
    path, result = stored
    with detente.store.open(path, read_only=True) as st:
        with pytest.raises(StoreError, match=f"runs: {result.short_id}"):
            st.run("zzz")
        assert st.run(result.run_id[:4]).run_id == result.run_id


def test_a_store_in_use_by_another_process_is_a_clear_error(folder, stored):
    path, _ = stored
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match="in use by another process"):
            detente.store.open(path)
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()


def test_runs_frame_lists_progress(stored):
    path, result = stored
    with detente.store.open(path, read_only=True) as st:
        runs = st.runs()
    row = runs[runs["run_id"] == result.run_id].iloc[0]
    assert (row["status"], row["chunks_done"], row["chunks"]) == ("complete", 5, 5)
    assert json.loads(json.dumps(int(row["points"]))) == 24
