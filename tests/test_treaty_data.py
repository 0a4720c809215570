"""Built-in treaties against built-in postures and the published New START data."""

from __future__ import annotations

import pytest

from detente.data import (
    load_posture,
    load_treaty,
    new_start_exchanges,
    posture_names,
    sources,
    treaty_names,
)
from detente.treaty import POLICIES, compliance, count, reduce_to_comply, upload_potential

POSTURES = ("us-2021", "ru-2021", "cn-2021", "us-2025", "ru-2025", "cn-2025")
CENTRAL = ("deployed_launchers", "deployed_warheads", "total_launchers")


def test_treaty_files_cite_registered_sources() -> None:
    known = set(sources())
    for name in treaty_names():
        t = load_treaty(name)
        assert t.source in known
        for c in t.cite:
            assert c.source in known
            assert c.source != "assumption" or c.note


def test_all_builtin_postures_are_present() -> None:
    assert set(POSTURES) <= set(posture_names())


@pytest.mark.parametrize("name", ["us-2021", "ru-2021"])
def test_new_start_counts_match_the_nearest_data_exchange(name: str) -> None:
    p = load_posture(name)
    records = [r for r in new_start_exchanges() if r["party"] == p.actor]
    nearest = min(records, key=lambda r: abs((r["date"] - p.date).days))
    ledger = count(p, load_treaty("new-start"))
    for quantity in CENTRAL:
        assert ledger.total(quantity) == pytest.approx(nearest[quantity], rel=0.03), quantity


@pytest.mark.parametrize("name", ["us-2021", "ru-2021"])
def test_2021_us_and_russia_met_new_start(name: str) -> None:
    # both parties declared compliance from February 2018 onwards
    assert compliance(count(load_posture(name), load_treaty("new-start"))).complies


@pytest.mark.parametrize("name", POSTURES)
def test_builtin_postures_reduce_and_upload_sensibly(name: str) -> None:
    p = load_posture(name)
    nst = count(p, load_treaty("new-start")).total("deployed_warheads")
    assert count(p, load_treaty("all-warheads")).total("all_warheads") >= nst
    for treaty in ("all-warheads", "new-kinds", "missile-defense-limits"):
        for policy in POLICIES:
            red = reduce_to_comply(p, load_treaty(treaty), policy)
            assert red.compliance_after.complies
    up = upload_potential(p, months=12)
    assert 0 <= up.by_months <= up.potential


def test_us_2021_all_warheads_cap_binds() -> None:
    # the US military stockpile of about 3,800 (FAS 2021) is far above the 2,500 cap
    total = count(load_posture("us-2021"), load_treaty("all-warheads")).total("all_warheads")
    assert 3500 < total < 4100
