"""The treaty view says whether a treaty binds a side on the scenario date."""

from __future__ import annotations

from detente.analysis.treaty_view import treaty_view
from detente.data import load_posture
from detente.model.scenario import Scenario, Side


def _scenario(date: str, treaty: str, *postures: str) -> Scenario:
    return Scenario(
        name="t",
        date=date,
        treaty=treaty,
        sides=tuple(Side(posture=load_posture(p)) for p in postures),
    )


def test_new_start_in_force_in_2021_for_both_parties():
    views = treaty_view(
        _scenario("2021-07-28", "new_start", "us-2021", "ru-2021"),
        on=__import__("datetime").date(2021, 7, 28),
    )
    assert [(v.actor, v.status) for v in views] == [("us", "in force"), ("ru", "in force")]


def test_expired_treaty_and_non_party_are_said_so():
    import datetime as dt

    views = treaty_view(
        _scenario("2030-01-01", "new_start", "us-2025", "cn-2025"), on=dt.date(2030, 1, 1)
    )
    status = {v.actor: v.status for v in views}
    assert status["us"] == "not in force on 2030-01-01"
    assert status["cn"] == "not in force on 2030-01-01; not a party"
    assert views[1].to_dict()["party"] is False


def test_an_undated_design_is_not_called_in_force():
    import datetime as dt

    views = treaty_view(
        _scenario("2021-07-28", "all_warheads", "us-2021", "ru-2021"), on=dt.date(2021, 7, 28)
    )
    assert all(v.status.startswith("a proposal with no entry-into-force date") for v in views)
    assert all(v.in_force is None for v in views)
