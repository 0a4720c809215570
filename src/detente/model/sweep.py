"""A sweep specification: a base scenario, levers and what to keep, as data.

A sweep evaluates one scenario at many settings of its *levers* (EMA
Workbench's L: what a side or a treaty can choose). A lever sets one or more
field paths of the scenario (:mod:`detente.model.paths`) to each of its
values, scales a side's numbers by a multiplier (``ru.cep``), or picks one of
several named sets of changes (``options``). The points of the sweep are the
full grid of the levers' values, a Latin hypercube sample of their ranges, or
cases listed one by one. ``detente.io.load_sweep`` reads it from YAML with
located errors; :mod:`detente.analysis.sweep` evaluates it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from detente.model.base import Flag, Float, Frozen, Identifier, Int, located_errors

MAX_LEVERS = 20
"""Most levers in one sweep (each is one axis of the design)."""

MAX_LEVER_VALUES = 10_000
"""Most values (or range steps, or options) of one lever."""

MAX_POINTS = 10_000_000
"""Most points in one sweep (grid points, samples or cases): about ten million
rows of experiments and, with the defaults, some five billion outcome rows."""

MAX_SAMPLE_CELLS = 10_000_000
"""Most values of a Latin hypercube sample (samples x levers), which a plan holds in
memory: some 50 bytes each while it is drawn, so about 500 MB at this size."""

MAX_DRAWS = 100_000
"""Most uncertainty draws per point."""

MAX_TEXT = 200
"""Longest text value of a lever."""

FieldPathText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
LeverValue = Int | Float | Flag | Annotated[str, StringConstraints(max_length=MAX_TEXT)]
"""A value a lever sets: a whole number, a number, true/false or text."""

Design = Literal["grid", "latin_hypercube", "cases"]
"""How points are made: every combination of the levers' values; a Latin hypercube
sample of their ranges (``samples`` points, seeded); or the ``cases`` listed."""


class LeverRange(Frozen):
    """Values from ``low`` to ``high``: ``steps`` evenly spaced values (both ends
    included) on a grid; the continuous range in a Latin hypercube."""

    low: Float = Field(description="Lowest value.")
    high: Float = Field(description="Highest value.")
    steps: Int | None = Field(
        default=None,
        ge=2,
        le=MAX_LEVER_VALUES,
        description="Number of evenly spaced values, ends included (grid designs).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> LeverRange:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self


class Lever(Frozen):
    """One axis of a sweep: what it sets, and to which values.

    Exactly one of ``path`` (one field path, or a list of paths all set to the
    same value), ``multiplier`` (``<actor>.<multiplier>``, scaling a side's
    numbers as in :class:`~detente.analysis.experiments.Experiments`) or
    ``options`` (named sets of changes) says what it sets; a path or a
    multiplier takes ``values`` or a ``range``.
    """

    name: Identifier = Field(description="Name of the lever (a column of the results).")
    label: str = Field(default="", max_length=MAX_TEXT, description="Display name.")
    path: FieldPathText | tuple[FieldPathText, ...] | None = Field(
        default=None,
        description="Field path(s) the lever sets, e.g. sides[us].defenses[us_gmd].interceptors; "
        "a list sets every path to the same value.",
    )
    multiplier: FieldPathText | None = Field(
        default=None,
        description="A side's multiplier, <actor>.<name> (ru.cep, us.interceptors): scales "
        "that side's numbers instead of setting one field.",
    )
    values: tuple[LeverValue, ...] = Field(
        default=(), max_length=MAX_LEVER_VALUES, description="The values, in order."
    )
    range: LeverRange | None = Field(default=None, description="A range instead of values.")
    options: dict[Identifier, dict[FieldPathText, Any]] | None = Field(
        default=None,
        max_length=MAX_LEVER_VALUES,
        description="Named sets of changes ({field path: value}); the lever picks one per point.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Lever:
        kinds = [k for k in ("path", "multiplier", "options") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a lever sets exactly one of: path, multiplier, options"
                + (f" (got {', '.join(kinds)})" if kinds else "")
            )
        if self.options is not None:
            if self.values or self.range is not None:
                raise ValueError("a lever with options takes no values or range")
            if not self.options:
                raise ValueError("options must name at least one set of changes")
        elif bool(self.values) == (self.range is not None):
            raise ValueError("give either values or a range")
        return self

    @property
    def paths(self) -> tuple[str, ...]:
        """The field paths the lever sets (empty for multipliers and options)."""
        if self.path is None:
            return ()
        return (self.path,) if isinstance(self.path, str) else tuple(self.path)

    @property
    def kind(self) -> Literal["path", "multiplier", "options"]:
        """What the lever sets."""
        if self.options is not None:
            return "options"
        return "multiplier" if self.multiplier is not None else "path"


class Keep(Frozen):
    """Which outcomes a sweep computes and keeps (see ``OutcomeSpec``)."""

    definitions: tuple[Identifier, ...] | None = Field(
        default=None, description="Definitions to compute (default: every one)."
    )
    readings: tuple[Identifier, ...] | None = Field(
        default=None, description="Readings (perspective ids) to compute (default: every one)."
    )
    alert_cases: Literal["own", "all"] = Field(
        default="own",
        description="'own': each posture's own alert level; 'all': every combination.",
    )
    ride_out: tuple[Flag, ...] = Field(
        default=(False, True),
        min_length=1,
        max_length=2,
        description="Response cases: false follows each side's launch-on-warning policy, "
        "true has every side ride out.",
    )
    sides: tuple[Identifier, ...] | None = Field(
        default=None, description="The sides assessed (default: every side)."
    )
    components: Flag = Field(default=True, description="Keep each side's part of a definition.")
    details: Flag = Field(
        default=True, description="Keep the raw numbers behind each part (costs, damages)."
    )
    flows: Flag = Field(
        default=True, description="Keep the key flows of every strike (warheads, damage)."
    )


class SweepSpec(Frozen):
    """A sweep: the base scenario, its levers, the design and what to keep."""

    name: Identifier = Field(description="Identifier of the sweep.")
    label: str = Field(default="", max_length=MAX_TEXT, description="Display name.")
    question: str = Field(default="", description="The question the sweep asks.")
    scenario: str | dict[str, Any] = Field(
        description="The base scenario: a scenario file (relative to this file), the name of "
        "a built-in scenario, or a scenario written inline."
    )
    design: Design = Field(default="grid", description="How points are made.")
    samples: Int | None = Field(
        default=None, ge=1, le=MAX_POINTS, description="Points of a latin_hypercube design."
    )
    seed: Int = Field(
        default=0, ge=0, description="Seed of the sample and of the draws (reproducible)."
    )
    levers: tuple[Lever, ...] = Field(
        min_length=1, max_length=MAX_LEVERS, description="The levers (axes of the design)."
    )
    cases: tuple[dict[Identifier, LeverValue], ...] = Field(
        default=(),
        max_length=MAX_POINTS,
        description="Points of a cases design: {lever name: value or option name}.",
    )
    draws: Int = Field(
        default=0,
        ge=0,
        le=MAX_DRAWS,
        description="Uncertainty draws per point (0: each point as written).",
    )
    keep: Keep = Field(default_factory=Keep, description="Which outcomes to keep.")
    chunk_size: Int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="Experiments per chunk (a stored transaction); results do not depend on it.",
    )

    @model_validator(mode="after")
    def _design_fields(self) -> SweepSpec:
        names = [lever.name for lever in self.levers]
        if len(set(names)) != len(names):
            raise ValueError(f"lever names must differ, got {names}")
        if self.design == "latin_hypercube" and self.samples is None:
            raise ValueError("a latin_hypercube design needs samples: the number of points")
        if self.design != "latin_hypercube" and self.samples is not None:
            raise ValueError(f"samples is for latin_hypercube designs, not {self.design}")
        if self.samples is not None and self.samples * len(self.levers) > MAX_SAMPLE_CELLS:
            cells = self.samples * len(self.levers)
            raise located_errors(
                "SweepSpec",
                [
                    (
                        ("samples",),
                        "too_large",
                        f"{self.samples:,} samples of {len(self.levers)} lever(s) are "
                        f"{cells:,} values, above the limit of {MAX_SAMPLE_CELLS:,} "
                        "(MAX_SAMPLE_CELLS, see docs/limits.md); use fewer samples or levers",
                        self.samples,
                    )
                ],
            )
        if self.design == "cases" and not self.cases:
            raise ValueError("a cases design needs cases: one mapping of lever values per point")
        if self.design != "cases" and self.cases:
            raise ValueError(f"cases are for a cases design, not {self.design}")
        return self

    def lever(self, name: str) -> Lever:
        """The lever called ``name``."""
        for lever in self.levers:
            if lever.name == name:
                return lever
        raise KeyError(name)


__all__ = [
    "MAX_DRAWS",
    "MAX_LEVERS",
    "MAX_LEVER_VALUES",
    "MAX_POINTS",
    "MAX_SAMPLE_CELLS",
    "Design",
    "Keep",
    "Lever",
    "LeverRange",
    "LeverValue",
    "SweepSpec",
]
