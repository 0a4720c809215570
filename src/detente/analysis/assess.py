"""``assess(scenario)``: every stability definition, every alert case, every reading."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from detente.analysis.evaluate import evaluate
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.measures import posture_measures
from detente.analysis.outcomes import Outcomes
from detente.analysis.timing import Timings, stage
from detente.analysis.treaty_view import TreatyView, treaty_view
from detente.analysis.uncertainty import UncertaintyAnalysis
from detente.engine.exchange import directions, outcome_from_batch
from detente.engine.results import ExchangeOutcome
from detente.errors import InvalidArgumentError, unknown
from detente.model.cases import AlertCase, as_alert_case, ordered
from detente.model.perspective import BUILT_IN_PERSPECTIVES, Perspective, as_perspectives
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS, LABELS, DefinitionValue
from detente.stability.verdicts import READINGS, verdict

if TYPE_CHECKING:
    import pandas as pd

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Disagreement:
    """One definition and alert case where two readings part."""

    definition: str
    case: AlertCase
    perspective_a: str
    perspective_b: str
    value_a: float
    value_b: float

    @property
    def difference(self) -> float:
        """Absolute difference of the two values."""
        return abs(self.value_a - self.value_b)

    @property
    def verdicts_differ(self) -> bool:
        """Whether the two readings earn different verdict words."""
        return verdict(self.definition, self.value_a) != verdict(self.definition, self.value_b)


@dataclass(frozen=True)
class Assessment:
    """Every definition for every (reading, alert case) of the assessed sides."""

    scenario: Scenario
    sides: tuple[str, ...]
    perspectives: tuple[Perspective, ...]
    headline_perspective: str
    headline_case: AlertCase
    results: dict[tuple[str, str, AlertCase], DefinitionValue]
    """``results[(definition, perspective, alert case)]``."""
    evaluated: Outcomes = field(repr=False, compare=False)
    """What :func:`~detente.analysis.experiments.evaluate` returned (one experiment)."""
    treaty: tuple[TreatyView, ...] = field(default=())
    uncertainty: UncertaintyAnalysis | None = field(default=None, repr=False, compare=False)
    """Ranges, drivers and knife-edges, when asked for (:meth:`with_uncertainty`)."""

    def with_uncertainty(self, analysis: UncertaintyAnalysis) -> Assessment:
        """The same assessment with its uncertainty analysis attached."""
        return replace(self, uncertainty=analysis)

    @property
    def pair(self) -> tuple[str, ...]:
        """The assessed sides (two for a bilateral assessment)."""
        return self.sides

    @property
    def case_keys(self) -> tuple[AlertCase, ...]:
        """Alert cases in evaluation order."""
        return ordered(case for _, _, case in self.results)

    def value(
        self,
        definition: str,
        perspective: Perspective | str | None = None,
        case: AlertCase | str | None = None,
    ) -> DefinitionValue:
        """A definition's value (headline reading and alert case by default).

        Raises
        ------
        InvalidArgumentError
            If the definition, reading or alert case was not evaluated; the
            message lists the valid ones.
        """
        persp = self._reading(perspective)
        alerts = self._case(case)
        key = (definition, persp, alerts)
        if key not in self.results:
            raise InvalidArgumentError(self._missing(definition, persp, alerts))
        return self.results[key]

    def _reading(self, perspective: Perspective | str | None) -> str:
        if perspective is None:
            return self.headline_perspective
        if isinstance(perspective, Perspective):
            return perspective.id
        if not isinstance(perspective, str):
            raise InvalidArgumentError(
                f"perspective must be a reading id or a Perspective, got {perspective!r}"
            )
        return perspective

    def _case(self, case: AlertCase | str | None) -> AlertCase:
        if case is None:
            return self.headline_case
        if not isinstance(case, AlertCase | str):
            raise InvalidArgumentError(
                f"case must be an AlertCase or its text form (e.g. {str(self.headline_case)!r}), "
                f"got {case!r}"
            )
        try:
            return as_alert_case(case)
        except ValueError as exc:
            raise InvalidArgumentError(
                f"{exc}; the cases evaluated are: {', '.join(str(c) for c in self.case_keys)}"
            ) from None

    def _missing(self, definition: str, perspective: str, case: AlertCase) -> str:
        names = [n for n in DEFINITIONS if any(n == k for k, _, _ in self.results)]
        readings = [p.id for p in self.perspectives]
        if definition not in names:
            return unknown("definition", definition, names)
        if perspective not in readings:
            return unknown("reading", perspective, readings)
        cases = [str(c) for c in self.case_keys]
        return unknown("alert case", str(case), cases)

    @functools.cached_property
    def _exchanges(self) -> dict[tuple[str, AlertCase], tuple[ExchangeOutcome, ...]]:
        """Baseline exchanges of every case, built on first use (reports need few)."""
        out: dict[tuple[str, AlertCase], tuple[ExchangeOutcome, ...]] = {}
        ev = self.evaluated
        for (persp, alerts), row in ev.flow_rows.items():
            out[(persp, alerts)] = tuple(
                outcome_from_batch(
                    ev.flows[(att, dfn)],
                    ev.compiled[att],
                    ev.compiled[dfn],
                    (alerts.level(att), alerts.level(dfn)),
                    persp,
                    row=row,
                )
                for att, dfn in directions(self.sides)
            )
        return out

    def outcomes(
        self, perspective: Perspective | str | None = None, case: AlertCase | str | None = None
    ) -> tuple[ExchangeOutcome, ...]:
        """The baseline exchanges of a case: each side striking each other side first."""
        persp = self._reading(perspective)
        alerts = self._case(case)
        key = (persp, alerts)
        if key not in self._exchanges:
            raise InvalidArgumentError(self._missing("first_strike", persp, alerts))
        return self._exchanges[key]

    def leans_on_launch_on_warning(
        self, threshold: float = 0.05
    ) -> list[tuple[str, DefinitionValue, DefinitionValue]]:
        """Headline definitions that move, or change verdict, if every side rides out.

        Returns (definition, by policy, all riding out) for each definition whose value
        differs by more than ``threshold`` or whose verdict word differs between the
        headline case and the same case with every side riding out.
        """
        riding = self.headline_case.riding_out(not self.headline_case.ride_out)
        out = []
        for name in DEFINITIONS:
            key = (name, self.headline_perspective, riding)
            if key not in self.results:
                continue
            here, there = self.value(name), self.results[key]
            moved = abs(here.value - there.value) > threshold
            if moved or verdict(name, here.value) != verdict(name, there.value):
                out.append(
                    (name, here, there) if not self.headline_case.ride_out else (name, there, here)
                )
        return out

    def disagreements(self, a: str = "us", b: str = "ru") -> list[Disagreement]:
        """Definitions and cases ordered by how far readings ``a`` and ``b`` part."""
        rows = [
            Disagreement(
                name,
                key,
                a,
                b,
                self.results[(name, a, key)].value,
                self.results[(name, b, key)].value,
            )
            for name in DEFINITIONS
            for key in self.case_keys
            if (name, a, key) in self.results and (name, b, key) in self.results
        ]
        return sorted(rows, key=lambda d: (-int(d.verdicts_differ), -d.difference))

    def __repr__(self) -> str:
        from detente.analysis.display import headline_text

        return (
            f"<Assessment {self.scenario.name} ({' vs '.join(self.sides)}), "
            f"{self.headline_perspective} reading, {self.headline_case}: {headline_text(self)}; "
            f"{len(self.perspectives)} readings x {len(self.case_keys)} alert cases>"
        )

    def _repr_html_(self) -> str:
        from detente.analysis.display import assessment_html

        return assessment_html(self)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table, one row per (definition, reading, alert case, part).

        Columns: ``definition``, ``perspective`` (the reading), ``case`` (its text
        form), then the case split up: ``<actor>_alert`` for each side and
        ``ride_out``; ``part`` (``combined`` or a side), ``value`` and ``verdict``
        (the word the combined value earns where the definition has verdict bands;
        empty for side parts and definitions without bands).
        """
        alert_columns = [f"{actor}_alert" for actor in self.sides]
        rows: list[dict[str, Any]] = []
        for (name, persp, key), res in self.results.items():
            split = {f"{actor}_alert": key.level(actor) for actor in key.actors}
            parts = [("combined", res.value), *res.components.items()]
            for part, v in parts:
                rows.append(
                    {
                        "definition": name,
                        "perspective": persp,
                        "case": str(key),
                        **split,
                        "ride_out": key.ride_out,
                        "part": part,
                        "value": v,
                        "verdict": (verdict(name, v) or "") if part == "combined" else "",
                    }
                )
        import pandas as pd

        columns = [
            "definition",
            "perspective",
            "case",
            *alert_columns,
            "ride_out",
            "part",
            "value",
            "verdict",
        ]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see ``docs/assessment-json.md``)."""
        definitions: dict[str, Any] = {}
        for name in DEFINITIONS:
            head = self.value(name)
            definitions[name] = {
                "label": LABELS[name],
                "measures": READINGS[name].explains,
                "verdict_basis": READINGS[name].basis,
                "value": head.value,
                "verdict": verdict(name, head.value),
                "components": dict(head.components),
                "cases": [
                    {
                        "perspective": persp,
                        "case": str(key),
                        "value": res.value,
                        "verdict": verdict(name, res.value),
                        "components": dict(res.components),
                        "details": dict(res.details),
                    }
                    for (n, persp, key), res in self.results.items()
                    if n == name
                ],
            }
        return {
            "detente_assessment": 2,
            "scenario": {
                "name": self.scenario.name,
                "label": self.scenario.label,
                "question": self.scenario.question,
                "sides": [s.posture.id for s in self.scenario.sides],
                "pair": list(self.sides),
                "treaty": self.scenario.treaty,
            },
            "headline": {
                "perspective": self.headline_perspective,
                "case": str(self.headline_case),
            },
            "perspectives": [p.model_dump(mode="json") for p in self.perspectives],
            "static_measures": {
                s.actor: posture_measures(s.posture).to_dict() for s in self.scenario.sides
            },
            "cases": [str(c) for c in self.case_keys],
            "definitions": definitions,
            "disagreement": [
                {
                    "definition": d.definition,
                    "case": str(d.case),
                    "perspective_a": d.perspective_a,
                    "perspective_b": d.perspective_b,
                    "value_a": d.value_a,
                    "value_b": d.value_b,
                    "difference": d.difference,
                    "verdicts_differ": d.verdicts_differ,
                }
                for d in self.disagreements()
            ],
            "exchanges": [
                o.to_dict()
                for key in self.case_keys
                for o in self.outcomes(self.headline_perspective, key)
            ],
            "treaty": [t.to_dict() for t in self.treaty],
            **({"uncertainty": self.uncertainty.to_dict()} if self.uncertainty else {}),
        }


def _sides(scenario: Scenario, pair: Sequence[str] | None) -> tuple[str, ...]:
    actors = tuple(s.actor for s in scenario.sides)
    if pair is None:
        return actors[:2]
    wanted = tuple(pair)
    if len(wanted) < 2 or len(set(wanted)) != len(wanted) or not set(wanted) <= set(actors):
        raise InvalidArgumentError(
            f"pair must name two or more different actors of the scenario ({', '.join(actors)}), "
            f"got {pair!r}"
        )
    return wanted


def assess(
    scenario: Scenario,
    *,
    perspectives: Sequence[Perspective | str] = BUILT_IN_PERSPECTIVES,
    pair: Sequence[str] | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
) -> Assessment:
    """Evaluate every stability definition for every alert case and perspective.

    Parameters
    ----------
    scenario
        The scenario (not mutated).
    perspectives
        Readings to evaluate (Perspective objects or ids of built-in ones); the
        first is the headline.
    pair
        The actors to assess; by default the first two sides.
    progress
        Called with a short label before the evaluation (for progress bars).
    timings
        When given, collects the wall time of each stage (exchange outcomes for
        reports are built later, on first use, and are not part of it).

    Returns
    -------
    Assessment
        Results keyed by definition, perspective and alert case, with the
        baseline exchanges behind them.

    Raises
    ------
    InvalidArgumentError
        If ``pair`` names actors that are not sides of the scenario, or one twice.
    """
    if not isinstance(scenario, Scenario):
        raise InvalidArgumentError(f"assess takes a Scenario, got {type(scenario).__name__}")
    sides = _sides(scenario, pair)
    perspectives = as_perspectives(perspectives)
    if progress is not None:
        progress(f"{len(perspectives)} readings x {2 ** len(sides)} alert cases")
    spec = OutcomeSpec(perspectives=perspectives, sides=sides, keep_flows=True)
    evaluated = evaluate(scenario, Experiments.baseline(), outcomes=spec).outcomes
    if timings is not None:
        for name, seconds in evaluated.timings.items():
            timings[name] = timings.get(name, 0.0) + seconds
    with stage(timings, "results"):
        results = {key: d.row(0) for key, d in evaluated.definitions.items()}
    own = AlertCase(tuple((a, scenario.side(a).posture.alert) for a in sides))
    on = dt.date.fromisoformat(scenario.date) if scenario.date else None
    with stage(timings, "treaty view"):
        treaty = treaty_view(scenario, on)
    return Assessment(
        scenario=scenario,
        sides=sides,
        perspectives=perspectives,
        headline_perspective=perspectives[0].id,
        headline_case=own,
        results=results,
        evaluated=evaluated,
        treaty=treaty,
    )
