"""Engagement physics on numpy arrays: lethality, defence penetration, detection.

Every function broadcasts over its array arguments, carries units in its
argument names and raises :class:`~detente.errors.OutsideValidityError`
outside the range its formula is valid for.
"""

from detente.physics.defense import (
    LayerParams,
    expected_leakers,
    expected_leakers_layered,
    interceptors_per_engagement,
    layer_leak_probability,
)
from detente.physics.detection import (
    random_search_detection,
    share_destroyed_hidden,
    survival_of_hidden,
)
from detente.physics.lethality import (
    kill_probability,
    kill_probability_n,
    lethal_radius_m,
    sspk,
    sspk_of_radius,
)

__all__ = [
    "LayerParams",
    "expected_leakers",
    "expected_leakers_layered",
    "interceptors_per_engagement",
    "kill_probability",
    "kill_probability_n",
    "layer_leak_probability",
    "lethal_radius_m",
    "random_search_detection",
    "share_destroyed_hidden",
    "sspk",
    "sspk_of_radius",
    "survival_of_hidden",
]
