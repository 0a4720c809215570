"""Shared pieces of the domain model: the frozen base class, ids and citations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import (
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)
from pydantic import ValidationError as _ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from detente.model.limits import MAX_UNITS

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

Int = Annotated[int, Strict()]
"""A whole number written as one: ``true`` or ``"400"`` is refused, not read as 1 or 400."""

Float = Annotated[float, Strict(), AllowInfNan(False)]
"""A finite number; whole numbers are fine, ``true``, text, ``.inf`` and ``.nan`` are refused."""

Flag = Annotated[bool, Strict()]
"""``true`` or ``false``; ``1``, ``"yes"`` or ``"on"`` is refused, not read as true."""


def date_not_number(value: Any) -> Any:
    """Refuse a number for a date (pydantic would read it as seconds since 1970)."""
    if isinstance(value, bool | int | float):
        raise ValueError("expected a date written YYYY-MM-DD, not a number")
    return value


Date = Annotated[dt.date, BeforeValidator(date_not_number)]
"""A date, written ``2021-07-28`` (quoted or not); a number is refused."""

Probability = Annotated[Float, Field(ge=0.0, le=1.0)]
Count = Annotated[Int, Field(ge=0, le=MAX_UNITS)]
"""A number of things (launchers, warheads, interceptors), at most ``MAX_UNITS``."""

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
    low: Float | None = Field(default=None, description="Low end of the published range.")
    high: Float | None = Field(default=None, description="High end of the published range.")
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


def located_errors(
    title: str, errors: Iterable[tuple[tuple[str | int, ...], str, str, Any]]
) -> _ValidationError:
    """A pydantic error with one entry per ``(field path, kind, message, value)``.

    Raised from a model validator, the entries keep their field paths (pydantic
    prefixes the path of the enclosing model), so a cross-field rule is reported at
    the field it is about, with its line in a file.
    """
    details = [
        InitErrorDetails(
            type=PydanticCustomError(kind, message),
            loc=loc,
            input=value,
        )
        for loc, kind, message, value in errors
    ]
    return _ValidationError.from_exception_data(title, details)
