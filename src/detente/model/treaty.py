"""Treaties as data: counted quantities, the rules that count them, and their limits."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from detente.model.base import Cited, Count, Date, Flag, Frozen, Identifier, located_errors
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
    parties: tuple[Identifier, ...] = Field(
        default=(),
        description="Actors this ceiling binds (empty: every posture counted under the "
        "treaty); a trilateral design may give each party its own ceiling.",
    )

    def binds(self, actor: str) -> bool:
        """Whether the ceiling applies to ``actor``'s posture."""
        return not self.parties or actor in self.parties


class Treaty(Cited):
    """A treaty (or treaty design): parties, dates, counting rules and limits."""

    id: Identifier = Field(description="Identifier, e.g. 'new_start'.")
    label: str = Field(default="", description="Display name.")
    parties: tuple[Identifier, ...] = Field(
        default=(), description="Actor codes bound by the treaty (empty: any)."
    )
    in_force_from: Date | None = Field(default=None, description="Entry into force.")
    in_force_until: Date | None = Field(default=None, description="Expiry.")
    counting: tuple[CountingRule, ...] = Field(
        default=(), max_length=MAX_TREATY_RULES, description="Counting rules."
    )
    limits: tuple[Limit, ...] = Field(
        default=(), max_length=MAX_TREATY_RULES, description="Ceilings."
    )
    notes: str = Field(default="", description="What the design is and whose position it is.")

    @model_validator(mode="after")
    def _consistent(self) -> Treaty:
        """Dates in order; each limit has its own id and limits a quantity some rule counts.

        A limit on a quantity no rule counts would always read 0 and "comply", and of
        two limits with one id a report could show only one: both are mistakes in
        the treaty, reported at the field.
        """
        errors: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        start, end = self.in_force_from, self.in_force_until
        if start is not None and end is not None and start >= end:
            errors.append(
                (
                    ("in_force_until",),
                    "date_order",
                    f"expiry must be after entry into force (in_force_from: {start})",
                    end.isoformat(),
                )
            )
        counted = list(dict.fromkeys(rule.quantity for rule in self.counting))
        first: dict[str, int] = {}
        for i, limit in enumerate(self.limits):
            if limit.id in first:
                errors.append(
                    (
                        ("limits", i, "id"),
                        "duplicate_id",
                        f"limit id already used by limits.{first[limit.id]}; "
                        "each limit needs its own id",
                        limit.id,
                    )
                )
            first.setdefault(limit.id, i)
            if limit.quantity not in counted:
                known = ", ".join(counted) if counted else "none (the treaty has no rules)"
                errors.append(
                    (
                        ("limits", i, "quantity"),
                        "uncounted_quantity",
                        f"limit {limit.id!r} is on a quantity no counting rule counts, so its "
                        f"count would always be 0; expected one of the counted quantities: "
                        f"{known}",
                        limit.quantity,
                    )
                )
        if errors:
            raise located_errors("Treaty", errors)
        return self

    def in_force(self, on: dt.date) -> bool:
        """Whether the treaty is in force on ``on``."""
        if self.in_force_from is not None and on < self.in_force_from:
            return False
        return not (self.in_force_until is not None and on >= self.in_force_until)
