"""The dashboard's sliders: a few levers applied to a scenario as written.

A lever is a choice a party (or a treaty) makes: how many missile-defence
interceptors, which alert level, launch on warning or not, how much of its
survivable force is at sea or dispersed day to day, and the state of the
cross-domain agenda (early-warning satellites, cyber attack on C2, finding
submarines and mobile missiles). Each lever sets fields of the scenario; the
changed scenario is validated again by the domain model, and every number a
lever sets is cited to the scenario (source ``scenario``) with a note naming
the lever, so the sources table never shows a shipped citation for a number
the dashboard changed. A lever left unset changes nothing.
"""

from __future__ import annotations

import difflib
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from detente.data import builtin_treaty_id, treaty_names
from detente.errors import InvalidArgumentError
from detente.model.base import SCENARIO
from detente.model.checks import check_scenario
from detente.model.limits import MAX_UNITS
from detente.model.posture import Posture
from detente.model.scenario import Scenario
from detente.model.treaty import Treaty

MISSILE_DEFENSE_KINDS = ("area", "point")
"""Defence layers the interceptor lever scales (air defence is left as written)."""

SURVIVABLE_CATEGORIES = ("slbm", "icbm_mobile")
"""Systems whose day-to-day alert share the survivable-alert lever sets (SSBNs at sea,
mobile ICBMs out of garrison)."""

Actor = Annotated[str, Field(min_length=1, max_length=64)]
"""An actor code in a request (us, ru, cn ...)."""

NO_TREATY = "none"
"""The treaty lever's value for a scenario without a treaty."""


class SideLevers(BaseModel):
    """Levers of one side; a lever left out (null) keeps the scenario's value."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    missile_defense_interceptors: int | None = Field(
        default=None,
        ge=0,
        le=MAX_UNITS,
        description="Total interceptors of the side's missile-defence layers (area and point); "
        "each layer is scaled in proportion. Air defence is not changed.",
    )
    alert: Literal["day_to_day", "generated"] | None = Field(
        default=None, description="The side's alert level."
    )
    launch_on_warning: bool | None = Field(
        default=None, description="Whether the side launches threatened ICBMs on warning."
    )
    survivable_alert: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Day-to-day alert share of the side's SSBNs (at sea) and mobile ICBMs "
        "(dispersed), set on every such system; the generated share is raised to match "
        "where it was lower.",
    )
    early_warning_satellites: bool | None = Field(
        default=None, description="Whether the side's space-based early warning is up."
    )
    cyber_c2_degradation: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Share of the side's C2 execution probability lost to cyber attack.",
    )
    detect_ssbn_at_sea: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Probability the side finds and can strike an adversary SSBN at sea "
        "(AI-enabled ocean sensing).",
    )
    detect_mobile_dispersed: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Probability the side finds an adversary mobile ICBM out of garrison.",
    )


class Levers(BaseModel):
    """Lever settings on top of a scenario: per side (by actor) and for the whole scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    sides: dict[Actor, SideLevers] = Field(
        default_factory=dict,
        max_length=3,
        description="Levers per side, keyed by actor (us, ru, cn ...).",
    )
    treaty: str | None = Field(
        default=None,
        max_length=64,
        description=f"Treaty in force: a built-in treaty id (new_start ...) or {NO_TREATY!r}.",
    )
    hgv_warning_fraction: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Share of a glide vehicle's flight time left as warning when it is the "
        "first weapon of a strike detected.",
    )

    @property
    def empty(self) -> bool:
        """Whether no lever is set."""
        return not self.sides and self.treaty is None and self.hgv_warning_fraction is None


def treaty_label(treaty: Treaty | None) -> str:
    """The treaty lever's value for a scenario's treaty: a built-in id, the id of a
    treaty written in the scenario, or :data:`NO_TREATY`."""
    if treaty is None:
        return NO_TREATY
    return builtin_treaty_id(treaty) or treaty.id


def treaty_ids() -> tuple[str, ...]:
    """Treaty ids a scenario (and the treaty lever) accepts: ``new_start`` ..."""
    return tuple(n.replace("-", "_") for n in treaty_names())


def _cite(obj: dict[str, Any], field: str, lever: str) -> None:
    """Cite ``field`` of a cited object (plain data) to the scenario, naming the lever."""
    kept = [c for c in obj.get("cite", ()) if c.get("field") != field]
    note = f"set on the dashboard ({lever})"
    obj["cite"] = (*kept, {"field": field, "source": SCENARIO, "note": note})


def _scale_counts(counts: list[int], total: int) -> list[int]:
    """``counts`` scaled to sum exactly to ``total``, largest remainders rounded up."""
    have = sum(counts)
    exact = [c * total / have for c in counts]
    out = [math.floor(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _set_interceptors(posture: dict[str, Any], actor: str, total: int) -> None:
    layers = [d for d in posture["defenses"] if d["kind"] in MISSILE_DEFENSE_KINDS]
    counts = [int(d["interceptors"]) for d in layers]
    if sum(counts) == 0:
        if total == 0:
            return
        raise InvalidArgumentError(
            f"levers.sides.{actor}.missile_defense_interceptors: {actor} has no missile-defence "
            f"interceptors to scale (got {total}); add an area or point defence layer to the "
            "scenario to give it some"
        )
    for layer, new in zip(layers, _scale_counts(counts, total), strict=True):
        if new != layer["interceptors"]:
            layer["interceptors"] = new
            _cite(layer, "interceptors", "missile-defence interceptors")


def _set_survivable_alert(posture: dict[str, Any], actor: str, share: float) -> None:
    systems = [s for s in posture["systems"] if s["category"] in SURVIVABLE_CATEGORIES]
    if not systems:
        raise InvalidArgumentError(
            f"levers.sides.{actor}.survivable_alert: {actor} has no SSBNs or mobile ICBMs "
            f"whose alert share could be set (got {share:g})"
        )
    for system in systems:
        alert = system["alert"]
        new = {"day_to_day": share, "generated": max(alert["generated"], share)}
        if new != alert:
            system["alert"] = new
            _cite(system, "alert", "survivable alert share")


_FACTORS = ("early_warning_satellites", "cyber_c2_degradation")
_SENSING = ("detect_ssbn_at_sea", "detect_mobile_dispersed")


def _apply_side(side: dict[str, Any], actor: str, lv: SideLevers) -> None:
    posture, factors = side["posture"], side["factors"]
    if lv.missile_defense_interceptors is not None:
        _set_interceptors(posture, actor, lv.missile_defense_interceptors)
    if lv.alert is not None and lv.alert != posture["alert"]:
        posture["alert"] = lv.alert
        _cite(posture, "alert", "alert level")
    if (
        lv.launch_on_warning is not None
        and lv.launch_on_warning != (posture["launch_on_warning"]["enabled"])
    ):
        posture["launch_on_warning"]["enabled"] = lv.launch_on_warning
        _cite(posture["launch_on_warning"], "enabled", "launch on warning")
    if lv.survivable_alert is not None:
        _set_survivable_alert(posture, actor, lv.survivable_alert)
    for name in (*_FACTORS, *_SENSING):
        value = getattr(lv, name)
        if value is not None and value != factors[name]:
            factors[name] = value
            _cite(factors, name, name.replace("_", " "))


def _actor_index(scenario: Scenario, actor: str) -> int:
    actors = [s.actor for s in scenario.sides]
    if actor in actors:
        return actors.index(actor)
    close = difflib.get_close_matches(actor, actors, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    shown = actor if len(actor) <= 40 else actor[:37] + "..."
    raise InvalidArgumentError(
        f"levers.sides: {shown!r} is not a side of the scenario; {hint}"
        f"expected one of: {', '.join(actors)}"
    )


def _treaty(name: str) -> str | None:
    if name == NO_TREATY:
        return None
    known = treaty_ids()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InvalidArgumentError(
            f"levers.treaty: unknown treaty {name[:64]!r}; {hint}expected {NO_TREATY!r} or one "
            f"of: {', '.join(known)}"
        )
    return name


def apply_levers(scenario: Scenario, levers: Levers) -> Scenario:
    """``scenario`` with the levers set (the scenario itself is not changed).

    Raises
    ------
    InvalidArgumentError
        If a lever names a side the scenario does not have, an unknown treaty,
        a side with nothing to scale, or leaves the scenario invalid; the
        message names the lever and what is expected.
    """
    if levers.empty:
        return scenario
    data = scenario.model_dump()
    for actor, lv in levers.sides.items():
        i = _actor_index(scenario, actor)
        _apply_side(data["sides"][i], actor, lv)
    if levers.treaty is not None:
        data["treaty"] = _treaty(levers.treaty)
    if levers.hgv_warning_fraction is not None:
        data["exchange"]["hgv_warning_fraction"] = levers.hgv_warning_fraction
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidArgumentError(
            f"the levers leave the scenario invalid at {where}: {first['msg']}"
        ) from None
    problems = check_scenario(changed)
    if problems:
        raise InvalidArgumentError(
            "the levers leave the scenario invalid: " + "; ".join(p.render() for p in problems)
        )
    return changed


class SideLeverState(BaseModel):
    """Where one side's levers stand in a scenario (to set the sliders)."""

    actor: str
    label: str
    missile_defense_interceptors: int
    missile_defense_layers: int = Field(description="Area and point layers the lever scales.")
    alert: Literal["day_to_day", "generated"]
    launch_on_warning: bool
    survivable_alert: float | None = Field(
        description="Launcher-weighted mean day-to-day alert share of SSBNs and mobile ICBMs; "
        "null when the side has none."
    )
    early_warning_satellites: bool
    cyber_c2_degradation: float
    detect_ssbn_at_sea: float
    detect_mobile_dispersed: float


class LeverState(BaseModel):
    """Where every lever stands in a scenario."""

    sides: list[SideLeverState]
    treaty: str
    hgv_warning_fraction: float


def _survivable_mean(posture: Posture) -> float | None:
    systems = [s for s in posture.systems if s.category in SURVIVABLE_CATEGORIES]
    if not systems:
        return None
    weights = [s.launchers_deployed for s in systems]
    if sum(weights) == 0:
        weights = [1] * len(systems)
    total = sum(w * s.alert.day_to_day for w, s in zip(weights, systems, strict=True))
    return total / sum(weights)


def lever_state(scenario: Scenario) -> LeverState:
    """The value of every lever in ``scenario``."""
    sides = []
    for side in scenario.sides:
        p, f = side.posture, side.factors
        layers = [d for d in p.defenses if d.kind in MISSILE_DEFENSE_KINDS]
        sides.append(
            SideLeverState(
                actor=side.actor,
                label=p.label or p.id,
                missile_defense_interceptors=sum(d.interceptors for d in layers),
                missile_defense_layers=len(layers),
                alert=p.alert,
                launch_on_warning=p.launch_on_warning.enabled,
                survivable_alert=_survivable_mean(p),
                early_warning_satellites=f.early_warning_satellites,
                cyber_c2_degradation=f.cyber_c2_degradation,
                detect_ssbn_at_sea=f.detect_ssbn_at_sea,
                detect_mobile_dispersed=f.detect_mobile_dispersed,
            )
        )
    return LeverState(
        sides=sides,
        treaty=treaty_label(scenario.treaty),
        hgv_warning_fraction=scenario.exchange.hgv_warning_fraction,
    )


__all__ = [
    "MISSILE_DEFENSE_KINDS",
    "NO_TREATY",
    "SURVIVABLE_CATEGORIES",
    "Actor",
    "LeverState",
    "Levers",
    "SideLeverState",
    "SideLevers",
    "apply_levers",
    "lever_state",
    "treaty_ids",
]
