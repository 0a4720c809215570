"""Why a definition moved between two assessments, read from the exchanges behind it.

A sentence per headline definition that moved, made only of facts the two
assessments hold:

- the same move with every side riding out the first strike. When it turns the
  other way there, or shrinks to less than half, the move comes from launch on
  warning, and the sentence says so, with the change in warheads launched on
  warning in each exchange and the policy share that sets it (an assumption of
  the postures, cited);
- otherwise, the flows of the headline exchanges that changed (warheads
  destroyed, launched on warning, arriving in retaliation, damage to each side).

Nothing here is inferred beyond those numbers: the sentence reports which
counterfactual case the move survives and which flows changed, not a causal
chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from detente.analysis.assess import Assessment
from detente.analysis.display import signed, signed_change
from detente.engine.results import ExchangeOutcome
from detente.stability import DEFINITIONS, LABELS

MOVED = 0.005
"""Smallest change of a headline value explained (about the last digit shown, 3 decimals)."""
WARHEADS = 0.5
"""Smallest change of a warhead flow mentioned (it rounds to a whole warhead)."""
DAMAGE = 0.005
"""Smallest change of a damage share mentioned (half a percentage point)."""

Driver = Literal["launch_on_warning", "flows"]


@dataclass(frozen=True)
class Why:
    """What moved one headline definition."""

    definition: str
    delta: float
    """Change of the headline value (variant minus base)."""
    ride_out_delta: float | None
    """Change of the same value with every side riding out (None if not evaluated)."""
    driver: Driver
    """``launch_on_warning`` when the move reverses or mostly vanishes if every side
    rides out; ``flows`` otherwise."""
    text: str

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "definition": self.definition,
            "delta": self.delta,
            "ride_out_delta": self.ride_out_delta,
            "driver": self.driver,
            "text": self.text,
        }


def _more(x: float) -> str:
    """``153 more`` / ``391 fewer`` warheads, rounded to whole ones."""
    n = f"{abs(x):,.0f}"
    return "no more" if n == "0" else f"{n} more" if x > 0 else f"{n} fewer"


def _system_moves(base: ExchangeOutcome, variant: ExchangeOutcome, flow: str, top: int = 3) -> str:
    before = {s.system: s[flow] for s in base.defender_systems}
    moves = [
        (s.system, s[flow] - before.get(s.system, 0.0))
        for s in variant.defender_systems
        if abs(s[flow] - before.get(s.system, 0.0)) >= WARHEADS
    ]
    moves.sort(key=lambda m: -abs(m[1]))
    return ", ".join(f"{sid} {signed(d, ',.0f')}" for sid, d in moves[:top])


def _pairs(base: Assessment, variant: Assessment) -> list[tuple[ExchangeOutcome, ExchangeOutcome]]:
    return list(zip(base.outcomes(), variant.outcomes(), strict=True))


def _warning_evidence(base: Assessment, variant: Assessment) -> list[str]:
    parts = []
    for b, v in _pairs(base, variant):
        d = v.defender_total("launched_on_warning") - b.defender_total("launched_on_warning")
        if abs(d) < WARHEADS:
            continue
        arrived = v.retaliation_arrived - b.retaliation_arrived
        systems = _system_moves(b, v, "launched_on_warning")
        policy = variant.scenario.side(v.defender).posture.launch_on_warning
        source = policy.citation("fraction").source
        parts.append(
            f"when {v.attacker} strikes first, {v.defender} launches {_more(d)} warheads on "
            f"warning ({systems}) and {_more(arrived)} arrive in retaliation; by policy "
            f"{v.defender} launches {policy.fraction:.0%} of its threatened alert ICBMs on "
            f"warning (launch_on_warning.fraction, source: {source})"
        )
    return parts


def _flow_evidence(base: Assessment, variant: Assessment) -> list[str]:
    parts = []
    for b, v in _pairs(base, variant):
        moves = []
        for label, before, after in (
            (f"{v.defender} warheads destroyed", b.warheads_destroyed, v.warheads_destroyed),
            (
                "launched on warning",
                b.defender_total("launched_on_warning"),
                v.defender_total("launched_on_warning"),
            ),
            ("arriving in retaliation", b.retaliation_arrived, v.retaliation_arrived),
        ):
            if abs(after - before) >= WARHEADS:
                moves.append(f"{label} {signed_change(before, after, ',.0f')}")
        for label, before, after in (
            (f"damage to {v.attacker}", b.damage_to_attacker, v.damage_to_attacker),
            (f"damage to {v.defender}", b.damage_to_defender, v.damage_to_defender),
        ):
            if abs(after - before) >= DAMAGE:
                moves.append(f"{label} {signed_change(100 * before, 100 * after, ',.0f')} pts")
        if moves:
            parts.append(f"when {v.attacker} strikes first, " + ", ".join(moves))
    return parts


def _components(base: Assessment, variant: Assessment, name: str) -> str:
    b, v = base.value(name).components, variant.value(name).components
    parts = [f"{side} part {signed(v[side] - b[side])}" for side in b if side in v]
    return f" ({', '.join(parts)})" if parts else ""


@dataclass(frozen=True)
class Explanation:
    """Why the headline moved: a line per moved definition, then the exchanges' changes."""

    definitions: tuple[Why, ...]
    exchanges: tuple[str, ...]
    """Per exchange direction whose flows changed: which flows, by how much."""
    cases: tuple[str, str] | None = None
    """The two headline cases, when they differ (each scenario is read at its own)."""

    def lines(self) -> list[str]:
        """Sentences for a summary: the definitions, then one on the exchanges."""
        out = []
        if self.definitions and self.cases is not None:
            out.append(
                f"The headline cases differ ({self.cases[0]} -> {self.cases[1]}): each "
                "scenario is read at its own alert levels, and the moves below include that."
            )
        out += [w.text for w in self.definitions]
        if self.definitions and self.exchanges:
            out.append("In the exchanges: " + "; ".join(self.exchanges) + ".")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "definitions": [w.to_dict() for w in self.definitions],
            "exchanges": list(self.exchanges),
            "cases": None if self.cases is None else list(self.cases),
        }


def explain(base: Assessment, variant: Assessment) -> Explanation:
    """A :class:`Why` for each headline definition that moved by :data:`MOVED` or more.

    Parameters
    ----------
    base, variant
        Assessments of the same pair of sides.

    Returns
    -------
    Explanation
        The moved definitions in definition order (none when nothing moved) and
        the changed flows of each side's first strike, headline case.
    """
    out = []
    for name in DEFINITIONS:
        delta = variant.value(name).value - base.value(name).value
        if abs(delta) < MOVED:
            continue
        ride = _ride_out_delta(base, variant, name)
        text = f"{LABELS[name]} {signed(delta)}{_components(base, variant, name)}"
        if ride is not None and (delta * ride < 0 or abs(ride) < abs(delta) / 2):
            driver: Driver = "launch_on_warning"
            if abs(ride) < 0.0005:
                how = "vanishes"
            elif delta * ride < 0:
                how = "turns the other way"
            else:
                how = "mostly vanishes"
            text += (
                f", but {signed(ride)} if every side rides out the first strike: the move "
                f"{how} without launch on warning"
            )
            evidence = _warning_evidence(base, variant)
            if evidence:
                text += ". " + ". ".join(e[0].upper() + e[1:] for e in evidence)
        else:
            driver = "flows"
            if ride is not None:
                text += f" ({signed(ride)} if every side rides out)"
        out.append(Why(name, delta, ride, driver, text + "."))
    cases = (str(base.headline_case), str(variant.headline_case))
    return Explanation(
        tuple(out), tuple(_flow_evidence(base, variant)), cases if cases[0] != cases[1] else None
    )


def _ride_out_delta(base: Assessment, variant: Assessment, name: str) -> float | None:
    if base.headline_case.ride_out or variant.headline_case.ride_out:
        return None
    keys = [(name, a.headline_perspective, a.headline_case.riding_out()) for a in (base, variant)]
    if keys[0] not in base.results or keys[1] not in variant.results:
        return None
    return variant.results[keys[1]].value - base.results[keys[0]].value
