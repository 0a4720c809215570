"""A negotiation problem as data: who negotiates, the levers, objectives, constraints, search.

A :class:`NegotiationSpec` is read from YAML by ``detente.io.load_negotiation_spec``
(with located errors) or built in code. Cross-field rules (every named side,
reading, objective and party exists) are checked here and reported at the
field they are about.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from detente.examples import geneva_2021
from detente.model.base import Float, Frozen, Identifier, Int, located_errors
from detente.model.cases import AlertCase
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.model.scenario import Scenario
from detente.negotiation.levers import Lever
from detente.negotiation.objectives import Constraint, Objective
from detente.treaty.reduction import Policy

Errors = list[tuple[tuple[str | int, ...], str, str, Any]]


class NegotiatingSide(Frozen):
    """A side at the table and its doctrine: how it cuts, and whether it builds up."""

    actor: Identifier = Field(description="The side's actor (a side of the scenario).")
    policy: Policy = Field(
        default="download_first",
        description="How it brings itself under a ceiling: download_first, "
        "retire_vulnerable_first or proportional (see docs/treaties.md).",
    )
    build_up: bool = Field(
        default=True,
        description="Whether it uploads stored warheads onto its launchers where it is free "
        "to: up to a package's ceilings, and all the way with no treaty.",
    )
    upload_months: Float | None = Field(
        default=None,
        ge=0,
        le=600,
        description="Horizon of the upload in months (unset: the whole upload potential).",
    )


class SearchSettings(Frozen):
    """How the lever space is searched (pymoo's NSGA-II or NSGA-III)."""

    algorithm: Literal["nsga2", "nsga3"] = Field(
        default="nsga2",
        description="nsga2 for two or three objectives; nsga3 (reference directions) for more.",
    )
    population: Int = Field(default=40, ge=4, le=500, description="Packages per generation.")
    generations: Int = Field(default=25, ge=1, le=500, description="Generations searched.")
    seed: Int = Field(default=0, ge=0, le=2**32 - 1, description="Seed of the search.")
    workers: Int = Field(
        default=1, ge=1, le=64, description="Processes evaluating packages (1: this one)."
    )
    partitions: Int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="nsga3: partitions of the reference directions (default: as many as "
        "keep their number at or below the population).",
    )


class NegotiationSpec(Frozen):
    """What is negotiated, by whom, toward what, and how the packages are searched."""

    name: Identifier = Field(description="Identifier of the negotiation.")
    label: str = Field(default="", description="Display name.")
    question: str = Field(default="", description="The question the search answers.")
    scenario: Scenario = Field(
        default_factory=geneva_2021,
        description="The scenario the packages change (default: the Geneva 2021 baseline).",
    )
    package_label: str = Field(default="", description="Display name of the treaty package.")
    sides: tuple[NegotiatingSide, ...] = Field(
        min_length=2, max_length=3, description="The sides at the table, with their doctrines."
    )
    levers: tuple[Lever, ...] = Field(
        min_length=1, max_length=12, description="The negotiable provisions and their ranges."
    )
    objectives: tuple[Objective, ...] = Field(
        min_length=2, max_length=12, description="What each side wants high or low."
    )
    constraints: tuple[Constraint, ...] | None = Field(
        default=None,
        max_length=24,
        description="What every acceptable package meets (default: each side's bargaining "
        "objective no worse than at the disagreement point).",
    )
    bargain: tuple[Identifier, ...] | None = Field(
        default=None,
        description="Per side at the table, the objective its gain is measured on for the "
        "bargaining solutions (default: its first stability objective).",
    )
    search: SearchSettings = Field(default_factory=SearchSettings, description="Search settings.")

    @property
    def parties(self) -> tuple[str, ...]:
        """Actors at the table, in spec order."""
        return tuple(s.actor for s in self.sides)

    def objective(self, key: str) -> Objective:
        """The objective with id ``key``."""
        return next(o for o in self.objectives if o.id == key)

    @property
    def bargaining(self) -> tuple[Objective, ...]:
        """Per side at the table, the objective its gain is measured on."""
        if self.bargain is not None:
            return tuple(self.objective(k) for k in self.bargain)
        return tuple(
            next(o for o in self.objectives if o.side == a and o.spec.stability)
            for a in self.parties
        )

    @property
    def all_constraints(self) -> tuple[Constraint, ...]:
        """The constraints in force (declared, or the default)."""
        if self.constraints is not None:
            return self.constraints
        return tuple(
            Constraint(kind="no_worse_than_disagreement", objective=o.id) for o in self.bargaining
        )

    @model_validator(mode="after")
    def _consistent(self) -> NegotiationSpec:
        errors: Errors = []
        actors = tuple(s.actor for s in self.scenario.sides)
        parties = self.parties
        errors += _sides(parties, actors)
        errors += _levers(self.levers, parties)
        errors += _objectives(self.objectives, actors)
        ids = [o.id for o in self.objectives]
        for i, c in enumerate(self.constraints or ()):
            if c.objective not in ids:
                errors.append(_unknown(("constraints", i, "objective"), c.objective, ids))
        errors += self._bargain(ids)
        if self.search.algorithm == "nsga2" and len(self.objectives) > 3:
            errors.append(
                (
                    ("search", "algorithm"),
                    "too_many_objectives",
                    f"NSGA-II spreads a front poorly beyond three objectives; with "
                    f"{len(self.objectives)} use nsga3",
                    "nsga2",
                )
            )
        if errors:
            raise located_errors("NegotiationSpec", errors)
        return self

    def _bargain(self, ids: list[str]) -> Errors:
        errors: Errors = []
        if self.bargain is None:
            for i, actor in enumerate(self.parties):
                if not any(o.side == actor and o.spec.stability for o in self.objectives):
                    errors.append(
                        (
                            ("sides", i, "actor"),
                            "no_bargaining_objective",
                            "a side at the table needs a stability objective, or name its "
                            "bargaining objective under 'bargain'",
                            actor,
                        )
                    )
            return errors
        if len(self.bargain) != len(self.parties):
            errors.append(
                (
                    ("bargain",),
                    "length",
                    f"one objective per side at the table ({', '.join(self.parties)})",
                    list(self.bargain),
                )
            )
            return errors
        for i, (key, actor) in enumerate(zip(self.bargain, self.parties, strict=True)):
            if key not in ids:
                errors.append(_unknown(("bargain", i), key, ids))
            elif self.objective(key).side != actor:
                errors.append(
                    (("bargain", i), "side", f"expected an objective of side {actor!r}", key)
                )
        return errors


def _unknown(loc: tuple[str | int, ...], value: str, known: list[str] | tuple[str, ...]) -> Any:
    return (loc, "unknown", f"expected one of: {', '.join(known)}", value)


def _sides(parties: tuple[str, ...], actors: tuple[str, ...]) -> Errors:
    errors: Errors = []
    for i, actor in enumerate(parties):
        if actor not in actors:
            errors.append(_unknown(("sides", i, "actor"), actor, actors))
        elif parties.index(actor) != i:
            errors.append((("sides", i, "actor"), "duplicate", "a side is listed once", actor))
    return errors


def _levers(levers: tuple[Lever, ...], parties: tuple[str, ...]) -> Errors:
    errors: Errors = []
    seen: set[str] = set()
    for i, lever in enumerate(levers):
        for j, party in enumerate(lever.parties):
            if party not in parties:
                errors.append(_unknown(("levers", i, "parties", j), party, parties))
        if lever.key in seen:
            errors.append(
                (("levers", i, "id"), "duplicate", "each lever needs its own id", lever.key)
            )
        seen.add(lever.key)
    return errors


def _objectives(objectives: tuple[Objective, ...], actors: tuple[str, ...]) -> Errors:
    errors: Errors = []
    readings = tuple(p.id for p in BUILT_IN_PERSPECTIVES)
    seen: set[str] = set()
    for i, o in enumerate(objectives):
        if o.id in seen:
            errors.append((("objectives", i, "id"), "duplicate", "ids must differ", o.id))
        seen.add(o.id)
        if o.side not in actors:
            errors.append(_unknown(("objectives", i, "side"), o.side, actors))
            continue
        if not o.spec.stability:
            continue
        _, reading, case, part = o.stability_key
        if reading not in readings:
            field = "reading" if o.reading else "side"
            note = "" if o.reading else " (the side has no reading of its own: set 'reading')"
            errors.append(
                (
                    ("objectives", i, field),
                    "reading",
                    f"no reading {reading!r}{note}; expected one of: {', '.join(readings)}",
                    reading,
                )
            )
        if part not in ("combined", *actors):
            errors.append(_unknown(("objectives", i, "part"), part, ("combined", *actors)))
        if case != "own":
            errors += _case(("objectives", i, "case"), case, actors)
    return errors


def _case(loc: tuple[str | int, ...], text: str, actors: tuple[str, ...]) -> Errors:
    try:
        parsed = AlertCase.parse(text)
    except ValueError as exc:
        return [(loc, "case", f"{exc}; or 'own'", text)]
    if tuple(a for a, _ in parsed.levels) != actors:
        return [(loc, "case", f"name every side in order ({', '.join(actors)}), or 'own'", text)]
    return []


__all__ = ["NegotiatingSide", "NegotiationSpec", "SearchSettings"]
