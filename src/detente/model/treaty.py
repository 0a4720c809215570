"""Treaties as data: counted quantities, the rules that count them, and their limits."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from detente.model.base import Cited, Count, Flag, Frozen, Identifier
from detente.model.defense import DefenseKind
from detente.model.force import Accountability, Category
from detente.model.limits import MAX_TREATY_RULES

Measure = Literal[
    "loaded_warheads",
    "one_per_deployed_launcher",
    "launchers_deployed",
    "launchers_nondeployed",
    "launchers_total",
    "warheads_stored",
    "warheads_total",
    "reserve_unassigned",
    "interceptors",
]
"""How a rule counts each selected item:

- ``loaded_warheads``: warheads loaded on deployed launchers (New START ICBM/SLBM rule);
- ``one_per_deployed_launcher``: one per deployed launcher (New START bomber rule);
- ``launchers_*``: deployed, non-deployed, or both;
- ``warheads_stored`` / ``warheads_total``: stored, or deployed plus stored, by system;
- ``reserve_unassigned``: stockpile warheads attributed to no system (posture level);
- ``interceptors``: interceptors of the selected defence layers.
"""

NovelFilter = Literal["any", "only", "exclude"]


class CountingRule(Frozen):
    """Adds the ``measure`` of every selected item to the counted ``quantity``."""

    quantity: Identifier = Field(description="Counted quantity this rule adds to.")
    measure: Measure = Field(description="What is counted for each selected item.")
    categories: tuple[Category, ...] = Field(
        default=(), description="System categories selected (empty: all)."
    )
    accountability: tuple[Accountability, ...] = Field(
        default=(), description="Accountability classes selected (empty: all)."
    )
    nuclear_only: Flag = Field(default=True, description="Skip conventional systems.")
    novel: NovelFilter = Field(default="any", description="Select novel systems or not.")
    defense_kinds: tuple[DefenseKind, ...] = Field(
        default=(), description="For 'interceptors': layer kinds selected (empty: all)."
    )
    exempt: tuple[Identifier, ...] = Field(
        default=(), description="System or layer ids exempt from this rule."
    )
    note: str = Field(default="", description="The treaty text or reasoning behind the rule.")


class Limit(Frozen):
    """A ceiling on one counted quantity."""

    id: Identifier = Field(description="Identifier of the limit.")
    label: str = Field(default="", description="Display name.")
    quantity: Identifier = Field(description="Counted quantity that is limited.")
    ceiling: Count = Field(description="Largest permitted count.")


class Treaty(Cited):
    """A treaty (or treaty design): parties, dates, counting rules and limits."""

    id: Identifier = Field(description="Identifier, e.g. 'new_start'.")
    label: str = Field(default="", description="Display name.")
    parties: tuple[Identifier, ...] = Field(
        default=(), description="Actor codes bound by the treaty (empty: any)."
    )
    in_force_from: dt.date | None = Field(default=None, description="Entry into force.")
    in_force_until: dt.date | None = Field(default=None, description="Expiry.")
    counting: tuple[CountingRule, ...] = Field(
        default=(), max_length=MAX_TREATY_RULES, description="Counting rules."
    )
    limits: tuple[Limit, ...] = Field(
        default=(), max_length=MAX_TREATY_RULES, description="Ceilings."
    )
    notes: str = Field(default="", description="What the design is and whose position it is.")

    def in_force(self, on: dt.date) -> bool:
        """Whether the treaty is in force on ``on``."""
        if self.in_force_from is not None and on < self.in_force_from:
            return False
        return not (self.in_force_until is not None and on >= self.in_force_until)
