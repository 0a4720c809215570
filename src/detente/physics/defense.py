"""Penetration of warheads through missile-defence and air-defence layers.

A layer engages each arriving warhead with ``shots`` interceptors (salvo) or
with up to ``shots`` one-at-a-time opportunities (shoot-look-shoot) until its
inventory runs out; warheads beyond that leak through (saturation). Layers
act in order, each seeing the leakers of the one before. Air defence against
bombers and cruise missiles is the same mechanism with its own kill
probability. See ``docs/methodology-physics.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.errors import OutsideValidityError
from detente.model.defense import DefenseLayer
from detente.physics._validity import FloatArray, checked, probability

Doctrine = Literal["salvo", "shoot_look_shoot"]

_DOCTRINES = ("salvo", "shoot_look_shoot")


def _doctrine(doctrine: str) -> None:
    if doctrine not in _DOCTRINES:
        raise OutsideValidityError(
            f"doctrine = {doctrine!r} is not known; expected one of {', '.join(_DOCTRINES)}"
        )


def layer_leak_probability(
    pk: npt.ArrayLike,
    shots: npt.ArrayLike,
    doctrine: Doctrine = "salvo",
    system_reliability: npt.ArrayLike = 1.0,
    discrimination: npt.ArrayLike = 1.0,
) -> FloatArray:
    """Probability that one engaged warhead passes a defence layer.

    Salvo of ``k`` interceptors: ``1 - T * d * (1 - (1 - pk)**k)``, with ``T`` the
    layer's common-mode system reliability and ``d`` the probability the
    warhead is discriminated from decoys and engaged at all.

    Shoot-look-shoot with ``k`` opportunities: one interceptor per opportunity,
    a perfect kill assessment between them, and a new shot only at a warhead
    still alive. The warhead survives only if every shot misses, so the leak
    probability has the same form as a salvo of ``k``; what differs is the
    interceptors spent (see :func:`interceptors_per_engagement`).

    Parameters
    ----------
    pk
        Single-shot kill probability of one interceptor against this delivery kind.
    shots
        Interceptors per engagement (salvo) or shot opportunities (shoot-look-shoot),
        >= 0 (at most 64).
    doctrine
        ``"salvo"`` or ``"shoot_look_shoot"``.
    system_reliability
        Probability the layer's sensors and command work (``T``).
    discrimination
        Probability a real warhead is told from decoys (``d``).

    Returns
    -------
    numpy.ndarray
        Leak probability per engaged warhead, broadcast over the inputs.

    References
    ----------
    Wilkening, D. A. (2000). A simple model for calculating ballistic missile
    defense effectiveness. *Science & Global Security* 8(2), 183-215,
    doi:10.1080/08929880008426475 (salvo and shoot-look-shoot leakage, system
    reliability and discrimination factors).

    Examples
    --------
    >>> round(float(layer_leak_probability(0.5, 2)), 4)
    0.25
    """
    formula = "layer_leak_probability"
    _doctrine(doctrine)
    p = probability("pk", pk, formula=formula)
    k = checked("shots", shots, 0.0, 64.0, formula=formula)
    t = probability("system_reliability", system_reliability, formula=formula)
    d = probability("discrimination", discrimination, formula=formula)
    return np.asarray(1.0 - t * d * (1.0 - np.power(1.0 - p, k)), dtype=np.float64)


def interceptors_per_engagement(
    pk: npt.ArrayLike, shots: npt.ArrayLike, doctrine: Doctrine = "salvo"
) -> FloatArray:
    """Expected interceptors one engagement consumes.

    Salvo: ``k``. Shoot-look-shoot: the ``m``-th shot is fired only if the first
    ``m - 1`` missed, so the expectation is ``sum_{m<k} (1 - pk)**m``
    ``= (1 - (1 - pk)**k) / pk`` (``k`` when ``pk = 0``).

    Parameters
    ----------
    pk
        Single-shot kill probability, in [0, 1].
    shots
        Salvo size or number of opportunities, >= 0 (at most 64).
    doctrine
        ``"salvo"`` or ``"shoot_look_shoot"``.

    Returns
    -------
    numpy.ndarray
        Expected interceptors per engaged warhead.

    References
    ----------
    Wilkening (2000), *Science & Global Security* 8(2), 183-215.

    Examples
    --------
    >>> float(interceptors_per_engagement(0.5, 2, "shoot_look_shoot"))
    1.5
    """
    formula = "interceptors_per_engagement"
    _doctrine(doctrine)
    p = probability("pk", pk, formula=formula)
    k = checked("shots", shots, 0.0, 64.0, formula=formula)
    if doctrine == "salvo":
        return np.asarray(k * np.ones_like(p), dtype=np.float64)
    safe = np.where(p > 0.0, p, 1.0)
    expected = np.where(p > 0.0, (1.0 - np.power(1.0 - p, k)) / safe, k)
    return np.asarray(expected, dtype=np.float64)


def expected_leakers(
    arriving: npt.ArrayLike,
    interceptors: npt.ArrayLike,
    pk: npt.ArrayLike,
    shots: npt.ArrayLike,
    doctrine: Doctrine = "salvo",
    system_reliability: npt.ArrayLike = 1.0,
    discrimination: npt.ArrayLike = 1.0,
    *,
    integer: bool = True,
) -> FloatArray:
    """Expected warheads that pass one saturable defence layer.

    With ``N`` arriving warheads and ``I`` interceptors, ``e`` interceptors per
    engagement, the layer engages ``E = min(N, floor(I / e))`` warheads
    (``min(N, I / e)`` when ``integer`` is False) and
    ``leakers = N - E + E * leak``, with ``leak`` from
    :func:`layer_leak_probability`. Under shoot-look-shoot ``e`` is the
    expected consumption, an expected-value approximation.

    Parameters
    ----------
    arriving
        Warheads arriving at the layer, >= 0 (may be a non-integer expectation).
    interceptors
        Interceptors available, >= 0.
    pk, shots, doctrine, system_reliability, discrimination
        As in :func:`layer_leak_probability`.
    integer
        Engage only whole warheads with whole allotments of interceptors.

    Returns
    -------
    numpy.ndarray
        Expected leakers, broadcast over the inputs; never more than ``arriving``.

    References
    ----------
    Wilkening (2000), *Science & Global Security* 8(2), 183-215 (leakage per
    engagement); saturation by inventory exhaustion is the bookkeeping identity
    stated above.

    Examples
    --------
    >>> float(expected_leakers(10, 8, 0.5, 2))
    7.0
    """
    formula = "expected_leakers"
    n = checked("arriving", arriving, 0.0, 1.0e9, formula=formula)
    inventory = checked("interceptors", interceptors, 0.0, 1.0e9, formula=formula)
    leak = layer_leak_probability(pk, shots, doctrine, system_reliability, discrimination)
    per = interceptors_per_engagement(pk, shots, doctrine)
    safe = np.where(per > 0.0, per, 1.0)
    capacity = np.where(per > 0.0, inventory / safe, np.inf)
    if integer:
        # A tiny tolerance keeps 8 / (4 / 3 * 6) from flooring to 5.
        capacity = np.floor(capacity * (1.0 + 1e-12))
    engaged = np.minimum(n, capacity)
    return np.asarray(n - engaged + engaged * leak, dtype=np.float64)


@dataclass(frozen=True)
class LayerParams:
    """One defence layer's numbers against one delivery kind (inputs of the formulas)."""

    interceptors: float
    pk: float
    shots: float = 2.0
    doctrine: Doctrine = "salvo"
    system_reliability: float = 1.0
    discrimination: float = 1.0

    @classmethod
    def from_model(cls, layer: DefenseLayer, delivery: str) -> LayerParams:
        """The numbers of a :class:`~detente.model.defense.DefenseLayer` against ``delivery``."""
        return cls(
            interceptors=float(layer.interceptors),
            pk=layer.pk.of(delivery),
            shots=float(layer.shots_per_engagement),
            doctrine=layer.doctrine,
            system_reliability=layer.system_reliability,
            discrimination=layer.discrimination,
        )


def expected_leakers_layered(
    arriving: npt.ArrayLike, layers: Sequence[LayerParams], *, integer: bool = True
) -> FloatArray:
    """Expected warheads that pass several layers applied in order.

    Each layer sees the expected leakers of the previous one as its arrivals
    and saturates on its own inventory (:func:`expected_leakers`).

    Parameters
    ----------
    arriving
        Warheads arriving at the first layer.
    layers
        Layers from outermost (first to engage) to innermost.
    integer
        Passed to :func:`expected_leakers`.

    Returns
    -------
    numpy.ndarray
        Expected leakers past the last layer.

    References
    ----------
    Wilkening (2000), *Science & Global Security* 8(2), 183-215 (layered defence
    as successive independent layers).

    Examples
    --------
    >>> layers = [LayerParams(interceptors=8, pk=0.5), LayerParams(interceptors=4, pk=0.8, shots=1)]
    >>> round(float(expected_leakers_layered(10, layers)), 4)
    3.8
    """
    current = checked("arriving", arriving, 0.0, 1.0e9, formula="expected_leakers_layered")
    for layer in layers:
        current = expected_leakers(
            current,
            layer.interceptors,
            layer.pk,
            layer.shots,
            layer.doctrine,
            layer.system_reliability,
            layer.discrimination,
            integer=integer,
        )
    return current
