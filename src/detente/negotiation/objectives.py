"""Objectives and constraints of a negotiation: declared, from two small registries.

An *objective* is one number per side and package that the side wants high
(``max``) or low (``min``): the stability it sees under its own reading, or
what it keeps (warheads, launchers, interceptors) and what the package costs
it (launchers eliminated, warheads dismantled). A *constraint* holds an
objective to the disagreement point (no treaty) or to a bound.

Both are looked up by ``kind`` in :data:`OBJECTIVE_KINDS` and
:data:`CONSTRAINT_KINDS`; an analyst adds one by adding an entry (a function of
the package's :class:`PackageState`), and it can then be named in a spec.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from detente.model.base import Float, Frozen, Identifier, located_errors
from detente.model.posture import Posture
from detente.stability import DEFINITIONS

Sense = Literal["max", "min"]
StabilityKey = tuple[str, str, str, str]
"""(definition, reading, alert case as text, part: ``combined`` or an actor)."""

TOLERANCE = 1e-9
"""A constraint within this of its bound is met (floating-point noise)."""


@dataclass(frozen=True)
class SideState:
    """One side in one package (or at the disagreement point)."""

    actor: str
    posture: Posture
    """The posture after provisions, reductions and any build-up."""
    before: Posture
    """The side's posture in the scenario, before any treaty or upload."""
    counts: Mapping[str, float] = field(default_factory=dict)
    """The package's counted quantities for this side (every lever's quantity)."""
    uploaded: int = 0
    """Warheads the side uploaded (to the ceilings, or freely without a treaty)."""


@dataclass(frozen=True)
class PackageState:
    """Everything an objective may read about one package."""

    sides: Mapping[str, SideState]
    stability: Mapping[StabilityKey, float]


def strategic_warheads(p: Posture) -> float:
    """Warheads on deployed launchers of nuclear systems other than non-strategic ones."""
    return sum(s.warheads_deployed for s in p.systems if s.nuclear and s.category != "nonstrategic")


def strategic_launchers(p: Posture) -> float:
    """Deployed launchers of nuclear systems other than non-strategic ones."""
    return float(
        sum(s.launchers_deployed for s in p.systems if s.nuclear and s.category != "nonstrategic")
    )


def missile_interceptors(p: Posture) -> float:
    """Interceptors of every missile-defence layer (air defence not included)."""
    return float(sum(d.interceptors for d in p.defenses if d.kind != "air"))


def launchers_eliminated(before: Posture, after: Posture) -> float:
    """Launchers (deployed and not) of nuclear systems that no longer exist after the package."""
    old = {s.id: s.launchers_total for s in before.systems if s.nuclear}
    new = {s.id: s.launchers_total for s in after.systems}
    return float(sum(max(0, n - new.get(i, 0)) for i, n in old.items()))


def warheads_dismantled(before: Posture, after: Posture) -> float:
    """Nuclear warheads that left the stockpile (loaded, stored or reserve) after the package."""

    def held(p: Posture) -> float:
        return sum(s.warheads_total for s in p.systems if s.nuclear) + p.reserve_unassigned

    return max(0.0, held(before) - held(after))


@dataclass(frozen=True)
class ObjectiveKind:
    """One kind of objective: what it measures, its unit, and the sense a side wants."""

    label: str
    unit: str
    sense: Sense
    description: str
    measure: Callable[[Objective, PackageState], float]
    stability: bool = False
    """Reads a stability definition (so the package's exchanges are evaluated)."""


def _stability(o: Objective, state: PackageState) -> float:
    return state.stability[o.stability_key]


def _posture_measure(fn: Callable[[Posture], float]) -> Callable[[Objective, PackageState], float]:
    def measure(o: Objective, state: PackageState) -> float:
        return fn(state.sides[o.side].posture)

    return measure


def _cost(fn: Callable[[Posture, Posture], float]) -> Callable[[Objective, PackageState], float]:
    def measure(o: Objective, state: PackageState) -> float:
        side = state.sides[o.side]
        return fn(side.before, side.posture)

    return measure


OBJECTIVE_KINDS: Mapping[str, ObjectiveKind] = MappingProxyType(
    {
        "stability": ObjectiveKind(
            label="Stability by its own reading",
            unit="index, 1 = most stable",
            sense="max",
            description="A stability definition's value under a reading (the side's own by "
            "default), in an alert case (each posture's own alert level by default).",
            measure=_stability,
            stability=True,
        ),
        "strategic_warheads": ObjectiveKind(
            label="Strategic warheads kept",
            unit="warheads",
            sense="max",
            description="Nuclear warheads on deployed launchers, non-strategic weapons aside.",
            measure=_posture_measure(strategic_warheads),
        ),
        "strategic_launchers": ObjectiveKind(
            label="Strategic launchers kept",
            unit="launchers",
            sense="max",
            description="Deployed launchers of nuclear systems, non-strategic weapons aside.",
            measure=_posture_measure(strategic_launchers),
        ),
        "interceptors": ObjectiveKind(
            label="Missile-defence interceptors kept",
            unit="interceptors",
            sense="max",
            description="Interceptors of every missile-defence layer (air defence aside).",
            measure=_posture_measure(missile_interceptors),
        ),
        "launchers_eliminated": ObjectiveKind(
            label="Launchers eliminated",
            unit="launchers",
            sense="min",
            description="Launchers of nuclear systems the package makes the side eliminate, "
            "against its posture in the scenario (a cost of reductions).",
            measure=_cost(launchers_eliminated),
        ),
        "warheads_dismantled": ObjectiveKind(
            label="Warheads dismantled",
            unit="warheads",
            sense="min",
            description="Nuclear warheads the package makes the side retire from its stockpile, "
            "against its posture in the scenario (a cost of reductions).",
            measure=_cost(warheads_dismantled),
        ),
    }
)
"""Every objective kind by name; add an entry to offer a new one."""


class Objective(Frozen):
    """A number one side wants high or low, measured on every package."""

    id: Identifier = Field(description="Identifier, used by constraints and bargaining.")
    kind: str = Field(description="What is measured: " + ", ".join(OBJECTIVE_KINDS) + ".")
    side: Identifier = Field(description="The side whose objective it is (its actor).")
    label: str = Field(default="", description="Display name (default: the kind's).")
    sense: Sense | None = Field(
        default=None, description="'max' or 'min' (default: the kind's own)."
    )
    definition: str | None = Field(
        default=None,
        description="For kind 'stability': the definition (default first_strike).",
    )
    reading: Identifier | None = Field(
        default=None,
        description="For kind 'stability': the reading (default: the side's own, the "
        "reading whose id is the side's actor).",
    )
    part: Identifier | None = Field(
        default=None,
        description="For kind 'stability': 'combined' (the default) or one side's component.",
    )
    case: str | None = Field(
        default=None,
        description="For kind 'stability': the alert case, 'own' (each posture's own level; "
        "the default) or written 'us:generated/ru:day_to_day' (end '/ride_out' for every "
        "side riding out).",
    )

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        return _known(value, OBJECTIVE_KINDS, "objective kind")

    @field_validator("definition")
    @classmethod
    def _known_definition(cls, value: str | None) -> str | None:
        return None if value is None else _known(value, DEFINITIONS, "definition")

    @model_validator(mode="after")
    def _stability_fields(self) -> Objective:
        if OBJECTIVE_KINDS[self.kind].stability:
            return self
        set_ = [n for n in ("definition", "reading", "part", "case") if getattr(self, n)]
        if set_:
            raise located_errors(
                "Objective",
                [
                    (
                        (n,),
                        "not_used",
                        f"only objectives of kind 'stability' take {n}",
                        getattr(self, n),
                    )
                    for n in set_
                ],
            )
        return self

    @property
    def spec(self) -> ObjectiveKind:
        """The kind's definition."""
        return OBJECTIVE_KINDS[self.kind]

    @property
    def direction(self) -> Sense:
        """The sense in force: given, or the kind's."""
        return self.sense or self.spec.sense

    @property
    def sign(self) -> float:
        """+1 where more is better, -1 where less is."""
        return 1.0 if self.direction == "max" else -1.0

    @property
    def display(self) -> str:
        """Label shown to people."""
        return self.label or f"{self.side.upper()}: {self.spec.label.lower()}"

    @property
    def stability_key(self) -> StabilityKey:
        """(definition, reading, case, part) a stability objective reads."""
        return (
            self.definition or "first_strike",
            self.reading or self.side,
            self.case or "own",
            self.part or "combined",
        )

    def value(self, state: PackageState) -> float:
        """The objective measured on one package."""
        return float(self.spec.measure(self, state))


ConstraintRule = Callable[[float, float, float, "Constraint", Objective], float]
"""``rule(value, disagreement value, sign, constraint, objective) -> violation``:
at most 0 when met, the shortfall otherwise (in the objective's unit)."""


def _no_worse(v: float, d: float, sign: float, c: Constraint, o: Objective) -> float:
    return -sign * (v - d)


def _at_least(v: float, d: float, sign: float, c: Constraint, o: Objective) -> float:
    return float(c.bound or 0.0) - v


def _at_most(v: float, d: float, sign: float, c: Constraint, o: Objective) -> float:
    return v - float(c.bound or 0.0)


@dataclass(frozen=True)
class ConstraintKind:
    """One kind of constraint."""

    description: str
    rule: ConstraintRule
    needs_bound: bool = False


CONSTRAINT_KINDS: Mapping[str, ConstraintKind] = MappingProxyType(
    {
        "no_worse_than_disagreement": ConstraintKind(
            description="The objective is at least as good as at the disagreement point "
            "(no treaty, each side building up as its doctrine says).",
            rule=_no_worse,
        ),
        "at_least": ConstraintKind(
            description="The objective is at least `bound`.", rule=_at_least, needs_bound=True
        ),
        "at_most": ConstraintKind(
            description="The objective is at most `bound`.", rule=_at_most, needs_bound=True
        ),
    }
)
"""Every constraint kind by name; add an entry to offer a new one."""


class Constraint(Frozen):
    """A condition every acceptable package meets."""

    kind: str = Field(description="Which condition: " + ", ".join(CONSTRAINT_KINDS) + ".")
    objective: Identifier = Field(description="Id of the objective it holds.")
    bound: Float | None = Field(default=None, description="For at_least / at_most: the bound.")
    id: Identifier | None = Field(
        default=None, description="Identifier (default: kind and objective)."
    )

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        return _known(value, CONSTRAINT_KINDS, "constraint kind")

    @model_validator(mode="after")
    def _bound(self) -> Constraint:
        needs = CONSTRAINT_KINDS[self.kind].needs_bound
        if needs != (self.bound is not None):
            what = "needs a bound" if needs else "takes no bound"
            raise located_errors(
                "Constraint", [(("bound",), "bound", f"{self.kind} {what}", self.bound)]
            )
        return self

    @property
    def key(self) -> str:
        """The constraint's id: given, or kind and objective."""
        return self.id or f"{self.objective}_{self.kind}"

    def violation(self, value: float, disagreement: float, objective: Objective) -> float:
        """At most 0 when met; by how much it is missed otherwise."""
        rule = CONSTRAINT_KINDS[self.kind].rule
        return float(rule(value, disagreement, objective.sign, self, objective))


def _known(value: str, names: Mapping[str, Any], what: str) -> str:
    if value not in names:
        close = difflib.get_close_matches(value, list(names), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(f"unknown {what}; {hint}expected one of: {', '.join(names)}")
    return value


__all__ = [
    "CONSTRAINT_KINDS",
    "OBJECTIVE_KINDS",
    "TOLERANCE",
    "Constraint",
    "ConstraintKind",
    "Objective",
    "ObjectiveKind",
    "PackageState",
    "SideState",
    "StabilityKey",
    "launchers_eliminated",
    "missile_interceptors",
    "strategic_launchers",
    "strategic_warheads",
    "warheads_dismantled",
]
