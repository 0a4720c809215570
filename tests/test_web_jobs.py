"""Background jobs: one registration per kind, checked before queueing, polled to the end."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from detente.analysis.assess import assess
from detente.analysis.explore import explore
from detente.errors import InvalidArgumentError
from detente.examples import geneva_2021
from detente.web.app import Settings, create_app
from detente.web.jobs import JobKind, Prepared, registered_kinds
from detente.web.levers import Levers, apply_levers

BASELINE = {"kind": "builtin", "name": "geneva-2021"}


def _wait(client, job_id, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_lever_line_runs_on_the_evaluate_seam_and_meets_assess_at_one():
    values = [0.5, 1.0, 2.0]
    with TestClient(create_app()) as c:
        submitted = c.post(
            "/api/jobs/lever-line",
            json={"source": BASELINE, "parameter": "us.interceptors", "values": values},
        )
        assert submitted.status_code == 202
        job = _wait(c, submitted.json()["id"])
        listed = c.get("/api/jobs").json()
    assert job["status"] == "done", job
    assert (job["done"], job["total"]) == (3, 3)
    result = job["result"]
    assert result["values"] == values
    assert result["case"] == "us:day_to_day/ru:day_to_day"
    direct = assess(geneva_2021())
    for line in result["lines"]:
        # the experiment at multiplier 1 is the scenario as written
        assert line["value"][1] == pytest.approx(
            direct.value("first_strike", line["perspective"]).value, rel=1e-12
        )
        assert set(line["components"]) == {"us", "ru"}
    assert [t["name"] for t in result["figure"]["data"]] == ["full", "us", "ru"]
    assert listed[0]["id"] == job["id"] and listed[0]["result"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parameter": "us.interceptor"}, "did you mean 'us.interceptors'"),
        ({"parameter": "fr.cep"}, "unknown parameter"),
        ({"values": [1.0, 0.0]}, "values.1"),
        ({"values": [1.0, 5000.0]}, "at most 1000"),
        ({"definition": "first_strik"}, "did you mean 'first_strike'"),
        ({"pair": ["us", "cn"]}, "pair"),
        ({"source": {"kind": "example", "name": "nope"}}, "unknown example"),
    ],
)
def test_a_bad_job_is_refused_before_it_is_queued(change, message):
    body = {"source": BASELINE, "parameter": "us.interceptors", "values": [1.0, 2.0], **change}
    with TestClient(create_app()) as c:
        response = c.post("/api/jobs/lever-line", json=body)
        assert c.get("/api/jobs").json() == []
    assert response.status_code == 422
    assert message in response.json()["detail"]


# --- explore: uncertainty on the evaluate seam ------------------------------------------------


def _explore(body):
    with TestClient(create_app()) as c:
        submitted = c.post("/api/jobs/explore", json=body)
        assert submitted.status_code == 202, submitted.json()
        return _wait(c, submitted.json()["id"])


def test_explore_is_the_librarys_exploration_with_progress_and_a_figure():
    job = _explore({"source": BASELINE, "draws": 16, "seed": 7})
    assert job["status"] == "done", job
    assert (job["done"], job["total"]) == (16, 16)
    result = job["result"]
    direct = explore(geneva_2021(), 16, seed=7).to_dict()
    assert (result["draws"], result["seed"], result["method"]) == (16, 7, "lhs")
    assert result["parameters"] == direct["parameters"]
    key = lambda i: (i["definition"], i["perspective"], i["case"])  # noqa: E731
    mine = {key(i): i for i in result["intervals"]}
    assert set(mine) == {key(i) for i in direct["intervals"]}
    for i in direct["intervals"]:
        for field in ("baseline", "median", "p05", "p95", "verdicts"):
            assert mine[key(i)][field] == i[field], (key(i), field)
    # the shipped value is the assessment's own, computed without any draws
    shipped = assess(geneva_2021())
    for (name, persp, case), interval in mine.items():
        if name == "first_strike" and case == "us:day_to_day/ru:day_to_day":
            assert interval["baseline"] == pytest.approx(
                shipped.value(name, persp).value, rel=1e-12
            )
    fs = [i for i in result["intervals"] if i["definition"] == "first_strike"]
    assert fs and all(i["drivers"] for i in fs if i["p95"] > i["p05"])
    bars = result["figure"]["data"][0]
    assert len(bars["y"]) == len(result["intervals"])


def _by_case(intervals, field):
    return {(i["definition"], i["perspective"], i["case"]): i[field] for i in intervals}


def test_explore_uses_the_levers_set():
    levers = {"sides": {"us": {"missile_defense_interceptors": 2000}}}
    result = _explore({"source": BASELINE, "levers": levers, "draws": 8})["result"]
    changed = apply_levers(geneva_2021(), Levers.model_validate(levers))
    direct = explore(changed, 8).to_dict()["intervals"]
    plain = explore(geneva_2021(), 8).to_dict()["intervals"]
    for field in ("baseline", "median", "p05", "p95"):
        assert _by_case(result["intervals"], field) == _by_case(direct, field)
    assert _by_case(direct, "baseline") != _by_case(plain, "baseline")


def test_explore_uses_the_seed_and_the_method():
    one = _explore({"source": BASELINE, "draws": 8, "seed": 1})["result"]
    two = _explore({"source": BASELINE, "draws": 8, "seed": 2})["result"]
    assert _by_case(one["intervals"], "median") != _by_case(two["intervals"], "median")
    sobol = _explore({"source": BASELINE, "draws": 8, "seed": 1, "method": "sobol"})["result"]
    direct = explore(geneva_2021(), 8, seed=1, method="sobol").to_dict()["intervals"]
    assert sobol["method"] == "sobol"
    assert _by_case(sobol["intervals"], "median") == _by_case(direct, "median")
    assert _by_case(sobol["intervals"], "median") != _by_case(one["intervals"], "median")


def test_explore_draws_what_a_posted_scenarios_uncertainties_say():
    text = (
        "name: u\n"
        "sides:\n  - posture: us-2021\n  - posture: ru-2021\n"
        "uncertainties:\n"
        "  - name: ru.systems[ru_yars_mobile].cep_m\n"
        "    low: 120\n"
        "    high: 180\n"
    )
    result = _explore({"source": {"kind": "yaml", "text": text}, "draws": 4})["result"]
    drawn = {p["name"]: p for p in result["parameters"]}
    assert (
        drawn["ru.systems[ru_yars_mobile].cep_m"]["low"],
        drawn["ru.systems[ru_yars_mobile].cep_m"]["high"],
    ) == (120.0, 180.0)
    shipped = {
        p["name"]: p for p in _explore({"source": BASELINE, "draws": 2})["result"]["parameters"]
    }
    assert (
        shipped["ru.systems[ru_yars_mobile].cep_m"]["low"],
        shipped["ru.systems[ru_yars_mobile].cep_m"]["high"],
    ) == (100.0, 300.0)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ({"draws": 12, "method": "sobol"}, "detail", "nearest: 8 or 16"),
        ({"draws": 10_001}, "body.draws", "10000"),
        ({"draws": 1}, "body.draws", "2"),
        ({"seed": -1}, "body.seed", "0"),
        ({"method": "random"}, "body.method", "lhs"),
        ({"source": {"kind": "builtin", "name": "geneva-2012"}}, "detail", "geneva-2021"),
    ],
)
def test_a_bad_explore_is_refused_before_it_is_queued(change, where, message):
    with TestClient(create_app()) as c:
        response = c.post("/api/jobs/explore", json={"source": BASELINE, **change})
        assert c.get("/api/jobs").json() == []
    assert response.status_code == 422
    body = response.json()
    if where == "detail":
        assert message in body["detail"], body
    else:
        problem = next(p for p in body["problems"] if p["path"] == where)
        assert message in problem["message"], body


def test_too_many_values_is_a_schema_error():
    body = {"source": BASELINE, "parameter": "us.interceptors", "values": [1.0] * 102}
    with TestClient(create_app()) as c:
        response = c.post("/api/jobs/lever-line", json=body)
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "body.values"


class Hold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    steps: int = 3
    fail: str = ""


def _holding_kind(gate: threading.Event) -> JobKind:
    """A job that waits for ``gate`` at every step, so tests control when it moves."""

    def prepare(request: Hold, store: object) -> Prepared:
        if request.steps < 1:
            raise InvalidArgumentError("steps: at least 1")

        def work(context):
            for i in range(request.steps):
                assert gate.wait(30)
                context.progress(i + 1, request.steps)
            if request.fail == "detente":
                raise InvalidArgumentError("the model refused this")
            if request.fail == "bug":
                raise ZeroDivisionError
            return {"steps": request.steps, "store": context.store}

        return Prepared(size=request.steps, work=work)

    return JobKind(
        name="hold",
        title="Hold",
        description="test kind",
        request=Hold,
        prepare=prepare,
        max_size=10,
        example={"steps": 2},
    )


def test_one_registration_adds_an_endpoint_to_the_api_and_the_page():
    kind = _holding_kind(threading.Event())
    app = create_app(kinds=[*registered_kinds(), kind])
    with TestClient(app) as c:
        spec = c.get("/api/openapi.json").json()
        names = [k["name"] for k in c.get("/api/job-kinds").json()]
    assert names == ["lever-line", "explore", "negotiate", "sweep", "hold"]
    assert "/api/jobs/hold" in spec["paths"]
    schema = spec["paths"]["/api/jobs/hold"]["post"]["requestBody"]["content"]["application/json"]
    assert schema["schema"]["$ref"].endswith("/Hold")


def test_progress_queue_limit_cancel_and_failures():
    gate = threading.Event()
    app = create_app(
        kinds=[_holding_kind(gate)],
        settings=Settings(max_queued_jobs=2, job_workers=1),
        store="the-store",
    )
    with TestClient(app) as c:
        first = c.post("/api/jobs/hold", json={"steps": 2}).json()
        second = c.post("/api/jobs/hold", json={"steps": 1}).json()
        third = c.post("/api/jobs/hold", json={"steps": 1})
        assert third.status_code == 429
        assert "2 jobs are queued or running" in third.json()["detail"]
        # the second is still queued behind the first: cancel it
        cancelled = c.delete(f"/api/jobs/{second['id']}").json()
        assert cancelled["status"] == "cancelled"
        gate.set()
        done = _wait(c, first["id"])
        assert done["status"] == "done"
        assert done["result"] == {"steps": 2, "store": "the-store"}
        assert (done["done"], done["total"]) == (2, 2)
        assert _wait(c, second["id"])["status"] == "cancelled"
        failed = _wait(c, c.post("/api/jobs/hold", json={"fail": "detente"}).json()["id"])
        assert (failed["status"], failed["error"]) == ("failed", "the model refused this")
        bug = _wait(c, c.post("/api/jobs/hold", json={"fail": "bug"}).json()["id"])
        assert bug["status"] == "failed"
        assert bug["error"] == "internal error (ZeroDivisionError)"
        assert c.get("/api/health").status_code == 200
        too_big = c.post("/api/jobs/hold", json={"steps": 11})
        assert too_big.status_code == 422
        assert "at most 10" in too_big.json()["detail"]
        refused = c.post("/api/jobs/hold", json={"steps": 0})
        assert refused.status_code == 422
        assert c.get("/api/jobs/nope").status_code == 404
        assert c.delete("/api/jobs/nope").status_code == 404


def test_a_running_job_stops_at_its_next_progress_report():
    gate = threading.Event()
    app = create_app(kinds=[_holding_kind(gate)])
    with TestClient(app) as c:
        job = c.post("/api/jobs/hold", json={"steps": 5}).json()
        deadline = time.monotonic() + 10
        while c.get(f"/api/jobs/{job['id']}").json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert c.delete(f"/api/jobs/{job['id']}").json()["status"] == "running"
        gate.set()
        ended = _wait(c, job["id"])
    assert ended["status"] == "cancelled"
    assert ended["done"] < 5


def test_finished_jobs_are_forgotten_oldest_first():
    gate = threading.Event()
    gate.set()
    app = create_app(kinds=[_holding_kind(gate)], settings=Settings(max_kept_jobs=3))
    with TestClient(app) as c:
        ids = []
        for _ in range(5):
            ids.append(c.post("/api/jobs/hold", json={"steps": 1}).json()["id"])
            _wait(c, ids[-1])
        kept = [j["id"] for j in c.get("/api/jobs").json()]
    assert len(kept) <= 4
    assert ids[-1] in kept and ids[0] not in kept


def _negotiation(**search):
    from detente.web.jobs.negotiate import NEGOTIATION

    return {**NEGOTIATION, "search": {**NEGOTIATION["search"], **search}}


def test_negotiate_job_gives_the_front_the_library_gives():
    from detente.negotiation.result import negotiate
    from detente.web.jobs.negotiate import spec_of

    negotiation = _negotiation(population=6, generations=2, seed=3)
    with TestClient(create_app()) as c:
        submitted = c.post(
            "/api/jobs/negotiate", json={"source": BASELINE, "negotiation": negotiation}
        )
        assert submitted.status_code == 202, submitted.json()
        job = _wait(c, submitted.json()["id"])
    assert job["status"] == "done", job
    assert (job["done"], job["total"]) == (2, 2)  # one progress step per generation
    result = job["result"]
    direct = negotiate(spec_of(geneva_2021(), negotiation)).to_dict()
    assert result["front"] == direct["front"] and result["front"]
    assert result["nash"] == direct["nash"]
    assert result["figure"]["data"]


@pytest.mark.parametrize(
    ("negotiation", "status", "words"),
    [
        ({**_negotiation(), "scenario": "/etc/passwd"}, 422, "negotiation.scenario"),
        (
            {**_negotiation(), "levers": [{"kind": "warp_drives", "min": 0, "max": 1}]},
            422,
            "negotiation.levers.0",
        ),
        (_negotiation(population=100, generations=100), 422, "at most 1,200"),
    ],
)
def test_negotiate_job_refuses_a_path_a_bad_field_and_an_oversized_search(
    negotiation, status, words
):
    with TestClient(create_app()) as c:
        r = c.post("/api/jobs/negotiate", json={"source": BASELINE, "negotiation": negotiation})
    assert r.status_code == status, r.json()
    assert words in r.json()["detail"], r.json()


# --- sweeps -------------------------------------------------------------------------------


def _sweep(**change):
    from detente.web.jobs.sweep import SWEEP

    return {**SWEEP, **change}


def _point(result, definition, **levers):
    d = next(d for d in result["definitions"] if d["definition"] == definition)
    return next(p["value"] for p in d["points"] if p["levers"] == levers)


def test_a_sweep_job_stores_its_run_where_detente_sweep_would_and_reuses_it(tmp_path):
    from detente.io import with_changes
    from detente.web.runs import StoreAccess

    store = StoreAccess(tmp_path / "results.duckdb")
    body = {"source": BASELINE, "sweep": _sweep()}
    with TestClient(create_app(store=store)) as c:
        job = _wait(c, c.post("/api/jobs/sweep", json=body).json()["id"])
        assert job["status"] == "done", job
        result = job["result"]
        assert result["stored"] is True and result["reused"] is False and result["rows"] > 0
        assert result["points"] == 10 and result["complete"] is True
        # the run is among the stored sweeps, under the id the command gives the same sweep
        assert [r["id"] for r in c.get("/api/runs").json()] == [result["id"]]
        again = _wait(c, c.post("/api/jobs/sweep", json=body).json()["id"])["result"]
    assert again["reused"] is True and again["id"] == result["id"]
    # a point of the grid is the scenario with those changes, assessed
    at = with_changes(
        geneva_2021(),
        {
            "sides[us].defenses[us_gmd].interceptors": 500,
            "sides[ru].systems[ru_yars_mobile].alert.day_to_day": 0.45,
        },
    )
    want = assess(at).value("first_strike", "full", case=assess(at).headline_case).value
    got = _point(result, "first_strike", us_interceptors=500, ru_yars_alert=0.45)
    assert got == pytest.approx(want, rel=1e-12)


def test_a_sweep_job_without_a_store_runs_into_a_temporary_one_and_takes_the_levers_set():
    body = {
        "source": BASELINE,
        "levers": {"sides": {"ru": {"launch_on_warning": False}}},
        "sweep": _sweep(levers=[SWEEP_LEVER], keep={"definitions": ["first_strike"]}),
    }
    with TestClient(create_app()) as c:
        job = _wait(c, c.post("/api/jobs/sweep", json=body).json()["id"])
    assert job["status"] == "done", job
    result = job["result"]
    assert result["stored"] is False and result["points"] == 3
    base = apply_levers(geneva_2021(), Levers.model_validate(body["levers"]))
    direct = assess(base)
    got = _point(result, "first_strike", us_interceptors=44)
    assert got == pytest.approx(direct.value("first_strike").value, rel=1e-12)


SWEEP_LEVER = {
    "name": "us_interceptors",
    "path": "sides[us].defenses[us_gmd].interceptors",
    "values": [0, 44, 500],
}


@pytest.mark.parametrize(
    ("sweep", "words"),
    [
        (_sweep(scenario="/etc/passwd"), "sweep.scenario"),
        (
            _sweep(levers=[{**SWEEP_LEVER, "path": "sides[us].defenses[us_gdm].interceptors"}]),
            "us_gmd",
        ),
        (
            _sweep(
                levers=[
                    {
                        "name": "us_interceptors",
                        "path": "sides[us].defenses[us_gmd].interceptors",
                        "range": {"low": 0, "high": 2000, "steps": 2001},
                    }
                ]
            ),
            "at most 2,000",
        ),
    ],
)
def test_a_sweep_job_refuses_a_path_a_bad_lever_and_an_oversized_sweep(sweep, words):
    with TestClient(create_app()) as c:
        r = c.post("/api/jobs/sweep", json={"source": BASELINE, "sweep": sweep})
    assert r.status_code == 422, r.json()
    assert words in str(r.json()), r.json()


def test_the_store_is_refused_to_readers_while_a_sweep_job_writes_it(tmp_path):
    from detente.web.runs import StoreAccess

    store = StoreAccess(tmp_path / "results.duckdb")
    with TestClient(create_app(store=store)) as c:
        with store.writing():
            r = c.get("/api/runs")
            assert r.status_code == 409 and "being written" in r.json()["detail"]
        assert c.get("/api/runs").status_code == 200
