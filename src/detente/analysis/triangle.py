"""Three parties at once: each pair with and without the others, coalitions, the aftermath.

:func:`~detente.analysis.assess.assess` of a scenario with three sides adds a
:class:`Triangle` to its assessment:

- **pairs**: every pairwise definition for every pair, as the pair stands in the
  three-party scenario (each striker holding its reserve for the party standing
  by) and as it would stand on its own (the same two postures with the third party
  removed), so that the change the third party makes to a pair can be read off;
- **aftermath**: for every exchange of the headline case, bilateral or coalition,
  what each party has lost and what it still holds over each other party;
- **reserves**: what each striker keeps back for the party standing by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.analysis.evaluate import evaluate
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.outcomes import Outcomes
from detente.engine.coalition import CoalitionFlows, Target, standing_threat
from detente.engine.exchange import directions
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays
from detente.model.cases import AlertCase
from detente.model.perspective import Perspective
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS, DefinitionValue, pair_definition

Pair = tuple[str, str]
ResultKey = tuple[str, str, AlertCase]


def pairs_of(sides: tuple[str, ...]) -> tuple[Pair, ...]:
    """Every unordered pair of ``sides``, in side order."""
    return tuple((a, b) for i, a in enumerate(sides) for b in sides[i + 1 :])


def pair_case(case: AlertCase, pair: Pair) -> AlertCase:
    """The alert case of ``pair`` alone: ``case`` without the other sides' levels."""
    return AlertCase(tuple((a, lv) for a, lv in case.levels if a in pair), case.ride_out)


@dataclass(frozen=True)
class Aftermath:
    """One exchange of the headline case and what it leaves standing."""

    strikers: tuple[str, ...]
    victims: tuple[str, ...]
    bystanders: tuple[str, ...]
    damage: dict[str, float]
    """Share of each party's value destroyed in the exchange."""
    left: dict[str, float]
    """Warheads each party still has."""
    threat: dict[Pair, float]
    """``threat[(x, y)]``: share of ``y``'s value ``x``'s remaining warheads could destroy."""
    reserved: float = 0.0
    """Warheads a lone striker kept for the parties standing by."""

    @property
    def label(self) -> str:
        """``us strikes ru (cn stands by)`` or ``ru+cn strike us``."""
        verb = "strikes" if len(self.strikers) == 1 else "strike"
        text = f"{'+'.join(self.strikers)} {verb} {'+'.join(self.victims)}"
        if self.bystanders:
            text += (
                f" ({'+'.join(self.bystanders)} stand{'s' if len(self.bystanders) == 1 else ''} by)"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "strikers": list(self.strikers),
            "victims": list(self.victims),
            "bystanders": list(self.bystanders),
            "damage": self.damage,
            "warheads_left": self.left,
            "reserved_for_others": self.reserved,
            "threat": [{"holder": x, "over": y, "damage": v} for (x, y), v in self.threat.items()],
        }


@dataclass(frozen=True)
class Triangle:
    """Three or more parties assessed together (see the module docstring)."""

    parties: tuple[str, ...]
    reserve_rule: str
    reserve_damage: float
    with_others: dict[Pair, dict[ResultKey, DefinitionValue]]
    """Each pair's definitions in the full scenario, keyed by the pair's own alert case."""
    alone: dict[Pair, dict[ResultKey, DefinitionValue]]
    """The same, with the other parties removed from the scenario."""
    aftermath: tuple[Aftermath, ...]

    @property
    def pairs(self) -> tuple[Pair, ...]:
        """The pairs, in side order."""
        return tuple(self.with_others)

    def change(
        self, pair: Pair, perspective: str, case: AlertCase
    ) -> list[tuple[str, float, float]]:
        """(definition, alone, with the others) of ``pair`` in one reading and full case."""
        key = pair_case(case, pair)
        out = []
        for name in DEFINITIONS:
            there = self.with_others[pair].get((name, perspective, key))
            alone = self.alone[pair].get((name, perspective, key))
            if there is not None and alone is not None:
                out.append((name, alone.value, there.value))
        return out

    def to_dict(self, perspective: str, case: AlertCase) -> dict[str, Any]:
        """Plain JSON-ready form (pairs and aftermath in the headline reading and case;
        every reading and case of each pair under ``pairs_by_case``)."""
        return {
            "parties": list(self.parties),
            "third_party_reserve": {"rule": self.reserve_rule, "damage": self.reserve_damage},
            "pairs": [
                {
                    "pair": list(pair),
                    "perspective": perspective,
                    "case": str(pair_case(case, pair)),
                    "definitions": {
                        name: {"alone": a, "with_others": w, "change": w - a}
                        for name, a, w in self.change(pair, perspective, case)
                    },
                }
                for pair in self.pairs
            ],
            "pairs_by_case": [
                {
                    "pair": list(pair),
                    "definition": name,
                    "perspective": persp,
                    "case": str(key),
                    "alone": self.alone[pair][(name, persp, key)].value,
                    "with_others": value.value,
                    "components_with_others": dict(value.components),
                }
                for pair in self.pairs
                for (name, persp, key), value in self.with_others[pair].items()
                if (name, persp, key) in self.alone[pair]
            ],
            "aftermath": [a.to_dict() for a in self.aftermath],
        }


def pair_results(
    results: dict[ResultKey, DefinitionValue], pair: Pair
) -> dict[ResultKey, DefinitionValue]:
    """The pair's own entries of a three-party assessment, keyed by the pair's alert case."""
    out: dict[ResultKey, DefinitionValue] = {}
    for name in DEFINITIONS:
        key_name = pair_definition(name, pair)
        for (n, persp, case), value in results.items():
            if n == key_name:
                out[(name, persp, pair_case(case, pair))] = value
    return out


def alone(
    scenario: Scenario, pair: Pair, perspectives: tuple[Perspective, ...]
) -> dict[ResultKey, DefinitionValue]:
    """Every definition of ``pair`` with the other parties removed from ``scenario``."""
    sides = tuple(s for s in scenario.sides if s.actor in pair)
    sub = scenario.model_copy(update={"sides": sides})
    spec = OutcomeSpec(perspectives=perspectives, sides=pair)
    done = evaluate(sub, Experiments.baseline(), outcomes=spec).outcomes
    return {key: d.row(0) for key, d in done.definitions.items()}


def _standing(
    holders: dict[str, tuple[SideArrays, np.ndarray]], targets: dict[str, SideArrays]
) -> dict[Pair, float]:
    ones = Multipliers.ones(1)
    out: dict[Pair, float] = {}
    for x, (side, left) in holders.items():
        for y, target in targets.items():
            if x != y:
                threat = standing_threat(side, ones, left[None, :], Target.of(target, ones))
                out[(x, y)] = float(threat[0])
    return out


def aftermath(
    scenario: Scenario, evaluated: Outcomes, perspective: str, case: AlertCase
) -> tuple[Aftermath, ...]:
    """What each exchange of one reading and alert case leaves standing, against whom."""
    row = evaluated.flow_rows.get((perspective, case))
    if row is None:
        return ()
    at = np.array([row])
    sides = {a: evaluated.compiled[a].take(at) for a in scenario.actors}
    out: list[Aftermath] = []
    for att, dfn in directions(scenario.actors):
        f = evaluated.flows[(att, dfn)].take(at)
        by = tuple(a for a in scenario.actors if a not in (att, dfn))
        left = {
            att: f.attacker_unused[0],
            dfn: f.defender_withheld[0],
            **{b: (sides[b].launchers * sides[b].load)[0] * sides[b].nuclear for b in by},
        }
        out.append(
            Aftermath(
                strikers=(att,),
                victims=(dfn,),
                bystanders=by,
                damage={att: float(f.damage_to_attacker[0]), dfn: float(f.damage_to_defender[0])}
                | dict.fromkeys(by, 0.0),
                left={a: float(v.sum()) for a, v in left.items()},
                threat=_standing({a: (sides[a], v) for a, v in left.items()}, sides),
                reserved=float(f.attacker_reserved[0].sum()),
            )
        )
    crow = evaluated.case_rows.get((perspective, case))
    if crow is not None:
        for (strikers, victims), cf in evaluated.coalition_flows.items():
            out.append(_coalition_aftermath(cf.take(np.array([crow])), strikers, victims, sides))
    return tuple(out)


def _coalition_aftermath(
    f: CoalitionFlows,
    strikers: tuple[str, ...],
    victims: tuple[str, ...],
    sides: dict[str, SideArrays],
) -> Aftermath:
    left = {a: v[0] for a, v in f.left.items()}
    return Aftermath(
        strikers=strikers,
        victims=victims,
        bystanders=(),
        damage={a: float(v[0]) for a, v in f.damage.items()},
        left={a: float(v.sum()) for a, v in left.items()},
        threat=_standing({a: (sides[a], v) for a, v in left.items()}, sides),
    )


def triangle(
    scenario: Scenario,
    sides: tuple[str, ...],
    perspectives: tuple[Perspective, ...],
    results: dict[ResultKey, DefinitionValue],
    evaluated: Outcomes,
    headline: tuple[str, AlertCase],
) -> Triangle:
    """The three-party view of an assessment of ``sides`` (three or more)."""
    pairs = pairs_of(sides)
    return Triangle(
        parties=sides,
        reserve_rule=scenario.exchange.third_party_reserve,
        reserve_damage=scenario.third_party_damage,
        with_others={p: pair_results(results, p) for p in pairs},
        alone={p: alone(scenario, p, perspectives) for p in pairs},
        aftermath=aftermath(scenario, evaluated, *headline) if sides == scenario.actors else (),
    )
