"""One side's forces, targets and defences as arrays, ready for the exchange.

The exchange works on arrays with a leading batch axis (one row per parameter
draw); this module turns a :class:`~detente.model.posture.Posture` into the
per-system and per-target arrays it needs, under a perspective and at an
alert level. Basing behaviour follows the kind of a system's home target:

- ``silo_field``: always at home; the alert share can launch on warning;
- ``ssbn_port``: the alert share is at sea (lost only to ASW detection);
- ``bomber_base``: the alert share escapes if warned in time;
- any other kind: the alert share is dispersed in the field, lost only if found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from detente.engine.value_points import ValueCurve, value_curve, value_points
from detente.model.defense import DomainFactors
from detente.model.force import AlertLevel, System
from detente.model.perspective import Perspective
from detente.model.posture import Posture

FloatArray = npt.NDArray[np.float64]

BASING_SILO, BASING_SEA, BASING_AIR, BASING_LAND = 0, 1, 2, 3
_BASING = {"silo_field": BASING_SILO, "ssbn_port": BASING_SEA, "bomber_base": BASING_AIR}

DELIVERIES = ("ballistic_rv", "hgv", "aeroballistic", "cruise", "gravity_bomb", "torpedo")
PER_ROW = ("launchers", "load", "alert", "interceptors", "launch_on_warning")
"""Fields of :class:`SideArrays` that hold one row per case (the rest are per system)."""


def included(system: System, perspective: Perspective) -> bool:
    """Whether ``system`` takes part in exchanges under ``perspective``."""
    if not system.nuclear:
        return perspective.include_conventional
    if system.category == "nonstrategic" and not perspective.include_nonstrategic:
        return False
    return not (system.novel and system.accountability == "none" and not perspective.include_novel)


def available_load(system: System, alert: AlertLevel) -> float:
    """Warheads per deployed launcher at ``alert``, counting mating from storage.

    Systems marked ``mated_when_generated`` take stored warheads onto their
    launchers (up to the largest load) when forces are generated.
    """
    load = system.warheads_per_launcher
    if alert == "generated" and system.mated_when_generated and system.launchers_deployed:
        spare = system.max_warheads_per_launcher - load
        load += min(spare, system.warheads_stored / system.launchers_deployed)
    return load


@dataclass(frozen=True)
class SideArrays:
    """A side's systems (index ``s``), targets (index ``t``) and defences (index ``l``)."""

    actor: str
    system_ids: tuple[str, ...]
    nuclear: npt.NDArray[np.bool_]
    conventional: npt.NDArray[np.bool_]
    strategic: npt.NDArray[np.bool_]
    """Nuclear systems that are not non-strategic (theatre) weapons."""
    launchers: FloatArray
    """(R, S) deployed launchers per row; 0 where the row's perspective drops the system."""
    load: FloatArray
    """(R, S) warheads per launcher at the row's alert level."""
    alert: FloatArray
    """(R, S) alert share at the row's alert level."""
    yield_kt: FloatArray
    load_yield_kt: FloatArray
    """(S, T) yield of each warhead type a system carries (padding has share 0)."""
    load_share: FloatArray
    """(S, T) share of a system's warheads of each type (rows sum to 1)."""
    cep_m: FloatArray
    reliability: FloatArray
    launch_from_home: FloatArray
    """(S,) share of the launchers at home that can launch on warning (silos: 1)."""
    flight_time_min: FloatArray
    range_km: FloatArray
    delivery: npt.NDArray[np.int64]
    torpedo: npt.NDArray[np.bool_]
    evasion: FloatArray
    home: npt.NDArray[np.int64]
    basing: npt.NDArray[np.int64]
    target_ids: tuple[str, ...]
    target_kind: tuple[str, ...]
    target_count: FloatArray
    hardness_psi: FloatArray
    standoff_km: FloatArray
    coastal: npt.NDArray[np.bool_]
    value_index: int
    value_curve: ValueCurve | None
    """The value class's points, densest first (None without a value class)."""
    layer_ids: tuple[str, ...]
    interceptors: FloatArray
    """(R, L) interceptors per row; 0 where the row's perspective drops the layer."""
    launch_on_warning: FloatArray
    """(R,) share of threatened alert silo warheads launched on warning (0: rides out)."""
    layer_pk: FloatArray
    """(layers, deliveries) single-shot kill probability."""
    layer_shots: FloatArray
    layer_slsh: npt.NDArray[np.bool_]
    layer_reliability: FloatArray
    layer_discrimination: FloatArray
    layer_defends: npt.NDArray[np.bool_]
    """(layers, targets): whether the layer covers the target class."""
    execution_probability: float
    decision_time_min: float
    factors: DomainFactors

    @property
    def n_systems(self) -> int:
        """Number of systems."""
        return len(self.system_ids)

    @property
    def rows(self) -> int:
        """Number of rows (cases) compiled."""
        return int(self.launchers.shape[0])

    def tile(self, k: int) -> SideArrays:
        """Every row ``k`` times over, in order (``[r0, r1, r0, r1]`` for ``k = 2``)."""
        if k == 1:
            return self
        return self._per_row(lambda a: np.tile(a, (k,) + (1,) * (a.ndim - 1)))

    def take(self, rows: npt.NDArray[np.int64]) -> SideArrays:
        """The given rows; a one-row side applies to every row and is returned as it is."""
        if self.rows == 1:
            return self
        return self._per_row(lambda a: a[rows])

    def _per_row(self, fn: Callable[[FloatArray], FloatArray]) -> SideArrays:
        """The same side with ``fn`` applied to every per-row field."""
        return replace(
            self,
            launchers=fn(self.launchers),
            load=fn(self.load),
            alert=fn(self.alert),
            interceptors=fn(self.interceptors),
            launch_on_warning=fn(self.launch_on_warning),
        )


def _layer_cover(posture: Posture) -> npt.NDArray[np.bool_]:
    """(layers, targets): point defence covers the classes it names, the rest cover all."""
    index = {t.id: i for i, t in enumerate(posture.targets)}
    defends = np.zeros((len(posture.defenses), len(posture.targets)), dtype=bool)
    for li, layer in enumerate(posture.defenses):
        if layer.kind == "point":
            for t in layer.defends:
                if t in index:
                    defends[li, index[t]] = True
        else:
            defends[li, :] = True
    return defends


Row = tuple[Perspective, AlertLevel] | tuple[Perspective, AlertLevel, bool]
"""(reading, alert level) or (reading, alert level, ride out) of one compiled row."""


def _per_row(posture: Posture, rows: Sequence[Row]) -> dict[str, FloatArray]:
    """Launchers, loads, alert shares, interceptors and launch on warning of every row.

    Rows repeat (one per build-up variant or experiment); each distinct
    (perspective, alert level, ride out) is compiled once.
    """
    systems, layers, low = posture.systems, posture.defenses, posture.launch_on_warning
    slot: dict[tuple[str, str, bool], int] = {}
    distinct: list[tuple[Perspective, AlertLevel]] = []
    riding: list[bool] = []
    keys = [(row[0].id, row[1], bool(row[2]) if len(row) == 3 else False) for row in rows]
    for row, key in zip(rows, keys, strict=True):
        if key not in slot:
            slot[key] = len(distinct)
            distinct.append((row[0], row[1]))
            riding.append(key[2])
    where = np.array([slot[key] for key in keys], dtype=np.int64)

    def table(fn: Callable[[Perspective, AlertLevel], list[float]], width: int) -> FloatArray:
        values = np.asarray([fn(p, a) for p, a in distinct], dtype=np.float64)
        return np.asarray(values.reshape(len(distinct), width)[where], dtype=np.float64)

    def launchers(p: Perspective, _a: AlertLevel) -> list[float]:
        return [float(s.launchers_deployed) if included(s, p) else 0.0 for s in systems]

    def interceptors(p: Perspective, _a: AlertLevel) -> list[float]:
        return [
            float(d.interceptors)
            if d.kind == "air" or p.include_missile_defense or not d.counts_as_counterforce
            else 0.0
            for d in layers
        ]

    n_s = len(systems)
    return {
        "launchers": table(launchers, n_s),
        "load": table(lambda _p, a: [available_load(s, a) for s in systems], n_s),
        "alert": table(lambda _p, a: [s.alert.at(a) for s in systems], n_s),
        "interceptors": table(interceptors, len(layers)),
        "launch_on_warning": np.asarray(
            [0.0 if r or not low.enabled else low.fraction for r in riding], dtype=np.float64
        )[where],
    }


def _warhead_loads(systems: Sequence[System]) -> dict[str, FloatArray]:
    """(S, T) yield and share of each warhead type of each system, padded with share 0."""
    width = max((len(s.warhead_mix) for s in systems), default=1)
    yields = np.ones((len(systems), width))
    shares = np.zeros((len(systems), width))
    for i, s in enumerate(systems):
        for t, (y, share) in enumerate(s.warhead_mix):
            yields[i, t], shares[i, t] = y, share
    return {"load_yield_kt": yields, "load_share": shares}


def side_rows(posture: Posture, factors: DomainFactors, rows: Sequence[Row]) -> SideArrays:
    """Compile ``posture`` into arrays with one row per (perspective, alert level[, ride out]).

    Every system and layer keeps its column; a row's perspective drops a
    system by giving it no launchers, and drops a missile-defence layer that
    counts as counterforce by giving it no interceptors (air defence always
    stays). Alert levels set each row's loads and alert shares; a ride-out row
    launches nothing on warning whatever the posture's policy.
    """
    systems, targets, layers = posture.systems, posture.targets, posture.defenses
    index = {t.id: i for i, t in enumerate(targets)}
    kinds = tuple(t.kind for t in targets)
    value_idx = next((i for i, k in enumerate(kinds) if k == "value"), -1)
    value = targets[value_idx] if value_idx >= 0 else None
    curve = (
        value_curve(
            *value_points(
                value.count,
                value.value_zipf_exponent,
                value.value_area_km2,
                value.value_density_exponent,
            )
        )
        if value is not None and value.count > 0
        else None
    )

    def arr(values: list[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    return SideArrays(
        actor=posture.actor,
        system_ids=tuple(s.id for s in systems),
        nuclear=np.array([s.nuclear for s in systems], dtype=bool),
        strategic=np.array(
            [s.nuclear and s.category != "nonstrategic" for s in systems], dtype=bool
        ),
        conventional=np.array([not s.nuclear for s in systems], dtype=bool),
        **_per_row(posture, rows),
        yield_kt=arr([s.yield_kt for s in systems]),
        **_warhead_loads(systems),
        cep_m=arr([s.cep_m for s in systems]),
        reliability=arr([s.reliability for s in systems]),
        launch_from_home=arr(
            [
                1.0 if kinds[index[s.home_target]] == "silo_field" else s.launch_from_home
                for s in systems
            ]
        ),
        flight_time_min=arr([s.flight_time_min for s in systems]),
        range_km=arr([s.range_km for s in systems]),
        delivery=np.array([DELIVERIES.index(s.delivery) for s in systems], dtype=np.int64),
        torpedo=np.array([s.delivery == "torpedo" for s in systems], dtype=bool),
        evasion=arr([s.defense_evasion for s in systems]),
        home=np.array([index[s.home_target] for s in systems], dtype=np.int64),
        basing=np.array(
            [_BASING.get(kinds[index[s.home_target]], BASING_LAND) for s in systems],
            dtype=np.int64,
        ),
        target_ids=tuple(t.id for t in targets),
        target_kind=kinds,
        target_count=arr([float(t.count) for t in targets]),
        hardness_psi=arr([t.hardness_psi for t in targets]),
        standoff_km=arr([t.standoff_km for t in targets]),
        coastal=np.array([t.coastal for t in targets], dtype=bool),
        value_index=value_idx,
        value_curve=curve,
        layer_ids=tuple(d.id for d in layers),
        layer_pk=np.array(
            [[d.pk.of(k) for k in DELIVERIES] for d in layers], dtype=np.float64
        ).reshape(len(layers), len(DELIVERIES)),
        layer_shots=arr([float(d.shots_per_engagement) for d in layers]),
        layer_slsh=np.array([d.doctrine == "shoot_look_shoot" for d in layers], dtype=bool),
        layer_reliability=arr([d.system_reliability for d in layers]),
        layer_discrimination=arr([d.discrimination for d in layers]),
        layer_defends=_layer_cover(posture),
        execution_probability=posture.c2.execution_probability,
        decision_time_min=posture.c2.decision_time_min,
        factors=factors,
    )
