"""The dashboard's API: the same numbers and located errors as the library and the CLI."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detente.analysis.assess import assess
from detente.analysis.compare import compare
from detente.data import load_posture, load_treaty
from detente.examples import geneva_2021
from detente.io import load_scenario, read_scenario_text
from detente.treaty import count
from detente.web import views
from detente.web.app import CSP, LOOPBACK_HOSTS, Settings, create_app
from detente.web.scenarios import builtin_text, example_names

ROOT = Path(__file__).resolve().parent.parent
INVALID = sorted((ROOT / "tests" / "scenarios" / "invalid").glob("*.yaml"))
BASELINE = {"kind": "builtin", "name": "geneva-2021"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _assess(client, source=BASELINE, levers=None, **extra):
    body = {"source": source, **extra}
    if levers is not None:
        body["levers"] = levers
    return client.post("/api/assess", json=body)


def _values(view):
    """Every (definition, reading, case) value of an assessment's JSON."""
    return {
        (name, c["perspective"], c["case"]): c["value"]
        for name, d in view["assessment"]["definitions"].items()
        for c in d["cases"]
    }


# --- what the server lists -------------------------------------------------------------------


def test_health_and_lists(client):
    assert client.get("/api/health").json()["status"] == "ok"
    postures = {p["name"] for p in client.get("/api/postures").json()}
    assert {"us-2021", "ru-2021", "cn-2025"} <= postures
    treaties = {t["name"]: t for t in client.get("/api/treaties").json()}
    assert treaties["new-start"]["limits"]["deployed_warheads"] == 1550
    examples = {e["name"] for e in client.get("/api/examples").json()}
    assert examples == set(example_names())
    assert "bmd-expansion" in examples
    builtins = client.get("/api/builtins").json()
    assert [b["name"] for b in builtins] == ["geneva-2021"]


def test_meta_names_definitions_parameters_and_jobs(client):
    meta = client.get("/api/meta").json()
    assert [d["name"] for d in meta["definitions"]][:2] == ["first_strike", "second_strike"]
    assert "interceptors" in meta["multipliers"]
    assert "new_start" in meta["treaty_ids"]
    assert [k["name"] for k in meta["job_kinds"]] == ["lever-line", "explore", "negotiate", "sweep"]
    assert meta["store"] is False


def test_openapi_is_served_and_no_page_loads_from_a_cdn(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/assess" in spec["paths"]
    assert "/api/jobs/lever-line" in spec["paths"]
    # FastAPI's /docs and /redoc pages load scripts from a CDN: they are off
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_page_and_assets_come_from_the_server(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    for src in ("/static/app.js", "/static/app.css", "/static/plotly.min.js"):
        assert f'"{src}"' in page.text
        assert client.get(src).status_code == 200
    assert "http://" not in page.text.replace("http://www.w3.org", "")
    assert "https://" not in page.text
    plotly = client.get("/static/plotly.min.js")
    assert plotly.headers["content-encoding"] == "gzip"
    assert b"plotly.js" in plotly.content[:2000]


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/..%2Fapp.py",
        "/static/%2e%2e%2f__init__.py",
        "/api/examples/..%2F..%2Fpyproject",
        "/api/examples/%2e%2e%2fREADME",
        "/api/builtins/..%2Fgeneva-2021",
    ],
)
def test_no_request_path_reaches_a_file(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "import" not in response.text and "[project]" not in response.text


@pytest.mark.parametrize("where", ["absolute", "relative"])
def test_a_posted_scenario_cannot_make_the_server_read_a_file(client, tmp_path, where):
    # A valid treaty file on disk: were the server to read it, the scenario would assess.
    treaty = tmp_path / "treaty.yaml"
    treaty.write_bytes(
        (ROOT / "src" / "detente" / "data" / "treaties" / "new-start.yaml").read_bytes()
    )
    reference = str(treaty) if where == "absolute" else str(Path("..") / treaty.relative_to("/"))
    text = (
        "name: files\n"
        f"treaty: {json.dumps(reference)}\n"
        "sides:\n  - posture: us-2021\n  - posture: ru-2021\n"
    )
    response = _assess(client, {"kind": "yaml", "text": text})
    assert response.status_code == 422
    body = response.json()
    assert any(p["path"] == "treaty" for p in body["problems"]), body


def test_example_text_is_the_shipped_file(client):
    body = client.get("/api/examples/bmd-expansion").json()
    assert body["text"] == (ROOT / "examples" / "bmd-expansion.yaml").read_text(encoding="utf-8")
    assert body["label"] == "US missile defence expanded"
    missing = client.get("/api/examples/bmd-expansoin")
    assert missing.status_code == 404
    assert "did you mean 'bmd-expansion'" in missing.json()["detail"]


def test_builtin_text_reads_back_as_the_builtin_scenario():
    assert read_scenario_text(builtin_text("geneva-2021")).scenario == geneva_2021()


# --- assessments ----------------------------------------------------------------------------


def test_assess_builtin_matches_the_library(client):
    view = _assess(client).json()
    direct = assess(geneva_2021()).to_dict()
    assert view["assessment"]["definitions"] == json.loads(json.dumps(direct["definitions"]))
    assert view["scenario"]["pair"] == ["us", "ru"]
    assert set(view["figures"]) == {"forces", "flows"}
    assert view["figures"]["flows"]["data"], "the flow chart has traces"
    assert view["levers"]["treaty"] == "new_start"


def test_assess_gives_the_raw_first_strike_ratio_behind_each_bounded_component(client):
    view = _assess(client).json()
    raw = view["first_strike_raw"]
    components = view["assessment"]["definitions"]["first_strike"]["components"]
    assert set(raw) == {"us", "ru"}
    for side, text in raw.items():
        # the component is the raw ratio bounded at 1 (Kent & Thaler)
        if text == "> 10" or float(text) >= 1.0:
            assert components[side] == pytest.approx(1.0)
        else:
            assert float(text) == pytest.approx(components[side], abs=0.005)


def test_assess_example_matches_the_cli_input(client):
    view = _assess(client, {"kind": "example", "name": "generated-alert"}).json()
    direct = assess(load_scenario(ROOT / "examples" / "generated-alert.yaml"))
    assert view["assessment"]["definitions"]["first_strike"]["value"] == pytest.approx(
        direct.value("first_strike").value, abs=0
    )


def test_assess_posted_yaml(client):
    text = (ROOT / "examples" / "cyber-c2.yaml").read_text(encoding="utf-8")
    view = _assess(client, {"kind": "yaml", "text": text}).json()
    direct = assess(load_scenario(ROOT / "examples" / "cyber-c2.yaml"))
    assert _values(view) == {(n, p, str(c)): v.value for (n, p, c), v in direct.results.items()}


def test_three_sided_scenario_is_assessed_on_the_pair_asked_for(client):
    text = "name: three\nsides:\n  - posture: us-2025\n  - posture: ru-2025\n  - posture: cn-2025\n"
    view = _assess(client, {"kind": "yaml", "text": text}, pair=["us", "cn"]).json()
    assert view["scenario"]["pair"] == ["us", "cn"]
    assert set(view["assessment"]["definitions"]["first_strike"]["components"]) == {"us", "cn"}
    bad = _assess(client, {"kind": "yaml", "text": text}, pair=["us", "fr"])
    assert bad.status_code == 422
    assert "pair" in bad.json()["detail"]


def _expected(path: Path) -> tuple[str, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    _, line, field = (part.strip() for part in first.split("|"))
    return line.removeprefix("line "), field


def _utf8(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("path", [p for p in INVALID if _utf8(p) is not None], ids=lambda p: p.stem)
def test_posted_invalid_scenario_gets_the_clis_located_problem(client, path):
    line, field = _expected(path)
    text = _utf8(path)
    for route in ("/api/assess", "/api/validate"):
        response = client.post(route, json={"source": {"kind": "yaml", "text": text}})
        body = response.json()
        if route == "/api/assess":
            assert response.status_code == 422
        else:
            assert response.status_code == 200 and body["valid"] is False
        located = {(str(p["line"]), p["path"] or "-") for p in body["problems"]}
        assert (line, field) in located, body


def test_yaml_syntax_error_is_located(client):
    text = "name: broken\nsides:\n  - posture: us-2021\n  - posture: [ru-2021\n"
    body = client.post("/api/validate", json={"source": {"kind": "yaml", "text": text}}).json()
    assert body["valid"] is False
    assert body["problems"][0]["line"] in (4, 5)
    assert "YAML syntax error" in body["problems"][0]["message"]


def test_unknown_names_are_refused_with_the_nearest(client):
    response = _assess(client, {"kind": "example", "name": "bmd-expanson"})
    assert response.status_code == 422
    assert "did you mean 'bmd-expansion'" in response.json()["detail"]
    response = _assess(client, {"kind": "builtin", "name": "geneva"})
    assert response.status_code == 422
    assert "geneva-2021" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"source": {"kind": "file", "path": "/etc/passwd"}},
        {"source": {"kind": "yaml"}},
        {"source": {"kind": "yaml", "text": 12}},
        {"source": BASELINE, "extra": 1},
        {"source": BASELINE, "levers": {"sides": {"us": {"alert": "maximum"}}}},
        {"source": BASELINE, "levers": {"sides": {"us": {"missile_defense_interceptors": "9"}}}},
        {"source": BASELINE, "levers": {"sides": {"us": {"missile_defense_interceptors": -1}}}},
        {"source": BASELINE, "levers": {"sides": {"us": {"cyber_c2_degradation": 1.5}}}},
        {"source": BASELINE, "levers": {"sides": {"us": {"launch_on_warning": 1}}}},
        {"source": BASELINE, "pair": ["us"]},
    ],
)
def test_malformed_requests_are_422_with_the_field(client, body):
    response = client.post("/api/assess", json=body)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "the request does not match the API's schema"
    assert data["problems"] and all(p["path"] for p in data["problems"])


def test_non_finite_numbers_are_refused(client):
    raw = (
        '{"source": {"kind": "builtin", "name": "geneva-2021"}, '
        '"levers": {"sides": {"us": {"cyber_c2_degradation": NaN}}}}'
    )
    response = client.post("/api/assess", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_body_larger_than_the_limit_is_413(client):
    big = {"source": {"kind": "yaml", "text": "#" * (Settings().max_body_bytes + 10)}}
    response = client.post("/api/assess", json=big)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_streamed_body_larger_than_the_limit_is_413():
    app = create_app(settings=Settings(max_body_bytes=1000))
    chunks = [b'{"source": {"kind": "yaml", "text": "', b"#" * 600, b"#" * 600, b'"}}']
    with TestClient(app) as c:
        response = c.post(
            "/api/assess", content=iter(chunks), headers={"content-type": "application/json"}
        )
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


def test_scenario_text_longer_than_a_file_may_be_is_refused(client):
    text = "# " + "x" * (1 << 20)
    response = _assess(client, {"kind": "yaml", "text": text})
    assert response.status_code == 422
    assert any("1048576" in p["message"] for p in response.json()["problems"])


def test_a_model_limit_is_a_located_422(client):
    layers = "\n".join(
        f"        - {{id: l{i}, kind: area, interceptors: 1, pk: {{ballistic_rv: 0.5}}}}"
        for i in range(25)
    )
    text = (
        "name: too_many_layers\nsides:\n  - posture: us-2021\n    override:\n      defenses:\n"
        f"{layers}\n  - posture: ru-2021\n"
    )
    response = _assess(client, {"kind": "yaml", "text": text})
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any("defenses" in p["path"] and p["line"] is not None for p in problems), problems


# --- levers ---------------------------------------------------------------------------------

RU_GENERATED_YAML = """
name: geneva_2021
label: Geneva 2021 baseline
question: >-
  How stable is the US-Russian balance at the first Geneva round, 28 July 2021,
  under each side's reading?
date: '2021-07-28'
treaty: new_start
sides:
  - posture: us-2021
  - posture: ru-2021
    override:
      alert: generated
"""


def test_alert_lever_equals_the_same_change_written_in_yaml(client):
    by_lever = _assess(client, levers={"sides": {"ru": {"alert": "generated"}}}).json()
    by_yaml = _assess(client, {"kind": "yaml", "text": RU_GENERATED_YAML}).json()
    baseline = _assess(client).json()
    lever, yaml, base = (v["assessment"] for v in (by_lever, by_yaml, baseline))
    assert lever["definitions"] == yaml["definitions"]
    # every alert case is computed either way; the alert level picks the headline case
    assert _values(by_lever) == _values(baseline)
    assert lever["headline"]["case"] == "us:day_to_day/ru:generated"
    assert base["headline"]["case"] == "us:day_to_day/ru:day_to_day"
    assert lever["definitions"]["first_strike"]["value"] == next(
        c["value"]
        for c in base["definitions"]["first_strike"]["cases"]
        if c["perspective"] == "full" and c["case"] == "us:day_to_day/ru:generated"
    )
    assert by_lever["levers"]["sides"][1]["alert"] == "generated"


def test_interceptor_lever_scales_every_missile_defence_layer():
    # us-2021: 44 GMD + 24 Aegis Ashore + 300 Aegis ships + 336 THAAD = 704; doubled = 1,408
    scenario = geneva_2021()
    from detente.web.levers import Levers, apply_levers

    changed = apply_levers(
        scenario, Levers.model_validate({"sides": {"us": {"missile_defense_interceptors": 1408}}})
    )
    counts = {d.id: d.interceptors for d in changed.side("us").posture.defenses}
    assert counts == {
        "us_gmd": 88,
        "us_aegis_ashore_romania": 48,
        "us_aegis_bmd_ships": 600,
        "us_thaad": 672,
        "us_air_defense": 100,
    }
    gmd = changed.side("us").posture.defenses[0]
    assert gmd.citation("interceptors").source == "scenario"
    assert "dashboard" in gmd.citation("interceptors").note
    assert scenario.side("us").posture.defenses[0].interceptors == 44  # not mutated


def test_interceptor_lever_total_is_exact_when_it_does_not_divide():
    from detente.web.levers import Levers, apply_levers

    for total in (0, 1, 2, 3, 703, 705, 999, 10_001):
        changed = apply_levers(
            geneva_2021(),
            Levers.model_validate({"sides": {"us": {"missile_defense_interceptors": total}}}),
        )
        layers = [d for d in changed.side("us").posture.defenses if d.kind != "air"]
        assert sum(d.interceptors for d in layers) == total


def test_every_lever_moves_its_field_and_is_cited():
    from detente.web.levers import Levers, apply_levers, lever_state

    levers = {
        "sides": {
            "ru": {
                "launch_on_warning": False,
                "survivable_alert": 0.4,
                "early_warning_satellites": False,
                "cyber_c2_degradation": 0.25,
                "detect_ssbn_at_sea": 0.1,
                "detect_mobile_dispersed": 0.2,
            }
        },
        "treaty": "none",
        "hgv_warning_fraction": 0.5,
    }
    changed = apply_levers(geneva_2021(), Levers.model_validate(levers))
    state = lever_state(changed)
    ru = state.sides[1]
    assert (ru.launch_on_warning, ru.early_warning_satellites) == (False, False)
    assert ru.survivable_alert == pytest.approx(0.4)
    assert (ru.cyber_c2_degradation, ru.detect_ssbn_at_sea, ru.detect_mobile_dispersed) == (
        0.25,
        0.1,
        0.2,
    )
    assert state.treaty == "none" and changed.treaty is None
    assert state.hgv_warning_fraction == 0.5
    posture = changed.side("ru").posture
    assert posture.launch_on_warning.citation("enabled").source == "scenario"
    for s in posture.systems:
        if s.category in ("slbm", "icbm_mobile"):
            assert s.alert.day_to_day == 0.4
            assert s.alert.generated >= 0.4
            assert s.citation("alert").source == "scenario"
    assert changed.side("ru").factors.citation("cyber_c2_degradation").source == "scenario"


@pytest.mark.parametrize(
    ("levers", "message"),
    [
        ({"sides": {"usa": {}}}, "did you mean 'us'"),
        ({"treaty": "new-start"}, "did you mean 'new_start'"),
        ({"treaty": "salt"}, "expected 'none' or one of"),
    ],
)
def test_lever_errors_name_the_lever_and_the_nearest(client, levers, message):
    response = _assess(client, levers=levers)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_lever_with_nothing_to_scale_is_refused(client):
    text = "name: us_cn\nsides:\n  - posture: us-2021\n  - posture: cn-2021\n"
    response = _assess(
        client,
        {"kind": "yaml", "text": text},
        levers={"sides": {"cn": {"missile_defense_interceptors": 10}}},
    )
    assert response.status_code == 422
    assert "no missile-defence interceptors" in response.json()["detail"]
    # setting it to what it already is (none) is fine
    ok = _assess(
        client,
        {"kind": "yaml", "text": text},
        levers={"sides": {"cn": {"missile_defense_interceptors": 0}}},
    )
    assert ok.status_code == 200


def test_sources_name_every_number_and_the_lever_that_set_one(client):
    view = _assess(client, levers={"sides": {"us": {"missile_defense_interceptors": 1408}}}).json()
    numbers = view["sources"]["numbers"]
    gmd = [
        r
        for r in numbers
        if r["actor"] == "us" and r["object"] == "defenses.us_gmd" and r["field"] == "interceptors"
    ]
    assert gmd == [
        {
            "actor": "us",
            "object": "defenses.us_gmd",
            "field": "interceptors",
            "value": "88",
            "source": "scenario",
            "note": "set on the dashboard (missile-defence interceptors)",
            "low": None,
            "high": None,
        }
    ]
    us = load_posture("us-2021")
    minuteman = us.system("us_minuteman_iii")
    row = next(
        r for r in numbers if r["object"] == "systems.us_minuteman_iii" and r["field"] == "cep_m"
    )
    assert row["source"] == minuteman.citation("cep_m").source
    assert row["value"] == f"{minuteman.cep_m:g}"
    registry = view["sources"]["registry"]
    assert {r["source"] for r in numbers} - {"assumption", "scenario"} <= set(registry)


# --- compare and treaty counting ------------------------------------------------------------


def test_compare_matches_the_library(client):
    body = {
        "base": {"source": BASELINE},
        "variant": {"source": {"kind": "example", "name": "generated-alert"}},
    }
    response = client.post("/api/compare", json=body)
    assert response.status_code == 200
    got = response.json()["comparison"]["headline"]
    direct = compare(geneva_2021(), load_scenario(ROOT / "examples" / "generated-alert.yaml"))
    assert got == json.loads(json.dumps(direct.to_dict()["headline"]))


def test_compare_of_different_actors_is_refused(client):
    text = "name: us_cn\nsides:\n  - posture: us-2021\n  - posture: cn-2021\n"
    body = {"base": {"source": BASELINE}, "variant": {"source": {"kind": "yaml", "text": text}}}
    response = client.post("/api/compare", json=body)
    assert response.status_code == 422
    assert "same sides in the same order" in response.json()["detail"]


def test_treaty_count_matches_the_library(client):
    body = client.get("/api/treaty-count", params={"posture": "ru-2021", "treaty": "new-start"})
    assert body.status_code == 200
    ledger = count(load_posture("ru-2021"), load_treaty("new-start"))
    assert body.json()["ledger"]["totals"] == ledger.to_dict()["totals"]
    unknown = client.get("/api/treaty-count", params={"posture": "ru-2031"})
    assert unknown.status_code == 422
    assert "ru-2021" in unknown.json()["detail"]
    # names resolve as everywhere else: file name or id, any case
    same = client.get("/api/treaty-count", params={"posture": "RU_2021", "treaty": "New_Start"})
    assert same.status_code == 200 and same.json() == body.json()
    unknown = client.get("/api/treaty-count", params={"posture": "ru-2021", "treaty": "new-strat"})
    assert unknown.status_code == 422
    assert "did you mean 'new_start'" in unknown.json()["detail"]


# --- the server under concurrent use ---------------------------------------------------------


def test_concurrent_assessments_do_not_interfere():
    import httpx2

    app = create_app()
    variants = [
        {"sides": {"us": {"missile_defense_interceptors": n}}} for n in (0, 350, 1400, 2800)
    ] + [{"sides": {"ru": {"alert": "generated"}}}, {"treaty": "none"}]

    async def run() -> tuple[list[dict], int]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as c:
            answers = await asyncio.gather(
                *(c.post("/api/assess", json={"source": BASELINE, "levers": v}) for v in variants),
                c.get("/api/health"),
            )
        return [r.json() for r in answers[:-1]], answers[-1].status_code

    together, health = asyncio.run(run())
    assert health == 200
    with TestClient(create_app()) as c:  # a fresh server: nothing cached
        one_by_one = [_assess(c, levers=v).json() for v in variants]
    for a, b in zip(together, one_by_one, strict=True):
        assert a["assessment"] == b["assessment"]
    distinct = {json.dumps(v["assessment"], sort_keys=True) for v in together}
    assert len(distinct) == len(variants)


def test_assessments_run_off_the_event_loop(monkeypatch):
    seen: list[int] = []
    original = views.assessment_view

    def recording(*args, **kwargs):
        seen.append(threading.get_ident())
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "assessment_view", recording)
    loop_threads: list[int] = []

    app = create_app()

    @app.get("/loop-thread", include_in_schema=False)
    async def loop_thread() -> dict[str, int]:
        loop_threads.append(threading.get_ident())
        return {}

    with TestClient(app) as c:
        assert _assess(c).status_code == 200
        c.get("/loop-thread")
    assert seen and loop_threads
    assert seen[0] != loop_threads[0]


def test_a_repeated_request_is_answered_from_the_cache(monkeypatch):
    calls = []
    original = views.assessment_view
    monkeypatch.setattr(
        views, "assessment_view", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    with TestClient(create_app()) as c:
        first = _assess(c).json()
        second = _assess(c).json()
        _assess(c, levers={"treaty": "none"})
    assert first == second
    assert len(calls) == 2


# --- host check and headers -------------------------------------------------------------------


def test_loopback_server_refuses_other_host_names():
    app = create_app(allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/health").status_code == 200
    with TestClient(app, base_url="http://localhost:8000") as c:
        assert c.get("/api/health").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as c:
        assert c.get("/api/health").status_code == 400


def test_security_headers_on_api_answers(client):
    response = client.get("/api/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "connect-src 'self'" in response.headers["content-security-policy"]


def test_worker_processes_give_the_same_answers_as_threads(client):
    requests = [
        {"source": BASELINE, "levers": {"sides": {"us": {"missile_defense_interceptors": 1}}}},
        {"source": {"kind": "yaml", "text": "name: x\nsides:\n  - posture: us-2099\n"}},
    ]
    app = create_app(settings=Settings(processes=True, assess_workers=1))
    with TestClient(app) as c:
        in_processes = [c.post("/api/assess", json=r) for r in requests]
    in_threads = [client.post("/api/assess", json=r) for r in requests]
    assert [r.status_code for r in in_processes] == [200, 422]
    for a, b in zip(in_processes, in_threads, strict=True):
        assert a.json() == b.json()


def test_only_valid_scenario_files_are_offered_as_examples(monkeypatch, tmp_path):
    from detente.web import scenarios

    (tmp_path / "pair.yaml").write_text(
        "name: pair\nsides:\n  - posture: us-2021\n  - posture: ru-2021\n", encoding="utf-8"
    )
    (tmp_path / "a-sweep.yaml").write_text("base: geneva-2021\nlevers: []\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not yaml", encoding="utf-8")
    monkeypatch.setattr(scenarios, "examples_dir", lambda: tmp_path)
    scenarios._examples.cache_clear()
    try:
        assert scenarios.example_names() == ("pair",)
        with pytest.raises(Exception, match="unknown example 'a-sweep'"):
            scenarios.example_text("a-sweep")
    finally:
        scenarios._examples.cache_clear()
