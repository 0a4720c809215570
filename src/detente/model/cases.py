"""Names of the cases an assessment evaluates: an alert level per side, under a reading.

A case key is built and parsed here and nowhere else. Its text form is the
one reports and JSON use: ``us:day_to_day/ru:generated`` for the alert case,
with the reading kept apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar, get_args

from detente.model.force import AlertLevel

ALERT_LEVELS: tuple[AlertLevel, ...] = get_args(AlertLevel)
_SHORT = {"day_to_day": "day", "generated": "gen"}


RIDE_OUT = "ride_out"
"""Text tag of a case in which no side launches on warning."""


@dataclass(frozen=True)
class AlertCase:
    """One alert level per side, in the scenario's side order, and whether all ride out.

    ``ride_out`` cases have every side absorb a first strike before answering,
    whatever its launch-on-warning policy (Kent & Thaler's default); the others
    follow each posture's stated policy.
    """

    levels: tuple[tuple[str, AlertLevel], ...]
    ride_out: bool = False

    def __post_init__(self) -> None:
        actors = [a for a, _ in self.levels]
        if len(set(actors)) != len(actors):
            raise ValueError(f"an alert case names each side once, got {actors}")
        for actor, level in self.levels:
            if level not in ALERT_LEVELS:
                raise ValueError(
                    f"alert level of {actor!r} must be one of {', '.join(ALERT_LEVELS)}, "
                    f"got {level!r}"
                )

    @classmethod
    def of(cls, levels: Mapping[str, AlertLevel], *, ride_out: bool = False) -> AlertCase:
        """From ``{actor: level}`` (insertion order is side order)."""
        return cls(tuple(levels.items()), ride_out)

    @classmethod
    def parse(cls, text: str) -> AlertCase:
        """From ``us:day_to_day/ru:generated`` (ending ``/ride_out`` for a ride-out case)."""
        parts = str(text).split("/")
        ride_out = parts[-1].strip() == RIDE_OUT
        levels: list[tuple[str, AlertLevel]] = []
        for part in parts[:-1] if ride_out else parts:
            actor, sep, level = part.partition(":")
            if not sep or level not in ALERT_LEVELS:
                raise ValueError(
                    "expected an alert case like 'us:day_to_day/ru:generated' (or ending in "
                    f"'/{RIDE_OUT}'), got {text!r}"
                )
            levels.append((actor.strip(), level))
        return cls(tuple(levels), ride_out)

    @classmethod
    def every(
        cls, actors: Sequence[str], *, ride_out: Sequence[bool] = (False,)
    ) -> tuple[AlertCase, ...]:
        """Every combination of alert levels for ``actors``, day-to-day first, for each
        of the ``ride_out`` choices (stated policy first)."""
        return tuple(
            cls(tuple(zip(actors, combo, strict=True)), r)
            for r in ride_out
            for combo in itertools.product(ALERT_LEVELS, repeat=len(actors))
        )

    @property
    def actors(self) -> tuple[str, ...]:
        """The sides, in order."""
        return tuple(a for a, _ in self.levels)

    def level(self, actor: str) -> AlertLevel:
        """The alert level of ``actor``."""
        for a, level in self.levels:
            if a == actor:
                return level
        raise KeyError(actor)

    def with_level(self, actor: str, level: AlertLevel) -> AlertCase:
        """The same case with ``actor`` at ``level``."""
        levels = tuple((a, level if a == actor else lv) for a, lv in self.levels)
        return AlertCase(levels, self.ride_out)

    def riding_out(self, ride_out: bool = True) -> AlertCase:
        """The same alert levels, with every side riding out (or following its policy)."""
        return AlertCase(self.levels, ride_out)

    def label(self) -> str:
        """``us day-to-day · ru generated`` (``· all ride out``), for reports."""
        text = " · ".join(f"{a} {level.replace('_', '-')}" for a, level in self.levels)
        return text + (" · all ride out" if self.ride_out else "")

    def short(self) -> str:
        """``us day / ru gen`` (``/ ride out``), for narrow tables."""
        text = " / ".join(f"{a} {_SHORT[level]}" for a, level in self.levels)
        return text + (" / ride out" if self.ride_out else "")

    def __str__(self) -> str:
        text = "/".join(f"{a}:{level}" for a, level in self.levels)
        return text + (f"/{RIDE_OUT}" if self.ride_out else "")


def as_alert_case(value: AlertCase | str) -> AlertCase:
    """An :class:`AlertCase` from itself or its text form."""
    return value if isinstance(value, AlertCase) else AlertCase.parse(value)


T = TypeVar("T", AlertCase, bool, str)


def ordered(items: Iterable[T]) -> tuple[T, ...]:
    """Distinct items in first-seen order."""
    return tuple(dict.fromkeys(items))
