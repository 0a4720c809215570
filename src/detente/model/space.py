"""Exploration inputs in EMA workbench terms: uncertainties of a scenario."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from detente.model.base import Float, Frozen, Identifier

UncertainParameter = Literal[
    "cep_scale", "reliability_scale", "interceptor_pk_scale", "yield_scale", "detection_scale"
]


class Uncertainty(Frozen):
    """A parameter we do not control, as a multiplier with bounds and a distribution."""

    name: UncertainParameter = Field(description="Which multiplier is uncertain.")
    actor: Identifier | None = Field(
        default=None, description="Side it applies to (None: every side)."
    )
    low: Float = Field(gt=0, description="Lower bound of the multiplier.")
    high: Float = Field(gt=0, description="Upper bound of the multiplier.")
    distribution: Literal["uniform", "triangular"] = Field(
        default="uniform", description="Distribution between the bounds."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Uncertainty:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self
