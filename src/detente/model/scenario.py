"""A scenario: two or three sides, their factors, and the analysis settings."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from detente.model.base import Float, Frozen, Identifier, Int, Probability
from detente.model.defense import DomainFactors
from detente.model.limits import MAX_UNCERTAINTIES
from detente.model.posture import Posture
from detente.model.space import Uncertainty


class Side(Frozen):
    """One party to the scenario: its posture and its cross-domain state."""

    posture: Posture = Field(description="The side's posture (built-in name or inline).")
    factors: DomainFactors = Field(
        default_factory=DomainFactors, description="Cross-domain factors of this side."
    )

    @property
    def actor(self) -> str:
        """Actor code of the side."""
        return self.posture.actor


class ExchangeSettings(Frozen):
    """How exchanges are fought (the attacker's doctrine, the same for every side)."""

    reserve_fraction: Probability = Field(
        default=0.25,
        description="Share of ready warheads the attacker withholds from its counterforce "
        "strike for a later strike on value.",
    )
    max_shots_per_aim_point: Int = Field(
        default=2, ge=1, le=6, description="Most warheads aimed at one military aim point."
    )
    allocator: Literal["fast", "exact"] = Field(
        default="fast", description="Weapon-target allocation method."
    )
    conventional_max_hardness_psi: Float = Field(
        default=50.0,
        gt=0,
        description="Hardest target conventional precision strike can destroy (psi).",
    )
    conventional_lethal_radius_m: Float = Field(
        default=30.0,
        gt=0,
        le=1000,
        description="Radius within which a conventional precision weapon destroys a soft "
        "aim point (m).",
    )
    time_urgent_max_min: Float = Field(
        default=40.0,
        gt=0,
        description="Slowest flight time (min) of weapons used against military targets; "
        "slower weapons (bombers, cruise missiles) are held for the later strike. "
        "Torpedoes are exempt: they are taken to be pre-positioned.",
    )
    conventional_time_limit_min: Float = Field(
        default=180.0,
        gt=0,
        description="Slowest flight time (min) of conventional precision strike used against "
        "military targets. Longer than the nuclear limit: the case Moscow worries about is a "
        "conventional strike launched ahead of a nuclear one (sea-launched cruise missiles "
        "from close in) against targets that cannot disperse within its flight time. "
        "Bomber-carried raids of many hours are left out: the bombers' approach would "
        "itself be warning.",
    )
    radar_only_warning_fraction: Probability = Field(
        default=0.5,
        description="Share of a ballistic flight time left as warning when only "
        "ground radars see the attack (no satellites).",
    )
    hgv_warning_fraction: Probability = Field(
        default=0.3,
        description="Share of a glide vehicle's flight time left as warning "
        "(it flies below radar horizons until late).",
    )
    bomber_escape_min: Float = Field(
        default=8.0,
        gt=0,
        description="Warning (min) alert bombers need to take off and escape.",
    )


class StabilitySettings(Frozen):
    """Parameters of the stability definitions; each is documented with its source."""

    damage_weight: Float = Field(
        default=0.5,
        ge=0,
        le=10,
        description="Weight on value left undestroyed on the other side in each side's "
        "cost (Kent-Thaler style cost function).",
    )
    unacceptable_damage: Float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of an adversary's value whose destruction is unacceptable "
        "(second-strike sufficiency threshold).",
    )
    build_up_step: Float = Field(
        default=0.1,
        gt=0,
        le=1,
        description="Relative size of the marginal build-up for arms-race stability.",
    )


class Scenario(Frozen):
    """Sides, factors and settings of one analysis; loaded from YAML by ``io``."""

    name: Identifier = Field(description="Identifier of the scenario.")
    label: str = Field(default="", description="Display name.")
    question: str = Field(default="", description="The question the scenario asks.")
    date: str = Field(default="", description="Date the scenario refers to (ISO).")
    sides: tuple[Side, ...] = Field(min_length=2, max_length=3, description="Two or three sides.")
    treaty: Identifier | None = Field(
        default=None, description="Treaty in force (built-in id) or none."
    )
    exchange: ExchangeSettings = Field(
        default_factory=ExchangeSettings, description="Exchange settings."
    )
    stability: StabilitySettings = Field(
        default_factory=StabilitySettings, description="Stability settings."
    )
    uncertainties: tuple[Uncertainty, ...] = Field(
        default=(),
        max_length=MAX_UNCERTAINTIES,
        description="Uncertain parameters for Monte Carlo and sensitivity.",
    )
    sources: tuple[str, ...] = Field(
        default=(), description="Source keys of numbers changed by this scenario."
    )

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """Normalise the date to ``YYYY-MM-DD``; anything else is an error."""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and value.strip():
            text = value.strip()
            for parse in (dt.date.fromisoformat, lambda v: dt.datetime.fromisoformat(v).date()):
                try:
                    return parse(text).isoformat()
                except ValueError:
                    continue
            raise ValueError(f"expected a date written YYYY-MM-DD, got {text!r}")
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")

    @model_validator(mode="after")
    def _distinct_actors(self) -> Scenario:
        actors = [s.actor for s in self.sides]
        if len(set(actors)) != len(actors):
            raise ValueError(f"sides must be distinct actors, got {actors}")
        return self

    def side(self, actor: str) -> Side:
        """The side of ``actor``."""
        for s in self.sides:
            if s.actor == actor:
                return s
        raise KeyError(actor)
