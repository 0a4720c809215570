"""Many parameter draws of one scenario: exchanges vectorised, definitions per draw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.analysis.cases import strikes_of
from detente.engine.core import exchange_batch
from detente.engine.params import Multipliers
from detente.engine.sides import side_rows
from detente.model.force import AlertLevel
from detente.model.perspective import FULL, Perspective
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS
from detente.stability.base import Case

if TYPE_CHECKING:
    import pandas as pd

BATCH_DEFINITIONS = ("first_strike", "second_strike", "damage_limitation", "use_or_lose")
"""Definitions that need only the two first strikes of one case (arms-race stability
also needs build-up variants and is left to :func:`~detente.analysis.assess.assess`)."""

Draws = Mapping[str, Mapping[str, npt.ArrayLike]]
"""``{actor: {multiplier name: array of draws}}``."""


def assess_draws(
    scenario: Scenario,
    draws: Draws,
    *,
    perspective: Perspective = FULL,
    alerts: Mapping[str, AlertLevel] | None = None,
    pair: tuple[str, str] | None = None,
    chunk_size: int = 10_000,
) -> pd.DataFrame:
    """Evaluate the one-case definitions for every draw of the multipliers.

    Both first strikes are computed in one vectorised call each; the
    definitions, cheap scalar functions of the results, run per draw.

    Parameters
    ----------
    scenario
        The scenario (not mutated).
    draws
        Per-actor multipliers (see :class:`~detente.engine.params.Multipliers`);
        arrays of one common length ``N``; missing names stay at 1.
    perspective
        Reading to evaluate.
    alerts
        Alert level per actor; by default each posture's own.
    pair
        The two actors; by default the first two sides.
    chunk_size
        Draws per vectorised call; results do not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per draw: each definition's combined value and its per-side
        components (``first_strike.us``), plus both strikes' damage.
    """
    pair = pair or (scenario.sides[0].actor, scenario.sides[1].actor)
    levels = dict(alerts) if alerts else {a: scenario.side(a).posture.alert for a in pair}
    sizes = {Multipliers.from_mapping(draws.get(a, {})).size for a in pair}
    n = max(sizes)
    mults = {a: Multipliers.from_mapping(draws.get(a, {}), n) for a in pair}
    arrays = {
        a: side_rows(scenario.side(a).posture, scenario.side(a).factors, [(perspective, levels[a])])
        for a in pair
    }
    columns: dict[str, list[float]] = {}
    # Chunks keep the working arrays small enough to stay in cache and memory flat.
    for lo in range(0, n, chunk_size):
        rows = np.arange(lo, min(n, lo + chunk_size))
        strikes = {}
        for attacker in pair:
            defender = pair[1] if attacker == pair[0] else pair[0]
            flows = exchange_batch(
                arrays[attacker],
                arrays[defender],
                scenario.exchange,
                mults[attacker].take(rows),
                mults[defender].take(rows),
            )
            strikes[attacker] = strikes_of(flows, attacker, defender)
            columns.setdefault(f"damage_to_{attacker}_striking_first", []).extend(
                flows.damage_to_attacker.tolist()
            )
        for row in range(len(rows)):
            first = {a: strikes[a][row] for a in pair}
            case = Case(sides=pair, alerts=levels, perspective=perspective.id, first=first)
            for name in BATCH_DEFINITIONS:
                res = DEFINITIONS[name](case, scenario.stability, {})
                columns.setdefault(name, []).append(res.value)
                for side, v in res.components.items():
                    columns.setdefault(f"{name}.{side}", []).append(v)
    import pandas as pd

    frame = pd.DataFrame(columns)
    frame.index.name = "draw"
    return frame


__all__ = ["BATCH_DEFINITIONS", "assess_draws"]
