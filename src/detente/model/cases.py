"""Names of the cases an assessment evaluates: an alert level per side, under a reading.

A case key is built and parsed here and nowhere else. Its text form is the
one reports and JSON use: ``us:day_to_day/ru:generated`` for the alert case,
with the reading kept apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import get_args

from detente.model.force import AlertLevel

ALERT_LEVELS: tuple[AlertLevel, ...] = get_args(AlertLevel)
_SHORT = {"day_to_day": "day", "generated": "gen"}


@dataclass(frozen=True)
class AlertCase:
    """One alert level per side, in the scenario's side order."""

    levels: tuple[tuple[str, AlertLevel], ...]

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
    def of(cls, levels: Mapping[str, AlertLevel]) -> AlertCase:
        """From ``{actor: level}`` (insertion order is side order)."""
        return cls(tuple(levels.items()))

    @classmethod
    def parse(cls, text: str) -> AlertCase:
        """From ``us:day_to_day/ru:generated``."""
        levels: list[tuple[str, AlertLevel]] = []
        for part in str(text).split("/"):
            actor, sep, level = part.partition(":")
            if not sep or level not in ALERT_LEVELS:
                raise ValueError(
                    f"expected an alert case like 'us:day_to_day/ru:generated', got {text!r}"
                )
            levels.append((actor.strip(), level))
        return cls(tuple(levels))

    @classmethod
    def every(cls, actors: Sequence[str]) -> tuple[AlertCase, ...]:
        """Every combination of alert levels for ``actors``, day-to-day first."""
        return tuple(
            cls(tuple(zip(actors, combo, strict=True)))
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
        return AlertCase(tuple((a, level if a == actor else lv) for a, lv in self.levels))

    def label(self) -> str:
        """``us day-to-day · ru generated``, for reports."""
        return " · ".join(f"{a} {level.replace('_', '-')}" for a, level in self.levels)

    def short(self) -> str:
        """``us day / ru gen``, for narrow tables."""
        return " / ".join(f"{a} {_SHORT[level]}" for a, level in self.levels)

    def __str__(self) -> str:
        return "/".join(f"{a}:{level}" for a, level in self.levels)


@dataclass(frozen=True)
class CaseKey:
    """A reading (perspective id) and an alert case."""

    perspective: str
    alerts: AlertCase

    def __str__(self) -> str:
        return f"{self.perspective} {self.alerts}"


def as_alert_case(value: AlertCase | str) -> AlertCase:
    """An :class:`AlertCase` from itself or its text form."""
    return value if isinstance(value, AlertCase) else AlertCase.parse(value)


def ordered(cases: Iterable[AlertCase]) -> tuple[AlertCase, ...]:
    """Distinct cases in first-seen order."""
    return tuple(dict.fromkeys(cases))
