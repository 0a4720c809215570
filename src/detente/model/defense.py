"""Missile and air defence layers, and the cross-domain factors of the Geneva agenda."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from detente.model.base import Cited, Count, Flag, Float, Frozen, Identifier, Int, Probability
from detente.model.limits import MINUTES_MAX


class DeliveryPk(Frozen):
    """Single-shot kill probability of one interceptor against each delivery kind."""

    ballistic_rv: Probability = Field(default=0.0, description="Against ballistic RVs.")
    hgv: Probability = Field(default=0.0, description="Against hypersonic glide vehicles.")
    aeroballistic: Probability = Field(
        default=0.0, description="Against aeroballistic missiles (Kinzhal-type)."
    )
    cruise: Probability = Field(default=0.0, description="Against cruise missiles.")
    gravity_bomb: Probability = Field(
        default=0.0, description="Against bombers carrying gravity bombs (per bomber weapon)."
    )
    torpedo: Probability = Field(default=0.0, description="Against torpedoes.")

    def of(self, delivery: str) -> float:
        """Kill probability against ``delivery``."""
        return float(getattr(self, delivery))


DefenseKind = Literal["area", "point", "air"]
"""``area``: national midcourse defence of everything; ``point``: defends the named
target classes only; ``air``: air defence against bombers and cruise missiles."""

Doctrine = Literal["salvo", "shoot_look_shoot"]


class DefenseLayer(Cited):
    """One defence layer: an interceptor inventory that saturates.

    Each engaged warhead draws ``shots_per_engagement`` interceptors (salvo) or
    up to that many, one at a time (shoot-look-shoot); once the inventory is
    spent the rest leak through.
    """

    id: Identifier = Field(description="Identifier, unique within the posture.")
    label: str = Field(default="", description="Display name.")
    kind: DefenseKind = Field(description="What the layer defends.")
    interceptors: Count = Field(description="Interceptors available.")
    pk: DeliveryPk = Field(description="Single-shot kill probability by delivery kind.")
    shots_per_engagement: Int = Field(
        default=2, ge=1, le=8, description="Interceptors committed per engaged warhead."
    )
    doctrine: Doctrine = Field(default="salvo", description="Salvo or shoot-look-shoot.")
    system_reliability: Probability = Field(
        default=1.0,
        description="Probability the layer's sensors and C2 work at all (common mode).",
    )
    discrimination: Probability = Field(
        default=1.0,
        description="Probability a real warhead is told from decoys and engaged.",
    )
    defends: tuple[Identifier, ...] = Field(
        default=(), description="For point defence: the target classes it covers."
    )
    counts_as_counterforce: Flag = Field(
        default=True,
        description="Whether a reading that counts missile defence as counterforce counts it.",
    )


class DomainFactors(Cited):
    """One side's cross-domain state: space, cyber, AI sensing, hypersonic warning.

    Each knob has a documented mechanism in ``docs/methodology.md``.
    """

    early_warning_satellites: Flag = Field(
        default=True, description="Space-based early warning is up (not lost to ASAT)."
    )
    early_warning_radars: Flag = Field(
        default=True, description="Ground-based early-warning radars are up."
    )
    cyber_c2_degradation: Probability = Field(
        default=0.0,
        description="Fractional loss of C2 execution probability from cyber attack.",
    )
    detect_mobile_dispersed: Probability = Field(
        default=0.0,
        description="Probability this side finds an adversary mobile ICBM out of garrison.",
    )
    detect_ssbn_at_sea: Probability = Field(
        default=0.0,
        description="Probability this side finds and can strike an adversary SSBN at sea.",
    )


class C2(Cited):
    """Command and control: will retaliation be executed, and how fast can it be?"""

    execution_probability: Probability = Field(
        default=0.95, description="Probability a retaliation order is executed."
    )
    decision_time_min: Float = Field(
        default=10.0,
        gt=0,
        le=MINUTES_MAX,
        description="Minutes needed from warning to launch of alert ICBMs.",
    )


class LaunchOnWarning(Cited):
    """Launch-on-warning policy."""

    enabled: Flag = Field(default=False, description="Whether the side launches on warning.")
    fraction: Probability = Field(
        default=1.0, description="Share of threatened alert ICBMs launched when warned."
    )
