"""``detente sweep`` and ``detente runs``: exit codes, messages, outputs, the sweep report."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.cli.base import run
from sweep_fixtures import write_toy_sweep

runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI as the console script does (DetenteError -> exit 2)."""
    import sys
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    out, err = StringIO(), StringIO()
    argv = sys.argv
    sys.argv = ["detente", *args]
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = run(app)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    spec = write_toy_sweep(folder)
    store = folder / "runs.duckdb"
    code, out, err = cli("sweep", str(spec), "--store", str(store), "--json")
    assert code == 0, err
    return folder, spec, store, json.loads(out)


def test_sweep_writes_a_run_and_says_what_it_did(swept):
    *_, done = swept
    assert done["points"] == 24 and done["chunks_computed"] == done["chunks"]
    assert done["rows_written"] > 0 and not done["reused"] and done["executor"] == "serial"
    assert len(done["run_id"]) == 64


def test_asking_again_reuses_the_run(swept):
    _, spec, store, done = swept
    code, out, _ = cli("sweep", str(spec), "--store", str(store))
    assert code == 0
    assert f"run {done['run_id'][:12]} is already complete in {store}: its results are reused" in (
        " ".join(out.split())
    )


def test_runs_list_show_export_report_rm(swept):
    folder, _, store, done = swept
    short = done["run_id"][:12]
    code, out, _ = cli("runs", "list", "--store", str(store), "--json")
    assert code == 0 and json.loads(out)[0]["run_id"] == done["run_id"]
    code, out, _ = cli("runs", "show", short[:6], "--store", str(store), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["status"] == "complete" and shown["points"] == 24
    assert [r["definition"] for r in shown["ranges"]] == ["first_strike", "second_strike"]
    assert all(0 <= r["min"] <= r["median"] <= r["max"] <= 1 for r in shown["ranges"])
    code, out, _ = cli("runs", "show", short, "--store", str(store))
    assert code == 0 and "Each definition over the sweep" in out
    code, _, err = cli(
        "runs",
        "export",
        short,
        "--store",
        str(store),
        "--parquet",
        str(folder / "o.parquet"),
        "--csv",
        str(folder / "o.csv"),
    )
    assert code == 0, err
    assert len(pd.read_parquet(folder / "o.parquet")) == done["rows_written"]
    code, _, err = cli(
        "runs",
        "report",
        short,
        "--store",
        str(store),
        "--html",
        str(folder / "sweep.html"),
        "--plots",
        str(folder / "plots"),
    )
    assert code == 0, err
    page = (folder / "sweep.html").read_text()
    for anchor in (
        'id="sweep"',
        'id="def-first_strike"',
        'id="def-second_strike"',
        'id="reproduce"',
        'id="fig-first_strike-lines"',
        'id="fig-first_strike-heat"',
    ):
        assert anchor in page
    assert done["run_id"] in page
    pngs = sorted(p.name for p in (folder / "plots").iterdir())
    assert pngs == ["sweep-first_strike.png", "sweep-second_strike.png"]
    assert (folder / "plots" / "sweep-first_strike.png").read_bytes()[:4] == b"\x89PNG"
    code, _, err = cli("runs", "rm", short, "--store", str(store))
    assert code == 0 and f"removed run {short}" in err
    code, _, err = cli("runs", "show", short, "--store", str(store))
    assert code == 2 and "no run" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("sweep", "missing.yaml"), "missing.yaml: 1 problem(s)"),
        (
            ("sweep", "{spec}", "--executor", "serial", "--scheduler", "tcp://127.0.0.1:9"),
            "--scheduler names a Dask scheduler; it cannot be used with --executor serial",
        ),
        (("sweep", "{spec}", "--chunk-size", "0"), "--chunk-size must be at least 1"),
        (("sweep",), "give a sweep file"),
        (("runs", "list", "--store", "{folder}/none.duckdb"), "no results store at"),
        (("runs", "export", "abc", "--store", "{store}"), "give --parquet FILE and/or --csv FILE"),
        (("runs", "report", "abc", "--store", "{store}"), "give --html FILE and/or --plots"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(swept, args, words):
    folder, spec, store, _ = swept
    filled = [a.format(spec=spec, folder=folder, store=store) for a in args]
    code, _, err = cli(*filled)
    assert code == 2, err
    assert words in " ".join(err.split())
    assert "Traceback" not in err


def test_an_incomplete_run_needs_resume(tmp_path):
    from detente.analysis.sweep import iter_chunks
    from detente.io.changes import with_changes
    from detente.io.sweep_yaml import load_sweep
    from detente.store import ResultsStore, content_hash

    spec = write_toy_sweep(tmp_path)
    plan = load_sweep(spec, chunk_size=6)
    run_id = content_hash(plan)
    store = tmp_path / "s.duckdb"
    with ResultsStore(store) as st:
        st.create_run(run_id, plan, "serial", plan.spec.model_dump(mode="json"))
        st.write_chunk(run_id, next(iter_chunks(plan, chunks=[2], vary=with_changes)), 0.1)
    code, _, err = cli("sweep", str(spec), "--store", str(store), "--chunk-size", "6")
    assert code == 2
    assert re.search(
        r"incomplete \(1 of 4 chunks stored, status running\); run again with "
        r"--resume",
        " ".join(err.split()),
    )
    code, out, err = cli("sweep", str(spec), "--store", str(store), "--resume", "--json")
    assert code == 0, err
    done = json.loads(out)
    assert done["resumed"] and done["chunks_computed"] == 3


def test_sweep_schema_is_printed():
    code, out, _ = cli("sweep", "--schema")
    assert code == 0 and json.loads(out)["title"] == "detente sweep file"


def test_a_process_pool_run_from_the_command_stores_what_the_serial_run_stored(tmp_path):
    from detente.store import ResultsStore

    spec = write_toy_sweep(tmp_path)
    serial_store, store = tmp_path / "serial.duckdb", tmp_path / "pool.duckdb"
    code, out, err = cli("sweep", str(spec), "--store", str(serial_store), "--json")
    assert code == 0, err
    serial = json.loads(out)
    code, out, err = cli(
        "sweep", str(spec), "--store", str(store), "--executor", "process", "--workers", "2",
        "--chunk-size", "6",
    )  # fmt: skip
    assert code == 0, err
    said = " ".join(out.split())
    assert "of 4 chunks computed" in said and "(process(2))" in said
    # progress on stderr (not a terminal here): lines of chunks stored and rows so far
    lines = [ln for ln in err.splitlines() if "chunks stored" in ln]
    assert lines[0].endswith("0/4 chunks stored, 0 rows") and "4/4 chunks stored" in lines[-1]
    # the run id depends on neither the executor nor the chunk size, and nor do the numbers
    run_id = serial["run_id"]
    assert f"run {run_id[:12]} complete" in said
    with ResultsStore(serial_store, read_only=True) as a, ResultsStore(store, read_only=True) as b:
        want, got = a.outcomes(run_id), b.outcomes(run_id)
    keys = list(want.columns)
    pd.testing.assert_frame_equal(
        want.sort_values(keys).reset_index(drop=True), got.sort_values(keys).reset_index(drop=True)
    )


def test_progress_lines_give_an_eta_at_most_once_a_second(monkeypatch, capsys):
    from detente.cli import sweep as sweep_cli

    clock = iter([100.0, 100.0, 100.4, 102.0, 103.0])
    monkeypatch.setattr(sweep_cli.time, "monotonic", lambda: next(clock))
    log = sweep_cli._LineLog("toy")  # started at 100 s
    for done in (0, 1, 2, 4):  # at 100, 100.4 (too soon: not shown), 102, 103 s
        log.update(done, 4, done * 10)
    lines = [" ".join(ln.split()) for ln in capsys.readouterr().err.splitlines()]
    assert lines == [
        "sweep toy: 0/4 chunks stored, 0 rows",
        "sweep toy: 2/4 chunks stored, 20 rows, ETA 2 s",  # 2 chunks in 2 s, 2 to go
        "sweep toy: 4/4 chunks stored, 40 rows",
    ]
