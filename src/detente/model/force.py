"""Weapon systems: one delivery system of one actor with its warheads."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from detente.model.base import (
    Cited,
    Count,
    Flag,
    Float,
    Frozen,
    Identifier,
    Probability,
    located_errors,
)
from detente.model.limits import CEP_MAX_M, DISTANCE_MAX_KM, MINUTES_MAX, YIELD_RANGE_KT

Category = Literal[
    "icbm_silo",
    "icbm_mobile",
    "slbm",
    "bomber",
    "nonstrategic",
    "cruise",
    "hypersonic_glide",
    "torpedo",
    "conventional_strike",
]
"""Force category; decides basing behaviour and how treaties count the system."""

Delivery = Literal["ballistic_rv", "hgv", "aeroballistic", "cruise", "gravity_bomb", "torpedo"]
"""How the weapon reaches its target; decides which defences can engage it."""

Accountability = Literal["icbm", "slbm", "heavy_bomber", "none"]
"""Category under New START-style counting; ``none`` for weapons outside the treaty."""

AlertLevel = Literal["day_to_day", "generated"]


class AlertFractions(Frozen):
    """Share of deployed launchers on alert: ready to launch and, for mobile, sea and
    air forces, out of their home target class (dispersed, at sea, on strip alert)."""

    day_to_day: Probability = Field(description="Fraction on alert in peacetime.")
    generated: Probability = Field(description="Fraction on alert after generation.")

    def at(self, level: AlertLevel) -> float:
        """Alert fraction at ``level``."""
        return self.day_to_day if level == "day_to_day" else self.generated


class WarheadType(Cited):
    """A warhead type a system carries besides its main one, with its share of the load."""

    warhead: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._/()-]*$",
        description="Warhead designation (e.g. W88, W76-2).",
    )
    yield_kt: Float = Field(
        ge=YIELD_RANGE_KT[0], le=YIELD_RANGE_KT[1], description="Yield of this warhead type (kt)."
    )
    share: Probability = Field(
        gt=0,
        description="Share of the system's warheads of this type (the main type has the rest).",
    )


class System(Cited):
    """One weapon system of one actor (e.g. Minuteman III, RS-24 Yars, Poseidon).

    Missile-defence interceptors are not systems; they belong to a posture's
    ``defenses``.
    """

    id: Identifier = Field(description="Identifier, unique within the posture.")
    label: str = Field(default="", description="Display name.")
    category: Category = Field(description="Force category.")
    delivery: Delivery = Field(description="Delivery kind, for defence engagement.")
    nuclear: Flag = Field(default=True, description="False for conventional strike systems.")
    novel: Flag = Field(
        default=False,
        description="A new kind of system outside the 2010 treaty categories "
        "(Poseidon, Burevestnik, Avangard, Sarmat).",
    )
    launchers_deployed: Count = Field(description="Deployed launchers (missiles, bombers).")
    launchers_nondeployed: Count = Field(
        default=0, description="Non-deployed launchers (empty tubes and silos, spare bombers)."
    )
    warheads_per_launcher: Float = Field(
        ge=0, le=32, description="Warheads loaded per deployed launcher, as carried (average)."
    )
    max_warheads_per_launcher: Float = Field(
        ge=0, le=32, description="Largest load a launcher can carry (upload capacity)."
    )
    warheads_stored: Count = Field(
        default=0, description="Warheads assigned to the system but kept in storage."
    )
    yield_kt: Float = Field(
        gt=0,
        le=YIELD_RANGE_KT[1],
        description="Yield per warhead (kt); for a nuclear system at least "
        f"{YIELD_RANGE_KT[0]} kt, where the blast scaling starts to hold.",
    )
    cep_m: Float = Field(gt=0, le=CEP_MAX_M, description="Circular error probable (m).")
    reliability: Probability = Field(description="Launch and flight reliability.")
    flight_time_min: Float = Field(gt=0, le=MINUTES_MAX, description="Flight time to target (min).")
    range_km: Float = Field(gt=0, le=DISTANCE_MAX_KM, description="Maximum range (km).")
    accountability: Accountability = Field(
        default="none", description="Counting category under New START-style rules."
    )
    home_target: Identifier = Field(
        description="Target class (of the same posture) where the system is based."
    )
    alert: AlertFractions = Field(description="Share of deployed launchers on alert.")
    defense_evasion: Probability = Field(
        default=0.0,
        description="Probability a warhead of this system is not engaged by defences at all "
        "(low-altitude routing around air defence, manoeuvre against missile defence).",
    )
    launch_from_home: Probability = Field(
        default=0.0,
        description="Share of the launchers at home (road-mobile launchers in their garrison "
        "shelters, SSBNs at the pier) that can launch on warning from there, as a silo can; "
        "0 (the default) for forces that must leave home before they can fire. Only for "
        "systems based in a garrison or an SSBN port.",
    )
    other_warheads: tuple[WarheadType, ...] = Field(
        default=(),
        description="Warhead types carried besides the main one (`yield_kt`), each with its "
        "share of the system's warheads; the main type carries the rest. The counterforce "
        "allocation aims each type separately (high yields at hard targets).",
    )
    mated_when_generated: Flag = Field(
        default=False,
        description="Stored warheads are mated to launchers (up to the max load) when "
        "forces are generated (non-strategic weapons kept in central storage).",
    )

    @model_validator(mode="after")
    def _nuclear_yield_in_range(self) -> System:
        low, high = YIELD_RANGE_KT
        if self.nuclear and self.yield_kt < low:
            raise located_errors(
                "System",
                [
                    (
                        ("yield_kt",),
                        "outside_validity",
                        f"a nuclear warhead's yield must be between {low:g} and {high:g} kt, "
                        "the range the blast scaling is valid for (only a conventional "
                        "system, nuclear: false, may carry a smaller nominal yield)",
                        self.yield_kt,
                    )
                ],
            )
        return self

    @model_validator(mode="after")
    def _warhead_mix_is_a_split(self) -> System:
        problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        total = sum(w.share for w in self.other_warheads)
        if total >= 1.0:
            problems.append(
                (
                    ("other_warheads",),
                    "share_sum",
                    f"the other warhead types' shares add up to {total:g}; they must leave "
                    "a share above 0 for the main type (yield_kt)",
                    [w.share for w in self.other_warheads],
                )
            )
        seen: set[str] = set()
        for i, w in enumerate(self.other_warheads):
            if w.warhead in seen:
                problems.append(
                    ((("other_warheads", i, "warhead")), "duplicate", "listed twice", w.warhead)
                )
            seen.add(w.warhead)
        if self.other_warheads and not self.nuclear:
            problems.append(
                (("other_warheads",), "conventional", "only a nuclear system has warhead types", "")
            )
        if problems:
            raise located_errors("System", problems)
        return self

    @property
    def warhead_mix(self) -> tuple[tuple[float, float], ...]:
        """``(yield_kt, share)`` of every warhead type, the main one first."""
        rest = 1.0 - sum(w.share for w in self.other_warheads)
        return ((self.yield_kt, rest), *((w.yield_kt, w.share) for w in self.other_warheads))

    @property
    def warheads_deployed(self) -> float:
        """Warheads loaded on deployed launchers."""
        return self.launchers_deployed * self.warheads_per_launcher

    @property
    def warheads_total(self) -> float:
        """Deployed plus stored warheads of the system."""
        return self.warheads_deployed + self.warheads_stored

    @property
    def launchers_total(self) -> int:
        """Deployed plus non-deployed launchers."""
        return self.launchers_deployed + self.launchers_nondeployed
