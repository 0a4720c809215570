"""An actor's force posture at a date: systems, targets, defences, alert and C2."""

from __future__ import annotations

from pydantic import Field

from detente.model.base import Cited, Count, Date, Identifier
from detente.model.defense import C2, DefenseLayer, LaunchOnWarning
from detente.model.display import card, html_table, text_cut
from detente.model.force import AlertLevel, System
from detente.model.limits import MAX_DEFENSE_LAYERS, MAX_SYSTEMS, MAX_TARGET_CLASSES
from detente.model.target import TargetClass


class PublishedTotals(Cited):
    """Warhead totals as the cited source publishes them, to check the systems against."""

    total_inventory: Count = Field(description="All warheads, including retired.")
    military_stockpile: Count = Field(description="Warheads available to the military.")
    deployed: Count = Field(default=0, description="Deployed warheads, all kinds.")
    nonstrategic: Count = Field(default=0, description="Non-strategic warheads.")
    retired: Count = Field(default=0, description="Retired warheads awaiting dismantlement.")


class Posture(Cited):
    """One actor's forces at one date.

    ``systems`` hold deployed and stored warheads by system; warheads in the
    stockpile not attributed to any system are in ``reserve_unassigned``;
    retired warheads are in ``totals.retired``.
    """

    id: Identifier = Field(description="Identifier, e.g. 'us_2021'.")
    actor: Identifier = Field(description="Actor code: us, ru, cn, uk, fr, in, pk, kp, il.")
    label: str = Field(default="", description="Display name.")
    date: Date = Field(description="Date the estimate refers to.")
    alert: AlertLevel = Field(default="day_to_day", description="Current alert level.")
    systems: tuple[System, ...] = Field(
        default=(), max_length=MAX_SYSTEMS, description="Weapon systems."
    )
    targets: tuple[TargetClass, ...] = Field(
        default=(), max_length=MAX_TARGET_CLASSES, description="Target classes."
    )
    defenses: tuple[DefenseLayer, ...] = Field(
        default=(), max_length=MAX_DEFENSE_LAYERS, description="Defence layers."
    )
    c2: C2 = Field(default_factory=C2, description="Command and control.")
    launch_on_warning: LaunchOnWarning = Field(
        default_factory=LaunchOnWarning, description="Launch-on-warning policy."
    )
    reserve_unassigned: Count = Field(
        default=0, description="Stockpile warheads not attributed to a system."
    )
    totals: PublishedTotals | None = Field(
        default=None, description="Published totals the posture is checked against."
    )
    notes: str = Field(default="", description="Free text: what the estimate covers.")

    def system(self, system_id: str) -> System:
        """The system with id ``system_id``."""
        for s in self.systems:
            if s.id == system_id:
                return s
        raise KeyError(system_id)

    def target(self, target_id: str) -> TargetClass:
        """The target class with id ``target_id``."""
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(target_id)

    @property
    def warheads_total(self) -> float:
        """Nuclear stockpile warheads: by system plus unassigned reserve (retired excluded)."""
        nuclear = sum(s.warheads_total for s in self.systems if s.nuclear)
        return nuclear + self.reserve_unassigned

    def summary(self) -> str:
        """``us_2021 (us, 7 systems, 3,708 warheads, day_to_day)``: one line."""
        return (
            f"{self.id} ({self.actor}, {len(self.systems)} systems, "
            f"{self.warheads_total:,.0f} warheads, {self.alert})"
        )

    def __repr__(self) -> str:
        return f"<Posture {self.summary()} {text_cut(self.label, 40)!r}>"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        rows = [
            (s.id, s.category, s.launchers_deployed, round(s.warheads_deployed), s.warheads_stored)
            for s in self.systems
        ]
        table = html_table(("system", "category", "launchers", "loaded", "stored"), rows)
        return card(
            f"Posture {self.id}: {self.label}",
            table,
            lines=[f"{self.actor}, {self.date}, {self.warheads_total:,.0f} warheads, {self.alert}"],
        )


class TotalsOnly(Cited):
    """A nuclear-armed state shipped as published totals only (UK, France, ...)."""

    id: Identifier
    actor: Identifier
    label: str = ""
    date: Date
    totals: PublishedTotals
    notes: str = ""
