"""``assess(scenario)``: every stability definition, every alert case, every reading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from detente.analysis.cases import CaseRun, run_cases
from detente.analysis.timing import Timings, stage
from detente.analysis.treaty_view import TreatyView, treaty_view
from detente.engine.results import ExchangeOutcome
from detente.model.perspective import BUILT_IN_PERSPECTIVES, Perspective
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS, LABELS, DefinitionValue

if TYPE_CHECKING:
    import pandas as pd

VERDICT_BANDS = ((0.7, "stable"), (0.4, "fragile"), (0.0, "unstable"))
"""Reading of a value: at least 0.7 stable, at least 0.4 fragile, else unstable."""

Progress = Callable[[str], None]


def verdict(value: float) -> str:
    """Word for a value in [0, 1] (see :data:`VERDICT_BANDS`)."""
    return next(word for bound, word in VERDICT_BANDS if value >= bound)


@dataclass(frozen=True)
class Disagreement:
    """One definition and alert case where two readings part."""

    definition: str
    case: str
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
        """Whether the two readings put the case in different bands."""
        return verdict(self.value_a) != verdict(self.value_b)


@dataclass(frozen=True)
class Assessment:
    """Every definition for every (perspective, alert case) of one pair of sides."""

    scenario: Scenario
    pair: tuple[str, str]
    perspectives: tuple[Perspective, ...]
    headline_perspective: str
    headline_case: str
    runs: dict[tuple[str, str], CaseRun]
    results: dict[tuple[str, str, str], DefinitionValue]
    """``results[(definition, perspective, case)]``."""
    treaty: tuple[TreatyView, ...] = field(default=())

    @property
    def case_keys(self) -> tuple[str, ...]:
        """Alert-case keys in evaluation order."""
        seen: dict[str, None] = {}
        for _, key in self.runs:
            seen.setdefault(key, None)
        return tuple(seen)

    def value(
        self, definition: str, perspective: str | None = None, case: str | None = None
    ) -> DefinitionValue:
        """A definition's value (headline perspective and case by default)."""
        return self.results[
            (definition, perspective or self.headline_perspective, case or self.headline_case)
        ]

    def outcomes(
        self, perspective: str | None = None, case: str | None = None
    ) -> tuple[ExchangeOutcome, ExchangeOutcome]:
        """The baseline exchanges (each side striking first) of a case."""
        return self.runs[
            (perspective or self.headline_perspective, case or self.headline_case)
        ].outcomes

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

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: definition, perspective, case, part (side or combined), value."""
        rows: list[dict[str, Any]] = []
        for (name, persp, key), res in self.results.items():
            rows.append(
                {
                    "definition": name,
                    "perspective": persp,
                    "case": key,
                    "part": "combined",
                    "value": res.value,
                }
            )
            for side, v in res.components.items():
                rows.append(
                    {
                        "definition": name,
                        "perspective": persp,
                        "case": key,
                        "part": side,
                        "value": v,
                    }
                )
        import pandas as pd

        return pd.DataFrame(rows, columns=["definition", "perspective", "case", "part", "value"])

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see ``docs/assessment-json.md``)."""
        definitions: dict[str, Any] = {}
        for name in DEFINITIONS:
            head = self.value(name)
            definitions[name] = {
                "label": LABELS[name],
                "value": head.value,
                "verdict": verdict(head.value),
                "components": dict(head.components),
                "cases": [
                    {
                        "perspective": persp,
                        "case": key,
                        "value": res.value,
                        "verdict": verdict(res.value),
                        "components": dict(res.components),
                        "details": dict(res.details),
                    }
                    for (n, persp, key), res in self.results.items()
                    if n == name
                ],
            }
        return {
            "detente_assessment": 1,
            "scenario": {
                "name": self.scenario.name,
                "label": self.scenario.label,
                "question": self.scenario.question,
                "sides": [s.posture.id for s in self.scenario.sides],
                "pair": list(self.pair),
                "treaty": self.scenario.treaty,
            },
            "headline": {"perspective": self.headline_perspective, "case": self.headline_case},
            "perspectives": [p.model_dump(mode="json") for p in self.perspectives],
            "cases": list(self.case_keys),
            "definitions": definitions,
            "disagreement": [
                {
                    "definition": d.definition,
                    "case": d.case,
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
        }


def assess(
    scenario: Scenario,
    *,
    perspectives: Sequence[Perspective] = BUILT_IN_PERSPECTIVES,
    pair: tuple[str, str] | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
) -> Assessment:
    """Evaluate every stability definition for every alert case and perspective.

    Parameters
    ----------
    scenario
        The scenario (not mutated).
    perspectives
        Readings to evaluate; the first is the headline.
    pair
        The two actors to assess; by default the first two sides.
    progress
        Called with a short label before each case (for progress bars).
    timings
        When given, collects the wall time of each stage (exchange outcomes for
        reports are built later, on first use, and are not part of it).

    Returns
    -------
    Assessment
        Results keyed by definition, perspective and alert case, with the
        baseline exchanges behind them.
    """
    pair = pair or (scenario.sides[0].actor, scenario.sides[1].actor)
    if progress is not None:
        progress(f"{len(perspectives)} readings x 4 alert cases")
    runs = run_cases(scenario, pair, perspectives, timings=timings)
    with stage(timings, "definitions"):
        results: dict[tuple[str, str, str], DefinitionValue] = {}
        for persp in perspectives:
            same = {key: r.case for (pid, key), r in runs.items() if pid == persp.id}
            for name, fn in DEFINITIONS.items():
                for key, case in same.items():
                    results[(name, persp.id, key)] = fn(case, scenario.stability, same)
    own = "/".join(f"{a}:{scenario.side(a).posture.alert}" for a in pair)
    on = dt.date.fromisoformat(scenario.date) if scenario.date else None
    with stage(timings, "treaty view"):
        treaty = treaty_view(scenario, on)
    return Assessment(
        scenario=scenario,
        pair=pair,
        perspectives=tuple(perspectives),
        headline_perspective=perspectives[0].id,
        headline_case=own,
        runs=runs,
        results=results,
        treaty=treaty,
    )
