"""Sweeps: one scenario evaluated at every point of a design over its levers.

:class:`SweepPlan` turns a :class:`~detente.model.sweep.SweepSpec` and its base
scenario into points (the grid of the levers' values, a Latin hypercube
sample from :mod:`scipy.stats.qmc`, or listed cases) and cuts them into
chunks; :func:`run_chunk` evaluates one chunk on the evaluate seam (variants of
one structure in one batch, :mod:`detente.analysis.variants`) and returns its
experiments and tidy outcomes; :func:`run_sweep` maps it over the chunks with
an executor. Nothing here touches files: the results store
(:mod:`detente.store`) writes each chunk as it comes.

Every chunk is computed from the plan and its own index only (a point's draws
are seeded by the sweep's seed and the point's index), so results do not
depend on the executor, the chunk size or which chunks ran before.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from detente.analysis.executors import Executor, Progress, SerialExecutor
from detente.analysis.experiments import Experiments, OutcomeSpec, check_parameters
from detente.analysis.sweep_tidy import tidy_outcomes
from detente.analysis.variants import Variant, concat_experiments, evaluate_variants
from detente.errors import InvalidArgumentError
from detente.model.paths import apply_changes, is_whole_number, resolve
from detente.model.perspective import BUILT_IN_PERSPECTIVES, Perspective
from detente.model.scenario import Scenario
from detente.model.sweep import Lever, LeverValue, SweepSpec
from detente.stability import DEFINITIONS

if TYPE_CHECKING:
    import pandas as pd

EXCHANGE_ROWS_PER_CHUNK = 500
"""Exchange rows a chunk aims at by default: a few seconds of work on one core,
so that progress, resume and parallel work have a fine grain."""

Vary = Callable[[Scenario, Mapping[str, Any]], Scenario]
"""Changes a scenario by field path (:func:`detente.io.with_changes` or
:func:`detente.model.paths.apply_changes`)."""


class Sampler(Protocol):
    """Draws uncertain parameters for one point: the hook for uncertainty per point.

    Called with the point's scenario, the number of draws and a generator
    seeded by the sweep's seed and the point's index; returns one experiment
    per draw (columns as :class:`~detente.analysis.experiments.Experiments`).
    It must be picklable (a module-level function) to run on worker processes.
    """

    def __call__(self, scenario: Scenario, n: int, rng: np.random.Generator) -> Experiments:
        """``n`` draws for ``scenario``."""
        ...


def outcome_spec(spec: SweepSpec, scenario: Scenario) -> OutcomeSpec:
    """The :class:`OutcomeSpec` a sweep's ``keep`` asks for."""
    keep = spec.keep
    readings: tuple[Perspective, ...] = BUILT_IN_PERSPECTIVES
    if keep.readings is not None:
        known = {p.id: p for p in BUILT_IN_PERSPECTIVES}
        unknown = [r for r in keep.readings if r not in known]
        if unknown:
            raise InvalidArgumentError(
                f"unknown reading(s) {unknown}; expected some of: {', '.join(known)}"
            )
        readings = tuple(known[r] for r in keep.readings)
    return OutcomeSpec(
        definitions=tuple(keep.definitions) if keep.definitions is not None else tuple(DEFINITIONS),
        perspectives=readings,
        alert_cases=keep.alert_cases,
        ride_out=keep.ride_out,
        sides=keep.sides,
    )


def lever_levels(lever: Lever, whole: bool) -> tuple[LeverValue, ...]:
    """The discrete values of a lever on a grid (options by name)."""
    if lever.options is not None:
        return tuple(lever.options)
    if lever.values:
        return lever.values
    assert lever.range is not None
    r = lever.range
    if r.steps is None:
        raise InvalidArgumentError(
            f"lever {lever.name!r}: a range on a grid needs steps (the number of values)"
        )
    grid = np.linspace(r.low, r.high, r.steps)
    if whole:
        return tuple(dict.fromkeys(int(v) for v in np.rint(grid)))
    return tuple(float(v) for v in grid)


def changes_of(lever: Lever, value: Any) -> dict[str, Any]:
    """The field-path changes one value of a lever makes (none for a multiplier)."""
    if lever.options is not None:
        return dict(lever.options[str(value)])
    return dict.fromkeys(lever.paths, value)


@dataclass(frozen=True)
class Chunk:
    """Points ``first`` to ``first + len(values[...])`` of a sweep, with their lever values."""

    index: int
    first: int
    values: dict[str, list[Any]]
    """Per lever, the value of every point of the chunk."""

    @property
    def points(self) -> int:
        """Number of points."""
        return len(next(iter(self.values.values()))) if self.values else 0


@dataclass(frozen=True)
class ChunkResult:
    """The experiments and tidy outcomes of one chunk."""

    index: int
    experiments: pd.DataFrame
    """experiment, point, draw, inputs (JSON text of lever values and draws)."""
    outcomes: pd.DataFrame
    """experiment, definition, reading, case, side, quantity, value."""
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SweepPlan:
    """A sweep ready to run: its spec, base scenario, points and chunks."""

    spec: SweepSpec
    scenario: Scenario
    outcomes: OutcomeSpec
    whole: dict[str, bool]
    """Per lever, whether it sets whole numbers (values rounded)."""
    levels: dict[str, tuple[LeverValue, ...]]
    """Per lever, its values on a grid (or its options; empty for a continuous range)."""
    points: int
    chunk_points: int
    sample: dict[str, list[Any]] | None = None
    """Lever values of every point when the design is not a grid."""

    @classmethod
    def build(
        cls, spec: SweepSpec, scenario: Scenario, *, chunk_size: int | None = None
    ) -> SweepPlan:
        """Resolve ``spec`` against ``scenario``.

        Raises
        ------
        InvalidArgumentError, ScenarioError
            On a lever path that names nothing, a multiplier the scenario does
            not have, a case naming an unknown lever or option.
        """
        outcomes = outcome_spec(spec, scenario)
        data = scenario.model_dump()
        whole: dict[str, bool] = {}
        for lever in spec.levers:
            whole[lever.name] = bool(lever.paths) and all(
                is_whole_number(resolve(data, p)[1]) for p in lever.paths
            )
            if lever.multiplier is not None:
                check_parameters(scenario, Experiments.from_mapping({lever.multiplier: 1.0}))
        continuous = spec.design == "latin_hypercube"
        levels = {
            lever.name: ()
            if continuous and lever.range is not None
            else lever_levels(lever, whole[lever.name])
            for lever in spec.levers
        }
        sample = None
        if spec.design == "grid":
            points = math.prod(len(v) for v in levels.values())
        elif spec.design == "cases":
            sample = _cases(spec)
            points = len(spec.cases)
        else:
            assert spec.samples is not None
            sample = _latin_hypercube(spec, levels, whole)
            points = spec.samples
        per_point = max(1, spec.draws)
        grid_rows = _sub_cases(scenario, outcomes) * per_point
        size = chunk_size or spec.chunk_size
        chunk_points = max(1, size // per_point) if size else EXCHANGE_ROWS_PER_CHUNK // grid_rows
        return cls(spec, scenario, outcomes, whole, levels, points, max(1, chunk_points), sample)

    @property
    def experiments(self) -> int:
        """Rows of experiments: points times draws."""
        return self.points * max(1, self.spec.draws)

    @property
    def n_chunks(self) -> int:
        """Number of chunks."""
        return -(-self.points // self.chunk_points)

    def chunk(self, index: int) -> Chunk:
        """The points of chunk ``index`` with their lever values."""
        lo = index * self.chunk_points
        hi = min(self.points, lo + self.chunk_points)
        if not 0 <= lo < hi:
            raise IndexError(index)
        if self.sample is not None:
            return Chunk(index, lo, {k: v[lo:hi] for k, v in self.sample.items()})
        sizes = [len(self.levels[lv.name]) for lv in self.spec.levers]
        idx = np.arange(lo, hi)
        values: dict[str, list[Any]] = {}
        for pos, lever in reversed(list(enumerate(self.spec.levers))):  # last lever fastest
            digit = idx % sizes[pos]
            idx = idx // sizes[pos]
            levels = self.levels[lever.name]
            values[lever.name] = [levels[int(d)] for d in digit]
        return Chunk(index, lo, {lv.name: values[lv.name] for lv in self.spec.levers})

    def point_changes(self, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
        """Field-path changes and multiplier settings of one point."""
        changes: dict[str, Any] = {}
        multipliers: dict[str, float] = {}
        for lever in self.spec.levers:
            value = values[lever.name]
            if lever.multiplier is not None:
                multipliers[lever.multiplier] = float(value)
            else:
                changes.update(changes_of(lever, value))
        return changes, multipliers


def _sub_cases(scenario: Scenario, spec: OutcomeSpec) -> int:
    from detente.analysis.cases import CaseGrid

    return CaseGrid.for_scenario(scenario, spec).n_sub


def _cases(spec: SweepSpec) -> dict[str, list[Any]]:
    names = [lv.name for lv in spec.levers]
    out: dict[str, list[Any]] = {n: [] for n in names}
    for i, case in enumerate(spec.cases):
        missing = [n for n in names if n not in case]
        extra = [k for k in case if k not in out]
        if missing or extra:
            raise InvalidArgumentError(
                f"case {i} must give a value for every lever ({', '.join(names)}); "
                + (f"missing {missing}" if missing else f"unknown {extra}")
            )
        for n in names:
            lever = spec.lever(n)
            value = case[n]
            if lever.options is not None and value not in lever.options:
                raise InvalidArgumentError(
                    f"case {i}: {value!r} is not an option of lever {n!r}; expected one of: "
                    + ", ".join(lever.options)
                )
            out[n].append(value)
    return out


def _latin_hypercube(
    spec: SweepSpec, levels: Mapping[str, Sequence[Any]], whole: Mapping[str, bool]
) -> dict[str, list[Any]]:
    """Lever values of a Latin hypercube sample (``scipy.stats.qmc``), seeded by the spec.

    A lever with a range is sampled continuously (rounded for whole-number
    fields); a lever with listed values or options picks the value whose
    stratum the sample falls in, so each is drawn in equal shares.
    """
    from scipy.stats import qmc

    assert spec.samples is not None
    u = qmc.LatinHypercube(d=len(spec.levers), seed=np.random.default_rng(spec.seed)).random(
        spec.samples
    )
    out: dict[str, list[Any]] = {}
    for j, lever in enumerate(spec.levers):
        if lever.range is not None and not levels[lever.name]:
            x = lever.range.low + u[:, j] * (lever.range.high - lever.range.low)
            out[lever.name] = (
                [int(v) for v in np.rint(x)] if whole[lever.name] else [float(v) for v in x]
            )
        else:
            options = levels[lever.name]
            picks = np.minimum((u[:, j] * len(options)).astype(np.int64), len(options) - 1)
            out[lever.name] = [options[int(k)] for k in picks]
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def run_chunk(
    plan: SweepPlan,
    chunk: Chunk,
    *,
    vary: Vary = apply_changes,
    sampler: Sampler | None = None,
) -> ChunkResult:
    """Experiments and tidy outcomes of one chunk of a sweep.

    Each point's scenario is the base with the point's changes (``vary``);
    its experiments are its multiplier settings, times the uncertainty draws
    of ``sampler`` when the sweep asks for draws (default:
    :class:`~detente.analysis.explore.PointDraws`, the point's uncertain parameters).
    """
    import pandas as pd

    spec = plan.spec
    draws = spec.draws
    if draws and sampler is None:
        from detente.analysis.explore import PointDraws

        sampler = PointDraws(plan.scenario)
    cache: dict[str, Scenario] = {}
    variants: list[Variant] = []
    inputs: list[str] = []
    point_ids: list[int] = []
    draw_ids: list[int] = []
    for k in range(chunk.points):
        values = {name: v[k] for name, v in chunk.values.items()}
        changes, multipliers = plan.point_changes(values)
        key = json.dumps(changes, sort_keys=True, default=str)
        if key not in cache:
            cache[key] = vary(plan.scenario, changes)
        scenario = cache[key]
        point = chunk.first + k
        base = Experiments.from_mapping(multipliers)
        if draws:
            assert sampler is not None
            rng = np.random.default_rng(np.random.SeedSequence([spec.seed, point]))
            drawn = sampler(scenario, draws, rng)
            experiments = _combine(drawn, base)
        else:
            experiments = base
        check_parameters(scenario, experiments)
        variants.append(Variant(scenario, experiments))
        lever_inputs = {name: _json_value(v) for name, v in values.items()}
        for d in range(experiments.size):
            row = dict(lever_inputs)
            if draws:
                row.update({c: float(experiments.columns[c][d]) for c in drawn.columns})
            inputs.append(json.dumps(row, sort_keys=True))
            point_ids.append(point)
            draw_ids.append(d)
    first_experiment = chunk.first * max(1, draws)
    offsets = np.cumsum([0, *(v.experiments.size for v in variants)])
    frames = []
    timings: dict[str, float] = {}
    for members, outcomes in evaluate_variants(variants, plan.outcomes):
        ids = np.concatenate(
            [np.arange(offsets[i], offsets[i + 1]) + first_experiment for i in members]
        )
        frames.append(tidy_outcomes(outcomes, ids, spec.keep))
        for name, t in outcomes.timings.items():
            timings[name] = timings.get(name, 0.0) + t
    tidy = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    experiments_frame = pd.DataFrame(
        {
            "experiment": np.arange(len(inputs), dtype=np.int64) + first_experiment,
            "point": np.asarray(point_ids, dtype=np.int64),
            "draw": np.asarray(draw_ids, dtype=np.int32),
            "inputs": inputs,
        }
    )
    return ChunkResult(chunk.index, experiments_frame, tidy, timings)


def _combine(drawn: Experiments, levers: Experiments) -> Experiments:
    """Draws with the point's multiplier settings: a multiplier set by both is their product."""
    columns = {k: np.array(v, dtype=np.float64) for k, v in drawn.columns.items()}
    for name, value in levers.columns.items():
        columns[name] = (
            columns[name] * value[0] if name in columns else np.full(drawn.size, value[0])
        )
    return Experiments(columns, drawn.size)


def _run(plan: SweepPlan, vary: Vary, sampler: Sampler | None, index: int) -> ChunkResult:
    return run_chunk(plan, plan.chunk(index), vary=vary, sampler=sampler)


def iter_chunks(
    plan: SweepPlan,
    executor: Executor | None = None,
    *,
    chunks: Sequence[int] | None = None,
    vary: Vary = apply_changes,
    sampler: Sampler | None = None,
) -> Iterator[ChunkResult]:
    """Results of the given chunks (default: every chunk) as they finish.

    With an executor that has ``imap`` (serial, process pool, Dask) results
    come one by one as they are computed; with any other executor, in rounds
    of ``map``.
    """
    todo = list(range(plan.n_chunks)) if chunks is None else list(chunks)
    fn = functools.partial(_run, plan, vary, sampler)
    executor = executor or SerialExecutor()
    imap = getattr(executor, "imap", None)
    if imap is not None:
        for _, result in imap(fn, todo):
            yield result
        return
    step = 16
    for lo in range(0, len(todo), step):
        yield from executor.map(fn, todo[lo : lo + step])


@dataclass(frozen=True)
class SweepResults:
    """A whole sweep in memory: experiments and tidy outcomes, ordered by experiment."""

    plan: SweepPlan
    experiments: pd.DataFrame
    outcomes: pd.DataFrame


def run_sweep(
    plan: SweepPlan,
    executor: Executor | None = None,
    *,
    vary: Vary = apply_changes,
    sampler: Sampler | None = None,
    progress: Progress | None = None,
) -> SweepResults:
    """Run every chunk of ``plan`` and keep the results in memory (no store).

    Parameters
    ----------
    plan
        The sweep (:meth:`SweepPlan.build`).
    executor
        How chunks are run (default: serial).
    vary
        How a point's scenario is made from the base (default: field paths
        validated by :func:`detente.model.paths.apply_changes`).
    sampler
        Uncertainty draws per point, when the spec asks for ``draws`` (default:
        :class:`~detente.analysis.explore.PointDraws` of the base scenario).
    progress
        ``progress(done, total)`` as chunks finish.
    """
    import pandas as pd

    parts: list[ChunkResult] = []
    for result in iter_chunks(plan, executor, vary=vary, sampler=sampler):
        parts.append(result)
        if progress is not None:
            progress(len(parts), plan.n_chunks)
    parts.sort(key=lambda r: r.index)
    experiments = pd.concat([p.experiments for p in parts], ignore_index=True)
    outcomes = pd.concat([p.outcomes for p in parts], ignore_index=True)
    return SweepResults(plan, experiments, outcomes)


__all__ = [
    "EXCHANGE_ROWS_PER_CHUNK",
    "Chunk",
    "ChunkResult",
    "Sampler",
    "SweepPlan",
    "SweepResults",
    "Vary",
    "changes_of",
    "concat_experiments",
    "iter_chunks",
    "lever_levels",
    "outcome_spec",
    "run_chunk",
    "run_sweep",
]
