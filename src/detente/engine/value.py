"""Step 6 of the exchange: the warheads that reach a side's value, and the damage they do.

The damage model (value points, lethal area, the attacker's best spread of it)
is :mod:`detente.engine.value_points`; this module brings the warheads through
the target's defences and turns them into lethal area at the value's
overpressure.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.engine.defense import LayerTables, engaged_salvo, layer_penetration
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays
from detente.engine.value_points import damage_from_area
from detente.physics.blast import damage_radius_m

FloatArray = npt.NDArray[np.float64]
M2_PER_KM2 = 1.0e6


def lethal_area_km2(
    shooter: SideArrays,
    m_shooter: Multipliers,
    hardness_psi: float,
    mix: FloatArray | None = None,
) -> FloatArray:
    """(B, S) lethal area of one arriving warhead of each system at ``hardness_psi``.

    A system's warheads may differ in yield (its warhead types); the area is the
    mean over ``mix`` (B, S, T), the share of each type among the warheads flying,
    by default the system's load shares. Conventional warheads destroy no
    urban-industrial value here (area 0).
    """
    carried = (shooter.load_share > 0) & shooter.nuclear[:, None]
    yields = np.where(carried, shooter.load_yield_kt, 1.0)
    # ranges scale with the cube root of yield: one radius at 1 kt, checked for every yield
    radius = damage_radius_m(yields, hardness_psi) / np.cbrt(yields)
    unit_area = np.where(carried, np.pi * radius**2 / M2_PER_KM2, 0.0) * yields ** (2.0 / 3.0)
    if mix is None:
        per_system = (unit_area * shooter.load_share).sum(axis=1)[None, :]
    else:
        per_system = (unit_area[None, :, :] * mix).sum(axis=2)
    return np.asarray(per_system * m_shooter.yield_kt ** (2.0 / 3.0))


def strike_on_value(
    shooter: SideArrays,
    m_shooter: Multipliers,
    target: SideArrays,
    m_target: Multipliers,
    target_tables: LayerTables,
    flying: FloatArray,
    interceptors: FloatArray,
    mix: FloatArray | None = None,
    area_per_warhead: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Warheads ``flying`` (B, I) at ``target``'s value: (intercepted, arrived, damage).

    ``mix`` (B, I, T) is the share of each warhead type among each system's
    warheads flying (default: the system's load shares).

    The layers covering the value class engage what they can (saturating on
    their inventory); the warheads that arrive destroy value as
    :func:`damage_from_area` says of their lethal area. ``area_per_warhead``
    (B, I) is :func:`lethal_area_km2` at the value's hardness (with ``mix``), when
    the caller has it already.

    References
    ----------
    Enthoven, A. C. & Smith, K. W. (1971). *How Much Is Enough?* Harper & Row, p. 207,
    as quoted in *Foreign Relations of the United States 1964-68*, vol. X, doc. 102
    (damage as the share of an adversary's urban-industrial value destroyed; the 59%
    and 72% the value points are calibrated to, ``docs/methodology.md`` §2 step 6).
    Glasstone, S. & Dolan, P. J. (1977). *The Effects of Nuclear Weapons*, ch. XII
    (damage to urban areas from the area within a given overpressure).
    """
    nb = flying.shape[0]
    v = target.value_index
    if v < 0:
        zeros = np.zeros_like(flying)
        return zeros, flying.copy(), np.zeros(nb)
    covers = target.layer_defends[:, v].astype(np.float64)[None, :]
    salvo = engaged_salvo(target, shooter.delivery, flying)
    pen, _ = layer_penetration(
        target, target_tables, shooter.delivery, shooter.evasion, salvo, interceptors, covers
    )
    pass_all = pen.prod(axis=1) if pen.shape[1] else np.ones_like(flying)
    arrived = flying * pass_all
    intercepted = flying - arrived
    if area_per_warhead is None:
        area_per_warhead = lethal_area_km2(shooter, m_shooter, target.hardness_psi[v], mix)
    area = (arrived * area_per_warhead).sum(axis=1)
    area = area / m_target.value_area[:, 0]  # points of larger area take more to destroy
    return intercepted, arrived, damage_from_area(area, target.value_curve)
