"""Counting a posture under a treaty: per-quantity totals and per-item contributions.

A treaty is data (:class:`detente.model.treaty.Treaty`): each counting rule selects
systems (or defence layers, or the unassigned reserve) and adds one measure of each
to a named quantity. :func:`count` applies every rule and keeps both the totals and
the contribution of every counted item, so a count can always be traced back to
the systems behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from detente.model.base import Frozen, Identifier
from detente.model.defense import DefenseLayer
from detente.model.force import System
from detente.model.posture import Posture
from detente.model.treaty import CountingRule, Measure, Treaty

if TYPE_CHECKING:
    import pandas as pd

RESERVE_ITEM = "reserve_unassigned"
"""Item id under which the posture's unassigned stockpile reserve is counted."""

SYSTEM_MEASURES: frozenset[str] = frozenset(
    {
        "loaded_warheads",
        "one_per_deployed_launcher",
        "launchers_deployed",
        "launchers_nondeployed",
        "launchers_total",
        "warheads_stored",
        "warheads_total",
    }
)
"""Measures evaluated on each selected weapon system."""


class Contribution(Frozen):
    """What one counted item (system, defence layer or reserve) adds to one quantity."""

    quantity: Identifier = Field(description="Counted quantity.")
    item: str = Field(description="System id, defence-layer id or 'reserve_unassigned'.")
    item_kind: str = Field(description="'system', 'defense' or 'reserve'.")
    rule: int = Field(ge=0, description="Index of the counting rule in the treaty.")
    measure: Measure = Field(description="How the item was counted.")
    amount: float = Field(ge=0, description="Amount added to the quantity.")


class QuantityTotal(Frozen):
    """The total of one counted quantity."""

    quantity: Identifier = Field(description="Counted quantity.")
    total: float = Field(ge=0, description="Sum of all contributions.")


class Ledger(Frozen):
    """A posture counted under a treaty.

    ``totals`` hold one entry per quantity the treaty counts or limits (zero when
    nothing was counted); ``contributions`` hold every non-zero addition.
    """

    treaty: Treaty = Field(description="The treaty the posture was counted under.")
    posture_id: Identifier = Field(description="Id of the counted posture.")
    actor: Identifier = Field(description="Actor whose posture was counted.")
    totals: tuple[QuantityTotal, ...] = Field(description="Per-quantity totals.")
    contributions: tuple[Contribution, ...] = Field(description="Per-item contributions.")

    @property
    def quantities(self) -> tuple[str, ...]:
        """Quantity ids, in the order the treaty first names them."""
        return tuple(t.quantity for t in self.totals)

    def total(self, quantity: str) -> float:
        """Total of ``quantity`` (``KeyError`` if the treaty does not count it)."""
        for t in self.totals:
            if t.quantity == quantity:
                return t.total
        raise KeyError(quantity)

    def by_item(self, quantity: str) -> dict[str, float]:
        """Contribution of each item to ``quantity``, summed over rules."""
        out: dict[str, float] = {}
        for c in self.contributions:
            if c.quantity == quantity:
                out[c.item] = out.get(c.item, 0.0) + c.amount
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data: treaty and posture ids, totals by quantity, contributions."""
        return {
            "treaty": self.treaty.id,
            "posture": self.posture_id,
            "actor": self.actor,
            "totals": {t.quantity: t.total for t in self.totals},
            "contributions": [c.model_dump() for c in self.contributions],
        }

    def to_frame(self) -> pd.DataFrame:
        """Contributions as a tidy table, one row per item, rule and quantity."""
        cols = ["quantity", "item", "item_kind", "rule", "measure", "amount"]
        rows = [c.model_dump() for c in self.contributions]
        import pandas as pd

        frame = pd.DataFrame(rows, columns=cols)
        frame.insert(0, "posture", self.posture_id)
        frame.insert(0, "treaty", self.treaty.id)
        return frame


def treaty_quantities(treaty: Treaty) -> tuple[str, ...]:
    """Quantities a treaty counts or limits, in order of first mention."""
    seen: dict[str, None] = {}
    for rule in treaty.counting:
        seen.setdefault(rule.quantity, None)
    for limit in treaty.limits:
        seen.setdefault(limit.quantity, None)
    return tuple(seen)


def selects_system(rule: CountingRule, system: System) -> bool:
    """Whether ``rule`` counts ``system`` (category, accountability, nuclear, novel, exempt)."""
    if rule.measure not in SYSTEM_MEASURES:
        return False
    if system.id in rule.exempt:
        return False
    if rule.nuclear_only and not system.nuclear:
        return False
    if rule.categories and system.category not in rule.categories:
        return False
    if rule.accountability and system.accountability not in rule.accountability:
        return False
    if rule.novel == "only" and not system.novel:
        return False
    return not (rule.novel == "exclude" and system.novel)


def selects_layer(rule: CountingRule, layer: DefenseLayer) -> bool:
    """Whether ``rule`` counts the interceptors of ``layer``."""
    if rule.measure != "interceptors" or layer.id in rule.exempt:
        return False
    return not (rule.defense_kinds and layer.kind not in rule.defense_kinds)


def system_measure(measure: Measure, system: System) -> float:
    """The amount ``measure`` counts for one system."""
    if measure == "loaded_warheads":
        return system.warheads_deployed
    if measure in ("one_per_deployed_launcher", "launchers_deployed"):
        return float(system.launchers_deployed)
    if measure == "launchers_nondeployed":
        return float(system.launchers_nondeployed)
    if measure == "launchers_total":
        return float(system.launchers_total)
    if measure == "warheads_stored":
        return float(system.warheads_stored)
    if measure == "warheads_total":
        return system.warheads_total
    raise ValueError(f"measure {measure!r} is not counted per system")


def _rule_contributions(index: int, rule: CountingRule, posture: Posture) -> list[Contribution]:
    out: list[Contribution] = []

    def add(item: str, kind: str, amount: float) -> None:
        if amount > 0:
            out.append(
                Contribution(
                    quantity=rule.quantity,
                    item=item,
                    item_kind=kind,
                    rule=index,
                    measure=rule.measure,
                    amount=amount,
                )
            )

    if rule.measure == "reserve_unassigned":
        if RESERVE_ITEM not in rule.exempt:
            add(RESERVE_ITEM, "reserve", float(posture.reserve_unassigned))
    elif rule.measure == "interceptors":
        for layer in posture.defenses:
            if selects_layer(rule, layer):
                add(layer.id, "defense", float(layer.interceptors))
    else:
        for system in posture.systems:
            if selects_system(rule, system):
                add(system.id, "system", system_measure(rule.measure, system))
    return out


def quantity_totals(posture: Posture, treaty: Treaty) -> dict[str, float]:
    """The totals of :func:`count` alone, without the per-item ledger (for search loops).

    Adds the same amounts in the same order as :func:`count`, so the totals are
    equal to the last bit.
    """
    sums = dict.fromkeys(treaty_quantities(treaty), 0.0)
    for rule in treaty.counting:
        if rule.measure == "reserve_unassigned":
            if RESERVE_ITEM not in rule.exempt and posture.reserve_unassigned > 0:
                sums[rule.quantity] += float(posture.reserve_unassigned)
        elif rule.measure == "interceptors":
            for layer in posture.defenses:
                if selects_layer(rule, layer) and layer.interceptors > 0:
                    sums[rule.quantity] += float(layer.interceptors)
        else:
            for system in posture.systems:
                if selects_system(rule, system):
                    amount = system_measure(rule.measure, system)
                    if amount > 0:
                        sums[rule.quantity] += amount
    return sums


def count(posture: Posture, treaty: Treaty) -> Ledger:
    """Count ``posture`` under ``treaty``.

    Every counting rule adds its measure of each item it selects to its
    quantity. Conventional systems are skipped by rules with ``nuclear_only``;
    a system is counted by every rule that selects it, so a treaty whose rules
    overlap counts an item twice (the treaty author's responsibility).

    Parameters
    ----------
    posture
        The force posture to count (not modified).
    treaty
        The treaty (or treaty design) whose counting rules apply.

    Returns
    -------
    Ledger
        Totals per quantity (every quantity the treaty counts or limits) and
        the contribution of every counted item.

    Examples
    --------
    >>> from detente.model.treaty import CountingRule, Treaty
    >>> t = Treaty(id="t", counting=(CountingRule(quantity="w", measure="loaded_warheads"),))
    >>> count(Posture(id="p", actor="us", date="2021-07-28"), t).total("w")
    0.0
    """
    contributions: list[Contribution] = []
    for index, rule in enumerate(treaty.counting):
        contributions.extend(_rule_contributions(index, rule, posture))
    sums = dict.fromkeys(treaty_quantities(treaty), 0.0)
    for c in contributions:
        sums[c.quantity] += c.amount
    return Ledger(
        treaty=treaty,
        posture_id=posture.id,
        actor=posture.actor,
        totals=tuple(QuantityTotal(quantity=q, total=v) for q, v in sums.items()),
        contributions=tuple(contributions),
    )
