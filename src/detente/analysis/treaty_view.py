"""The treaty in force in a scenario, counted for each side (for reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from detente.data import load_treaty, treaty_names
from detente.errors import UnknownNameError
from detente.model.scenario import Scenario
from detente.model.treaty import Treaty
from detente.treaty import compliance, count


@dataclass(frozen=True)
class TreatyView:
    """One side's count and margins under the scenario's treaty."""

    actor: str
    treaty: str
    limits: tuple[dict[str, Any], ...]
    complies: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "actor": self.actor,
            "treaty": self.treaty,
            "complies": self.complies,
            "limits": list(self.limits),
        }


def resolve_treaty(name: str) -> Treaty:
    """A built-in treaty by file name (``new-start``) or id (``new_start``)."""
    for stem in treaty_names():
        if name in (stem, stem.replace("-", "_")):
            return load_treaty(stem)
    raise UnknownNameError(f"unknown treaty {name!r}; expected one of: {', '.join(treaty_names())}")


def treaty_view(scenario: Scenario, on: dt.date | None = None) -> tuple[TreatyView, ...]:
    """Count every side under the scenario's treaty; empty without one."""
    if scenario.treaty is None:
        return ()
    treaty = resolve_treaty(scenario.treaty)
    views = []
    for side in scenario.sides:
        status = compliance(count(side.posture, treaty), on=on)
        views.append(
            TreatyView(
                actor=side.actor,
                treaty=treaty.id,
                limits=tuple(status.to_dict().get("limits", ())),
                complies=status.complies,
            )
        )
    return tuple(views)
