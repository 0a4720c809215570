"""A scenario: two or three sides, their factors, and the analysis settings."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from detente.model.base import Float, Frozen, Identifier, Int, Probability
from detente.model.defense import DomainFactors
from detente.model.display import card, html_table, text_cut
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


CHOSEN_MAX_SHOTS = 3
"""Most warheads per aim point an attacker that chooses its strike tries (one to three)."""


class ExchangeSettings(Frozen):
    """How exchanges are fought (the attacker's doctrine, the same for every side).

    By default the attacker *chooses* its counterforce strike: what share of its
    ready force to commit against the victim's forces (the rest goes on value)
    and how many warheads per aim point, to make its own cost lowest (Kent &
    Thaler's stop rule). Setting ``reserve_fraction`` fixes the doctrine
    instead: that share is withheld and ``max_shots_per_aim_point`` (default 2)
    is the shot limit, as in "what if they strike this way". Either way the
    striker uses all of its silo-based and ``survivable_share_used`` of its
    other forces.
    """

    reserve_fraction: Probability | None = Field(
        default=None,
        description="Fixed doctrine: share of ready warheads the attacker withholds from its "
        "counterforce strike for a later strike on value. Unset (the default): the attacker "
        "chooses how much to spend, to make its own cost lowest.",
    )
    max_shots_per_aim_point: Int | None = Field(
        default=None,
        ge=1,
        le=6,
        description="Most warheads aimed at one military aim point. Unset: the attacker "
        "chooses one, two or three when it chooses its strike; two under a fixed doctrine. "
        "Set with no reserve_fraction: the largest the attacker may choose.",
    )
    strike_extent_steps: Int = Field(
        default=10,
        ge=1,
        le=100,
        description="Resolution of the attacker's choice of how much of its ready force to "
        "commit to counterforce: shares 0, 1/n, ..., 1 are tried.",
    )
    survivable_share_used: Probability = Field(
        default=0.9,
        description="Share of its survivable (not silo-based) forces a striker uses at all; "
        "the rest is held back from the exchange (Kent & Thaler 1989, p. 34).",
    )
    allocator: Literal["greedy", "exact"] = Field(
        default="greedy",
        description="Counterforce allocation: 'greedy' layers by maximum marginal return, or "
        "'exact', the pattern MILP on HiGHS (slower; its proven gap is reported).",
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
        description="Share of a glide vehicle's flight time left when it is recognised as "
        "an attack (it flies below radar horizons until late); it denies warning only where "
        "it is the first weapon of the strike detected.",
    )
    launch_timing: Literal["simultaneous_launch", "simultaneous_arrival"] = Field(
        default="simultaneous_launch",
        description="When the counterforce strike's weapons are launched: all at once (the "
        "fastest arrive first), or each timed so that all arrive together (the slowest "
        "launched first, so the first detection comes earlier).",
    )
    bomber_escape_start_min: Float = Field(
        default=5.0,
        ge=0,
        le=120,
        description="Warning (min) before the first alert bombers are airborne and out of "
        "reach of the burst on their base.",
    )
    bomber_escape_all_min: Float = Field(
        default=15.0,
        gt=0,
        le=120,
        description="Warning (min) by which every alert bomber has escaped; between the two, "
        "the share escaped grows in proportion.",
    )

    @model_validator(mode="after")
    def _escape_in_order(self) -> ExchangeSettings:
        if self.bomber_escape_all_min < self.bomber_escape_start_min:
            raise ValueError(
                f"bomber_escape_all_min ({self.bomber_escape_all_min}) is below "
                f"bomber_escape_start_min ({self.bomber_escape_start_min})"
            )
        return self

    @property
    def fixed_doctrine(self) -> bool:
        """Whether the strike follows a fixed reserve share instead of being chosen."""
        return self.reserve_fraction is not None


CostForm = Literal["kent_thaler", "linear"]

KENT_THALER_COST = (0.75, 0.3)
"""(damage exponent, weight) of Kent & Thaler's cost of an outcome, R-3765 App. C p. 61."""

LINEAR_COST = (1.0, 0.5)
"""(exponent, weight) of the linear cost detente used before it followed Kent & Thaler."""


class StabilitySettings(Frozen):
    """Parameters of the stability definitions; each is documented with its source."""

    cost: CostForm = Field(
        default="kent_thaler",
        description="How a side values an outcome: 'kent_thaler', C = D_own^a + w (1 - "
        "D_other^a) with a = 0.75 and w = 0.3 (Kent & Thaler 1989, App. C); or 'linear', "
        "a = 1 and w = 0.5, the form detente used before.",
    )
    damage_exponent: Float | None = Field(
        default=None,
        gt=0,
        le=3,
        description="Exponent a on damage in the cost of an outcome (unset: the form's own).",
    )
    damage_weight: Float | None = Field(
        default=None,
        ge=0,
        le=10,
        description="Weight w on the other side's value left standing in each side's cost "
        "(unset: the form's own).",
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

    @property
    def cost_parameters(self) -> tuple[float, float]:
        """(damage exponent, weight) of the cost function in force."""
        a, w = KENT_THALER_COST if self.cost == "kent_thaler" else LINEAR_COST
        return (
            a if self.damage_exponent is None else self.damage_exponent,
            w if self.damage_weight is None else self.damage_weight,
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

    def with_fixed_doctrine(
        self, reserve_fraction: float = 0.25, max_shots_per_aim_point: int = 2
    ) -> Scenario:
        """The same scenario with every striker following a fixed doctrine.

        ``reserve_fraction`` of each ready nuclear system is withheld from the
        counterforce strike and at most ``max_shots_per_aim_point`` warheads go
        to one aim point ("what if they strike this way"); the defaults are the
        doctrine detente used before strikes were chosen.
        """
        exchange = ExchangeSettings.model_validate(
            {
                **self.exchange.model_dump(),
                "reserve_fraction": reserve_fraction,
                "max_shots_per_aim_point": max_shots_per_aim_point,
            }
        )
        return self.model_copy(update={"exchange": exchange})

    def __repr__(self) -> str:
        sides = " vs ".join(s.posture.summary() for s in self.sides)
        extra = "".join(
            f"; {k} {v}" for k, v in (("treaty", self.treaty), ("date", self.date)) if v
        )
        return f"<Scenario {self.name} {text_cut(self.label, 40)!r}: {sides}{extra}>"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        rows = [
            (
                s.actor,
                s.posture.id,
                str(s.posture.date),
                s.posture.alert,
                len(s.posture.systems),
                round(s.posture.warheads_total),
            )
            for s in self.sides
        ]
        table = html_table(("side", "posture", "date", "alert", "systems", "warheads"), rows)
        return card(
            f"Scenario {self.name}" + (f": {self.label}" if self.label else ""),
            table,
            lines=[
                self.question,
                f"treaty: {self.treaty or 'none'}" + (f"; dated {self.date}" if self.date else ""),
            ],
        )

    def side(self, actor: str) -> Side:
        """The side of ``actor``."""
        for s in self.sides:
            if s.actor == actor:
                return s
        raise KeyError(actor)
