"""The treaty in force in a scenario, counted for each side (for reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from detente.data import load_treaty
from detente.model.scenario import Scenario
from detente.model.treaty import Treaty
from detente.treaty import compliance, count

UNDATED = "a proposal with no entry-into-force date"
"""Status of a treaty design that names no entry-into-force or expiry date."""


@dataclass(frozen=True)
class TreatyView:
    """One side's count and margins under the scenario's treaty."""

    actor: str
    treaty: str
    limits: tuple[dict[str, Any], ...]
    complies: bool
    party: bool = True
    """Whether the actor is a party (a treaty naming no parties binds everyone)."""
    in_force: bool | None = None
    """In force on the scenario date; ``None`` for a design with no dates, or no date given."""
    on: str | None = None
    """The scenario date the treaty was checked on (ISO), if any."""

    @property
    def status(self) -> str:
        """``in force``, ``not in force on <date>``, :data:`UNDATED` ... plus party."""
        if self.in_force is None:
            when = "no date to check" if self.on is None else UNDATED
        else:
            when = "in force" if self.in_force else f"not in force on {self.on}"
        return when if self.party else f"{when}; not a party"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "actor": self.actor,
            "treaty": self.treaty,
            "complies": self.complies,
            "party": self.party,
            "in_force": self.in_force,
            "on": self.on,
            "status": self.status,
            "limits": list(self.limits),
        }


def resolve_treaty(name: str) -> Treaty:
    """A built-in treaty by file name (``new-start``) or id (``new_start``)."""
    return load_treaty(name)


def treaty_view(scenario: Scenario, on: dt.date | None = None) -> tuple[TreatyView, ...]:
    """Count every side under the scenario's treaty; empty without one.

    Every side is counted, party or not, in force or not: the views say which,
    so that a report can show what a treaty would require without claiming it
    binds.
    """
    if scenario.treaty is None:
        return ()
    treaty = resolve_treaty(scenario.treaty)
    views = []
    dated = treaty.in_force_from is not None or treaty.in_force_until is not None
    for side in scenario.sides:
        status = compliance(count(side.posture, treaty), on=on)
        views.append(
            TreatyView(
                actor=side.actor,
                treaty=treaty.id,
                limits=tuple(status.to_dict().get("limits", ())),
                complies=status.complies,
                party=status.party,
                in_force=status.in_force if dated else None,
                on=None if on is None else on.isoformat(),
            )
        )
    return tuple(views)
