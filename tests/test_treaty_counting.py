"""Treaty counting and compliance on small postures with hand-derived answers."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from detente.data import load_treaty, treaty_names
from detente.model.defense import DefenseLayer, DeliveryPk
from detente.model.force import AlertFractions, System
from detente.model.posture import Posture
from detente.model.target import TargetClass
from detente.model.treaty import CountingRule, Limit, Treaty
from detente.treaty import compliance, count


def sys_(
    id: str,
    category: str,
    accountability: str,
    deployed: int,
    per_launcher: float,
    *,
    max_load: float | None = None,
    nondeployed: int = 0,
    stored: int = 0,
    nuclear: bool = True,
    novel: bool = False,
) -> System:
    return System(
        id=id,
        category=category,
        delivery="ballistic_rv",
        nuclear=nuclear,
        novel=novel,
        launchers_deployed=deployed,
        launchers_nondeployed=nondeployed,
        warheads_per_launcher=per_launcher,
        max_warheads_per_launcher=per_launcher if max_load is None else max_load,
        warheads_stored=stored,
        yield_kt=100,
        cep_m=200,
        reliability=0.9,
        flight_time_min=30,
        range_km=10000,
        accountability=accountability,
        home_target="base",
        alert=AlertFractions(day_to_day=1.0, generated=1.0),
    )


def layer(id: str, kind: str, n: int) -> DefenseLayer:
    return DefenseLayer(id=id, kind=kind, interceptors=n, pk=DeliveryPk(ballistic_rv=0.5))


def posture(*systems: System, reserve: int = 0, defenses: tuple[DefenseLayer, ...] = ()) -> Posture:
    return Posture(
        id="toy",
        actor="us",
        date=dt.date(2021, 7, 28),
        systems=systems,
        targets=(TargetClass(id="base", kind="silo_field", count=10, hardness_psi=2000),),
        defenses=defenses,
        reserve_unassigned=reserve,
    )


def toy() -> Posture:
    """10 silo ICBMs x 3 RVs (5 empty silos), 2 bombers, a conventional ICBM, skipped systems."""
    return posture(
        sys_("icbm", "icbm_silo", "icbm", 10, 3, nondeployed=5, stored=7),
        sys_("bomber", "bomber", "heavy_bomber", 2, 0, max_load=16, nondeployed=1, stored=30),
        sys_("tactical", "nonstrategic", "none", 20, 0, max_load=1, stored=100),
        sys_("cpgs", "conventional_strike", "icbm", 4, 1, nuclear=False),
        sys_("torpedo", "torpedo", "none", 1, 2, nondeployed=1, novel=True),
        reserve=50,
        defenses=(layer("gmd", "area", 44), layer("aegis", "point", 48), layer("sam", "air", 500)),
    )


def test_new_start_counts_the_toy_posture_by_hand() -> None:
    ledger = count(toy(), load_treaty("new-start"))
    # 10 x 3 loaded RVs + 1 per deployed bomber; the conventional "icbm" (cpgs, 4 x 1 RV)
    # counts too: New START counts every deployed ICBM and SLBM whatever its payload.
    assert ledger.total("deployed_warheads") == 30 + 4 + 2
    assert ledger.total("deployed_launchers") == 10 + 4 + 2
    # 10 + 5 silos, 4 cpgs launchers, 2 + 1 bombers
    assert ledger.total("total_launchers") == 15 + 4 + 3
    assert ledger.by_item("deployed_warheads") == {"icbm": 30.0, "cpgs": 4.0, "bomber": 2.0}


def test_new_kinds_adds_the_novel_torpedo() -> None:
    ledger = count(toy(), load_treaty("new-kinds"))
    assert ledger.total("deployed_warheads") == 36 + 2
    assert ledger.total("deployed_launchers") == 16 + 1
    assert ledger.total("total_launchers") == 22 + 2


def test_all_warheads_counts_the_whole_stockpile() -> None:
    ledger = count(toy(), load_treaty("all-warheads"))
    # icbm 30+7, bomber 0+30, tactical 0+100, torpedo 2, reserve 50; cpgs is conventional
    assert ledger.total("all_warheads") == 37 + 30 + 100 + 2 + 50


def test_missile_defense_limits_count_interceptors_by_kind() -> None:
    ledger = count(toy(), load_treaty("missile-defense-limits"))
    assert ledger.total("interceptors_area") == 44
    assert ledger.total("interceptors_point") == 48
    assert ledger.total("deployed_warheads") == 36


def test_exempt_and_novel_filters() -> None:
    rule = CountingRule(quantity="w", measure="loaded_warheads", novel="exclude", exempt=("icbm",))
    ledger = count(toy(), Treaty(id="t", counting=(rule,)))
    # loaded warheads of nuclear, non-novel, non-exempt systems: bomber 0, tactical 0
    assert ledger.total("w") == 0
    rule = CountingRule(quantity="w", measure="loaded_warheads", nuclear_only=False)
    assert count(toy(), Treaty(id="t", counting=(rule,))).total("w") == 30 + 4 + 2


def test_limit_on_uncounted_quantity_is_refused() -> None:
    # it would always count 0 and "comply", whatever the posture
    with pytest.raises(ValidationError) as info:
        Treaty(id="t", limits=(Limit(id="x", quantity="x", ceiling=0),))
    (error,) = info.value.errors()
    assert error["loc"] == ("limits", 0, "quantity")
    assert "no counting rule counts" in error["msg"]


def test_ledger_frame_and_dict() -> None:
    ledger = count(toy(), load_treaty("new-start"))
    frame = ledger.to_frame()
    assert set(frame["item"]) == {"icbm", "cpgs", "bomber"}
    assert frame["amount"].sum() == 36 + 16 + 22
    data = ledger.to_dict()
    assert data["totals"] == {
        "deployed_launchers": 16.0,
        "deployed_warheads": 36.0,
        "total_launchers": 22.0,
    }
    with pytest.raises(KeyError):
        ledger.total("nope")


def test_compliance_margins_and_violations() -> None:
    big = posture(sys_("icbm", "icbm_silo", "icbm", 750, 3, nondeployed=100))
    result = compliance(count(big, load_treaty("new-start")), on=dt.date(2021, 7, 28))
    by_id = {s.limit: s for s in result.limits}
    assert by_id["deployed_launchers"].margin == 700 - 750
    assert by_id["deployed_warheads"].margin == 1550 - 2250
    assert by_id["total_launchers"].margin == 800 - 850
    assert all(s.violated for s in result.limits)
    assert not result.complies and result.party and result.in_force
    assert len(result.to_frame()) == 3
    assert result.to_dict()["complies"] is False


def test_exactly_at_the_ceiling_complies() -> None:
    at = posture(sys_("icbm", "icbm_silo", "icbm", 700, 1550 / 700, nondeployed=100))
    result = compliance(count(at, load_treaty("new-start")))
    assert result.complies
    assert [s.margin for s in result.limits] == pytest.approx([0, 0, 0])


def test_party_and_dates() -> None:
    cn = toy().model_copy(update={"actor": "cn"})
    treaty = load_treaty("new-start")
    assert not compliance(count(cn, treaty)).party
    assert compliance(count(cn, load_treaty("trilateral"))).party
    assert compliance(count(toy(), treaty), on=dt.date(2026, 2, 5)).in_force is False
    assert compliance(count(toy(), treaty), on=dt.date(2011, 2, 5)).in_force is True
    assert compliance(count(toy(), load_treaty("no-treaty")), on=dt.date(2026, 3, 1)).in_force


def test_new_start_file_is_the_treaty_as_signed() -> None:
    t = load_treaty("new-start")
    assert {lim.quantity: lim.ceiling for lim in t.limits} == {
        "deployed_launchers": 700,
        "deployed_warheads": 1550,
        "total_launchers": 800,
    }
    assert (t.in_force_from, t.in_force_until) == (dt.date(2011, 2, 5), dt.date(2026, 2, 5))
    assert set(t.parties) == {"us", "ru"}


def test_every_builtin_treaty_is_documented() -> None:
    assert set(treaty_names()) >= {
        "new-start",
        "all-warheads",
        "missile-defense-limits",
        "new-kinds",
        "trilateral",
        "no-treaty",
    }
    for name in treaty_names():
        t = load_treaty(name)
        assert t.id == name.replace("-", "_")
        assert len(t.notes) > 100 and t.label
    assert load_treaty("no-treaty").limits == ()
