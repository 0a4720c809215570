"""Reduction policies and upload potential on small postures, answers derived by hand."""

from __future__ import annotations

import pytest

from detente.data import load_treaty
from detente.errors import DetenteError, OutsideValidityError
from detente.model.posture import Posture
from detente.treaty import (
    ReductionError,
    UploadRates,
    compliance,
    count,
    reduce_to_comply,
    upload_potential,
)
from test_treaty_counting import posture, sys_


def over() -> Posture:
    """700 deployed launchers carrying 1,200 + 960 + 60 = 2,220 New START warheads."""
    return posture(
        sys_("silo", "icbm_silo", "icbm", 400, 3, max_load=3),
        sys_("ssbn", "slbm", "slbm", 240, 4, max_load=8),
        sys_("bomber", "bomber", "heavy_bomber", 60, 0, max_load=16, stored=300),
    )


def test_download_first_takes_warheads_off_the_most_loaded_missiles() -> None:
    red = reduce_to_comply(over(), load_treaty("new-start"), "download_first")
    # excess 670: Trident-like SLBMs (4 per missile) are downloaded first, into storage
    assert [(c.action, c.item, c.units, c.warheads_to_storage) for c in red.cuts] == [
        ("download", "ssbn", 670, 670)
    ]
    ssbn = red.posture.system("ssbn")
    assert ssbn.warheads_per_launcher == pytest.approx((960 - 670) / 240)
    assert ssbn.warheads_stored == 670
    assert red.ledger_after.total("deployed_warheads") == pytest.approx(1550)
    assert red.ledger_after.total("deployed_launchers") == 700


def test_retire_vulnerable_first_retires_silos() -> None:
    red = reduce_to_comply(over(), load_treaty("new-start"), "retire_vulnerable_first")
    # 670 / 3 per silo -> 224 silos (672 warheads), their warheads go to storage
    assert [(c.action, c.item, c.units) for c in red.cuts] == [("retire_deployed", "silo", 224)]
    assert red.posture.system("silo").launchers_deployed == 176
    assert red.posture.system("silo").warheads_stored == 672
    assert red.ledger_after.total("deployed_warheads") == 1548
    assert red.ledger_after.total("deployed_launchers") == 476


def test_proportional_cuts_every_contributor_by_the_same_share() -> None:
    red = reduce_to_comply(over(), load_treaty("new-start"), "proportional")
    # share 670/2220: silos 362.2 -> 121 launchers, SLBMs 289.7 -> 73, bombers 18.1 -> 19
    assert {c.item: c.units for c in red.cuts} == {"silo": 121, "ssbn": 73, "bomber": 19}
    assert red.ledger_after.total("deployed_warheads") == 2220 - 363 - 292 - 19
    assert red.ledger_after.total("deployed_launchers") == 700 - 121 - 73 - 19


def test_empty_launchers_go_first_for_the_launcher_total() -> None:
    p = posture(sys_("silo", "icbm_silo", "icbm", 500, 1, nondeployed=400))
    for policy in ("download_first", "retire_vulnerable_first"):
        red = reduce_to_comply(p, load_treaty("new-start"), policy)
        assert [(c.action, c.units) for c in red.cuts] == [("retire_nondeployed", 100)]


def test_stockpile_cap_retires_warheads_rather_than_storing_them() -> None:
    p = posture(
        sys_("silo", "icbm_silo", "icbm", 400, 3, max_load=3, stored=500),
        sys_("tactical", "nonstrategic", "none", 10, 0, max_load=1, stored=1000),
        reserve=900,
    )
    # 1,200 + 500 + 1,000 + 900 = 3,600; the cap of 2,500 needs 1,100 fewer
    red = reduce_to_comply(p, load_treaty("all-warheads"), "download_first")
    assert [(c.action, c.item, c.units) for c in red.cuts] == [
        ("dismantle_reserve", "reserve_unassigned", 900),
        ("dismantle_stored", "silo", 200),
    ]
    assert red.ledger_after.total("all_warheads") == 2500
    assert all(c.warheads_to_storage == 0 for c in red.cuts)


def test_interceptors_are_cut_to_the_abm_anchor() -> None:
    from test_treaty_counting import layer

    p = posture(sys_("silo", "icbm_silo", "icbm", 10, 1), defenses=(layer("gmd", "area", 144),))
    red = reduce_to_comply(p, load_treaty("missile-defense-limits"), "proportional")
    assert [(c.action, c.item, c.units) for c in red.cuts] == [("remove_interceptors", "gmd", 44)]
    assert red.posture.defenses[0].interceptors == 100


def test_reduction_leaves_the_input_alone_and_reports() -> None:
    p = over()
    before = p.model_dump()
    red = reduce_to_comply(p, load_treaty("new-start"), "download_first")
    assert p.model_dump() == before
    assert red.compliance_after.complies
    assert not compliance(red.ledger_before).complies
    assert red.to_dict()["totals_before"]["deployed_warheads"] == 2220
    assert list(red.to_frame()["units"]) == [670]
    assert red.posture.totals is None


def test_compliant_posture_needs_no_cuts() -> None:
    p = posture(sys_("silo", "icbm_silo", "icbm", 400, 1))
    red = reduce_to_comply(p, load_treaty("new-start"), "proportional")
    assert red.cuts == ()


def test_unknown_policy_is_a_user_error() -> None:
    with pytest.raises(ReductionError, match="download_first") as info:
        reduce_to_comply(over(), load_treaty("new-start"), "cut_everything")
    assert isinstance(info.value, DetenteError)


def test_upload_potential_by_hand() -> None:
    p = posture(
        sys_("silo", "icbm_silo", "icbm", 400, 1, max_load=3, nondeployed=50, stored=500),
        sys_("ssbn", "slbm", "slbm", 240, 4, max_load=8),
        reserve=100,
    )
    up = upload_potential(p, months=12)
    silo, ssbn = up.systems
    # spare 400 x 2 = 800 <- 500 stored + 100 reserve; nothing left for 50 empty silos
    assert (silo.spare_capacity, silo.upload, silo.redeploy) == (800, 600, 0)
    assert (silo.from_storage, silo.from_reserve) == (500, 100)
    # silo ICBMs take 36 months by default: a third after 12
    assert silo.by_months == pytest.approx(200)
    assert (ssbn.spare_capacity, ssbn.potential) == (960, 0)
    assert up.potential == 600
    assert up.to_dict()["potential"] == 600 and len(up.to_frame()) == 2


def test_upload_redeploys_empty_launchers_and_follows_the_rate_model() -> None:
    p = posture(sys_("silo", "icbm_silo", "icbm", 100, 1, max_load=3, nondeployed=50, stored=500))
    up = upload_potential(p, months=6, rates=UploadRates(icbm_silo=12, redeploy=24))
    (silo,) = up.systems
    assert (silo.upload, silo.redeploy) == (200, 150)
    assert silo.by_months == pytest.approx(200 * 6 / 12 + 150 * 6 / 24)
    assert upload_potential(p, months=0).by_months == 0
    with pytest.raises(OutsideValidityError):
        upload_potential(p, months=-1)


def test_new_start_reduction_then_upload_shows_the_hedge() -> None:
    red = reduce_to_comply(over(), load_treaty("new-start"), "download_first")
    up = upload_potential(red.posture)
    # the 670 downloaded warheads wait in storage for the same SLBMs
    assert up.systems[1].upload == 670
    assert count(red.posture, load_treaty("new-start")).total("deployed_warheads") <= 1550
