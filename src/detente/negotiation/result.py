"""``negotiate(spec)``: the search, the front, the zone, the bargaining packages, in words.

Also :func:`exhaustive`, which evaluates every package of a small stepped lever
space: the exact reference the search is tested against.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from detente.analysis.executors import Executor, ProcessExecutor, Progress
from detente.errors import InvalidArgumentError
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.negotiation.bargaining import Bargain, bargain
from detente.negotiation.levers import LEVER_KINDS, Lever
from detente.negotiation.objectives import TOLERANCE, Objective
from detente.negotiation.packages import (
    NegotiationProblem,
    PackageResult,
    Values,
    evaluate_package,
    evaluate_packages,
)
from detente.negotiation.search import Generation, minimised, run_search, violations
from detente.negotiation.spec import NegotiationSpec
from detente.stability import LABELS

if TYPE_CHECKING:
    import pandas as pd

FloatArray = npt.NDArray[np.float64]

MAX_EXHAUSTIVE = 20_000
"""Most packages :func:`exhaustive` evaluates."""


def format_measure(value: float, kind: str) -> str:
    """A side's measure for a lever kind, as shown to people."""
    return _number(value, kind)


def _number(value: float, kind: str) -> str:
    return f"{value:,.0f}" if LEVER_KINDS[kind].integer else f"{value:.0%}"


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class Shortfall:
    """A constraint over the evaluated packages: how many meet it, how near the best comes."""

    constraint: str
    objective: str
    met_by: int
    best: float
    """Smallest violation found (at most 0: some package meets it)."""


@dataclass(frozen=True)
class NegotiationResult:
    """Every evaluated package, the front, the zone and the bargaining packages."""

    spec: NegotiationSpec
    disagreement: PackageResult
    evaluated: tuple[PackageResult, ...]
    outcome: Bargain
    gains: FloatArray
    """Per package (row) and side at the table (column): gain on its bargaining objective."""
    violations: FloatArray
    """Per package and constraint: violation (met where at most 0)."""
    generations: int = 0
    proposals: int = 0

    # --- reading packages -------------------------------------------------------------

    def objective_values(self, i: int) -> dict[str, float]:
        """Objective values of package ``i`` by objective id."""
        return dict(
            zip((o.id for o in self.spec.objectives), self.evaluated[i].objectives, strict=True)
        )

    def lever_values(self, i: int) -> dict[str, float]:
        """Lever values of package ``i`` by lever id."""
        values = self.evaluated[i].values or ()
        return dict(zip((lv.key for lv in self.spec.levers), values, strict=True))

    def acceptable(self, i: int) -> bool:
        """Whether package ``i`` is in the zone of agreement."""
        return bool(np.all(self.violations[i] <= TOLERANCE))

    def shortfalls(self) -> list[Shortfall]:
        """Per constraint, over every package: how many meet it and the smallest violation."""
        out = []
        for j, c in enumerate(self.spec.all_constraints):
            column = self.violations[:, j]
            out.append(
                Shortfall(c.key, c.objective, int(np.sum(column <= TOLERANCE)), float(column.min()))
            )
        return out

    def closest(self) -> int | None:
        """The package whose worst violation is smallest (where the zone is empty)."""
        if not self.evaluated or self.violations.shape[1] == 0:
            return None
        return int(np.argmin(self.violations.max(axis=1)))

    def highlights(self) -> list[tuple[str, int]]:
        """Packages worth showing first: the bargaining packages, then each side's best.

        One entry per distinct package, named by every role it has
        (``Nash = Kalai-Smorodinsky``); each side's best is its largest gain in
        the zone.
        """
        b = self.outcome
        named: dict[int, list[str]] = {}
        for name, i in (("Nash", b.nash), ("Kalai-Smorodinsky", b.kalai_smorodinsky)):
            if i is not None:
                named.setdefault(i, []).append(name)
        if b.zone.size:
            for k, actor in enumerate(self.spec.parties):
                best = int(b.zone[np.argmax(self.gains[b.zone, k])])
                named.setdefault(best, []).append(f"best for {actor.upper()}")
        return [(" = ".join(names), i) for i, names in named.items()]

    def format_lever(self, key: str, value: float) -> str:
        """A lever value as shown to people (counts with separators, shares in percent)."""
        lever = next(lv for lv in self.spec.levers if lv.key == key)
        return _number(value, lever.kind)

    # --- words --------------------------------------------------------------------------

    def explain(self, i: int) -> dict[str, str]:
        """For each side at the table: what it gives, what it gets, what its reading says.

        "Gives" are the side's own numbers that the package holds below where
        they would be with no treaty (after the upload its doctrine allows);
        "gets" are the other sides' numbers held below theirs.
        """
        spec = self.spec
        package, base = self.evaluated[i], self.disagreement
        if not package.ok:
            return dict.fromkeys(
                spec.parties, f"The package cannot be carried out: {package.error}"
            )
        kinds = list(dict.fromkeys(lv.kind for lv in spec.levers))
        out = {}
        for k, (actor, objective) in enumerate(zip(spec.parties, spec.bargaining, strict=True)):
            gives = "; ".join(_changes(package, base, actor, kinds)) or "nothing"
            gets = [
                f"from {other.upper()}: {'; '.join(changes)}"
                for other in spec.parties
                if other != actor and (changes := _changes(package, base, other, kinds))
            ]
            j = spec.objectives.index(objective)
            gain = float(self.gains[i, k])
            verdict = (
                "better off"
                if gain > TOLERANCE
                else "worse off"
                if gain < -TOLERANCE
                else "no better and no worse off"
            )
            out[actor] = (
                f"{actor.upper()} gives: {gives}. It gets {'; '.join(gets) or 'nothing'}. "
                f"{_measure(objective)} is {package.objectives[j]:.4f} against "
                f"{base.objectives[j]:.4f} with no treaty ({gain:+.4f}): {verdict}."
            )
        return out

    # --- plain data ---------------------------------------------------------------------

    def package_dict(self, i: int) -> dict[str, Any]:
        """Plain data of package ``i``."""
        r = self.evaluated[i]
        return {
            "levers": self.lever_values(i),
            "objectives": {k: _finite(v) for k, v in self.objective_values(i).items()},
            "gains": {a: _finite(float(self.gains[i, k])) for k, a in enumerate(self.spec.parties)},
            "violations": {
                c.key: _finite(float(self.violations[i, j]))
                for j, c in enumerate(self.spec.all_constraints)
            },
            "acceptable": self.acceptable(i),
            "sides": _sides_dict(r),
            "error": r.error,
        }

    def _solution(self, i: int | None) -> dict[str, Any] | None:
        if i is None:
            return None
        return {**self.package_dict(i), "explanation": self.explain(i)}

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see ``docs/negotiation.md``)."""
        s = self.spec
        b = self.outcome
        closest = None if b.zone.size else self.closest()
        return {
            "detente_negotiation": 1,
            "negotiation": {
                "name": s.name,
                "label": s.label,
                "question": s.question,
                "scenario": s.scenario.name,
                "parties": list(s.parties),
                "sides": [d.model_dump(mode="json") for d in s.sides],
            },
            "search": {
                **s.search.model_dump(mode="json"),
                "generations_run": self.generations,
                "proposals": self.proposals,
                "evaluated": len(self.evaluated),
            },
            "levers": [_lever_dict(lv) for lv in s.levers],
            "objectives": [
                {
                    "id": o.id,
                    "kind": o.kind,
                    "side": o.side,
                    "label": o.display,
                    "unit": o.spec.unit,
                    "sense": o.direction,
                    **(
                        dict(
                            zip(
                                ("definition", "reading", "case", "part"),
                                o.stability_key,
                                strict=True,
                            )
                        )
                        if o.spec.stability
                        else {}
                    ),
                }
                for o in s.objectives
            ],
            "constraints": [
                {"id": c.key, "kind": c.kind, "objective": c.objective, "bound": c.bound}
                for c in s.all_constraints
            ],
            "bargaining_objectives": {
                a: o.id for a, o in zip(s.parties, s.bargaining, strict=True)
            },
            "disagreement": {
                "objectives": dict(
                    zip((o.id for o in s.objectives), self.disagreement.objectives, strict=True)
                ),
                "sides": _sides_dict(self.disagreement),
            },
            "front": [self.package_dict(int(i)) for i in b.front],
            "front_acceptable": b.front_feasible,
            "zone": {
                "size": int(b.zone.size),
                "empty": not b.zone.size,
                "shortfalls": [
                    {
                        "constraint": f.constraint,
                        "objective": f.objective,
                        "met_by": f.met_by,
                        "best": f.best,
                    }
                    for f in self.shortfalls()
                ],
                "closest": None if closest is None else self.package_dict(closest),
            },
            "ideal_gains": {a: float(g) for a, g in zip(s.parties, b.ideal, strict=True)},
            "nash": self._solution(b.nash),
            "kalai_smorodinsky": self._solution(b.kalai_smorodinsky),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per evaluated package: lever values, objectives, gains, flags."""
        import pandas as pd

        rows = []
        front = {int(i) for i in self.outcome.front}
        for i, r in enumerate(self.evaluated):
            row: dict[str, Any] = dict(self.lever_values(i))
            row.update(self.objective_values(i))
            row.update(
                {f"gain_{a}": float(self.gains[i, k]) for k, a in enumerate(self.spec.parties)}
            )
            row.update(acceptable=self.acceptable(i), front=i in front, error=r.error)
            rows.append(row)
        return pd.DataFrame(rows)


def _lever_dict(lv: Lever) -> dict[str, Any]:
    return {
        "id": lv.key,
        "kind": lv.kind,
        "label": lv.display,
        "unit": lv.spec.unit,
        "min": lv.min,
        "max": lv.max,
        "step": lv.step if lv.stepped else None,
        "parties": list(lv.parties),
    }


def _sides_dict(r: PackageResult) -> dict[str, Any]:
    return {a: {"measures": dict(s.measures), "uploaded": s.uploaded} for a, s in r.sides.items()}


def _lower_first(text: str) -> str:
    """``Deployed warheads`` -> ``deployed warheads``; ``ICBMs on alert`` stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _changes(
    package: PackageResult, base: PackageResult, actor: str, kinds: list[str]
) -> list[str]:
    """What ``actor`` holds less of in ``package`` than with no treaty, in words."""
    if actor not in package.sides or actor not in base.sides:
        return []
    mine, then = package.sides[actor].measures, base.sides[actor].measures
    out = []
    for kind in kinds:
        if mine[kind] < then[kind] - 0.5 * (1.0 if LEVER_KINDS[kind].integer else 0.01):
            out.append(
                f"{_lower_first(LEVER_KINDS[kind].label)} down to {_number(mine[kind], kind)} "
                f"from {_number(then[kind], kind)}"
            )
    return out


def _measure(objective: Objective) -> str:
    """``By the US reading, first-strike stability (Kent-Thaler)`` or the objective's name."""
    if not objective.spec.stability:
        return f"Its bargaining measure, {_lower_first(objective.display)},"
    definition, reading, case, part = objective.stability_key
    label = next((p.label for p in BUILT_IN_PERSPECTIVES if p.id == reading), reading)
    where = "" if case == "own" else f" in case {case}"
    whose = "" if part == "combined" else f", {part.upper()}'s part"
    return f"By the {label}, {_lower_first(LABELS[definition])}{whose}{where}"


def analyse(
    problem: NegotiationProblem,
    disagreement: PackageResult,
    evaluated: Sequence[PackageResult],
    *,
    generations: int = 0,
    proposals: int = 0,
) -> NegotiationResult:
    """Front, zone, bargaining packages and gains over evaluated packages."""
    spec = problem.spec
    n = len(evaluated)
    F = np.asarray([minimised(problem, r) for r in evaluated]).reshape(n, len(spec.objectives))
    G = np.asarray([violations(problem, r, disagreement) for r in evaluated]).reshape(
        n, len(spec.all_constraints)
    )
    columns = [spec.objectives.index(o) for o in spec.bargaining]
    signs = np.asarray([o.sign for o in spec.bargaining])
    base = np.asarray([disagreement.objectives[j] for j in columns])
    values = np.asarray([[r.objectives[j] for j in columns] for r in evaluated]).reshape(
        n, len(columns)
    )
    gains = signs * (values - base)
    gains = np.where(np.isfinite(gains), gains, -np.inf)
    levers = [r.values or () for r in evaluated]
    return NegotiationResult(
        spec=spec,
        disagreement=disagreement,
        evaluated=tuple(evaluated),
        outcome=bargain(F, G, gains, levers),
        gains=gains,
        violations=G,
        generations=generations,
        proposals=proposals,
    )


def negotiate(
    spec: NegotiationSpec,
    *,
    executor: Executor | None = None,
    progress: Generation | None = None,
) -> NegotiationResult:
    """Search the spec's lever space for packages each side's own reading accepts.

    Parameters
    ----------
    spec
        The negotiation (sides and doctrines, levers, objectives, constraints, search).
    executor
        Where packages are evaluated. Default: a pool of ``spec.search.workers``
        processes started for this search (this process when it is 1); the packages
        and their values are the same either way.
    progress
        Called as ``progress(generation, generations)`` after each generation.

    Returns
    -------
    NegotiationResult
        Every package evaluated, the Pareto front, the zone of agreement, the
        Nash and Kalai-Smorodinsky packages, each explained in words.
    """
    if executor is None and spec.search.workers > 1:
        with ProcessExecutor(spec.search.workers) as pool:
            return negotiate(spec, executor=pool, progress=progress)
    problem = NegotiationProblem.from_spec(spec)
    disagreement = evaluate_package(problem, None)
    run = run_search(problem, disagreement, executor=executor, progress=progress)
    return analyse(
        problem, disagreement, run.evaluated, generations=run.generations, proposals=run.proposals
    )


def grid(spec: NegotiationSpec) -> list[Values]:
    """Every package of a lever space whose levers all have steps, in grid order."""
    if not all(lv.stepped for lv in spec.levers):
        raise InvalidArgumentError("an exhaustive search needs a step on every lever")
    size = math.prod(lv.grid_size for lv in spec.levers)
    if size > MAX_EXHAUSTIVE:
        raise InvalidArgumentError(
            f"the lever grid has {size:,} packages; an exhaustive search takes at most "
            f"{MAX_EXHAUSTIVE:,} (coarser steps or fewer levers)"
        )
    return [tuple(v) for v in itertools.product(*(lv.grid() for lv in spec.levers))]


def exhaustive(
    spec: NegotiationSpec,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> NegotiationResult:
    """Evaluate every package of a small stepped lever space: the exact front and zone."""
    problem = NegotiationProblem.from_spec(spec)
    disagreement = evaluate_package(problem, None)
    rows = grid(spec)
    evaluated = evaluate_packages(problem, rows, executor=executor, progress=progress)
    return analyse(problem, disagreement, evaluated, proposals=len(rows))


__all__ = [
    "MAX_EXHAUSTIVE",
    "NegotiationResult",
    "Shortfall",
    "analyse",
    "exhaustive",
    "grid",
    "negotiate",
]
