"""Range checks shared by the physics formulas."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.errors import OutsideValidityError

FloatArray = npt.NDArray[np.float64]


def checked(
    name: str,
    values: npt.ArrayLike,
    low: float,
    high: float,
    *,
    unit: str = "",
    formula: str,
    low_open: bool = False,
) -> FloatArray:
    """Return ``values`` as a float array, or raise if any lies outside ``[low, high]``."""
    arr = np.asarray(values, dtype=np.float64)
    too_low = arr <= low if low_open else arr < low
    bad = ~np.isfinite(arr) | too_low | (arr > high)
    if np.any(bad):
        first = arr[bad].flat[0]
        left = "(" if low_open else "["
        suffix = f" {unit}" if unit else ""
        raise OutsideValidityError(
            f"{formula}: {name} = {first:g}{suffix} is outside the range the formula is "
            f"valid for, {left}{low:g}, {high:g}]{suffix}"
        )
    return arr


def probability(name: str, values: npt.ArrayLike, *, formula: str) -> FloatArray:
    """Return ``values`` as a float array of probabilities in [0, 1], or raise."""
    return checked(name, values, 0.0, 1.0, formula=formula)
