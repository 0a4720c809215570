"""Experiments in, outcomes out: the one seam every analysis goes through.

:func:`evaluate` maps the model (the exchanges and stability definitions of
:mod:`detente.analysis.cases`) over chunks of experiments with an executor and
returns experiments and outcomes aligned row for row, as EMA Workbench's
``perform_experiments`` does. ``assess``, batches of draws, the benchmarks and
every later study call it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.analysis.cases import CaseGrid, run_chunk
from detente.analysis.executors import Executor, Progress, SerialExecutor
from detente.analysis.experiments import Experiments, OutcomeSpec, check_parameters
from detente.analysis.outcomes import Outcomes
from detente.errors import InvalidArgumentError
from detente.model.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

ROWS_PER_CHUNK = 10_000
"""Exchange rows one chunk of experiments aims at (experiments x sub-cases)."""


@dataclass(frozen=True)
class Results:
    """Experiments and their outcomes, aligned row for row."""

    experiments: Experiments
    outcomes: Outcomes

    def __repr__(self) -> str:
        return f"<Results: {self.outcomes.size} experiment(s); {self.outcomes!r}>"

    def to_frame(self) -> pd.DataFrame:
        """One row per experiment: its parameters, then every outcome column."""
        import pandas as pd

        return pd.concat([self.experiments.to_frame(), self.outcomes.to_frame()], axis=1)


TAIL_SPLIT = 4
"""Pieces each of the last chunks is cut into when several workers share a run."""


def _chunks(n: int, per_chunk: int, workers: int = 1) -> list[tuple[int, int]]:
    """``[lo, hi)`` bounds of the chunks of ``n`` experiments.

    With several workers, the last ``workers`` chunks' worth of experiments are cut into
    pieces :data:`TAIL_SPLIT` times smaller, so that no worker sits idle for most of a
    chunk while another finishes the last one (guided self-scheduling's tapering, in its
    simplest form: Polychronopoulos & Kuck 1987). Results do not depend on the cut.
    """
    tail = 0 if workers < 2 else min(n, workers * per_chunk)
    small = max(1, per_chunk // TAIL_SPLIT)
    head = n - tail
    bounds = [(lo, min(head, lo + per_chunk)) for lo in range(0, head, per_chunk)]
    return bounds + [(lo, min(n, lo + small)) for lo in range(head, n, small)]


def evaluate(
    scenario: Scenario,
    experiments: Experiments | None = None,
    *,
    outcomes: OutcomeSpec | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> Results:
    """Evaluate ``scenario`` for every experiment.

    Parameters
    ----------
    scenario
        The scenario (not mutated).
    experiments
        Parameter settings, one row per experiment (default: one row, the
        scenario as written).
    outcomes
        Which definitions, readings and alert cases to compute.
    executor
        How chunks are run (default :class:`~detente.analysis.executors.SerialExecutor`).
    chunk_size
        Experiments per chunk (default: as many as make about
        :data:`ROWS_PER_CHUNK` exchange rows); on an executor with several ``workers``
        the last chunks are smaller. Results do not depend on it.
    progress
        Called as ``progress(done, total)`` as chunks finish.

    Returns
    -------
    Results
        The experiments and their outcomes, row for row.
    """
    experiments = experiments or Experiments.baseline()
    spec = outcomes or OutcomeSpec()
    check_parameters(scenario, experiments)
    grid = CaseGrid.for_scenario(scenario, spec)
    if chunk_size is None:
        chunk_size = max(1, ROWS_PER_CHUNK // grid.n_sub)
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidArgumentError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    executor = executor or SerialExecutor()
    workers = getattr(executor, "workers", 1)
    bounds = _chunks(experiments.size, chunk_size, workers if isinstance(workers, int) else 1)
    pieces = [experiments.take(lo, hi) for lo, hi in bounds]
    fn = functools.partial(run_chunk, scenario, grid, spec)
    done = executor.map(fn, pieces, progress)
    return Results(experiments=experiments, outcomes=Outcomes.concat(done))


__all__ = ["ROWS_PER_CHUNK", "TAIL_SPLIT", "Results", "evaluate"]
