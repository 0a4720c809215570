"""Interceptor accounting of a side's defence layers against a salvo, per draw.

The engagement physics (leakage of one layer, interceptors per engagement) is
:mod:`detente.physics.defense`; this module applies it to the layers of one
side as arrays, with saturation: a layer engages as many of the warheads coming
at it as its interceptors allow, and the rest leak through unengaged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.params import Multipliers
from detente.engine.sides import DELIVERIES, SideArrays
from detente.model.defense import Doctrine
from detente.physics.defense import interceptors_per_engagement, layer_leak_probability

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LayerTables:
    """A side's defence layers against every delivery kind, per draw.

    ``leak[b, l, d]``: chance an engaged warhead of delivery kind ``d`` passes layer
    ``l``; ``per[b, l, d]``: interceptors one engagement spends. They depend only on
    the layers and the draw's interceptor-pk multiplier, so they are computed once
    per side and batch.
    """

    leak: FloatArray
    per: FloatArray

    def take(self, rows: IntArray) -> LayerTables:
        """The tables of ``rows``."""
        return LayerTables(leak=self.leak[rows], per=self.per[rows])


def layer_tables(side: SideArrays, m: Multipliers) -> LayerTables:
    """Leak and cost per engagement of each of ``side``'s layers, for each delivery kind."""
    nb, n_l = m.size, len(side.layer_ids)
    pk = np.minimum(1.0, side.layer_pk[None, :, :] * m.interceptor_pk[:, :, None])
    leak = np.ones((nb, n_l, len(DELIVERIES)))
    per = np.ones((nb, n_l, len(DELIVERIES)))
    doctrines: tuple[tuple[Doctrine, npt.NDArray[np.bool_]], ...] = (
        ("salvo", ~side.layer_slsh),
        ("shoot_look_shoot", side.layer_slsh),
    )
    for doctrine, group in doctrines:
        if not group.any():
            continue
        shots = side.layer_shots[group][None, :, None]
        # in row order: numpy lays out pk[:, group] by batch size, and its vector and scalar
        # paths of power round differently, so another layout could change a row's last bit
        pk_group = np.ascontiguousarray(pk[:, group])
        leak[:, group] = layer_leak_probability(
            pk_group,
            shots,
            doctrine,
            side.layer_reliability[group][None, :, None],
            side.layer_discrimination[group][None, :, None],
        )
        per[:, group] = interceptors_per_engagement(pk_group, shots, doctrine)
    return LayerTables(leak=leak, per=per)


def layer_penetration(
    side: SideArrays,
    tables: LayerTables,
    delivery: IntArray,
    evasion: FloatArray,
    salvo: FloatArray,
    interceptors: FloatArray,
    covers: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Penetration per weapon type through each of ``side``'s layers, and their cost.

    Parameters
    ----------
    side, tables
        The defending side and its layer tables (:func:`layer_tables`).
    delivery, evasion
        (I,) delivery kind and defence evasion of each weapon type.
    salvo
        (B, L) warheads each layer faces (it saturates on its inventory).
    interceptors
        (B, L) interceptors left in each layer.
    covers
        (L,) or broadcastable mask: whether a layer takes part at all.

    Returns
    -------
    (pen, per_layer)
        pen (B, L, I): chance a weapon of type i passes layer l; per_layer (B, L):
        interceptors one engagement costs (the dearest among the deliveries the
        layer can engage in this salvo).
    """
    nb, n_l = salvo.shape
    if n_l == 0:
        return np.ones((nb, 0, len(delivery))), np.ones((nb, 0))
    leak = tables.leak[:, :, delivery]
    engages = side.layer_pk[:, delivery] > 0  # (L, I)
    per = np.where(engages[None, :, :], tables.per[:, :, delivery], -np.inf)
    per_layer = per.max(axis=2, initial=-np.inf)
    per_layer = np.where(np.isfinite(per_layer), per_layer, side.layer_shots[None, :])
    capacity = interceptors / np.maximum(per_layer, 1e-12)
    engaged = np.where(salvo > 0, np.minimum(1.0, capacity / np.maximum(salvo, 1e-12)), 0.0)
    engaged = engaged * covers
    pen = 1.0 - engaged[:, :, None] * (1.0 - leak) * (1.0 - evasion)[None, None, :]
    return pen, per_layer


def interceptors_spent(
    salvo: FloatArray, interceptors: FloatArray, per_layer: FloatArray, covers: FloatArray
) -> FloatArray:
    """(B, L) interceptors a layer spends on the warheads that actually come at it."""
    capacity = interceptors / np.maximum(per_layer, 1e-12)
    return np.asarray(np.minimum(salvo, capacity) * per_layer * covers, dtype=np.float64)


def engaged_salvo(side: SideArrays, delivery: IntArray, flying: FloatArray) -> FloatArray:
    """(B, L) warheads each of ``side``'s layers can engage: those it has a pk against."""
    if not side.layer_ids:
        return np.zeros((flying.shape[0], 0))
    can = side.layer_pk[:, delivery] > 0  # (L, I)
    return row_sums(flying, can)


def row_sums(values: FloatArray, masks: npt.NDArray[np.bool_]) -> FloatArray:
    """(B, K): for each row of ``values`` (B, N), the sum over the columns each mask (K, N) picks.

    Written as an explicit reduction, not a matrix product: BLAS may round a
    product differently with the number of rows, and results must not depend on
    how rows are chunked.
    """
    out = np.zeros((values.shape[0], masks.shape[0]))
    for k, mask in enumerate(masks):
        out[:, k] = np.where(mask[None, :], values, 0.0).sum(axis=1)
    return out
