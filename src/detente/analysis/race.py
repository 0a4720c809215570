"""Arms-race dynamics over years: each side sizes its forces to its own requirement.

Each year every side looks at the others' forces as they stand and finds the smallest
force that meets its requirement: **second-strike sufficiency** (its answer after
absorbing a first strike destroys at least ``stability.unacceptable_damage`` of the
striker's value) against each other side striking alone (``doctrine="each"``), or also
against all the others striking together (``doctrine="coalition"``, the strongest
coalition). It then moves towards that force, no faster than it can build
(``production``, warheads a year) and never above the ceilings of a treaty it is party
to; unless ``cuts`` is set, it never builds down. All sides move at once (a Jacobi
step), so a year's growth answers the others' forces of the year before.

A side's force is scaled as a whole: the multiplier on its deployed launchers (every
system in proportion, its warheads with them); the warheads reported are those its
launchers carry when forces are generated. The exchanges are the assessment's own, run
through the evaluate seam (:func:`~detente.analysis.evaluate.evaluate`, asking for the
strikes the race reads alone), each striker choosing its strike and holding its reserve for
the party standing by, in the full reading with each posture's launch-on-warning
policy, at the alert level ``alert`` says (generated, by default: the requirement a
side sizes for is its answer in a crisis, forces generated). For speed each striker
chooses among fewer extents of strike than in an assessment (``plan_steps``, 5 instead
of 10); a scenario with a fixed doctrine (``Scenario.with_fixed_doctrine``) is faster
still.

The run reports the trajectories, whether they settle (no side moves by more than
``tolerance`` of its force in the last three years, every requirement met), keep
growing (or, with ``cuts``, still build down), or stop at a ceiling with a
requirement unmet; the equilibrium (the forces that are each side's requirement given
the others', capped by the ceilings, found by iterating the requirements without
production limits), if the iteration converges within the largest force considered;
and the Richardson form ``dx_i/dt = sum_j a_ij x_j - m_i x_i + g_i`` fitted to the
trajectories by least squares, with its stability.

References
----------
Richardson, L. F. (1960). *Arms and Insecurity*. Boxwood Press (reaction, fatigue and
grievance terms; the equilibrium and its stability).
"Mathematical Models of a Three-Nation Arms Race", *Journal of Conflict Resolution*
24(2), 1980 (three parties each fearing the other two together).
Congressional Commission on the Strategic Posture of the United States (2023).
*America's Strategic Posture* (deterring two nuclear peers at once).
Glaser, C. L., Acton, J. M. & Fetter, S. (2023). The U.S. Nuclear Arsenal Can Deter
Both China and Russia. *Foreign Affairs* (sizing against each adversary alone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

from detente.analysis.evaluate import evaluate
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.engine.sides import available_load
from detente.errors import InvalidArgumentError
from detente.model.cases import AlertCase
from detente.model.force import AlertLevel
from detente.model.perspective import FULL
from detente.model.posture import Posture
from detente.model.scenario import Scenario
from detente.stability.base import Camps
from detente.treaty import count

FloatArray = npt.NDArray[np.float64]
Doctrine = Literal["each", "coalition"]
Progress = Callable[[int, int], None]

GRID = np.geomspace(0.2, 8.0, 17)
"""Force multipliers tried first for a side's requirement (relative to its start)."""
FINE = 6
"""Points tried again between the two grid points that bracket the requirement."""


@dataclass(frozen=True)
class RaceSettings:
    """How the race is run (every field documented in ``docs/three-parties.md``)."""

    years: int = 15
    doctrine: Doctrine = "each"
    production: Mapping[str, float] = field(default_factory=dict)
    """Warheads a side can add in a year, by actor (unset: :data:`PRODUCTION`)."""
    ceilings: bool = True
    """Whether the scenario's treaty binds its parties."""
    cuts: bool = False
    """Whether a side above its requirement builds down (at its production rate)."""
    tolerance: float = 0.005
    """Relative change of every force below which a year counts as settled."""
    largest: float = 8.0
    """Largest force considered, as a multiple of the side's force at the start."""
    plan_steps: int = 5
    """Extents of strike each striker chooses among in the race (shares 0, 1/n, ..., 1 of
    its ready force, one to three warheads per aim point): 5 instead of the assessment's
    10, for speed (docs/three-parties.md measures the difference)."""
    alert: Literal["generated", "day_to_day", "own"] = "generated"
    """Alert level the requirement is judged at: forces generated in a crisis (default),
    day to day (a surprise attack), or each posture's own."""

    def __post_init__(self) -> None:
        if not isinstance(self.years, int) or not 1 <= self.years <= 100:
            raise InvalidArgumentError(f"years must be a whole number 1-100, got {self.years!r}")
        if self.doctrine not in ("each", "coalition"):
            raise InvalidArgumentError(
                f"doctrine must be 'each' or 'coalition', got {self.doctrine!r}"
            )
        for actor, rate in self.production.items():
            if not np.isfinite(rate) or rate < 0:
                raise InvalidArgumentError(
                    f"production of {actor!r} must be a number of warheads >= 0, got {rate!r}"
                )
        if not 1.0 < self.largest <= 50.0:
            raise InvalidArgumentError(f"largest must be in (1, 50], got {self.largest!r}")
        if not isinstance(self.plan_steps, int) or not 1 <= self.plan_steps <= 100:
            raise InvalidArgumentError(
                f"plan_steps must be a whole number 1-100, got {self.plan_steps!r}"
            )
        if self.alert not in ("generated", "day_to_day", "own"):
            raise InvalidArgumentError(
                f"alert must be 'generated', 'day_to_day' or 'own', got {self.alert!r}"
            )


PRODUCTION = 100.0
"""Warheads a year a side can add unless ``RaceSettings.production`` names its own rate,
the same for every actor: China added about 100 in a year (DoD CMPR 2024, FAS); every
other side is given the same rate, an assumption (the United States and Russia hold
stored warheads they could upload faster, and neither has said how fast it would
produce new ones)."""


def fielded(posture: Posture) -> float:
    """Warheads the posture's nuclear launchers carry when forces are generated."""
    return float(
        sum(
            s.launchers_deployed * available_load(s, "generated")
            for s in posture.systems
            if s.nuclear
        )
    )


def ceiling_scale(posture: Posture, scenario: Scenario) -> tuple[float, list[str]]:
    """Largest launcher multiplier the scenario's treaty allows ``posture`` (inf if none
    binds it), and the limits that set it.

    Every counted measure grows with the deployed launchers in proportion (loaded
    warheads, deployed launchers) or not at all (stored warheads, non-deployed
    launchers), so each count is ``a + b f``; ``a`` and ``b`` come from counting the
    posture with its deployed launchers once and twice over.
    """
    if scenario.treaty is None:
        return np.inf, []
    treaty = scenario.treaty
    if treaty.parties and posture.actor not in treaty.parties:
        return np.inf, []
    doubled = posture.model_copy(
        update={
            "systems": tuple(
                s.model_copy(update={"launchers_deployed": 2 * s.launchers_deployed})
                for s in posture.systems
            )
        }
    )
    one, two = count(posture, treaty), count(doubled, treaty)
    best, binding = np.inf, []
    for limit in treaty.limits:
        a1, a2 = one.total(limit.quantity), two.total(limit.quantity)
        slope, base = a2 - a1, 2 * a1 - a2
        if slope <= 1e-12:
            continue
        scale = (limit.ceiling - base) / slope
        if scale < best - 1e-12:
            best, binding = scale, [limit.id]
        elif abs(scale - best) <= 1e-12:
            binding.append(limit.id)
    return max(best, 0.0), binding


@dataclass(frozen=True)
class RaceSides:
    """The scenario as the race evaluates it: every posture at the race's alert level."""

    scenario: Scenario
    actors: tuple[str, ...]

    @classmethod
    def of(cls, scenario: Scenario, alert: str) -> RaceSides:
        """``scenario`` with each posture at ``alert`` (``"own"``: as written)."""
        if alert != "own":
            level = cast(AlertLevel, alert)
            sides = tuple(
                s.model_copy(update={"posture": s.posture.model_copy(update={"alert": level})})
                for s in scenario.sides
            )
            scenario = scenario.model_copy(update={"sides": sides})
        return cls(scenario, scenario.actors)

    @property
    def case(self) -> AlertCase:
        """The alert case every strike of the race is evaluated in."""
        return AlertCase(tuple((s.actor, s.posture.alert) for s in self.scenario.sides))


def answers(
    sides: RaceSides,
    scales: Mapping[str, float],
    side: str,
    trial: FloatArray,
    doctrine: Doctrine,
) -> FloatArray:
    """(len(trial),) the smallest share of a striker's value ``side``'s answer destroys,
    over the first strikes its doctrine sizes against, with ``side`` at each ``trial``
    scale and the others at ``scales``.

    One experiment per trial scale (launcher multipliers), evaluated on the evaluate
    seam for the strikes the doctrine reads alone: each other side striking ``side``
    first, the rest standing by, and with ``"coalition"`` all of them together; full
    reading, each side following its launch-on-warning policy.
    """
    n = trial.size
    others = tuple(a for a in sides.actors if a != side)
    strikes: list[Camps] = [((striker,), (side,)) for striker in others]
    camp = doctrine == "coalition" and len(others) > 1
    if camp:
        strikes.append((others, (side,)))
    columns = {f"{a}.launchers": np.full(n, scales[a]) for a in others}
    columns[f"{side}.launchers"] = trial
    spec = OutcomeSpec(
        definitions=(),
        perspectives=(FULL,),
        alert_cases="own",
        ride_out=(False,),
        strikes=tuple(strikes),
    )
    out = evaluate(sides.scenario, Experiments.from_mapping(columns), outcomes=spec).outcomes
    case = sides.case
    worst = np.full(n, np.inf)
    for striker in others:
        worst = np.minimum(worst, out.strikes[(FULL.id, case, striker, side)].damage_to_attacker)
    if camp:
        damage = out.coalitions[(FULL.id, case, others, (side,))].damage
        worst = np.minimum(worst, np.min(np.stack([damage[o] for o in others]), axis=0))
    return np.asarray(worst, dtype=np.float64)


class _Requirements:
    """Each side's requirement given the others' forces, computed once per distinct state."""

    def __init__(self, sides: RaceSides, settings: RaceSettings) -> None:
        self.sides, self.settings = sides, settings
        self.known: dict[tuple[str, tuple[float, ...]], tuple[float, bool]] = {}

    def __call__(self, scales: Mapping[str, float], side: str) -> tuple[float, bool]:
        key = (side, tuple(round(scales[a], 12) for a in self.sides.actors if a != side))
        if key not in self.known:
            self.known[key] = requirement(self.sides, scales, side, self.settings)
        return self.known[key]


def requirement(
    sides: RaceSides,
    scales: Mapping[str, float],
    side: str,
    settings: RaceSettings,
) -> tuple[float, bool]:
    """The smallest scale of ``side`` whose answer meets the threshold against every first
    strike its doctrine sizes against, and whether it is met within ``largest``.

    Damage grows with the side's force; the scale is bracketed on a geometric grid,
    then on a finer grid between the bracketing points, and interpolated linearly in
    between (to within one fine step).
    """
    need = sides.scenario.stability.unacceptable_damage
    grid = GRID[settings.largest >= GRID]
    grid = np.append(grid, settings.largest) if grid[-1] < settings.largest else grid
    done = answers(sides, scales, side, grid, settings.doctrine)
    if done[0] >= need:
        return float(grid[0]), True
    if done[-1] < need:
        return float(settings.largest), False
    k = int(np.argmax(done >= need))
    fine = np.geomspace(grid[k - 1], grid[k], FINE)
    done_fine = answers(sides, scales, side, fine, settings.doctrine)
    j = int(np.argmax(done_fine >= need))
    lo, hi = fine[j - 1], fine[j]
    d_lo, d_hi = done_fine[j - 1], done_fine[j]
    t = 0.0 if d_hi <= d_lo else (need - d_lo) / (d_hi - d_lo)
    return float(lo + t * (hi - lo)), True


@dataclass(frozen=True)
class Richardson:
    """The Richardson form fitted to the trajectories: ``dx_i/dt = sum_j a_ij x_j - m_i x_i
    + g_i`` per side (one year a step).

    A coefficient is identified only if its side's trajectory moved: a force that stays
    put is indistinguishable from the constant term, so its coefficients are ``None``
    and its effect is part of ``g``.
    """

    actors: tuple[str, ...]
    reaction: dict[tuple[str, str], float | None]
    """``a_ij``: warheads ``i`` adds a year per warhead of ``j``."""
    fatigue: dict[str, float | None]
    """``m_i``: warheads ``i`` gives up a year per warhead of its own."""
    grievance: dict[str, float]
    """``g_i``: warheads ``i`` adds a year whatever the others hold (and whatever the
    forces that never moved contribute)."""
    r_squared: dict[str, float | None]
    """Share of each side's yearly changes the fit explains (None: its yearly change was
    the same every year, so there is no spread to explain)."""
    eigenvalues: tuple[complex, ...] | None
    """Of ``A - diag(m)``, when every coefficient is identified."""

    @property
    def stable(self) -> bool | None:
        """Whether the fitted race settles: every eigenvalue of ``A - diag(m)`` negative in
        its real part (Richardson's condition, ``m_1 m_2 > a_12 a_21`` for two sides);
        None when the trajectories do not identify the coefficients."""
        if self.eigenvalues is None:
            return None
        return all(e.real < 0 for e in self.eigenvalues)

    @property
    def growth_rate(self) -> float | None:
        """Largest real part of the eigenvalues of ``A - diag(m)`` (a year^-1 rate: below 0
        the fitted race settles), None when not identified."""
        if self.eigenvalues is None:
            return None
        return max(e.real for e in self.eigenvalues)


def fit_richardson(actors: tuple[str, ...], warheads: FloatArray) -> Richardson:
    """Least-squares fit of the Richardson form to ``warheads`` (years + 1, sides).

    Each side's yearly change is regressed on the forces of every side that moved (a
    force that never moved is a constant, folded into ``g``) and a constant.
    """
    x, dx = warheads[:-1], np.diff(warheads, axis=0)
    n = len(actors)
    moved = [
        bool(np.ptp(warheads[:, j]) > 1e-9 * max(1.0, float(warheads[0, j]))) for j in range(n)
    ]
    cols = [j for j in range(n) if moved[j]]
    matrix = np.full((n, n), np.nan)
    grievance: dict[str, float] = {}
    r2: dict[str, float | None] = {}
    for i, actor in enumerate(actors):
        design = np.column_stack([x[:, cols], np.ones(len(x))])
        coef, *_ = np.linalg.lstsq(design, dx[:, i], rcond=None)
        for k, j in enumerate(cols):
            matrix[i, j] = coef[k]
        grievance[actor] = float(coef[-1])
        spread = float(((dx[:, i] - dx[:, i].mean()) ** 2).sum())
        resid = float(((dx[:, i] - design @ coef) ** 2).sum())
        r2[actor] = None if spread <= 1e-12 else 1.0 - resid / spread
    full_rank = (
        len(x) > len(cols) + 1
        and np.linalg.matrix_rank(np.column_stack([x[:, cols], np.ones(len(x))])) == len(cols) + 1
    )

    def entry(i: int, j: int, sign: float = 1.0) -> float | None:
        value = matrix[i, j]
        return None if np.isnan(value) or not full_rank else float(sign * value)

    reaction = {
        (a, b): entry(i, j) for i, a in enumerate(actors) for j, b in enumerate(actors) if i != j
    }
    fatigue = {a: entry(i, i, -1.0) for i, a in enumerate(actors)}
    identified = full_rank and all(moved)
    eig = tuple(complex(e) for e in np.linalg.eigvals(matrix)) if identified else None
    return Richardson(actors, reaction, fatigue, grievance, r2, eig)


@dataclass(frozen=True)
class Race:
    """A race run: trajectories, outcome, equilibrium and the fitted Richardson form."""

    scenario: str
    settings: RaceSettings
    actors: tuple[str, ...]
    years: tuple[int, ...]
    scales: FloatArray
    """(years + 1, sides) force of each side as a multiple of its start."""
    warheads: FloatArray
    """(years + 1, sides) warheads fielded."""
    required: FloatArray
    """(years, sides) each side's requirement (a scale) in each year."""
    met: npt.NDArray[np.bool_]
    """(years, sides) whether that requirement could be met within ``largest``."""
    ceilings: dict[str, float]
    """Largest scale the treaty allows each side (inf: none binds)."""
    binding: dict[str, list[str]]
    outcome: str
    """``settles``, ``keeps growing``, ``still building down`` or ``held at a ceiling``."""
    equilibrium: dict[str, float] | None
    """Warheads of each side at the equilibrium, if the iteration converged."""
    short_at_equilibrium: tuple[str, ...]
    """Sides held at a ceiling below their requirement at the equilibrium."""
    richardson: Richardson

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""

        def finite(v: float) -> float | None:
            return None if not np.isfinite(v) else float(v)

        rich = self.richardson
        return {
            "scenario": self.scenario,
            "doctrine": self.settings.doctrine,
            "ceilings": self.settings.ceilings,
            "cuts": self.settings.cuts,
            "alert": self.settings.alert,
            "years": list(self.years),
            "actors": list(self.actors),
            "warheads": {a: self.warheads[:, i].tolist() for i, a in enumerate(self.actors)},
            "scale": {a: self.scales[:, i].tolist() for i, a in enumerate(self.actors)},
            "required_scale": {a: self.required[:, i].tolist() for i, a in enumerate(self.actors)},
            "requirement_met": {a: self.met[:, i].tolist() for i, a in enumerate(self.actors)},
            "ceiling_scale": {a: finite(v) for a, v in self.ceilings.items()},
            "binding_limits": self.binding,
            "outcome": self.outcome,
            "equilibrium_warheads": self.equilibrium,
            "short_at_equilibrium": list(self.short_at_equilibrium),
            "richardson": {
                "reaction": [
                    {"side": a, "other": b, "a": v} for (a, b), v in rich.reaction.items()
                ],
                "fatigue": rich.fatigue,
                "grievance": rich.grievance,
                "r_squared": rich.r_squared,
                "eigenvalues": None
                if rich.eigenvalues is None
                else [[e.real, e.imag] for e in rich.eigenvalues],
                "stable": rich.stable,
            },
        }


def _step(
    scales: dict[str, float],
    targets: dict[str, float],
    rates: dict[str, float],
    caps: dict[str, float],
    cuts: bool,
) -> dict[str, float]:
    out = {}
    for actor, now in scales.items():
        low = now - rates[actor] if cuts else now
        high = min(now + rates[actor], caps[actor])
        out[actor] = float(min(max(targets[actor], low), high))
        if now > caps[actor]:  # a treaty it is party to brings it down to the ceiling
            out[actor] = float(caps[actor])
    return out


def _equilibrium(
    need: _Requirements,
    start: dict[str, float],
    caps: dict[str, float],
    iterations: int = 30,
) -> tuple[dict[str, float] | None, tuple[str, ...]]:
    """Forces that are each side's requirement given the others' (capped by ceilings), by
    iterating the requirements from ``start``, and the sides a ceiling holds below their
    requirement there; None if they do not converge or a requirement cannot be met
    within the largest force considered."""
    scales = dict(start)
    largest = need.settings.largest
    for _ in range(iterations):
        new, short = {}, []
        for actor in need.sides.actors:
            value, met = need(scales, actor)
            if not met and caps[actor] >= largest:
                return None, ()
            if value > caps[actor]:
                short.append(actor)
            new[actor] = min(value, caps[actor])
        change = max(abs(new[a] - scales[a]) / max(scales[a], 1e-9) for a in need.sides.actors)
        scales = new
        if change < 1e-3:
            return scales, tuple(short)
    return None, ()


def run_race(
    scenario: Scenario, settings: RaceSettings | None = None, progress: Progress | None = None
) -> Race:
    """Run the arms race of ``scenario`` for ``settings.years`` years (see the module)."""
    settings = settings or RaceSettings()
    scenario = scenario.model_copy(
        update={
            "exchange": scenario.exchange.model_copy(
                update={"strike_extent_steps": settings.plan_steps}
            )
        }
    )
    sides = RaceSides.of(scenario, settings.alert)
    need = _Requirements(sides, settings)
    actors = sides.actors
    base = {s.actor: fielded(s.posture) for s in scenario.sides}
    for actor, w in base.items():
        if w <= 0:
            raise InvalidArgumentError(f"side {actor!r} fields no nuclear warheads; it cannot race")
    rates = {a: settings.production.get(a, PRODUCTION) / base[a] for a in actors}
    caps, binding = {}, {}
    for s in scenario.sides:
        cap, limits = ceiling_scale(s.posture, scenario) if settings.ceilings else (np.inf, [])
        caps[s.actor], binding[s.actor] = cap, limits
    scales = dict.fromkeys(actors, 1.0)
    path = [dict(scales)]
    required, met = [], []
    for year in range(settings.years):
        needs = {a: need(scales, a) for a in actors}
        required.append([needs[a][0] for a in actors])
        met.append([needs[a][1] and needs[a][0] <= caps[a] + 1e-9 for a in actors])
        scales = _step(scales, {a: needs[a][0] for a in actors}, rates, caps, settings.cuts)
        path.append(dict(scales))
        if progress is not None:
            progress(year + 1, settings.years)
    table = np.array([[p[a] for a in actors] for p in path])
    warheads = table * np.array([base[a] for a in actors])[None, :]
    outcome = _outcome(table, np.array(met), settings.tolerance)
    eq, short = _equilibrium(need, path[-1], caps)
    start_year = int(scenario.date[:4]) if scenario.date else 0
    return Race(
        scenario=scenario.name,
        settings=settings,
        actors=actors,
        years=tuple(range(start_year, start_year + settings.years + 1)),
        scales=table,
        warheads=warheads,
        required=np.array(required),
        met=np.array(met, dtype=bool),
        ceilings=caps,
        binding=binding,
        outcome=outcome,
        equilibrium=None if eq is None else {a: eq[a] * base[a] for a in actors},
        short_at_equilibrium=short,
        richardson=fit_richardson(actors, warheads),
    )


def _outcome(scales: FloatArray, met: npt.NDArray[np.bool_], tolerance: float) -> str:
    """How the run ends (see the module): ``settles`` (no side moves by more than
    ``tolerance`` in the last three years and every requirement is met), ``held at a
    ceiling`` (no side moves, a requirement unmet), ``keeps growing`` (a side grew by
    more than ``tolerance`` in one of those years) or ``still building down`` (a side
    fell, none grew)."""
    tail = scales[-4:]
    change = np.diff(tail, axis=0) / np.maximum(tail[:-1], 1e-9)
    if bool((np.abs(change) <= tolerance).all()):
        return "settles" if bool(met[-1].all()) else "held at a ceiling"
    return "keeps growing" if bool((change > tolerance).any()) else "still building down"
