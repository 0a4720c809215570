"""Many parameter draws of one scenario as a table: a thin layer over ``evaluate``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy.typing as npt

from detente.analysis.evaluate import evaluate
from detente.analysis.executors import Executor
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.model.cases import AlertCase
from detente.model.perspective import FULL, Perspective
from detente.model.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

BATCH_DEFINITIONS = ("first_strike", "second_strike", "damage_limitation", "use_or_lose")
"""Definitions of one case that need no build-up variants (arms-race stability needs
seven times the exchanges; ask for it through :func:`evaluate`)."""

Draws = Mapping[str, Mapping[str, npt.ArrayLike]]
"""``{actor: {multiplier name: array of draws}}``."""


def assess_draws(
    scenario: Scenario,
    draws: Draws,
    *,
    perspective: Perspective = FULL,
    pair: tuple[str, str] | None = None,
    definitions: tuple[str, ...] = BATCH_DEFINITIONS,
    executor: Executor | None = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """The one-case definitions for every draw of the multipliers, as a table.

    Parameters
    ----------
    scenario
        The scenario (not mutated).
    draws
        Per-actor multipliers (see :class:`~detente.engine.params.Multipliers`);
        arrays of one common length ``N``; missing names stay at 1.
    perspective
        Reading to evaluate.
    pair
        The two actors; by default the first two sides.
    definitions
        Which definitions to compute (each posture's own alert level).
    executor, chunk_size
        As in :func:`~detente.analysis.experiments.evaluate`.

    Returns
    -------
    pandas.DataFrame
        One row per draw: each definition's combined value and its per-side
        components (``first_strike.us``), plus the damage each side suffers
        when it strikes first (``damage_to_us_striking_first``).
    """
    sides = pair or (scenario.sides[0].actor, scenario.sides[1].actor)
    columns = {f"{actor}.{name}": v for actor, ms in draws.items() for name, v in ms.items()}
    experiments = Experiments.from_mapping(columns)
    spec = OutcomeSpec(
        definitions=definitions, perspectives=(perspective,), alert_cases="own", sides=sides
    )
    out = evaluate(
        scenario, experiments, outcomes=spec, executor=executor, chunk_size=chunk_size
    ).outcomes
    own = AlertCase(tuple((a, scenario.side(a).posture.alert) for a in sides))
    table: dict[str, npt.ArrayLike] = {}
    for attacker, defender in ((sides[0], sides[1]), (sides[1], sides[0])):
        strike = out.strikes[(perspective.id, own, attacker, defender)]
        table[f"damage_to_{attacker}_striking_first"] = strike.damage_to_attacker
    for name in definitions:
        d = out.definitions[(name, perspective.id, own)]
        table[name] = d.value
        for side, v in d.components.items():
            table[f"{name}.{side}"] = v
    import pandas as pd

    frame = pd.DataFrame(table)
    frame.index.name = "draw"
    return frame


__all__ = ["BATCH_DEFINITIONS", "assess_draws"]
