"""Shipped data: postures validate, every number is cited, totals and New START data agree."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

import pytest

from detente.data import (
    load_posture,
    load_totals,
    new_start_exchanges,
    posture_names,
    sources,
    totals_names,
    warhead_summary,
)
from detente.model.base import ASSUMPTION, Cited
from detente.model.checks import check_posture
from detente.model.posture import Posture, PublishedTotals

POSTURES = [f"{a}-{y}" for a in ("us", "ru", "cn") for y in (2021, 2025)] + ["cn-2030", "cn-2035"]
TOTALS = [f"{a}-{y}" for a in ("uk", "fr", "in", "pk", "kp", "il") for y in (2021, 2025)]
SYSTEM_NUMBERS = (
    "launchers_deployed",
    "launchers_nondeployed",
    "warheads_per_launcher",
    "max_warheads_per_launcher",
    "warheads_stored",
    "yield_kt",
    "cep_m",
    "reliability",
    "flight_time_min",
    "range_km",
    "alert",
)

# New START data of 1 Sep 2021 (Arms Control Today, Dec 2021), typed in by hand.
SEP_2021 = {"us": (665, 1389, 800), "ru": (527, 1458, 742)}


def test_all_builtins_are_shipped() -> None:
    assert set(posture_names()) == set(POSTURES)
    assert set(totals_names()) == set(TOTALS)


@pytest.mark.parametrize("name", POSTURES)
def test_posture_validates_and_passes_checks(name: str) -> None:
    p = load_posture(name)
    assert p.id == name.replace("-", "_")
    assert p.actor == name[:2]
    assert check_posture(p) == []
    assert p.totals is not None


@pytest.mark.parametrize("name", TOTALS)
def test_totals_validate(name: str) -> None:
    t = load_totals(name)
    assert t.id == name.replace("-", "_")
    assert t.totals.total_inventory >= t.totals.military_stockpile >= t.totals.deployed


def _cited_objects(p: Posture) -> Iterator[tuple[str, Cited]]:
    yield p.id, p
    yield f"{p.id}.c2", p.c2
    yield f"{p.id}.launch_on_warning", p.launch_on_warning
    if p.totals is not None:
        yield f"{p.id}.totals", p.totals
    for s in p.systems:
        yield s.id, s
    for t in p.targets:
        yield t.id, t
    for d in p.defenses:
        yield d.id, d


def _all_cited() -> Iterator[tuple[str, Cited]]:
    for name in POSTURES:
        yield from _cited_objects(load_posture(name))
    for name in TOTALS:
        t = load_totals(name)
        yield t.id, t
        yield f"{t.id}.totals", t.totals


def test_every_source_key_is_registered() -> None:
    known = set(sources())
    used = {(where, obj.source) for where, obj in _all_cited()}
    used |= {(where, c.source) for where, obj in _all_cited() for c in obj.cite}
    used |= {(str(r["date"]), r["source"]) for r in new_start_exchanges()}
    missing = sorted((w, k) for w, k in used if k != ASSUMPTION and k not in known)
    assert missing == []


def test_sources_have_the_required_fields() -> None:
    for key, entry in sources().items():
        assert entry["key"] == key
        for field in ("title", "author", "year", "url"):
            assert field in entry, (key, field)
        assert entry["title"] and entry["author"], key


def test_assumptions_carry_a_note() -> None:
    bare = [
        (where, c.field)
        for where, obj in _all_cited()
        for c in obj.cite
        if c.source == ASSUMPTION and not c.note
    ]
    assert bare == []


def test_cited_fields_exist_and_ranges_are_ordered() -> None:
    for where, obj in _all_cited():
        for c in obj.cite:
            assert c.field in type(obj).model_fields, (where, c.field)
            if c.low is not None or c.high is not None:
                assert c.low is not None and c.high is not None, (where, c.field)
                assert c.low <= c.high, (where, c.field)


@pytest.mark.parametrize("name", POSTURES)
def test_every_system_number_is_covered(name: str) -> None:
    """A number covered only by an object-level `assumption` would carry no reasoning."""
    for s in load_posture(name).systems:
        for field in SYSTEM_NUMBERS:
            c = s.citation(field)
            assert c.source != ASSUMPTION or c.note, (s.id, field)


def _within(value: float, totals: PublishedTotals, field: str) -> bool:
    c = totals.citation(field)
    published = float(getattr(totals, field))
    low = c.low if c.low is not None else published
    high = c.high if c.high is not None else published
    return low - 0.5 <= value <= high + 0.5


@pytest.mark.parametrize("name", POSTURES)
def test_totals_match_published_estimates(name: str) -> None:
    p = load_posture(name)
    assert p.totals is not None
    s = warhead_summary(p)
    assert _within(s["stockpile"], p.totals, "military_stockpile"), s["stockpile"]
    assert _within(s["total_inventory"], p.totals, "total_inventory"), s["total_inventory"]
    assert _within(s["deployed"], p.totals, "deployed"), s["deployed"]
    if p.totals.nonstrategic:
        assert _within(s["nonstrategic"], p.totals, "nonstrategic"), s["nonstrategic"]


@pytest.mark.parametrize("name", POSTURES)
def test_categories_add_up(name: str) -> None:
    """Categories recomputed here from the systems, independently of warhead_summary."""
    p = load_posture(name)
    nuclear = [x for x in p.systems if x.nuclear]
    deployed_strategic = sum(
        x.launchers_deployed * x.warheads_per_launcher
        for x in nuclear
        if x.category != "nonstrategic"
    )
    stored_strategic = sum(x.warheads_stored for x in nuclear if x.category != "nonstrategic")
    nonstrategic = sum(
        x.launchers_deployed * x.warheads_per_launcher + x.warheads_stored
        for x in nuclear
        if x.category == "nonstrategic"
    )
    total = deployed_strategic + stored_strategic + nonstrategic + p.reserve_unassigned
    s = warhead_summary(p)
    assert s["deployed_strategic"] == pytest.approx(deployed_strategic)
    assert s["strategic_reserve"] == pytest.approx(stored_strategic)
    assert s["nonstrategic"] == pytest.approx(nonstrategic)
    assert s["stockpile"] == pytest.approx(total)
    assert p.totals is not None
    assert s["total_inventory"] == pytest.approx(total + p.totals.retired)


# Published figures typed in by hand from the cited sources (FAS, SIPRI).
PUBLISHED = {
    "us-2021": (3800, 5550, 1750),
    "us-2025": (3700, 5177, 1477),
    "ru-2021": (4495, 6255, 1760),
    "ru-2025": (4309, 5459, 1150),
    "cn-2021": (350, 350, 0),
    "cn-2025": (600, 600, 0),
    "cn-2030": (1000, 1000, 0),  # DoD CMPR 2023 and 2024: more than 1,000 by 2030
    "cn-2035": (1500, 1500, 0),  # DoD CMPR 2022: about 1,500 by 2035
}


@pytest.mark.parametrize("name", POSTURES)
def test_published_totals_are_the_sources_figures(name: str) -> None:
    p = load_posture(name)
    assert p.totals is not None
    stockpile, total, retired = PUBLISHED[name]
    assert (p.totals.military_stockpile, p.totals.total_inventory, p.totals.retired) == (
        stockpile,
        total,
        retired,
    )
    assert abs(warhead_summary(p)["stockpile"] - stockpile) <= 0.01 * stockpile


def test_conventional_systems_carry_no_nuclear_warheads_in_totals() -> None:
    p = load_posture("us-2021")
    tomahawk = p.system("us_tomahawk")
    assert not tomahawk.nuclear
    with_conv = sum(x.warheads_total for x in p.systems) + p.reserve_unassigned
    assert warhead_summary(p)["stockpile"] == pytest.approx(with_conv - tomahawk.warheads_total)


def _new_start_count(p: Posture) -> tuple[float, float, float]:
    """New START counting from the treaty definitions (Art. II, Protocol Part One)."""
    accountable = [s for s in p.systems if s.accountability in ("icbm", "slbm", "heavy_bomber")]
    deployed_launchers = sum(s.launchers_deployed for s in accountable)
    deployed_warheads = sum(
        s.launchers_deployed
        if s.accountability == "heavy_bomber"
        else s.launchers_deployed * s.warheads_per_launcher
        for s in accountable
    )
    total_launchers = sum(s.launchers_deployed + s.launchers_nondeployed for s in accountable)
    return deployed_launchers, deployed_warheads, total_launchers


@pytest.mark.parametrize("actor", ["us", "ru"])
def test_2021_postures_match_new_start_data_within_3_percent(actor: str) -> None:
    counted = _new_start_count(load_posture(f"{actor}-2021"))
    for got, want in zip(counted, SEP_2021[actor], strict=True):
        assert abs(got - want) <= 0.03 * want, (actor, counted, SEP_2021[actor])


def test_new_start_file_has_the_sep_2021_records() -> None:
    rows = {(r["party"], r["date"]): r for r in new_start_exchanges()}
    for actor, (dl, dw, tl) in SEP_2021.items():
        r = rows[(actor, dt.date(2021, 9, 1))]
        assert (r["deployed_launchers"], r["deployed_warheads"], r["total_launchers"]) == (
            dl,
            dw,
            tl,
        )


def test_new_start_records_are_well_formed() -> None:
    rows = new_start_exchanges()
    assert len(rows) == 49
    by_party: dict[str, list[dt.date]] = {}
    for r in rows:
        assert r["party"] in ("us", "ru")
        assert r["status"] in ("verified", "unverified", "derived")
        assert isinstance(r["date"], dt.date)
        for key in ("deployed_launchers", "deployed_warheads", "total_launchers"):
            assert isinstance(r[key], int) and r[key] > 0, r
        assert r["deployed_launchers"] <= r["total_launchers"]
        by_party.setdefault(r["party"], []).append(r["date"])
    for dates in by_party.values():
        assert all(a < b for a, b in itertools.pairwise(dates))
    assert dt.date(2023, 3, 1) in by_party["us"]
    assert dt.date(2023, 3, 1) not in by_party["ru"]
    assert by_party["us"][0] == dt.date(2011, 2, 5)


def test_geneva_agenda_systems_are_present() -> None:
    ru21, ru25 = load_posture("ru-2021"), load_posture("ru-2025")
    for sid in (
        "ru_poseidon",
        "ru_burevestnik",
        "ru_avangard",
        "ru_sarmat",
        "ru_kinzhal",
        "ru_zircon",
        "ru_kalibr_conventional",
        "ru_iskander_nsnw",
    ):
        assert ru21.system(sid) and ru25.system(sid)
    assert ru21.system("ru_poseidon").launchers_deployed == 0
    assert 0 < ru25.system("ru_poseidon").launchers_deployed <= 6
    assert ru25.system("ru_sarmat").launchers_deployed == 0
    assert ru25.system("ru_avangard").accountability == "icbm"
    assert ru25.system("ru_avangard").delivery == "hgv"
    us25 = load_posture("us-2025")
    assert us25.system("us_lrhw_cps").delivery == "hgv"
    assert not us25.system("us_tomahawk").nuclear
    assert us25.target("us_forward_bases").count == 6
    cn25 = load_posture("cn-2025")
    assert cn25.target("cn_new_silos").count >= 320
    assert cn25.launch_on_warning.enabled
    assert not load_posture("cn-2021").launch_on_warning.enabled


@pytest.mark.parametrize("name", POSTURES)
def test_one_value_class_and_kinds_fit_basing(name: str) -> None:
    p = load_posture(name)
    assert [t.kind for t in p.targets].count("value") == 1
    basing = {
        "icbm_silo": "silo_field",
        "icbm_mobile": "mobile_garrison",
        "slbm": "ssbn_port",
        "bomber": "bomber_base",
    }
    for s in p.systems:
        if s.category in basing:
            assert p.target(s.home_target).kind == basing[s.category], s.id
    for d in p.defenses:
        if d.kind == "point":
            assert d.defends


def test_us_europe_layers_defend_forward_bases_and_count_as_counterforce() -> None:
    p = load_posture("us-2021")
    gmd = next(d for d in p.defenses if d.id == "us_gmd")
    assert (gmd.kind, gmd.interceptors, gmd.pk.hgv) == ("area", 44, 0.0)
    for d in p.defenses:
        if d.kind == "point":
            assert d.defends == ("us_forward_bases",) and d.counts_as_counterforce


def test_data_doc_is_generated_from_the_data() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs" / "gen_data_doc.py"
    spec = importlib.util.spec_from_file_location("gen_data_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (path.parent / "data.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run: python docs/gen_data_doc.py"
    assert "ru_rs20v" in committed and "## Every assumption" in committed
    # Every figure on the page comes from the data: the hand-written prose holds none.
    assert not re.search(r"\d", module.INTRO + module.METHOD)


@pytest.mark.parametrize("name", ["cn-2030", "cn-2035"])
def test_chinese_projections_range_silo_loading_and_peacetime_readiness(name: str) -> None:
    """Whether the new silos hold single-warhead or MIRVed missiles, and how much of the silo
    force has its warheads mated day to day, are open questions: each is a drawn range."""
    from detente.analysis.parameters import uncertain_parameters
    from detente.model.scenario import Scenario, Side

    posture = load_posture(name)
    scenario = Scenario(
        name="t", sides=(Side(posture=load_posture("us-2025")), Side(posture=posture))
    )
    drawn = {p.name: p for p in uncertain_parameters(scenario)}
    silo = [s.id for s in posture.systems if s.category == "icbm_silo"]
    assert silo == ["cn_df5a", "cn_df5b", "cn_df31_silo"]
    for system in silo:
        # day to day from the 2025 share to all; generated (all mated) is not drawn
        day = drawn[f"cn.systems[{system}].alert.day_to_day"]
        assert (day.base, day.low, day.high) == (1.0, 0.2, 1.0)
        assert f"cn.systems[{system}].alert.generated" not in drawn
    load = drawn["cn.systems[cn_df31_silo].warheads_per_launcher"]
    assert (load.low, load.high) == (1.0, 3.0)  # DF-31 class (one) to DF-41 (three)
    assert load.low <= load.base <= load.high
