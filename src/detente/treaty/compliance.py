"""Compliance: each limit of a treaty against a ledger's count, with its margin."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import Field

from detente.model.base import Frozen, Identifier
from detente.treaty.counting import Ledger

if TYPE_CHECKING:
    import pandas as pd

TOLERANCE = 1e-9
"""Counts within this of the ceiling comply (average loads are floats)."""


class LimitStatus(Frozen):
    """One limit checked: count, ceiling, margin (ceiling minus count), violated."""

    limit: Identifier = Field(description="Limit id.")
    label: str = Field(default="", description="Display name of the limit.")
    quantity: Identifier = Field(description="Limited quantity.")
    count: float = Field(ge=0, description="Counted amount.")
    ceiling: int = Field(ge=0, description="Largest permitted count.")
    margin: float = Field(description="Ceiling minus count; negative when violated.")
    violated: bool = Field(description="Whether the count exceeds the ceiling.")


class Compliance(Frozen):
    """Every limit of a treaty checked against one counted posture.

    Limits are checked whether or not the posture's actor is a party, so that
    any posture can be held to any treaty; ``party`` and ``in_force`` say
    whether the treaty would bind that actor on that date.
    """

    treaty_id: Identifier = Field(description="Treaty id.")
    posture_id: Identifier = Field(description="Posture id.")
    actor: Identifier = Field(description="Actor of the posture.")
    party: bool = Field(description="Actor is a party (or the treaty names no parties).")
    in_force: bool | None = Field(
        default=None, description="Treaty in force on the posture date (None: date unknown)."
    )
    limits: tuple[LimitStatus, ...] = Field(description="One entry per limit.")

    @property
    def complies(self) -> bool:
        """True when no limit is violated."""
        return not any(s.violated for s in self.limits)

    @property
    def violations(self) -> tuple[LimitStatus, ...]:
        """The violated limits."""
        return tuple(s for s in self.limits if s.violated)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ids, flags and one record per limit."""
        return {
            "treaty": self.treaty_id,
            "posture": self.posture_id,
            "actor": self.actor,
            "party": self.party,
            "in_force": self.in_force,
            "complies": self.complies,
            "limits": [s.model_dump() for s in self.limits],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per limit."""
        cols = ["limit", "label", "quantity", "count", "ceiling", "margin", "violated"]
        import pandas as pd

        frame = pd.DataFrame([s.model_dump() for s in self.limits], columns=cols)
        frame.insert(0, "posture", self.posture_id)
        frame.insert(0, "treaty", self.treaty_id)
        return frame


def compliance(ledger: Ledger, *, on: dt.date | None = None) -> Compliance:
    """Check every limit of the ledger's treaty against the ledger's counts.

    Parameters
    ----------
    ledger
        A posture counted under a treaty (:func:`detente.treaty.count`).
    on
        Date at which to say whether the treaty is in force (e.g. the
        posture date); ``None`` leaves ``in_force`` unknown.

    Returns
    -------
    Compliance
        Per limit the count, ceiling, margin and whether it is violated; a
        limit written for other parties only (``Limit.parties``) is left out.
    """
    treaty = ledger.treaty
    statuses = []
    for limit in treaty.limits:
        if not limit.binds(ledger.actor):
            continue  # another party's own ceiling
        n = ledger.total(limit.quantity)
        margin = limit.ceiling - n
        statuses.append(
            LimitStatus(
                limit=limit.id,
                label=limit.label,
                quantity=limit.quantity,
                count=n,
                ceiling=limit.ceiling,
                margin=margin,
                violated=margin < -TOLERANCE,
            )
        )
    party = not treaty.parties or ledger.actor in treaty.parties
    return Compliance(
        treaty_id=treaty.id,
        posture_id=ledger.posture_id,
        actor=ledger.actor,
        party=party,
        in_force=None if on is None else treaty.in_force(on),
        limits=tuple(statuses),
    )
