"""Levers: the negotiable provisions of a treaty package, each with its range and unit.

A lever (EMA Workbench's *L*) is one provision a negotiator can set. Two sorts:

*ceilings* on a counted quantity (deployed strategic warheads, deployed
launchers, all warheads, national missile-defence interceptors, prompt
conventional strike weapons), each counted by stated rules (:class:`CountingRule`
data, the rules of the built-in treaties where one exists); a side brings itself
under a ceiling by its own reduction policy (:func:`~detente.treaty.reduce_to_comply`);

*provisions* that change postures directly: the most warheads an ICBM may carry
(de-MIRVing, which also lowers what it could carry in an upload) and the largest
share of ICBM launchers on alert day to day.

A lever with ``parties`` binds only those sides (a trilateral design with its
own ceiling for China); without, it binds every negotiating side. A decision
vector, one value per lever, becomes a :class:`~detente.model.treaty.Treaty`
(:func:`package_treaty`) and posture provisions (:func:`apply_provisions`).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pydantic import Field, field_validator, model_validator

from detente.data import resolve_treaty
from detente.model.base import Float, Frozen, Identifier, located_errors
from detente.model.force import Category
from detente.model.posture import Posture
from detente.model.treaty import CountingRule, Limit, Treaty

ICBM_CATEGORIES: tuple[Category, ...] = ("icbm_silo", "icbm_mobile")


def _rules(treaty: str, quantity: str) -> tuple[CountingRule, ...]:
    """The counting rules of built-in ``treaty`` for ``quantity``."""
    return tuple(r for r in resolve_treaty(treaty).counting if r.quantity == quantity)


@dataclass(frozen=True)
class LeverKind:
    """One kind of negotiable provision.

    A ceiling kind names the ``quantity`` it limits and the ``counting`` rules
    (a function, so the built-in treaties are read only when used); a provision
    kind has an ``apply(posture, value)`` instead.
    """

    label: str
    unit: str
    integer: bool
    """Values are whole numbers (counts); otherwise a share in [0, 1]."""
    description: str
    quantity: str | None = None
    counting: Callable[[], tuple[CountingRule, ...]] | None = None
    apply: Callable[[Posture, float], Posture] | None = None
    lowest: float = 0.0
    """Smallest value a range may start at."""

    @property
    def is_ceiling(self) -> bool:
        """Whether the lever is a treaty ceiling (else a posture provision)."""
        return self.quantity is not None


def cap_icbm_loading(posture: Posture, most: float) -> Posture:
    """ICBMs carry at most ``most`` warheads each, and can carry no more in an upload.

    Warheads taken off go to the system's storage (a ceiling that counts stored
    warheads then makes the side retire them); the missile's capacity is lowered
    to ``most``, which is what verifying a de-MIRVing would check.
    """
    systems = []
    for s in posture.systems:
        if s.category not in ICBM_CATEGORIES or s.max_warheads_per_launcher <= most:
            systems.append(s)
            continue
        load = min(s.warheads_per_launcher, most)
        off = round(s.launchers_deployed * (s.warheads_per_launcher - load))
        systems.append(
            s.model_copy(
                update={
                    "warheads_per_launcher": load,
                    "max_warheads_per_launcher": float(most),
                    "warheads_stored": s.warheads_stored + off,
                }
            )
        )
    return posture.model_copy(update={"systems": tuple(systems), "totals": None})


def cap_icbm_alert(posture: Posture, share: float) -> Posture:
    """At most ``share`` of each ICBM system's deployed launchers on alert day to day.

    Only the day-to-day share changes: a generated force is what a side does in
    a crisis, which a peacetime limit does not bind.
    """
    systems = []
    for s in posture.systems:
        if s.category in ICBM_CATEGORIES and s.alert.day_to_day > share:
            alert = s.alert.model_copy(update={"day_to_day": share})
            s = s.model_copy(update={"alert": alert})
        systems.append(s)
    return posture.model_copy(update={"systems": tuple(systems)})


def _conventional_rules() -> tuple[CountingRule, ...]:
    return (
        CountingRule(
            quantity="conventional_strike",
            measure="loaded_warheads",
            categories=("conventional_strike",),
            nuclear_only=False,
            note="Prompt conventional long-range strike weapons: every weapon loaded on a "
            "deployed conventional strike system (ship- and submarine-launched cruise "
            "missiles and the like); conventionally armed ICBMs and SLBMs are counted by "
            "the New START rules instead.",
        ),
    )


LEVER_KINDS: Mapping[str, LeverKind] = MappingProxyType(
    {
        "deployed_warheads": LeverKind(
            label="Deployed strategic warheads",
            unit="warheads",
            integer=True,
            quantity="deployed_warheads",
            counting=lambda: _rules("new-start", "deployed_warheads"),
            description="Ceiling on deployed strategic warheads, counted by New START's "
            "rules: warheads on deployed ICBMs and SLBMs, one per deployed heavy bomber.",
        ),
        "deployed_launchers": LeverKind(
            label="Deployed strategic launchers",
            unit="launchers",
            integer=True,
            quantity="deployed_launchers",
            counting=lambda: _rules("new-start", "deployed_launchers"),
            description="Ceiling on deployed ICBMs, SLBMs and heavy bombers (New START rules).",
        ),
        "total_launchers": LeverKind(
            label="Deployed and non-deployed launchers",
            unit="launchers",
            integer=True,
            quantity="total_launchers",
            counting=lambda: _rules("new-start", "total_launchers"),
            description="Ceiling on deployed and non-deployed ICBM and SLBM launchers and "
            "heavy bombers (New START rules).",
        ),
        "all_warheads": LeverKind(
            label="All nuclear warheads",
            unit="warheads",
            integer=True,
            quantity="all_warheads",
            counting=lambda: _rules("all-warheads", "all_warheads"),
            description="Ceiling on every nuclear warhead, strategic or not, deployed or "
            "stored, and the unassigned reserve (the all-warheads design).",
        ),
        "area_interceptors": LeverKind(
            label="National missile-defence interceptors",
            unit="interceptors",
            integer=True,
            quantity="interceptors_area",
            counting=lambda: _rules("missile-defense-limits", "interceptors_area"),
            description="Ceiling on interceptors of national (area) missile-defence layers "
            "(the missile-defence-limits design).",
        ),
        "conventional_strike": LeverKind(
            label="Prompt conventional strike weapons",
            unit="weapons",
            integer=True,
            quantity="conventional_strike",
            counting=_conventional_rules,
            description="Ceiling on long-range conventional precision strike weapons loaded "
            "on deployed launchers.",
        ),
        "icbm_warheads_per_launcher": LeverKind(
            label="Warheads per ICBM",
            unit="warheads per missile",
            integer=True,
            apply=cap_icbm_loading,
            lowest=1.0,
            description="Most warheads one ICBM may carry (1: no MIRVed ICBMs); warheads "
            "taken off go to storage, and the missile cannot be uploaded past it.",
        ),
        "icbm_day_to_day_alert": LeverKind(
            label="ICBMs on alert day to day",
            unit="share of deployed launchers",
            integer=False,
            apply=cap_icbm_alert,
            description="Largest share of each ICBM system's deployed launchers kept on "
            "alert in peacetime (a de-alerting measure); generated alert is unchanged.",
        ),
    }
)
"""Every lever kind by name; add an entry to offer a new provision."""


class Lever(Frozen):
    """A negotiable provision with its range: ``min`` to ``max`` in steps of ``step``."""

    kind: str = Field(description="Kind of provision: " + ", ".join(LEVER_KINDS) + ".")
    id: Identifier | None = Field(
        default=None,
        description="Identifier (default: the kind, followed by the parties it binds).",
    )
    label: str = Field(default="", description="Display name (default: the kind's).")
    min: Float = Field(ge=0, description="Smallest value searched.")
    max: Float = Field(ge=0, description="Largest value searched.")
    step: Float | None = Field(
        default=None,
        gt=0,
        description="Spacing of the values searched (counts: a whole number, 1 if unset; "
        "shares: unset searches every value in the range).",
    )
    parties: tuple[Identifier, ...] = Field(
        default=(), description="Sides the provision binds (empty: every negotiating side)."
    )

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in LEVER_KINDS:
            close = difflib.get_close_matches(value, list(LEVER_KINDS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(f"unknown lever kind; {hint}expected one of: {', '.join(LEVER_KINDS)}")
        return value

    @model_validator(mode="after")
    def _range(self) -> Lever:
        kind = LEVER_KINDS[self.kind]
        errors: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        if self.min < kind.lowest:
            errors.append((("min",), "range", f"must be at least {kind.lowest:g}", self.min))
        if self.max < self.min:
            errors.append((("max",), "range", f"must be at least min ({self.min:g})", self.max))
        if kind.integer:
            for name in ("min", "max", "step"):
                value = getattr(self, name)
                if value is not None and value != math.floor(value):
                    errors.append(((name,), "whole", f"{self.kind} counts: a whole number", value))
        elif self.max > 1:
            errors.append((("max",), "range", f"{self.kind} is a share: at most 1", self.max))
        if errors:
            raise located_errors("Lever", errors)
        return self

    @property
    def key(self) -> str:
        """The lever's id: given, or the kind followed by its parties."""
        return self.id or "_".join((self.kind, *self.parties))

    @property
    def spec(self) -> LeverKind:
        """The kind's definition."""
        return LEVER_KINDS[self.kind]

    @property
    def display(self) -> str:
        """Label shown to people (with the parties it binds)."""
        text = self.label or self.spec.label
        return f"{text} ({', '.join(p.upper() for p in self.parties)})" if self.parties else text

    @property
    def stepped(self) -> bool:
        """Whether the values searched are a grid (counts always are)."""
        return self.spec.integer or self.step is not None

    @property
    def grid_size(self) -> int:
        """Number of values on the grid (stepped levers)."""
        step = self.step or 1.0
        return math.floor((self.max - self.min) / step + 1e-9) + 1

    def value_at(self, x: float) -> float:
        """The lever value a search variable stands for (a grid index, or the value)."""
        if not self.stepped:
            return min(self.max, max(self.min, float(x)))
        k = min(self.grid_size - 1, max(0, round(x)))
        return self.min + k * (self.step or 1.0)

    def grid(self) -> tuple[float, ...]:
        """Every value of a stepped lever, smallest first."""
        return tuple(self.value_at(k) for k in range(self.grid_size))

    def binds(self, actor: str, parties: Sequence[str]) -> bool:
        """Whether the provision applies to ``actor`` when ``parties`` negotiate."""
        return actor in (self.parties or parties)


def package_treaty(
    levers: Sequence[Lever],
    values: Sequence[float],
    parties: Sequence[str],
    *,
    treaty_id: str = "package",
    label: str = "",
) -> Treaty:
    """The treaty a decision vector stands for: every ceiling lever at its value.

    Counting rules are the union of the ceiling levers' rules (each quantity
    counted once, however many levers limit it); each lever is a limit, its
    ``parties`` the sides it binds. Provision levers are not in the treaty (see
    :func:`apply_provisions`).
    """
    counting: list[CountingRule] = []
    counted: set[str] = set()
    limits = []
    for lever, value in zip(levers, values, strict=True):
        kind = lever.spec
        if kind.quantity is None or kind.counting is None:
            continue
        if kind.quantity not in counted:
            counting.extend(kind.counting())
            counted.add(kind.quantity)
        limits.append(
            Limit(
                id=lever.key,
                label=lever.display,
                quantity=kind.quantity,
                ceiling=round(value),
                parties=lever.parties,
            )
        )
    return Treaty(
        id=treaty_id,
        label=label or "Treaty package",
        parties=tuple(parties),
        counting=tuple(counting),
        limits=tuple(limits),
        notes="A package of ceilings searched by detente negotiate.",
    )


def counting_treaty(levers: Sequence[Lever], parties: Sequence[str]) -> Treaty:
    """The package's counting rules with no ceilings: what each side has, counted the same way."""
    treaty = package_treaty(levers, [lever.max for lever in levers], parties, treaty_id="counts")
    return treaty.model_copy(update={"limits": ()})


def apply_provisions(
    posture: Posture,
    levers: Sequence[Lever],
    values: Sequence[float],
    parties: Sequence[str],
) -> Posture:
    """``posture`` with every provision lever that binds its actor applied."""
    for lever, value in zip(levers, values, strict=True):
        apply = lever.spec.apply
        if apply is not None and lever.binds(posture.actor, parties):
            posture = apply(posture, value)
    return posture


__all__ = [
    "ICBM_CATEGORIES",
    "LEVER_KINDS",
    "Lever",
    "LeverKind",
    "apply_provisions",
    "cap_icbm_alert",
    "cap_icbm_loading",
    "counting_treaty",
    "package_treaty",
]
