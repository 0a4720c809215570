"""Shared pieces of the domain model: the frozen base class, ids and citations."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64),
]
"""snake_case identifier: lowercase letter first, then lowercase letters, digits, ``_``."""

SourceKey = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", min_length=1, max_length=80),
]
"""Key into ``data/sources.yaml`` (``fas-us-2021``); ``assumption`` marks a modelling choice."""

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0)]

ASSUMPTION = "assumption"
"""Source key for numbers the public record does not give; a ``note`` must say why."""

SCENARIO = "scenario"
"""Source key for numbers a scenario file sets over a built-in posture; the note names
the file and line."""


class Frozen(BaseModel):
    """Base of every domain model: immutable, no unknown keys, validated on assignment."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_default=True,
        str_strip_whitespace=True,
    )


class Citation(Frozen):
    """Where one field's number comes from, with its range where sources disagree."""

    field: str = Field(description="Name of the cited field on the enclosing object.")
    source: SourceKey = Field(
        description="Key into the sources registry, or 'assumption' for a modelling choice."
    )
    low: float | None = Field(default=None, description="Low end of the published range.")
    high: float | None = Field(default=None, description="High end of the published range.")
    note: str = Field(default="", description="Reasoning, especially for assumptions.")


class Cited(Frozen):
    """Mixin for objects whose numbers carry source keys.

    ``source`` covers every number on the object; ``cite`` overrides it per field
    and adds ranges and notes.
    """

    source: SourceKey = Field(
        default=ASSUMPTION,
        description="Default source key for every number on this object.",
    )
    cite: tuple[Citation, ...] = Field(
        default=(), description="Per-field citations that override `source`."
    )

    def citation(self, field: str) -> Citation:
        """The citation of ``field``: its own entry, else the object's default source."""
        for c in self.cite:
            if c.field == field:
                return c
        return Citation(field=field, source=self.source)
