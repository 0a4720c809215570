"""Layer 2: negotiation search — treaty packages each side's own reading accepts.

A :class:`~detente.negotiation.spec.NegotiationSpec` names the sides at the
table and their doctrines (how each cuts to a ceiling, whether it uploads where
it is free to), the levers (negotiable provisions with ranges), the objectives
and constraints (declared from registries) and the search. :func:`negotiate`
runs pymoo's NSGA-II or NSGA-III over the levers, every package evaluated
through :func:`~detente.analysis.evaluate.evaluate`, and returns the Pareto
front, the zone of agreement, the Nash and Kalai-Smorodinsky packages and what
each side gives and gets. ``docs/negotiation.md`` describes it.
"""

from __future__ import annotations

from detente.negotiation.levers import LEVER_KINDS, Lever
from detente.negotiation.objectives import CONSTRAINT_KINDS, OBJECTIVE_KINDS, Constraint, Objective
from detente.negotiation.packages import package_scenario
from detente.negotiation.result import NegotiationResult, exhaustive, negotiate
from detente.negotiation.spec import NegotiatingSide, NegotiationSpec, SearchSettings

__all__ = [
    "CONSTRAINT_KINDS",
    "LEVER_KINDS",
    "OBJECTIVE_KINDS",
    "Constraint",
    "Lever",
    "NegotiatingSide",
    "NegotiationResult",
    "NegotiationSpec",
    "Objective",
    "SearchSettings",
    "exhaustive",
    "negotiate",
    "package_scenario",
]
