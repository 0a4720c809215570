"""Building up within ceilings, per-party ceilings, and the fast totals used by reductions."""

from __future__ import annotations

import math

import pytest

from detente.data import load_posture, load_treaty, posture_names, treaty_names
from detente.examples import toy_posture
from detente.model.treaty import CountingRule, Limit, Treaty
from detente.treaty import compliance, count, reduce_to_comply
from detente.treaty.counting import quantity_totals
from detente.treaty.upload import build_up

NEW_START = load_treaty("new-start")


def _strategic(posture):
    return [s for s in posture.systems if s.nuclear and s.category != "nonstrategic"]


@pytest.mark.parametrize("name", ["us-2021", "ru-2021", "us-2025", "ru-2025"])
def test_without_a_treaty_every_launcher_takes_its_own_stored_warheads(name):
    # none of these postures has an unassigned reserve, so each system's upload is its own
    # stored warheads, as many as fit below its maximum load (whole warheads)
    before = load_posture(name)
    assert before.reserve_unassigned == 0
    after = build_up(before).posture
    for s in _strategic(before):
        if not s.launchers_deployed:
            continue
        room = s.launchers_deployed * (s.max_warheads_per_launcher - s.warheads_per_launcher)
        added = math.floor(min(s.warheads_stored, max(0.0, room)) + 1e-9)
        new = after.system(s.id)
        assert new.warheads_per_launcher == pytest.approx(
            s.warheads_per_launcher + added / s.launchers_deployed, abs=1e-9
        )
        assert new.warheads_stored == s.warheads_stored - added


def test_the_reserve_fills_what_storage_cannot_in_posture_order():
    # icbm: 100 launchers at 1 of max 3 (room 200), 50 stored; slbm: 20 tubes at 4 of
    # max 8 (room 80), 10 stored; reserve 180. By hand: icbm takes 50 own + 150 reserve;
    # slbm takes 10 own + the 30 reserve left.
    p = toy_posture("a", icbms=100, mirv=1.0, slbms=20)
    icbm, slbm = p.systems
    p = p.model_copy(
        update={
            "systems": (
                icbm.model_copy(update={"max_warheads_per_launcher": 3.0, "warheads_stored": 50}),
                slbm.model_copy(
                    update={
                        "warheads_per_launcher": 4.0,
                        "max_warheads_per_launcher": 8.0,
                        "warheads_stored": 10,
                    }
                ),
            ),
            "reserve_unassigned": 180,
        }
    )
    built = build_up(p)
    assert [(s.from_storage, s.from_reserve) for s in built.systems] == [(50, 150), (10, 30)]
    assert built.posture.system(icbm.id).warheads_per_launcher == pytest.approx(3.0)
    assert built.posture.system(slbm.id).warheads_per_launcher == pytest.approx(6.0)
    assert built.posture.reserve_unassigned == 0


@pytest.mark.parametrize("name", ["us-2021", "ru-2021"])
def test_under_new_start_the_upload_stops_at_the_ceiling_and_one_more_would_break_it(name):
    before = load_posture(name)
    built = build_up(before, NEW_START)
    assert compliance(count(built.posture, NEW_START)).complies
    assert built.held_back > 0
    deployed = count(built.posture, NEW_START).total("deployed_warheads")
    assert deployed > 1550 - 1  # no whole warhead of room is left unused...
    for s in built.systems:
        if s.held_back:
            # ...and one more on a system the ceiling held back breaks it
            sys = built.posture.system(s.system)
            more = sys.model_copy(
                update={
                    "warheads_per_launcher": sys.warheads_per_launcher + 1 / sys.launchers_deployed
                }
            )
            systems = tuple(more if x.id == s.system else x for x in built.posture.systems)
            over = built.posture.model_copy(update={"systems": systems})
            assert not compliance(count(over, NEW_START)).complies


def test_bombers_upload_freely_under_new_start_counting():
    # New START counts one warhead per deployed bomber whatever it carries
    built = build_up(load_posture("us-2021"), NEW_START)
    bombers = {s.system: s for s in built.systems if s.system in ("us_b2a", "us_b52h")}
    assert all(s.held_back == 0 and s.uploaded > 0 for s in bombers.values())


def test_a_posture_over_a_ceiling_uploads_nothing_that_ceiling_counts():
    low = NEW_START.model_copy(
        update={
            "limits": tuple(
                lim.model_copy(update={"ceiling": 100}) if lim.id == "deployed_warheads" else lim
                for lim in NEW_START.limits
            )
        }
    )
    before = load_posture("ru-2021")
    start = count(before, low).total("deployed_warheads")
    built = build_up(before, low)
    assert count(built.posture, low).total("deployed_warheads") == pytest.approx(start)
    assert {s.system for s in built.systems if s.uploaded} <= {"ru_tu95ms", "ru_tu160"}


def test_the_horizon_uses_the_rate_model():
    p = load_posture("us-2021")
    assert build_up(p, months=0).uploaded == 0
    six = {s.system: s.uploaded for s in build_up(p, months=6).systems}
    full = {s.system: s.uploaded for s in build_up(p).systems}
    assert six["us_b52h"] == full["us_b52h"]  # bombers upload in a month
    assert six["us_trident_ii"] == math.floor(full["us_trident_ii"] * 6 / 12 + 1e-9)
    assert six["us_minuteman_iii"] == math.floor(full["us_minuteman_iii"] * 6 / 36 + 1e-9)


def test_a_ceiling_for_one_party_binds_only_that_party():
    rule = CountingRule(quantity="w", measure="loaded_warheads")
    treaty = Treaty(
        id="t",
        parties=("us", "ru"),
        counting=(rule,),
        limits=(Limit(id="w_ru", quantity="w", ceiling=100, parties=("ru",)),),
    )
    us, ru = load_posture("us-2021"), load_posture("ru-2021")
    assert compliance(count(us, treaty)).limits == ()
    assert compliance(count(us, treaty)).complies
    assert not compliance(count(ru, treaty)).complies
    assert reduce_to_comply(us, treaty, "download_first").cuts == ()
    cut = reduce_to_comply(ru, treaty, "download_first")
    assert count(cut.posture, treaty).total("w") <= 100


@pytest.mark.parametrize("treaty", treaty_names())
def test_quick_totals_equal_the_ledger_to_the_bit(treaty):
    t = load_treaty(treaty)
    for name in posture_names():
        p = load_posture(name)
        assert quantity_totals(p, t) == {q.quantity: q.total for q in count(p, t).totals}
