"""Small scenarios built in code, for documentation, tests and benchmarks.

They are illustrative, not estimates of any real force: round numbers chosen
so that results can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from detente.model.defense import C2, DefenseLayer, DeliveryPk, LaunchOnWarning
from detente.model.force import AlertFractions, System
from detente.model.posture import Posture
from detente.model.scenario import ExchangeSettings, Scenario, Side
from detente.model.target import TargetClass

_DATE = dt.date(2021, 7, 28)


def toy_targets(
    silos: int = 100, value_points: int = 300, silo_hardness_psi: float = 2000.0
) -> tuple[TargetClass, ...]:
    """Silo field, SSBN port, bomber base, garrison and value of a toy actor."""
    return (
        TargetClass(id="silos", kind="silo_field", count=silos, hardness_psi=silo_hardness_psi),
        TargetClass(id="port", kind="ssbn_port", count=2, hardness_psi=10.0, coastal=True),
        TargetClass(id="bases", kind="bomber_base", count=3, hardness_psi=5.0),
        TargetClass(id="garrison", kind="mobile_garrison", count=10, hardness_psi=20.0),
        TargetClass(
            id="value",
            kind="value",
            count=value_points,
            hardness_psi=10.0,
            coastal=True,
            value_zipf_exponent=1.0,
        ),
    )


def toy_icbm(
    launchers: int = 100, mirv: float = 1.0, cep_m: float = 150.0, yield_kt: float = 300.0
) -> System:
    """A silo ICBM, always on alert."""
    return System(
        id="icbm",
        category="icbm_silo",
        delivery="ballistic_rv",
        launchers_deployed=launchers,
        warheads_per_launcher=mirv,
        max_warheads_per_launcher=max(mirv, 3.0),
        yield_kt=yield_kt,
        cep_m=cep_m,
        reliability=0.9,
        flight_time_min=30.0,
        range_km=10000.0,
        accountability="icbm",
        home_target="silos",
        alert=AlertFractions(day_to_day=1.0, generated=1.0),
    )


def toy_slbm(launchers: int = 0, at_sea: float = 0.6) -> System:
    """An SLBM force; ``at_sea`` of it at sea day to day, 0.9 when generated."""
    return System(
        id="slbm",
        category="slbm",
        delivery="ballistic_rv",
        launchers_deployed=launchers,
        warheads_per_launcher=4.0,
        max_warheads_per_launcher=8.0,
        yield_kt=100.0,
        cep_m=120.0,
        reliability=0.9,
        flight_time_min=15.0,
        range_km=11000.0,
        accountability="slbm",
        home_target="port",
        alert=AlertFractions(day_to_day=at_sea, generated=max(at_sea, 0.9)),
    )


def toy_posture(
    actor: str,
    *,
    icbms: int = 100,
    mirv: float = 1.0,
    cep_m: float = 150.0,
    slbms: int = 0,
    interceptors: int = 0,
    launch_on_warning: bool = False,
    silo_hardness_psi: float = 2000.0,
    value_points: int = 300,
    at_sea: float = 0.6,
) -> Posture:
    """A toy posture: silo ICBMs, optionally SLBMs and an area missile defence."""
    systems = [toy_icbm(icbms, mirv, cep_m)]
    if slbms:
        systems.append(toy_slbm(slbms, at_sea))
    defenses: tuple[DefenseLayer, ...] = ()
    if interceptors:
        defenses = (
            DefenseLayer(
                id="area_bmd",
                kind="area",
                interceptors=interceptors,
                pk=DeliveryPk(ballistic_rv=0.6),
                shots_per_engagement=2,
            ),
        )
    return Posture(
        id=f"{actor}_toy",
        actor=actor,
        date=_DATE,
        systems=tuple(systems),
        targets=toy_targets(max(icbms, 1), value_points, silo_hardness_psi),
        defenses=defenses,
        c2=C2(execution_probability=1.0, decision_time_min=10.0),
        launch_on_warning=LaunchOnWarning(enabled=launch_on_warning, fraction=1.0),
        source="assumption",
    )


def toy_dyad(
    a: dict[str, Any] | None = None,
    b: dict[str, Any] | None = None,
    *,
    actors: tuple[str, str] = ("a", "b"),
    **common: Any,
) -> Scenario:
    """Two toy actors, ``a`` and ``b`` unless ``actors`` names them.

    Keyword arguments go to both postures (:func:`toy_posture`); ``a`` and
    ``b`` add arguments for one side only.
    """
    return Scenario(
        name="toy_dyad",
        label="Toy dyad",
        sides=(
            Side(posture=toy_posture(actors[0], **{**common, **(a or {})})),
            Side(posture=toy_posture(actors[1], **{**common, **(b or {})})),
        ),
        exchange=ExchangeSettings(),
    )


def toy_triad(
    parties: dict[str, dict[str, Any]] | None = None,
    *,
    actors: tuple[str, str, str] = ("a", "b", "c"),
    **common: Any,
) -> Scenario:
    """Three toy actors, ``a``, ``b`` and ``c`` unless ``actors`` names them.

    Keyword arguments go to every posture (:func:`toy_posture`); ``parties`` adds
    arguments for one side only, by actor.
    """
    extra = parties or {}
    return Scenario(
        name="toy_triad",
        label="Toy triad",
        sides=tuple(
            Side(posture=toy_posture(actor, **{**common, **extra.get(actor, {})}))
            for actor in actors
        ),
        exchange=ExchangeSettings(),
    )


def geneva_2021() -> Scenario:
    """The built-in baseline: US and Russian 2021 postures, New START in force.

    Both sides at their shipped (day-to-day) alert levels, on 28 July 2021, the
    first round of the Geneva strategic stability dialogue.
    """
    from detente.data import load_posture

    return Scenario(
        name="geneva_2021",
        label="Geneva 2021 baseline",
        question="How stable is the US-Russian balance at the first Geneva round, "
        "28 July 2021, under each side's reading?",
        date="2021-07-28",
        sides=(Side(posture=load_posture("us-2021")), Side(posture=load_posture("ru-2021"))),
        treaty="new_start",
    )
