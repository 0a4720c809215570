"""Layer 0: the frozen domain model (pydantic and the standard library only)."""

from detente.model.base import ASSUMPTION, Citation, Cited, Frozen
from detente.model.defense import C2, DefenseLayer, DeliveryPk, DomainFactors, LaunchOnWarning
from detente.model.force import AlertFractions, AlertLevel, System
from detente.model.posture import Posture, PublishedTotals, TotalsOnly
from detente.model.scenario import ExchangeSettings, Scenario, Side, StabilitySettings
from detente.model.space import Uncertainty
from detente.model.target import MILITARY_KINDS, TargetClass
from detente.model.treaty import CountingRule, Limit, Treaty

__all__ = [
    "ASSUMPTION",
    "C2",
    "MILITARY_KINDS",
    "AlertFractions",
    "AlertLevel",
    "Citation",
    "Cited",
    "CountingRule",
    "DefenseLayer",
    "DeliveryPk",
    "DomainFactors",
    "ExchangeSettings",
    "Frozen",
    "LaunchOnWarning",
    "Limit",
    "Posture",
    "PublishedTotals",
    "Scenario",
    "Side",
    "StabilitySettings",
    "System",
    "TargetClass",
    "TotalsOnly",
    "Treaty",
    "Uncertainty",
]
