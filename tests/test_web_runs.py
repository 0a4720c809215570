"""Stored sweep runs on the dashboard: listed and shown from the results store, read-only."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

import detente.store
from detente.analysis.assess import assess
from detente.cli.serve import ServeError, open_store
from detente.io import load_scenario, with_changes
from detente.io.sweep_yaml import load_sweep
from detente.store import run_into_store
from detente.web.app import create_app
from detente.web.runs import StoreAccess
from sweep_fixtures import write_toy_sweep


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    plan = load_sweep(write_toy_sweep(folder), chunk_size=5)
    path = folder / "results.duckdb"
    return folder, path, run_into_store(plan, path)


@pytest.fixture(scope="module")
def client(stored):
    _, path, _ = stored
    with TestClient(create_app(store=StoreAccess(path))) as c:
        yield c


def test_runs_are_listed_from_the_store(client, stored):
    _, _, run = stored
    listed = client.get("/api/runs").json()
    assert [r["id"] for r in listed] == [run.run_id]
    assert listed[0]["short_id"] == run.short_id
    assert (listed[0]["points"], listed[0]["chunks_done"], listed[0]["chunks"]) == (24, 5, 5)
    assert listed[0]["complete"] is True
    assert client.get("/api/meta").json()["store"] is True


def test_a_run_shows_the_value_the_scenario_has_at_each_point(client, stored):
    folder, _, run = stored
    shown = client.get(f"/api/runs/{run.short_id}").json()
    assert shown["id"] == run.run_id
    assert [lv["name"] for lv in shown["levers"]] == ["bmd", "sea", "posture"]
    fs = next(d for d in shown["definitions"] if d["definition"] == "first_strike")
    assert len(fs["points"]) == 24
    assert fs["figure"]["data"]
    # two points computed again here, without the store, from the scenario and the levers
    toy = load_scenario(folder / "toy.yaml")
    for bmd, sea in ((0, 0.2), (200, 0.6)):
        point = next(
            p for p in fs["points"] if p["levers"] == {"bmd": bmd, "sea": sea, "posture": "as_is"}
        )
        changed = with_changes(
            toy,
            {
                "sides[a].defenses[area_bmd].interceptors": bmd,
                "sides[b].systems[slbm].alert.day_to_day": sea,
            },
        )
        direct = assess(changed).value("first_strike", "full").value
        assert point["value"] == pytest.approx(direct, rel=1e-12)
    assert fs["low"] == min(p["value"] for p in fs["points"])


def test_unknown_run_and_no_store_are_clear_404s(client):
    missing = client.get("/api/runs/ffffffff")
    assert missing.status_code == 404
    assert "no run 'ffffffff'" in missing.json()["detail"]
    with TestClient(create_app()) as bare:
        for url in ("/api/runs", "/api/runs/abc"):
            response = bare.get(url)
            assert response.status_code == 404
            assert "--store" in response.json()["detail"]


def test_a_store_another_process_is_writing_is_a_409(client, stored):
    _, path, _ = stored
    # another process holds the write lock, as detente sweep does while it runs
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.readline()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        busy = client.get("/api/runs")
    finally:
        holder.communicate("\n", timeout=30)
    assert busy.status_code == 409
    assert "in use by another process" in busy.json()["detail"]
    assert client.get("/api/runs").status_code == 200  # and readable again once it is done
    with detente.store.open(path) as store:  # the dashboard left no lock behind
        assert len(store.runs()) == 1


def test_serve_creates_a_missing_store_and_refuses_a_file_that_is_not_one(tmp_path):
    access = open_store(tmp_path / "new" / "r.duckdb")
    assert (tmp_path / "new" / "r.duckdb").is_file()
    assert access.runs() == []
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n", encoding="utf-8")
    with pytest.raises(ServeError, match="cannot open the results store"):
        open_store(other)
    assert other.read_text(encoding="utf-8") == "not a database\n"
