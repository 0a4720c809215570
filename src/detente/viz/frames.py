"""Tidy tables drawn from an :class:`~detente.analysis.assess.Assessment`.

Figures (plotly and matplotlib alike) are built from these frames only; no
function here or in the figure modules runs the engine.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from detente.analysis.assess import Assessment, Disagreement
from detente.errors import InvalidArgumentError
from detente.model.cases import AlertCase, as_alert_case
from detente.stability import LABELS
from detente.stability.verdicts import verdict

CATEGORY_LABELS: Mapping[str, str] = {
    "icbm_silo": "Silo ICBMs",
    "icbm_mobile": "Mobile ICBMs",
    "slbm": "SLBMs",
    "bomber": "Bombers",
    "nonstrategic": "Non-strategic",
    "cruise": "Cruise missiles",
    "hypersonic_glide": "Hypersonic glide",
    "torpedo": "Nuclear torpedoes",
    "conventional_strike": "Conventional strike",
    "reserve_unassigned": "Unassigned reserve",
}
"""Display names of force categories, in display order; the last one is not a
system category but the posture's stockpile warheads attributed to no system."""

RESERVE = "reserve_unassigned"
"""Category (and system id) of the unassigned-reserve rows of :func:`force_frame`."""

ATTACKER_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "arrived_military": ("cf_arrived",),
    "arrived_value": ("later_arrived",),
    "intercepted": ("cf_intercepted", "later_intercepted"),
    "failed": ("cf_failed", "later_failed"),
    "unused": ("unused",),
}
"""Outcome of the first striker's warheads and the engine flows they sum; together
they add up to the attacker's ``total``."""

DEFENDER_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "destroyed": ("destroyed",),
    "withheld": ("withheld",),
    "failed": ("failed_c2", "failed_reliability"),
    "intercepted": ("intercepted",),
    "arrived_value": ("arrived",),
}
"""Outcome of the victim's warheads; together they add up to the defender's ``total``."""

OUTCOME_LABELS: Mapping[str, str] = {
    "destroyed": "Destroyed before launch",
    "arrived_military": "Arrived on military targets",
    "arrived_value": "Arrived on cities and industry",
    "intercepted": "Intercepted",
    "failed": "Failed (C2 or reliability)",
    "withheld": "Withheld",
    "unused": "Not used",
}
"""Display names of outcomes, in stacking order."""

COUNT_COLUMNS: tuple[str, ...] = (
    "launchers_deployed",
    "launchers_nondeployed",
    "warheads_deployed",
    "warheads_stored",
    "warheads_reserve",
)
"""Numeric columns of :func:`force_by_category`."""

ROLE_LABELS: Mapping[str, str] = {"attacker": "first strike", "defender": "retaliation"}

STOCK_LABELS: Mapping[str, str] = {
    "warheads_deployed": "Deployed",
    "warheads_stored": "In storage",
    "warheads_reserve": "Unassigned reserve",
}
"""Nuclear warhead stocks of the force charts, in stacking order."""

FORCE_TITLE = "Nuclear warheads by category: deployed, in storage and unassigned reserve"
"""Title of the force charts (plotly and PNG)."""


def flow_axis_label(conventional: bool) -> str:
    """Value-axis label of the exchange-flow charts.

    ``conventional`` says whether the flows count conventional missiles too
    (:func:`has_conventional`).
    """
    if conventional:
        return "warheads and conventional missiles (expected)"
    return "warheads (expected)"


def case_label(key: AlertCase | str) -> str:
    """Readable form of an alert case.

    Parameters
    ----------
    key
        An alert case, or its text form such as ``us:day_to_day/ru:generated``.

    Returns
    -------
    str
        ``us day-to-day · ru generated``.

    Examples
    --------
    >>> case_label("us:day_to_day/ru:generated")
    'us day-to-day · ru generated'
    """
    return as_alert_case(key).label()


def exchange_label(attacker: str, defender: str) -> str:
    """Name of the exchange in which ``attacker`` strikes ``defender`` first."""
    return f"{attacker.upper()} strikes {defender.upper()} first"


def force_frame(assessment: Assessment) -> pd.DataFrame:
    """Force structure of every side, one row per system, plus the unassigned reserve.

    Parameters
    ----------
    assessment
        A finished assessment.

    Returns
    -------
    pandas.DataFrame
        Columns ``actor, posture, system, label, category, category_label,
        nuclear, launchers_deployed, launchers_nondeployed, warheads_deployed,
        warheads_stored, warheads_reserve, source``. A posture with
        ``reserve_unassigned`` warheads gets one more row, category
        :data:`RESERVE`, holding them in ``warheads_reserve``. For
        conventional systems (``nuclear`` false) the "warheads" are
        conventional missiles or bombs. The nuclear rows of a side add up to
        its ``posture.warheads_total``.
    """
    rows = []
    for side in assessment.scenario.sides:
        posture = side.posture
        for s in posture.systems:
            rows.append(
                {
                    "actor": posture.actor,
                    "posture": posture.label or posture.id,
                    "system": s.id,
                    "label": s.label or s.id,
                    "category": s.category,
                    "category_label": CATEGORY_LABELS.get(s.category, s.category),
                    "nuclear": s.nuclear,
                    "launchers_deployed": s.launchers_deployed,
                    "launchers_nondeployed": s.launchers_nondeployed,
                    "warheads_deployed": s.warheads_deployed,
                    "warheads_stored": float(s.warheads_stored),
                    "warheads_reserve": 0.0,
                    "source": s.source,
                }
            )
        if posture.reserve_unassigned:
            rows.append(
                {
                    "actor": posture.actor,
                    "posture": posture.label or posture.id,
                    "system": RESERVE,
                    "label": CATEGORY_LABELS[RESERVE],
                    "category": RESERVE,
                    "category_label": CATEGORY_LABELS[RESERVE],
                    "nuclear": True,
                    "launchers_deployed": 0,
                    "launchers_nondeployed": 0,
                    "warheads_deployed": 0.0,
                    "warheads_stored": 0.0,
                    "warheads_reserve": float(posture.reserve_unassigned),
                    "source": posture.citation("reserve_unassigned").source,
                }
            )
    columns = [
        "actor",
        "posture",
        "system",
        "label",
        "category",
        "category_label",
        "nuclear",
        "launchers_deployed",
        "launchers_nondeployed",
        "warheads_deployed",
        "warheads_stored",
        "warheads_reserve",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns).astype({"nuclear": bool})


def force_by_category(forces: pd.DataFrame, *, nuclear: bool = True) -> pd.DataFrame:
    """Warheads and launchers per side and category (sums of :func:`force_frame`).

    Parameters
    ----------
    forces
        Output of :func:`force_frame`.
    nuclear
        Sum the nuclear rows (warheads, with the unassigned reserve), or with
        ``False`` the conventional ones (missiles and bombs).

    Returns
    -------
    pandas.DataFrame
        One row per (actor, category) in display order, with the summed counts.
    """
    numeric = list(COUNT_COLUMNS)
    forces = forces[forces["nuclear"] == nuclear]
    grouped = forces.groupby(["actor", "category"], sort=False, as_index=False)[numeric].sum()
    order = {c: i for i, c in enumerate(CATEGORY_LABELS)}
    grouped["category_label"] = [CATEGORY_LABELS.get(c, c) for c in grouped["category"]]
    grouped["_order"] = [order.get(c, len(order)) for c in grouped["category"]]
    return grouped.sort_values(["actor", "_order"], kind="stable").drop(columns="_order")


def flow_frame(
    assessment: Assessment, perspective: str | None = None, case: str | None = None
) -> pd.DataFrame:
    """Where every warhead went in both first strikes of one case.

    Parameters
    ----------
    assessment
        A finished assessment.
    perspective, case
        Which reading and alert case (headline ones by default).

    Returns
    -------
    pandas.DataFrame
        Columns ``exchange, attacker, defender, role, actor, system, nuclear,
        outcome, outcome_label, warheads``. For each exchange and role the
        outcomes add up to that side's total warheads; rows of conventional
        systems (``nuclear`` false) count conventional missiles. Launches on warning are not an
        outcome (those warheads still arrive or are intercepted); they are in
        :func:`warning_launches`.
    """
    nuclear = {
        (side.actor, s.id): s.nuclear
        for side in assessment.scenario.sides
        for s in side.posture.systems
    }
    rows = []
    for outcome in assessment.outcomes(perspective, case):
        exchange = exchange_label(outcome.attacker, outcome.defender)
        for role, actor, systems, mapping in (
            ("attacker", outcome.attacker, outcome.attacker_systems, ATTACKER_OUTCOMES),
            ("defender", outcome.defender, outcome.defender_systems, DEFENDER_OUTCOMES),
        ):
            for s in systems:
                for name, flows in mapping.items():
                    rows.append(
                        {
                            "exchange": exchange,
                            "attacker": outcome.attacker,
                            "defender": outcome.defender,
                            "role": role,
                            "actor": actor,
                            "system": s.system,
                            "nuclear": nuclear.get((actor, s.system), True),
                            "outcome": name,
                            "outcome_label": OUTCOME_LABELS[name],
                            "warheads": sum(s[f] for f in flows),
                        }
                    )
    columns = [
        "exchange",
        "attacker",
        "defender",
        "role",
        "actor",
        "system",
        "nuclear",
        "outcome",
        "outcome_label",
        "warheads",
    ]
    return pd.DataFrame(rows, columns=columns).astype({"nuclear": bool})


def has_conventional(flows: pd.DataFrame) -> bool:
    """Whether any conventional missile moves in :func:`flow_frame` (for axis labels)."""
    conventional = flows[~flows["nuclear"].astype(bool)]
    return bool((conventional["warheads"] > 0).any())


def warning_launches(
    assessment: Assessment, perspective: str | None = None, case: str | None = None
) -> pd.DataFrame:
    """Warheads each victim launched on warning, per exchange.

    Returns
    -------
    pandas.DataFrame
        Columns ``exchange, actor, warheads``.
    """
    rows = [
        {
            "exchange": exchange_label(o.attacker, o.defender),
            "actor": o.defender,
            "warheads": o.defender_total("launched_on_warning"),
        }
        for o in assessment.outcomes(perspective, case)
    ]
    return pd.DataFrame(rows, columns=["exchange", "actor", "warheads"])


def flow_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Sum :func:`flow_frame` over systems: one row per (exchange, role, outcome)."""
    keys = ["exchange", "role", "actor", "outcome", "outcome_label"]
    return flows.groupby(keys, sort=False)["warheads"].sum().reset_index()


def definition_frame(assessment: Assessment) -> pd.DataFrame:
    """Combined value of every definition for every reading and alert case.

    Returns
    -------
    pandas.DataFrame
        Columns ``definition, label, perspective, perspective_label, case,
        case_label, value, verdict, headline`` (``headline`` marks the
        headline reading and case). Definitions computed for one pair of a
        three-party scenario are left out (see :func:`pairs_frame`).
    """
    names = {p.id: p.label or p.id for p in assessment.perspectives}
    shown = set(assessment.definition_names)
    rows = []
    for (name, persp, key), res in assessment.results.items():
        if name not in shown:
            continue
        rows.append(
            {
                "definition": name,
                "label": LABELS.get(name, name),
                "perspective": persp,
                "perspective_label": names.get(persp, persp),
                "case": str(key),
                "case_label": case_label(key),
                "value": res.value,
                "verdict": verdict(name, res.value) or "",
                "headline": persp == assessment.headline_perspective
                and key == assessment.headline_case,
            }
        )
    columns = [
        "definition",
        "label",
        "perspective",
        "perspective_label",
        "case",
        "case_label",
        "value",
        "verdict",
        "headline",
    ]
    return pd.DataFrame(rows, columns=columns)


def headline_frame(assessment: Assessment) -> pd.DataFrame:
    """Headline value, verdict and per-side parts of each definition.

    Returns
    -------
    pandas.DataFrame
        One row per definition (registry order, the three-party ones last):
        ``definition, label, value, verdict`` and one column per side.
    """
    rows = []
    for name in assessment.definition_names:
        res = assessment.value(name)
        row: dict[str, object] = {
            "definition": name,
            "label": LABELS.get(name, name),
            "value": res.value,
            "verdict": verdict(name, res.value) or "",
        }
        for actor in assessment.pair:
            row[actor] = res.components.get(actor, float("nan"))
        rows.append(row)
    return pd.DataFrame(rows, columns=["definition", "label", "value", "verdict", *assessment.pair])


def _disagreements(assessment: Assessment, a: str | None, b: str | None) -> list[Disagreement]:
    if (a is None) != (b is None):
        raise InvalidArgumentError("give both readings to compare, or neither")
    if a is None or b is None:
        pairs = assessment.reading_pairs()
        if not pairs:
            return []
        a, b = pairs[0]
    return assessment.disagreements(a, b)


def disagreement_frame(
    assessment: Assessment, a: str | None = None, b: str | None = None
) -> pd.DataFrame:
    """Where readings ``a`` and ``b`` part, largest split first.

    By default ``a`` and ``b`` are the first pair of the parties' own readings
    (:meth:`~detente.analysis.assess.Assessment.reading_pairs`: the US and Russian
    readings for the 2021 baseline).

    Returns
    -------
    pandas.DataFrame
        Columns ``definition, label, case, case_label, value_a, value_b,
        difference, verdicts_differ``; empty when either reading is missing.
    """
    rows = [
        {
            "definition": d.definition,
            "label": LABELS.get(d.definition, d.definition),
            "case": str(d.case),
            "case_label": case_label(d.case),
            "value_a": d.value_a,
            "value_b": d.value_b,
            "difference": d.difference,
            "verdicts_differ": d.verdicts_differ,
        }
        for d in _disagreements(assessment, a, b)
    ]
    columns = [
        "definition",
        "label",
        "case",
        "case_label",
        "value_a",
        "value_b",
        "difference",
        "verdicts_differ",
    ]
    return pd.DataFrame(rows, columns=columns)


def pairs_frame(assessment: Assessment) -> pd.DataFrame:
    """Each pair's definitions on its own and with the other parties present (headline
    reading and alert case); empty for two sides.

    Returns
    -------
    pandas.DataFrame
        Columns ``pair, definition, label, alone, with_others, change``.
    """
    tri = assessment.triangle
    rows = []
    if tri is not None:
        for pair in tri.pairs:
            for name, alone, there in tri.change(
                pair, assessment.headline_perspective, assessment.headline_case
            ):
                rows.append(
                    {
                        "pair": f"{pair[0].upper()}-{pair[1].upper()}",
                        "definition": name,
                        "label": LABELS.get(name, name),
                        "alone": alone,
                        "with_others": there,
                        "change": there - alone,
                    }
                )
    return pd.DataFrame(
        rows, columns=["pair", "definition", "label", "alone", "with_others", "change"]
    )


def alignment_frame(assessment: Assessment) -> pd.DataFrame:
    """First-strike index of every alignment of the parties (headline reading and case);
    empty without the three-party definitions.

    Returns
    -------
    pandas.DataFrame
        Columns ``alignment, label, index, verdict``, weakest first.
    """
    key = "first_strike_alignments"
    rows = []
    if key in assessment.definition_names:
        for name, value in assessment.value(key).details.items():
            if name.endswith(".index"):
                label = name[: -len(".index")]
                rows.append(
                    {
                        "alignment": label,
                        "label": label.upper().replace("|", " vs "),
                        "index": value,
                        "verdict": verdict(key, value) or "",
                    }
                )
    frame = pd.DataFrame(rows, columns=["alignment", "label", "index", "verdict"])
    return frame.sort_values("index", kind="stable").reset_index(drop=True)
