"""Readings of the balance: which capabilities count in the threat each side sees."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from detente.errors import InvalidArgumentError, unknown
from detente.model.base import Flag, Frozen, Identifier


class Perspective(Frozen):
    """Which capabilities are counted in an exchange.

    The 2021 talks stalled on exactly this: Washington wanted every Russian
    nuclear weapon counted; Moscow wanted US missile defences and precision
    conventional weapons counted as counterforce. A perspective is a switch
    set over the same postures.
    """

    id: Identifier = Field(description="Identifier of the reading.")
    label: str = Field(default="", description="Display name.")
    include_nonstrategic: Flag = Field(
        default=True, description="Non-strategic nuclear weapons take part in exchanges."
    )
    include_novel: Flag = Field(
        default=True,
        description="Novel systems that New START does not hold accountable (Poseidon, "
        "Burevestnik) take part; novel systems it counts (Avangard, Sarmat) always do.",
    )
    include_conventional: Flag = Field(
        default=True, description="Conventional precision strike takes part in counterforce."
    )
    include_missile_defense: Flag = Field(
        default=True,
        description="Missile-defence layers that count as counterforce are active.",
    )
    note: str = Field(default="", description="Whose reading this is and why.")


FULL = Perspective(
    id="full",
    label="Everything counts",
    note="All capabilities in the postures take part; the union of both readings.",
)
US_READING = Perspective(
    id="us",
    label="US reading",
    include_conventional=False,
    include_missile_defense=False,
    note="Washington's position in 2021: every nuclear weapon counts, non-strategic and "
    "novel systems included; US missile defence is sized against North Korea and "
    "conventional strike is not strategic, so neither counts as counterforce.",
)
RU_READING = Perspective(
    id="ru",
    label="Russian reading",
    include_nonstrategic=False,
    include_novel=False,
    note="Moscow's position in 2021: US missile defence and precision conventional "
    "weapons count as counterforce; non-strategic weapons are regional, and novel systems "
    "outside New START (Poseidon, Burevestnik) are left to a later negotiation; Avangard "
    "and Sarmat, which Moscow accepted to count under New START, stay in.",
)
BUILT_IN_PERSPECTIVES = (FULL, US_READING, RU_READING)


def as_perspective(value: object) -> Perspective:
    """A reading from itself or the id of a built-in one (``"full"``, ``"us"``, ``"ru"``).

    Raises
    ------
    InvalidArgumentError
        For any other value; the message lists the built-in ids.
    """
    if isinstance(value, Perspective):
        return value
    ids = [p.id for p in BUILT_IN_PERSPECTIVES]
    if isinstance(value, str):
        for p in BUILT_IN_PERSPECTIVES:
            if p.id == value.strip().lower():
                return p
        raise InvalidArgumentError(unknown("perspective", value, ids))
    raise InvalidArgumentError(
        f"perspective must be a Perspective or the id of a built-in one ({', '.join(ids)}), "
        f"got a {type(value).__name__}: {value!r}"
    )


def as_perspectives(values: object) -> tuple[Perspective, ...]:
    """Readings from Perspective objects or built-in ids; one reading alone is a tuple of one.

    Raises
    ------
    InvalidArgumentError
        If a reading is not valid, none is given, or two share an id.
    """
    if isinstance(values, Perspective | str):
        items: tuple[object, ...] = (values,)
    elif isinstance(values, Iterable):
        items = tuple(values)
    else:
        raise InvalidArgumentError(
            f"perspectives must be a sequence of Perspectives or built-in ids, got {values!r}"
        )
    out = tuple(as_perspective(v) for v in items)
    if not out:
        raise InvalidArgumentError("at least one perspective is needed")
    ids = [p.id for p in out]
    if len(set(ids)) != len(ids):
        raise InvalidArgumentError(f"perspective ids must differ, got {ids}")
    return out
