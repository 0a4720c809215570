"""Readings of the balance: which capabilities count in the threat each party sees.

A reading belongs to an actor (``actor``) or to no one (``full``, where everything
counts). Each party's reading is named by its actor code; a scenario is read under
the full reading and the reading of each of its parties that has one
(:func:`readings_for`).
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from detente.errors import InvalidArgumentError, unknown
from detente.model.base import Flag, Frozen, Identifier


class Perspective(Frozen):
    """Which capabilities are counted in an exchange, and whose reading it is.

    The 2021 talks stalled on exactly this: Washington wanted every Russian
    nuclear weapon counted; Moscow wanted US missile defences and precision
    conventional weapons counted as counterforce. Beijing, outside the talks,
    points at US missile defence, long-range precision strike and the size of
    the two largest arsenals, and at its own no-first-use pledge. A perspective
    is a switch set over the same postures.
    """

    id: Identifier = Field(description="Identifier of the reading.")
    label: str = Field(default="", description="Display name.")
    actor: Identifier | None = Field(
        default=None,
        description="Actor whose reading this is (none for a reading that belongs to no party).",
    )
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
    honour_no_first_use: Flag = Field(
        default=False,
        description="A party whose posture declares no first use is taken at its word: its "
        "own incentive to strike first does not count, and it joins no coalition that "
        "strikes first.",
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
    actor="us",
    include_conventional=False,
    include_missile_defense=False,
    note="Washington's position in 2021: every nuclear weapon counts, non-strategic and "
    "novel systems included; US missile defence is sized against North Korea and "
    "conventional strike is not strategic, so neither counts as counterforce.",
)
RU_READING = Perspective(
    id="ru",
    label="Russian reading",
    actor="ru",
    include_nonstrategic=False,
    include_novel=False,
    note="Moscow's position in 2021: US missile defence and precision conventional "
    "weapons count as counterforce; non-strategic weapons are regional, and novel systems "
    "outside New START (Poseidon, Burevestnik) are left to a later negotiation; Avangard "
    "and Sarmat, which Moscow accepted to count under New START, stay in.",
)
CN_READING = Perspective(
    id="cn",
    label="Chinese reading",
    actor="cn",
    honour_no_first_use=True,
    note="Beijing's stated concerns, as far as the postures hold them: US missile defence "
    "and long-range precision strike count as counterforce (prc-ru-stability-2016, "
    "prc-ru-stability-2025; THAAD in prc-white-paper-2019) and every nuclear weapon of the "
    "two largest arsenals counts (prc-npt-prepcom-2025), all as in the full reading; the one "
    "switch of its own takes China's no-first-use pledge at its word (prc-white-paper-2019), "
    "so China's incentive to strike first does not count. 'Golden Dome' and space are in no "
    "shipped posture and are not counted (methodology, section 5).",
)
BUILT_IN_PERSPECTIVES = (FULL, US_READING, RU_READING, CN_READING)
"""Every built-in reading: the full reading, then one per actor that has one."""

ACTOR_READINGS = {p.actor: p for p in BUILT_IN_PERSPECTIVES if p.actor is not None}
"""The built-in reading of each actor that has one, by actor code."""


def readings_for(actors: Iterable[str]) -> tuple[Perspective, ...]:
    """The full reading, then the reading of each of ``actors`` that has one, in order.

    ``readings_for(["us", "ru"])`` is ``(FULL, US_READING, RU_READING)``; a party with
    no built-in reading of its own (the United Kingdom, a toy actor) adds none. When
    no party has one, the US and Russian readings, the two the 2021 talks turned on,
    are offered as contrasting switch sets, so that the same scenario can still be
    read two ways.
    """
    own = tuple(ACTOR_READINGS[a] for a in dict.fromkeys(actors) if a in ACTOR_READINGS)
    return (FULL, *(own or (US_READING, RU_READING)))


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
