"""Frozen results of an exchange, with a tidy-table view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


ATTACKER_FLOWS = (
    "total",
    "ready",
    "counterforce",
    "cf_failed",
    "cf_intercepted",
    "cf_arrived",
    "later",
    "later_failed",
    "later_intercepted",
    "later_arrived",
    "unused",
)
"""Attacker flows per system. ``total = counterforce + later + unused``;
``counterforce = cf_failed + cf_intercepted + cf_arrived``; likewise for ``later``."""

DEFENDER_FLOWS = (
    "total",
    "destroyed",
    "launched_on_warning",
    "survived",
    "withheld",
    "failed_c2",
    "failed_reliability",
    "intercepted",
    "arrived",
)
"""Defender flows per system. ``total = destroyed + survived``;
``survived = withheld + failed_c2 + failed_reliability + intercepted + arrived``;
``launched_on_warning`` is the part of ``survived`` that escaped by launching early."""


@dataclass(frozen=True)
class SystemFlows:
    """Warhead flows of one system in one exchange (expected values)."""

    system: str
    flows: tuple[tuple[str, float], ...]

    def __getitem__(self, name: str) -> float:
        return dict(self.flows)[name]


@dataclass(frozen=True)
class ExchangeOutcome:
    """What happens when ``attacker`` strikes ``defender`` first (expected values)."""

    attacker: str
    defender: str
    attacker_alert: str
    defender_alert: str
    perspective: str
    attacker_systems: tuple[SystemFlows, ...]
    defender_systems: tuple[SystemFlows, ...]
    damage_to_attacker: float
    """Share of the attacker's value destroyed by the defender's retaliation."""
    damage_to_defender: float
    """Share of the defender's value destroyed by the attacker's later strike."""
    retaliation_potential: float
    """Defender warheads that would arrive had the first strike destroyed nothing."""
    warning_min: float
    """Warning the defender had of the strike on its silos (inf if none were struck)."""
    strike_share: float
    """Share of its counterforce pool the attacker's chosen strike could spend."""
    strike_shots: int
    """Most warheads per aim point in the attacker's chosen strike."""
    allocation_gap: float

    def attacker_total(self, flow: str) -> float:
        """Sum of an attacker flow over systems."""
        return sum(s[flow] for s in self.attacker_systems)

    def defender_total(self, flow: str) -> float:
        """Sum of a defender flow over systems."""
        return sum(s[flow] for s in self.defender_systems)

    @property
    def retaliation_arrived(self) -> float:
        """Defender warheads arriving on the attacker after the first strike."""
        return self.defender_total("arrived")

    @property
    def warheads_destroyed(self) -> float:
        """Defender warheads destroyed by the first strike."""
        return self.defender_total("destroyed")

    def __repr__(self) -> str:
        return (
            f"<ExchangeOutcome {self.attacker} strikes {self.defender} first "
            f"({self.perspective} reading, {self.attacker_alert}/{self.defender_alert}): "
            f"{self.warheads_destroyed:,.0f} of {self.defender_total('total'):,.0f} "
            f"{self.defender} warheads destroyed, {self.retaliation_arrived:,.0f} arrive in "
            f"retaliation; damage to {self.attacker} {self.damage_to_attacker:.0%}, to "
            f"{self.defender} {self.damage_to_defender:.0%}>"
        )

    def _repr_html_(self) -> str:
        from detente.model.display import card, html_table

        rows = [
            (s.system, round(s["total"]), round(s["destroyed"]), round(s["arrived"]))
            for s in self.defender_systems
        ]
        table = html_table(("defender system", "warheads", "destroyed", "arrived"), rows)
        return card(f"{self.attacker} strikes {self.defender} first", table, lines=[repr(self)])

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (side, system, flow)."""
        rows: list[dict[str, Any]] = []
        for side, actor, systems in (
            ("attacker", self.attacker, self.attacker_systems),
            ("defender", self.defender, self.defender_systems),
        ):
            for s in systems:
                for flow, value in s.flows:
                    rows.append(
                        {
                            "side": side,
                            "actor": actor,
                            "system": s.system,
                            "flow": flow,
                            "warheads": value,
                        }
                    )
        import pandas as pd

        return pd.DataFrame(rows, columns=["side", "actor", "system", "flow", "warheads"])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "attacker": self.attacker,
            "defender": self.defender,
            "attacker_alert": self.attacker_alert,
            "defender_alert": self.defender_alert,
            "perspective": self.perspective,
            "damage_to_attacker": self.damage_to_attacker,
            "damage_to_defender": self.damage_to_defender,
            "retaliation_potential": self.retaliation_potential,
            "retaliation_arrived": self.retaliation_arrived,
            "warheads_destroyed": self.warheads_destroyed,
            "warning_min": None if self.warning_min == float("inf") else self.warning_min,
            "strike_share": self.strike_share,
            "strike_shots": self.strike_shots,
            "attacker_systems": {s.system: dict(s.flows) for s in self.attacker_systems},
            "defender_systems": {s.system: dict(s.flows) for s in self.defender_systems},
        }
