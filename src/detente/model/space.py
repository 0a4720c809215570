"""Exploration inputs: a scenario's changes to its uncertain parameters."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from detente.model.base import Flag, Float, Frozen


class Uncertainty(Frozen):
    """Adds, narrows or fixes one uncertain parameter, by the name the model uses.

    Names follow ``<actor>.systems[<id>].<field>`` (and ``targets``, ``defenses``),
    ``<actor>.c2.decision_time_min``, ``<actor>.launch_on_warning.fraction``, or a
    side-wide group ``<actor>.<system field>`` (a multiplier on that field of every
    system of the side); see ``docs/uncertainty.md`` for the list and the fields that
    are not drawn.
    """

    name: str = Field(
        min_length=3,
        max_length=200,
        pattern=r"^[a-z][a-z0-9_]*\.[a-z0-9_.\[\]]+$",
        description="The parameter's model name, e.g. ru.systems[ru_yars_mobile].cep_m.",
    )
    low: Float | None = Field(
        default=None, description="Lower end of the range (default: the cited one)."
    )
    high: Float | None = Field(
        default=None, description="Upper end of the range (default: the cited one)."
    )
    distribution: Literal["uniform", "triangular"] | None = Field(
        default=None,
        description="Distribution on the range (default: triangular with its mode at the "
        "shipped value where that lies inside the range, else uniform).",
    )
    fixed: Flag = Field(
        default=False, description="Keep the parameter at its shipped value in every draw."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Uncertainty:
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        if self.fixed and (self.low is not None or self.high is not None):
            raise ValueError("a fixed parameter takes no range; remove low and high")
        return self
