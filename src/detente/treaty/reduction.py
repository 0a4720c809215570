"""Reducing a posture until it complies with a treaty, under a stated policy.

The cuts available are few and each lowers counts, never raises them:

``retire_nondeployed``
    eliminate empty launchers (silos, tubes) or spare bombers;
``dismantle_reserve`` / ``dismantle_stored``
    retire warheads from the unassigned reserve or from a system's storage;
``download``
    take warheads off MIRVed launchers (``max_warheads_per_launcher > 1``),
    never below one per launcher;
``retire_deployed``
    eliminate deployed launchers together with their loaded warheads;
``remove_interceptors``
    retire interceptors of a defence layer.

Where warheads go when they come off a launcher: if no counting rule of the
treaty counts stored warheads (New START), they go to the system's storage, as
the United States did when it downloaded Minuteman III; if the treaty counts
stored warheads (``warheads_stored``, ``warheads_total``), they are retired from
the stockpile, since moving them to storage would not reduce the count.

Policies (the order cuts are tried in, for the first violated limit, until
it complies; then the next violated limit):

``download_first``
    empty launchers, reserve and stored warheads first; then downloads from the
    most heavily loaded MIRVed systems; then deployed launchers in the
    vulnerability order below; interceptors last.
``retire_vulnerable_first``
    empty launchers, reserve and stored warheads first; then deployed launchers
    from the most vulnerable basing to the least: silo ICBMs, bombers, mobile
    ICBMs, SLBMs, then hypersonic-glide, cruise, torpedo, non-strategic and
    conventional systems; downloads only after that; interceptors last.
``proportional``
    every item that contributes to the violated quantity gives up the same
    share of its contribution (rounded up to whole units), by retiring
    reserve or stored warheads, empty launchers, then deployed launchers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from pydantic import Field

from detente.errors import DetenteError
from detente.model.base import Frozen, Identifier
from detente.model.posture import Posture
from detente.model.treaty import Treaty
from detente.treaty.compliance import TOLERANCE, Compliance, compliance
from detente.treaty.counting import RESERVE_ITEM, Ledger, count, quantity_totals

if TYPE_CHECKING:
    import pandas as pd

Policy = Literal["download_first", "retire_vulnerable_first", "proportional"]
POLICIES: tuple[str, ...] = get_args(Policy)

Action = Literal[
    "retire_nondeployed",
    "dismantle_reserve",
    "dismantle_stored",
    "download",
    "retire_deployed",
    "remove_interceptors",
]

VULNERABILITY_ORDER: tuple[str, ...] = (
    "icbm_silo",
    "bomber",
    "icbm_mobile",
    "slbm",
    "hypersonic_glide",
    "cruise",
    "torpedo",
    "nonstrategic",
    "conventional_strike",
)
"""Basing from most to least vulnerable to a first strike (fixed silos and bomber
bases are found and destroyed most easily; SSBNs at sea least)."""

_STOCKPILE_MEASURES = frozenset({"warheads_stored", "warheads_total"})

_ORDERS: dict[str, tuple[Action, ...]] = {
    "download_first": (
        "retire_nondeployed",
        "dismantle_reserve",
        "dismantle_stored",
        "download",
        "retire_deployed",
        "remove_interceptors",
    ),
    "retire_vulnerable_first": (
        "retire_nondeployed",
        "dismantle_reserve",
        "dismantle_stored",
        "retire_deployed",
        "download",
        "remove_interceptors",
    ),
    "proportional": (
        "dismantle_reserve",
        "dismantle_stored",
        "retire_nondeployed",
        "retire_deployed",
        "download",
        "remove_interceptors",
    ),
}


class ReductionError(DetenteError):
    """A posture cannot be reduced as asked (unknown policy, limit out of reach)."""


class Cut(Frozen):
    """One cut made to the posture."""

    action: Action = Field(description="What was cut.")
    item: str = Field(description="System id, defence-layer id or 'reserve_unassigned'.")
    units: int = Field(ge=1, description="Launchers, warheads or interceptors cut.")
    warheads_to_storage: int = Field(
        default=0, ge=0, description="Warheads moved from launchers into storage."
    )
    limit: Identifier = Field(description="The limit the cut was made for.")


class Reduction(Frozen):
    """A posture reduced to comply with a treaty, with the cuts and both ledgers."""

    policy: Policy = Field(description="Reduction policy used.")
    posture: Posture = Field(description="The reduced, validated posture.")
    cuts: tuple[Cut, ...] = Field(description="Cuts in the order they were made.")
    ledger_before: Ledger = Field(description="Counts of the original posture.")
    ledger_after: Ledger = Field(description="Counts of the reduced posture.")

    @property
    def compliance_after(self) -> Compliance:
        """Compliance of the reduced posture."""
        return compliance(self.ledger_after)

    def to_frame(self) -> pd.DataFrame:
        """The cuts as a table, one row per cut."""
        cols = ["action", "item", "units", "warheads_to_storage", "limit"]
        import pandas as pd

        return pd.DataFrame([c.model_dump() for c in self.cuts], columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: policy, cuts and totals before and after."""
        before = self.ledger_before.to_dict()["totals"]
        after = self.ledger_after.to_dict()["totals"]
        return {
            "treaty": self.ledger_before.treaty.id,
            "posture": self.posture.id,
            "policy": self.policy,
            "cuts": [c.model_dump() for c in self.cuts],
            "totals_before": before,
            "totals_after": after,
            "complies": self.compliance_after.complies,
        }


def _available(p: Posture, action: Action, item: str) -> int:
    if action == "dismantle_reserve":
        return p.reserve_unassigned
    if action == "remove_interceptors":
        return next(d.interceptors for d in p.defenses if d.id == item)
    s = p.system(item)
    if action == "retire_nondeployed":
        return s.launchers_nondeployed
    if action == "retire_deployed":
        return s.launchers_deployed
    if action == "dismantle_stored":
        return s.warheads_stored
    if s.max_warheads_per_launcher <= 1 or s.warheads_per_launcher <= 1:
        return 0
    return math.floor(s.launchers_deployed * (s.warheads_per_launcher - 1) + 1e-9)


def _apply(p: Posture, action: Action, item: str, n: int, keep: bool) -> tuple[Posture, int]:
    """Posture after cutting ``n`` units; also the warheads moved into storage."""
    if action == "dismantle_reserve":
        return p.model_copy(update={"reserve_unassigned": p.reserve_unassigned - n}), 0
    if action == "remove_interceptors":
        layers = tuple(
            d.model_copy(update={"interceptors": d.interceptors - n}) if d.id == item else d
            for d in p.defenses
        )
        return p.model_copy(update={"defenses": layers}), 0
    s = p.system(item)
    stored = 0
    if action == "retire_nondeployed":
        upd: dict[str, Any] = {"launchers_nondeployed": s.launchers_nondeployed - n}
    elif action == "dismantle_stored":
        upd = {"warheads_stored": s.warheads_stored - n}
    elif action == "retire_deployed":
        stored = math.floor(n * s.warheads_per_launcher + 1e-9) if keep else 0
        upd = {"launchers_deployed": s.launchers_deployed - n}
    else:  # download n warheads, spread over the system's deployed launchers
        stored = n if keep else 0
        loaded = s.warheads_deployed - n
        upd = {"warheads_per_launcher": max(1.0, loaded / s.launchers_deployed)}

    upd["warheads_stored"] = upd.get("warheads_stored", s.warheads_stored) + stored
    systems = tuple(s.model_copy(update=upd) if x.id == item else x for x in p.systems)
    return p.model_copy(update={"systems": systems}), stored


def _items(p: Posture, action: Action, policy: str) -> list[str]:
    if action == "dismantle_reserve":
        return [RESERVE_ITEM]
    if action == "remove_interceptors":
        return [d.id for d in p.defenses]
    rank = {c: i for i, c in enumerate(VULNERABILITY_ORDER)}
    systems = sorted(p.systems, key=lambda s: rank.get(s.category, len(rank)))
    if action == "download" and policy == "download_first":
        systems = sorted(systems, key=lambda s: -s.warheads_per_launcher)
    return [s.id for s in systems]


class _State:
    """Mutable working state of one reduction (private)."""

    def __init__(self, posture: Posture, treaty: Treaty) -> None:
        self.posture = posture
        self.treaty = treaty
        self.cuts: list[Cut] = []
        self.keep = not any(r.measure in _STOCKPILE_MEASURES for r in treaty.counting)

    def totals(self, p: Posture | None = None) -> dict[str, float]:
        return quantity_totals(self.posture if p is None else p, self.treaty)

    def cut(self, action: Action, item: str, quantity: str, wanted: float, limit: str) -> float:
        """Cut ``item`` by ``action`` to lower ``quantity`` by ``wanted``; the amount lowered."""
        avail = _available(self.posture, action, item)
        if avail <= 0 or wanted <= TOLERANCE:
            return 0.0
        before = self.totals()
        full, _ = _apply(self.posture, action, item, avail, self.keep)
        after = self.totals(full)
        if any(after[q] > before[q] + TOLERANCE for q in before):
            return 0.0  # this cut would raise some count; never take it
        per_unit = (before[quantity] - after[quantity]) / avail
        if per_unit <= TOLERANCE:
            return 0.0
        n = min(avail, max(1, math.ceil(wanted / per_unit - 1e-9)))
        self.posture, stored = _apply(self.posture, action, item, n, self.keep)
        self.cuts.append(
            Cut(action=action, item=item, units=n, warheads_to_storage=stored, limit=limit)
        )
        return n * per_unit


def _greedy(state: _State, policy: str, quantity: str, ceiling: int, limit: str) -> None:
    for action in _ORDERS[policy]:
        for item in _items(state.posture, action, policy):
            excess = state.totals()[quantity] - ceiling
            if excess <= TOLERANCE:
                return
            state.cut(action, item, quantity, excess, limit)


def _proportional(state: _State, quantity: str, ceiling: int, limit: str) -> None:
    ledger = count(state.posture, state.treaty)
    total = ledger.total(quantity)
    share = (total - ceiling) / total
    for item, amount in ledger.by_item(quantity).items():
        wanted = share * amount
        for action in _ORDERS["proportional"]:
            if wanted <= TOLERANCE:
                break
            if _kind_of(state.posture, item) != _kind_of_action(action):
                continue
            wanted -= state.cut(action, item, quantity, wanted, limit)


def _kind_of(p: Posture, item: str) -> str:
    if item == RESERVE_ITEM:
        return "reserve"
    return "defense" if any(d.id == item for d in p.defenses) else "system"


def _kind_of_action(action: Action) -> str:
    if action == "dismantle_reserve":
        return "reserve"
    return "defense" if action == "remove_interceptors" else "system"


def reduce_to_comply(posture: Posture, treaty: Treaty, policy: str) -> Reduction:
    """Cut ``posture`` until it meets every limit of ``treaty``.

    The policies and the cuts they use are described in the module docstring.
    Every cut lowers at least one count and raises none, so the reduced posture
    complies and no count grows. Cuts are whole launchers, warheads or
    interceptors.

    Parameters
    ----------
    posture
        The posture to reduce (not modified).
    treaty
        The treaty whose limits must be met (the actor need not be a party); a
        limit written for other parties only (``Limit.parties``) is skipped.
    policy
        ``download_first``, ``retire_vulnerable_first`` or ``proportional``.

    Returns
    -------
    Reduction
        The reduced posture (a new, validated :class:`Posture` without the
        published totals, which no longer describe it), the cuts made, and
        the ledgers before and after.

    Raises
    ------
    ReductionError
        If ``policy`` is unknown, or a limit cannot be met by any cut.
    """
    if policy not in POLICIES:
        raise ReductionError(
            f"unknown reduction policy {policy!r}; expected one of: {', '.join(POLICIES)}"
        )
    state = _State(posture, treaty)
    ledger_before = count(posture, treaty)
    step: Callable[[str, int, str], None]
    if policy == "proportional":

        def step(q: str, c: int, lim: str) -> None:
            _proportional(state, q, c, lim)
            _greedy(state, "retire_vulnerable_first", q, c, lim)  # rounding leftovers
    else:

        def step(q: str, c: int, lim: str) -> None:
            _greedy(state, policy, q, c, lim)

    for limit in treaty.limits:
        if not limit.binds(posture.actor):
            continue
        if state.totals()[limit.quantity] - limit.ceiling > TOLERANCE:
            step(limit.quantity, limit.ceiling, limit.id)
        if state.totals()[limit.quantity] - limit.ceiling > TOLERANCE:
            raise ReductionError(f"limit {limit.id!r} of {treaty.id!r} cannot be met by cuts")
    note = f"Reduced to comply with {treaty.id} (policy {policy})."
    data = state.posture.model_dump()
    data.update(totals=None, notes=f"{posture.notes} {note}".strip())
    reduced = Posture.model_validate(data)
    return Reduction(
        policy=cast(Policy, policy),
        posture=reduced,
        cuts=tuple(state.cuts),
        ledger_before=ledger_before,
        ledger_after=count(reduced, treaty),
    )
