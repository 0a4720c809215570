"""How the experiments of a chunk reach the engine: multipliers and alert shares per row.

An experiment column is either a side-wide multiplier (``ru.cep``, see
:class:`~detente.engine.params.Multipliers`) or an uncertain parameter by its model
name (``ru.systems[ru_yars_mobile].cep_m``, :mod:`detente.analysis.parameters`).
Parameters become per-item multipliers (drawn value over shipped value), except
alert shares, which replace the compiled share of the rows at their level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from detente.analysis.experiments import Experiments
from detente.analysis.parameters import Parameter, lookup, multiplier_of, parameter_space
from detente.engine.params import PER_LAYER, PER_SYSTEM, PER_TARGET, Multipliers
from detente.engine.sides import SideArrays
from detente.errors import InvalidArgumentError
from detente.model.scenario import Scenario

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AlertDraw:
    """Drawn alert shares of one system at one level, one per experiment."""

    system: int
    level: str
    values: FloatArray


@dataclass(frozen=True)
class SideDraws:
    """One side's draws: per-row multipliers and alert shares."""

    multipliers: Multipliers
    alerts: tuple[AlertDraw, ...]


def _width(side: SideArrays, name: str) -> int:
    if name in PER_SYSTEM:
        return side.n_systems
    if name in PER_LAYER:
        return len(side.layer_ids)
    if name in PER_TARGET:
        return len(side.target_ids)
    return 1


def _column(side: SideArrays, p: Parameter) -> int:
    ids = {"systems": side.system_ids, "defenses": side.layer_ids, "targets": side.target_ids}
    return ids[p.collection].index(p.item) if p.collection in ids else 0


def side_draws(
    scenario: Scenario, experiments: Experiments, actor: str, side: SideArrays
) -> SideDraws:
    """``actor``'s multipliers and alert shares for every experiment."""
    n = experiments.size
    space: dict[str, Parameter] | None = None
    factors: dict[str, FloatArray] = {}
    alerts: list[AlertDraw] = []
    for name, values in experiments.columns.items():
        head, _, rest = name.partition(".")
        if head != actor:
            continue
        if rest in Multipliers.names():
            factors[rest] = factors.get(rest, np.ones((n, 1))) * values[:, None]
            continue
        space = space if space is not None else parameter_space(scenario)
        p = lookup(space, name, where="experiment column")
        if p.level is not None:
            if np.any((values < 0) | (values > 1)):
                raise InvalidArgumentError(f"{name}: an alert share must be in [0, 1]")
            alerts.append(AlertDraw(_column(side, p), p.level, values))
            continue
        mult = multiplier_of(p)
        assert mult is not None
        if p.base <= 0:
            raise InvalidArgumentError(f"{name}: shipped value 0 cannot be drawn as a multiple")
        if p.collection in ("group", "side") or _width(side, mult) == 1:
            column = (values / p.base)[:, None]
        else:
            column = np.ones((n, _width(side, mult)))
            column[:, _column(side, p)] = values / p.base
        current = factors.get(mult, np.ones((n, 1)))
        factors[mult] = current * column
    try:
        multipliers = Multipliers.from_mapping(factors, n)
    except ValueError as err:
        raise InvalidArgumentError(f"{actor}: {err}") from None
    return SideDraws(multipliers, tuple(alerts))


def with_alerts(
    side: SideArrays, draws: tuple[AlertDraw, ...], levels: list[str], n: int
) -> SideArrays:
    """``side`` (``n`` experiments x sub-cases, experiment-major) with the drawn alert
    shares in the rows at each draw's level; ``levels`` gives each sub-case's level."""
    if not draws:
        return side
    alert = np.array(side.alert, dtype=np.float64, copy=True)
    sub = len(levels)
    for d in draws:
        rows = np.flatnonzero(np.tile(np.asarray(levels) == d.level, n))
        alert[rows, d.system] = np.repeat(d.values, sub)[rows]
    return replace(side, alert=alert)
