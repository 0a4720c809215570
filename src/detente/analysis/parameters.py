"""Uncertain parameters: named inputs with a range and a distribution, and how a draw sets them.

Every shipped number whose citation gives a range (``low``/``high``) is an uncertain
parameter, named by the path the model uses for it::

    ru.systems[ru_yars_mobile].alert.day_to_day     a system's alert share at one level
    us.systems[us_minuteman_iii].cep_m              cep_m, yield_kt, reliability,
                                                    launchers_deployed, warheads_per_launcher,
                                                    flight_time_min
    ru.targets[ru_icbm_silos].hardness_psi          hardness_psi, count (military classes)
    ru.targets[ru_value].value_area_km2             the value points' area
    us.defenses[us_gmd].interceptors                interceptors, pk (every delivery's pk)
    ru.c2.decision_time_min                         c2.decision_time_min, c2.execution_probability,
                                                    launch_on_warning.fraction

and a side-wide *group* factor multiplies one field on every system of a side
(``ru.cep_m``: all Russian CEPs together), for screening and for scenarios that
want perfectly correlated errors. A scenario's ``uncertainties:`` adds parameters
(with a range), narrows them, or fixes them at the shipped value, by the same names.

Distribution: triangular on the cited range with its mode at the shipped value
(the source's best estimate) where that lies inside the range, else uniform; a
scenario may ask for uniform. How a draw reaches the engine: alert shares replace
the compiled alert share of the rows at that level; everything else is a
per-item multiplier (:class:`~detente.engine.params.Multipliers`), the drawn value
over the shipped one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from detente.errors import InvalidArgumentError, Problem
from detente.model.base import Cited
from detente.model.force import System
from detente.model.posture import Posture
from detente.model.scenario import Scenario

MAX_DRAWS = 1_000_000
"""Most model runs drawn at once (Monte Carlo draws, Morris or Sobol' points): every run
keeps its inputs and every outcome in memory (a few KB a run with the default outcomes),
so a million is a few GB; more is refused before anything is allocated (docs/limits.md)."""
MAX_DRAW_CELLS = 50_000_000
"""Most runs x uncertain parameters drawn at once: the table of draws and its copy in
parameter units are 400 MB each at this size."""


def check_draw_count(runs: int, dims: int, what: str) -> None:
    """Refuse ``runs`` model runs over ``dims`` parameters beyond :data:`MAX_DRAWS` or
    :data:`MAX_DRAW_CELLS`, naming ``what`` asked for them."""
    if runs > MAX_DRAWS:
        raise InvalidArgumentError(
            f"{what}: {runs:,} model runs, above the limit of {MAX_DRAWS:,} (MAX_DRAWS, "
            "docs/limits.md)"
        )
    if runs * dims > MAX_DRAW_CELLS:
        raise InvalidArgumentError(
            f"{what}: {runs:,} model runs of {dims} uncertain inputs make {runs * dims:,} "
            f"numbers to draw, above {MAX_DRAW_CELLS:,} (MAX_DRAW_CELLS, docs/limits.md): "
            f"use at most {MAX_DRAW_CELLS // dims:,} runs, or fix inputs with uncertainties:"
        )


FloatArray = npt.NDArray[np.float64]
Distribution = Literal["uniform", "triangular"]

SYSTEM_FIELDS = {
    "cep_m": "cep",
    "yield_kt": "yield_kt",
    "reliability": "reliability",
    "launchers_deployed": "launchers",
    "warheads_per_launcher": "load",
    "flight_time_min": "flight_time",
}
"""System fields drawn as a per-system multiplier, and the multiplier each sets."""
TARGET_FIELDS = {"hardness_psi": "hardness", "count": "aim_points"}
"""Military target-class fields drawn as a per-class multiplier."""
LAYER_FIELDS = {"interceptors": "interceptors", "pk": "interceptor_pk"}
POSTURE_FIELDS = {
    "c2.decision_time_min": "decision_time",
    "c2.execution_probability": "execution",
    "launch_on_warning.fraction": "launch_fraction",
}
VALUE_FIELDS = {"value_area_km2": "value_area"}
LEVELS = ("day_to_day", "generated")

NOT_DRAWN = {
    "launchers_nondeployed": "enters only treaty counting and upload, not the exchange",
    "max_warheads_per_launcher": "enters only upload and generated mating capacity",
    "warheads_stored": "enters only upload and generated mating of non-strategic stocks",
    "range_km": "reach is all-or-nothing against each class's stand-off distance",
    "standoff_km": "reach is all-or-nothing against each class's stand-off distance",
    "value_zipf_exponent": "part of the value calibration to the assured-destruction figures",
    "value_density_exponent": "part of the value calibration to the assured-destruction figures",
    "shots_per_engagement": "a doctrine choice, set per scenario",
    "system_reliability": "not yet drawn (its cited range is narrow)",
    "share": "warhead-type shares are not yet drawn",
}
"""Cited fields with a range that are not drawn, and why (docs/uncertainty.md)."""

_NAME = re.compile(
    r"^(?P<actor>[a-z][a-z0-9_]*)\."
    r"(?:(?P<coll>systems|targets|defenses)\[(?P<item>[a-z][a-z0-9_]*)\]\.)?"
    r"(?P<field>[a-z_][a-z0-9_.]*)$"
)


@dataclass(frozen=True)
class Parameter:
    """One uncertain input: where it lives, its shipped value and its range."""

    name: str
    actor: str
    collection: str
    """``systems``, ``targets``, ``defenses``, ``side`` (posture-wide) or ``group``."""
    item: str
    field: str
    base: float
    low: float
    high: float
    distribution: Distribution
    source: str
    note: str = ""

    @property
    def group(self) -> str:
        """The side-wide group the parameter belongs to, for grouped screening."""
        return f"{self.actor}.{self.field}"

    @property
    def level(self) -> str | None:
        """The alert level of an alert-share parameter."""
        return self.field.split(".")[1] if self.field.startswith("alert.") else None

    def values(self, u: npt.ArrayLike) -> FloatArray:
        """The parameter's values at quantiles ``u`` in [0, 1] of its distribution."""
        q = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
        if self.high <= self.low:
            return np.full(q.shape, self.low)
        width = self.high - self.low
        if self.distribution == "triangular":
            c = (self.base - self.low) / width
            return np.asarray(stats.triang.ppf(q, c, loc=self.low, scale=width), dtype=np.float64)
        return np.asarray(self.low + q * width, dtype=np.float64)


def _distribution(base: float, low: float, high: float) -> Distribution:
    return "triangular" if low <= base <= high and high > low else "uniform"


def _alert_level(system: System, low: float, high: float, note: str) -> str:
    """The level an alert citation's range applies to (its note may say; else the one
    whose shipped share the range contains, day-to-day first)."""
    for level in LEVELS:
        if f"range applies to the {level.replace('_', '-')} share" in note:
            return level
    for level in LEVELS:
        if low <= system.alert.at(level) <= high:  # type: ignore[arg-type]
            return level
    return "day_to_day"


def _pk_base(layer: Cited) -> float:
    pk = getattr(layer, "pk", None)
    return max((float(v) for v in pk.model_dump().values()), default=0.0) if pk else 0.0


def _candidates(actor: str, p: Posture) -> Iterable[tuple[str, str, str, Cited, float]]:
    """(collection, item, field, cited object, shipped value) of every drawable number."""
    for s in p.systems:
        for f in SYSTEM_FIELDS:
            yield "systems", s.id, f, s, float(getattr(s, f))
        for level in LEVELS:
            yield "systems", s.id, f"alert.{level}", s, s.alert.at(level)  # type: ignore[arg-type]
    for t in p.targets:
        fields_ = VALUE_FIELDS if t.kind == "value" else TARGET_FIELDS
        for f in fields_:
            yield "targets", t.id, f, t, float(getattr(t, f))
    for d in p.defenses:
        yield "defenses", d.id, "interceptors", d, float(d.interceptors)
        yield "defenses", d.id, "pk", d, _pk_base(d)
    yield "side", "", "c2.decision_time_min", p.c2, p.c2.decision_time_min
    yield "side", "", "c2.execution_probability", p.c2, p.c2.execution_probability
    yield (
        "side",
        "",
        "launch_on_warning.fraction",
        p.launch_on_warning,
        p.launch_on_warning.fraction,
    )


def _name(actor: str, collection: str, item: str, field: str) -> str:
    if collection == "side":
        return f"{actor}.{field}"
    return f"{actor}.{collection}[{item}].{field}"


def _cited_field(field: str) -> str:
    return (
        field.split(".")[-1]
        if field.startswith(("c2.", "launch_on_warning."))
        else ("alert" if field.startswith("alert.") else field)
    )


def parameter_space(scenario: Scenario) -> dict[str, Parameter]:
    """Every parameter a scenario may name: each drawable number of every side, with its
    cited range where it has one (else its shipped value as both ends), and the side-wide
    group factors (a multiplier, 1 as shipped)."""
    space: dict[str, Parameter] = {}
    for side in scenario.sides:
        actor, posture = side.actor, side.posture
        for coll, item, field, obj, base in _candidates(actor, posture):
            c = obj.citation(_cited_field(field))
            low, high = (c.low, c.high) if c.low is not None and c.high is not None else (base,) * 2
            if field.startswith("alert.") and c.low is not None:
                system = posture.system(item)
                if _alert_level(system, c.low, c.high or c.low, c.note) != field.split(".")[1]:
                    low = high = base
            name = _name(actor, coll, item, field)
            space[name] = Parameter(
                name,
                actor,
                coll,
                item,
                field,
                base,
                float(low),
                float(high),
                _distribution(base, float(low), float(high)),
                c.source,
                c.note,
            )
        for field in SYSTEM_FIELDS:
            name = f"{actor}.{field}"
            space[name] = Parameter(name, actor, "group", "", field, 1.0, 1.0, 1.0, "uniform", "")
    return space


def uncertain_parameters(scenario: Scenario) -> tuple[Parameter, ...]:
    """The parameters a draw varies: every cited range of the scenario's sides, as changed
    by its ``uncertainties:`` (added, narrowed or fixed)."""
    problems = uncertainty_problems(scenario)
    if problems:
        raise InvalidArgumentError(
            "; ".join(
                f"{p.path}: {p.message}" + (f" (got {p.value})" if p.value else "")
                for p in problems
            )
        )
    space = parameter_space(scenario)
    chosen = {
        n: p
        for n, p in space.items()
        if p.collection != "group" and p.high > p.low and (p.base > 0 or p.level is not None)
    }
    for i, u in enumerate(scenario.uncertainties):
        p = space[u.name]
        if u.fixed:
            chosen.pop(u.name, None)
            continue
        low = p.low if u.low is None else u.low
        high = p.high if u.high is None else u.high
        chosen[u.name] = Parameter(
            p.name,
            p.actor,
            p.collection,
            p.item,
            p.field,
            p.base,
            low,
            high,
            u.distribution or _distribution(p.base, low, high),
            "scenario",
            f"set in the scenario's uncertainties[{i}]",
        )
    return tuple(sorted(chosen.values(), key=lambda p: p.name))


def uncertainty_problems(scenario: Scenario) -> list[Problem]:
    """Every problem of the scenario's ``uncertainties:``, at its field path."""
    space = parameter_space(scenario)
    problems: list[Problem] = []
    for i, u in enumerate(scenario.uncertainties):
        at = f"uncertainties.{i}"
        if u.name not in space:
            problems.append(Problem(f"{at}.name", _unknown(space, u.name), value=repr(u.name)))
            continue
        p = space[u.name]
        if u.fixed:
            continue
        low = p.low if u.low is None else u.low
        high = p.high if u.high is None else u.high
        if high <= low:
            problems.append(
                Problem(
                    at,
                    f"no range to draw from ({low:g} to {high:g}): the shipped number "
                    "has no cited range, so give low and high",
                    value=repr(u.name),
                )
            )
        elif p.base <= 0 and p.level is None:
            problems.append(
                Problem(
                    at,
                    "the shipped value is 0, so it cannot be drawn as a multiple of "
                    "it; set a value in the scenario first",
                    value=repr(u.name),
                )
            )
        elif p.level is not None and not (low >= 0.0 and high <= 1.0):
            problems.append(Problem(at, "an alert share's range must lie in [0, 1]"))
        elif p.level is None and low <= 0:
            problems.append(Problem(f"{at}.low", "must be above 0", value=f"{low:g}"))
        elif u.distribution == "triangular" and not low <= p.base <= high:
            problems.append(
                Problem(
                    f"{at}.distribution",
                    f"a triangular distribution needs the shipped "
                    f"value {p.base:g} inside [{low:g}, {high:g}]; use uniform",
                )
            )
    return problems


def _unknown(space: dict[str, Parameter], name: str) -> str:
    m = _NAME.match(name)
    field = m.group("field") if m else ""
    why = f" ({NOT_DRAWN[field]})" if field in NOT_DRAWN else ""
    near = difflib.get_close_matches(name, space.keys(), n=1, cutoff=0.0)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return f"not an uncertain parameter{why}{hint}"


def lookup(space: dict[str, Parameter], name: str, where: str = "name") -> Parameter:
    """The parameter called ``name``, or an error naming the nearest valid name."""
    if name in space:
        return space[name]
    raise InvalidArgumentError(f"{where}: {name!r} is {_unknown(space, name)}")


def multiplier_of(p: Parameter) -> str | None:
    """The engine multiplier a parameter sets (None for an alert share, set directly)."""
    if p.level is not None:
        return None
    tables = {
        "systems": SYSTEM_FIELDS,
        "group": SYSTEM_FIELDS,
        "defenses": LAYER_FIELDS,
        "side": POSTURE_FIELDS,
        "targets": {**TARGET_FIELDS, **VALUE_FIELDS},
    }
    return tables[p.collection][p.field]


def sample(params: Sequence[Parameter], u: FloatArray) -> dict[str, FloatArray]:
    """Parameter values for quantiles ``u`` (N, D), one column per parameter."""
    if u.ndim != 2 or u.shape[1] != len(params):
        raise InvalidArgumentError(f"expected quantiles of shape (N, {len(params)}), got {u.shape}")
    return {p.name: p.values(u[:, i]) for i, p in enumerate(params)}
