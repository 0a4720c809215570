"""Readings of the balance: which capabilities count in the threat each side sees."""

from __future__ import annotations

from pydantic import Field

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
