"""Experiments (what is varied) and the outcome specification (what is computed).

In EMA Workbench's XLRM words, an *experiment* sets uncertainties (X) and levers
(L); the *outcomes* (M) are the definitions' values, their per-side components
and the key flows of every strike. :mod:`detente.analysis.evaluate` runs the
model (R) over them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from detente.analysis.parameters import Parameter, multiplier_of, parameter_space
from detente.engine.params import POSITIVE, Multipliers
from detente.errors import InvalidArgumentError
from detente.model.perspective import Perspective, as_perspectives
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS
from detente.stability.base import Camps

if TYPE_CHECKING:
    import pandas as pd


FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Experiments:
    """Rows of parameter settings, one column per parameter.

    A parameter is named ``<actor>.<multiplier>`` (``ru.cep``,
    ``us.interceptors``; see :class:`~detente.engine.params.Multipliers`) and
    scales that side's numbers; a missing parameter stays at 1. An experiment
    with no parameters is the scenario as written.
    """

    columns: Mapping[str, FloatArray] = field(default_factory=dict)
    size: int = 1

    @classmethod
    def baseline(cls) -> Experiments:
        """One experiment: the scenario as written."""
        return cls({}, 1)

    @classmethod
    def from_mapping(cls, columns: Mapping[str, npt.ArrayLike]) -> Experiments:
        """From ``{name: values}``; scalars apply to every row."""
        arrays = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in columns.items()}
        for name, a in arrays.items():
            if a.ndim != 1:
                raise InvalidArgumentError(f"parameter {name!r} must be one value per row")
        lengths = {a.shape[0] for a in arrays.values() if a.shape[0] != 1}
        if len(lengths) > 1:
            raise InvalidArgumentError(f"parameter columns differ in length: {sorted(lengths)}")
        n = lengths.pop() if lengths else 1
        return cls({k: np.broadcast_to(a, (n,)).copy() for k, a in arrays.items()}, n)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Experiments:
        """From a table with one column per parameter."""
        return cls.from_mapping({str(c): frame[c].to_numpy(dtype=np.float64) for c in frame})

    def take(self, lo: int, hi: int) -> Experiments:
        """Rows ``lo`` to ``hi`` (exclusive)."""
        return Experiments({k: v[lo:hi] for k, v in self.columns.items()}, hi - lo)

    def multipliers(self, actor: str) -> Multipliers:
        """The multipliers of ``actor`` for every row."""
        prefix = f"{actor}."
        own = {k[len(prefix) :]: v for k, v in self.columns.items() if k.startswith(prefix)}
        return Multipliers.from_mapping(own, self.size)

    def to_frame(self) -> pd.DataFrame:
        """One row per experiment, one column per parameter."""
        import pandas as pd

        frame = pd.DataFrame(dict(self.columns), index=pd.RangeIndex(self.size, name="experiment"))
        return frame


def parameter_names(scenario: Scenario) -> tuple[str, ...]:
    """Every side-wide multiplier name an experiment of ``scenario`` may set; it may also
    set any uncertain parameter by its model name (:mod:`detente.analysis.parameters`)."""
    return tuple(f"{s.actor}.{m}" for s in scenario.sides for m in Multipliers.names())


def check_parameters(scenario: Scenario, experiments: Experiments) -> None:
    """Raise on a parameter the scenario does not have, naming the nearest one."""
    known = parameter_names(scenario)
    space: dict[str, Parameter] | None = None
    for name, values in experiments.columns.items():
        share = False
        mult = name.partition(".")[2]
        if name not in known:
            space = space if space is not None else parameter_space(scenario)
            if name not in space:
                close = difflib.get_close_matches(name, [*known, *space], n=1, cutoff=0.0)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise InvalidArgumentError(
                    f"unknown parameter {name!r}; {hint}expected <actor>.<multiplier> "
                    "(" + ", ".join(Multipliers.names()) + ") or an uncertain parameter's "
                    "model name (detente.analysis.parameters)"
                )
            share = space[name].level is not None
            mult = multiplier_of(space[name]) or ""
        positive = mult in POSITIVE
        ok = (values >= 0) & (values <= 1) if share else values > 0 if positive else values >= 0
        if not (np.all(np.isfinite(values)) and np.all(ok)):
            want = "in [0, 1]" if share else "finite and > 0" if positive else "finite and >= 0"
            raise InvalidArgumentError(f"parameter {name!r} must be {want} in every row")


AlertCases = Literal["all", "own"]


@dataclass(frozen=True)
class OutcomeSpec:
    """Which outcomes to compute for every experiment.

    ``alert_cases="all"`` evaluates every combination of alert levels of the
    sides; ``"own"`` only each posture's own level. ``ride_out`` lists the
    response cases: ``False``, each side follows its launch-on-warning policy;
    ``True``, every side rides out the first strike. Arms-race stability needs
    build-up variants of every case (seven more strikes for two sides, each
    with its striker's chosen extent); it is computed only when asked for.
    ``keep_flows`` keeps every system's flows of the baseline strikes (for
    reports of one experiment). ``perspectives`` defaults to the full reading and
    the reading of each assessed side that has one
    (:func:`~detente.model.perspective.readings_for`). With three or more sides,
    ``coalitions`` adds the coalition cases (each side striking all the others,
    all the others striking it together) and the three-party definitions over
    them; they cost six more strikes per case. ``strikes`` asks for some strikes
    alone, without definitions (``definitions=()``): ``((x,), (y,))`` for side
    ``x`` striking ``y`` first (every other side standing by), several sides on
    either part for a coalition case (three or more sides); an arms race, which
    reads one side's answer to each striker, asks only for those.
    """

    definitions: tuple[str, ...] = tuple(DEFINITIONS)
    perspectives: tuple[Perspective, ...] | None = None
    alert_cases: AlertCases = "all"
    ride_out: tuple[bool, ...] = (False, True)
    sides: tuple[str, ...] | None = None
    """The sides to assess (default: every side of the scenario)."""
    keep_flows: bool = False
    coalitions: bool = False
    strikes: tuple[Camps, ...] | None = None
    """Only these strikes, no definitions (default: every strike the definitions read)."""

    def __post_init__(self) -> None:
        unknown = [d for d in self.definitions if d not in DEFINITIONS]
        if unknown:
            raise InvalidArgumentError(
                f"unknown definition(s) {unknown}; expected some of: {', '.join(DEFINITIONS)}"
            )
        if self.strikes is not None:
            object.__setattr__(self, "strikes", _strikes(self.strikes, self.definitions))
        if self.perspectives is not None:
            object.__setattr__(self, "perspectives", as_perspectives(self.perspectives))
        if not self.ride_out or len(set(self.ride_out)) != len(self.ride_out):
            raise InvalidArgumentError(
                f"ride_out must list False and/or True once each, got {self.ride_out!r}"
            )
        if self.alert_cases not in ("all", "own"):
            raise InvalidArgumentError(
                f"alert_cases must be 'all' or 'own', got {self.alert_cases!r}"
            )


def _strikes(strikes: Iterable[Any], definitions: tuple[str, ...]) -> tuple[Camps, ...]:
    """``strikes`` as tuples, checked: each two non-empty, disjoint groups of sides."""
    if definitions:
        raise InvalidArgumentError(
            "strikes are computed alone, without definitions (each definition reads every "
            f"strike); give definitions=() with strikes, got definitions {list(definitions)}"
        )
    out: list[Camps] = []
    for item in strikes:
        try:
            strikers, victims = (tuple(str(a) for a in part) for part in item)
        except (TypeError, ValueError):
            strikers, victims = (), ()
        everyone = (*strikers, *victims)
        if not strikers or not victims or len(set(everyone)) != len(everyone):
            raise InvalidArgumentError(
                "a strike is (strikers, victims), two non-empty groups of different sides "
                f"such as (('a',), ('b',)), got {item!r}"
            )
        out.append((strikers, victims))
    return tuple(out)


__all__ = ["Experiments", "OutcomeSpec", "check_parameters", "parameter_names"]
