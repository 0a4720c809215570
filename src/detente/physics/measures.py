"""Static measures of a force: equivalent megatonnage, lethality K, counter-military potential.

These are the indices the open literature tabulated beside (and before) exchange
models: they rank forces without any scenario. Each is a sum over warheads of a
per-warhead figure:

- equivalent megatonnage, ``Y^(2/3)`` below 1 Mt and ``Y^(1/2)`` from 1 Mt up (Y in
  Mt): the area a burst damages grows as ``Y^(2/3)``; the larger bursts' cube-root
  area waste (more of it beyond the target) is reflected by the square root;
- lethality ``K = Y^(2/3) / CEP^2`` (Y in Mt, CEP in nautical miles): a warhead's
  hard-target kill potential, since the lethal radius grows as ``Y^(1/3)`` and the
  kill probability depends on ``(LR / CEP)^2``;
- counter-military potential, the sum of K;
- hard-target-capable warheads: those whose single-shot kill probability against a
  reference hardness reaches a threshold (computed with this package's blast physics,
  :func:`detente.physics.lethality.sspk`).

References
----------
Richelson, J. T. (1980). Evaluating the strategic balance. *American Journal of
Political Science* 24(4), 779-803 (EMT, CMP and lethality as measures of the balance).
Tsipis, K. (1983). *Arsenal: Understanding Weapons in the Nuclear Age*. Simon & Schuster
(K and EMT conventions).
Suh, K. (2023). Nuclear balance and the initiation of nuclear crises: does superiority
matter? *Journal of Peace Research* 60(2) (EMT and CMP in the Strategic Nuclear Forces
Dataset).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.physics._validity import FloatArray, checked
from detente.physics.lethality import CEP_RANGE_M, METRES_PER_NMI, YIELD_RANGE_KT, sspk

HARD_TARGET_PSI = 2000.0
"""Reference hardness for hard-target capability: a hardened ICBM silo (assumption; the
shipped silo fields are 1,000-3,000 psi)."""

HARD_TARGET_SSPK = 0.5
"""Single-shot kill probability a warhead must reach against ``HARD_TARGET_PSI`` to count
as hard-target capable (assumption: better than even odds with one warhead)."""


def equivalent_megatons(yield_kt: npt.ArrayLike) -> FloatArray:
    """Equivalent megatonnage of one warhead: ``Y^(2/3)`` below 1 Mt, ``Y^(1/2)`` above."""
    y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula="EMT") / 1000.0
    return np.asarray(np.where(y < 1.0, np.cbrt(y) ** 2, np.sqrt(y)), dtype=np.float64)


def lethality_k(yield_kt: npt.ArrayLike, cep_m: npt.ArrayLike) -> FloatArray:
    """Lethality ``K = Y^(2/3) / CEP^2`` of one warhead (Y in Mt, CEP in nmi)."""
    y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula="lethality K") / 1000.0
    cep = checked("cep_m", cep_m, *CEP_RANGE_M, unit="m", formula="lethality K", low_open=True)
    return np.asarray(np.cbrt(y) ** 2 / (cep / METRES_PER_NMI) ** 2, dtype=np.float64)


def hard_target_capable(
    yield_kt: npt.ArrayLike,
    cep_m: npt.ArrayLike,
    *,
    hardness_psi: float = HARD_TARGET_PSI,
    threshold: float = HARD_TARGET_SSPK,
) -> npt.NDArray[np.bool_]:
    """Whether one warhead kills a ``hardness_psi`` target with probability >= ``threshold``."""
    return np.asarray(sspk(yield_kt, cep_m, hardness_psi) >= threshold, dtype=bool)
