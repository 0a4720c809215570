"""What an attacker can aim at: target classes with hardness, counts and value."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from detente.model.base import Cited, Flag, Float, Identifier, Int
from detente.model.limits import DISTANCE_MAX_KM, HARDNESS_RANGE_PSI, MAX_AIM_POINTS

TargetKind = Literal[
    "silo_field",
    "mobile_garrison",
    "ssbn_port",
    "bomber_base",
    "c2_node",
    "defense_site",
    "forward_base",
    "value",
]
"""Kinds of target class. ``value`` is urban-industrial value; the rest are military."""

MILITARY_KINDS: frozenset[str] = frozenset(get_args(TargetKind)) - {"value"}

VALUE_AREA_KM2 = 30_070.0
VALUE_DENSITY_EXPONENT = 0.215
"""With 300 points of rank-size shares (exponent 1), these reproduce the damage Enthoven &
Smith (1971, p. 207) give for Soviet industry: 59% from 100 one-megaton equivalents, 72%
from 200 (bursts at the optimum height, 7 psi); see ``docs/methodology.md`` section 2."""


class TargetClass(Cited):
    """A class of identical aim points of one actor.

    Military classes house forces (systems name their class in ``home_target``);
    the ``value`` class holds urban-industrial value spread over ``count``
    aggregation points whose shares fall as ``rank ** -value_zipf_exponent`` and
    whose areas, ``area_km2`` in all, grow as ``share ** value_density_exponent``
    (the defaults are the calibration of ``docs/methodology.md`` section 2).
    """

    id: Identifier = Field(description="Identifier, unique within the posture.")
    label: str = Field(default="", description="Display name.")
    kind: TargetKind = Field(description="What sort of target this is.")
    count: Int = Field(ge=0, le=MAX_AIM_POINTS, description="Number of aim points in the class.")
    hardness_psi: Float = Field(
        ge=HARDNESS_RANGE_PSI[0],
        le=HARDNESS_RANGE_PSI[1],
        description="Peak overpressure (psi) the aim point withstands, within the range "
        "the lethal-radius fit is valid for.",
    )
    standoff_km: Float = Field(
        default=5500.0,
        ge=0,
        le=DISTANCE_MAX_KM,
        description="Range an adversary weapon needs to reach this class (km).",
    )
    coastal: Flag = Field(
        default=False, description="Reachable from the sea (ports, coastal cities)."
    )
    value_zipf_exponent: Float = Field(
        default=1.0,
        ge=0,
        le=5,
        description="For kind 'value': share of point k is proportional to k**-exponent.",
    )
    value_area_km2: Float = Field(
        default=VALUE_AREA_KM2,
        gt=0,
        le=1.0e7,
        description="For kind 'value': the area over which the value lies, all points "
        "together (km2).",
    )
    value_density_exponent: Float = Field(
        default=VALUE_DENSITY_EXPONENT,
        ge=0,
        le=1,
        description="For kind 'value': a point's area grows as its share to this power "
        "(1: every point equally dense; below 1: larger points denser).",
    )
