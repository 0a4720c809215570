"""What the API returns: assessments, comparisons and counts as plain JSON-ready data.

Nothing here computes a number of its own. Assessments come from
:func:`detente.analysis.assess.assess`, comparisons from
:func:`detente.analysis.compare.compare`, treaty counts from
:mod:`detente.treaty`, figures from :mod:`detente.viz` (the same as the HTML
report's) and the sources of every input number from the citations the
postures carry (:mod:`detente.report.provenance`).
"""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import BaseModel

from detente.analysis.assess import Assessment, assess
from detente.analysis.compare import compare
from detente.data import load_posture, resolve_treaty, sources
from detente.model.base import Cited
from detente.model.scenario import Scenario
from detente.report.provenance import cited_objects
from detente.stability.first_strike import raw_ratios, raw_text
from detente.treaty import compliance, count
from detente.viz import figures, frames
from detente.web.levers import Levers, apply_levers, lever_state, treaty_label


def finite(data: Any) -> Any:
    """``data`` with every non-finite float replaced by ``None`` (JSON has no inf or NaN)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {str(k): finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [finite(v) for v in data]
    return data


def scenario_summary(scenario: Scenario, pair: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Name, question, sides and treaty of a scenario."""
    return {
        "name": scenario.name,
        "label": scenario.label,
        "question": scenario.question,
        "date": scenario.date,
        "treaty": None if scenario.treaty is None else treaty_label(scenario.treaty),
        "sides": [
            {"actor": s.actor, "posture": s.posture.id, "label": s.posture.label or s.posture.id}
            for s in scenario.sides
        ],
        "pair": list(pair) if pair is not None else [s.actor for s in scenario.sides[:2]],
    }


def _figure_json(fig: Any) -> dict[str, Any]:
    fig.update_layout(autosize=True)
    data: dict[str, Any] = json.loads(fig.to_json())
    return data


def assessment_figures(a: Assessment) -> dict[str, dict[str, Any]]:
    """The force structure and exchange flow charts of the report, as plotly JSON."""
    forces = frames.force_frame(a)
    force = figures.force_figure(
        frames.force_by_category(forces), [s.actor for s in a.scenario.sides]
    )
    flows = frames.flow_frame(a)
    flow = figures.flow_figure(
        frames.flow_totals(flows),
        frames.warning_launches(a),
        conventional=frames.has_conventional(flows),
    )
    return {"forces": _figure_json(force), "flows": _figure_json(flow)}


def _number_text(value: object) -> str | None:
    """Text of a number, or of a small model made only of numbers; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, BaseModel) and not isinstance(value, Cited):
        parts = {k: getattr(value, k) for k in type(value).model_fields}
        numbers = all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in parts.values()
        )
        if parts and numbers:
            return ", ".join(f"{k} {v:g}" for k, v in parts.items())
    return None


def _cited_numbers(actor: str, obj: Cited, where: str) -> list[dict[str, Any]]:
    rows = []
    for name in type(obj).model_fields:
        if name in ("source", "cite"):
            continue
        text = _number_text(getattr(obj, name))
        if text is None:
            continue
        c = obj.citation(name)
        rows.append(
            {
                "actor": actor,
                "object": where,
                "field": name,
                "value": text,
                "source": c.source,
                "note": c.note,
                "low": c.low,
                "high": c.high,
            }
        )
    return rows


def _settings(scenario: Scenario) -> list[dict[str, Any]]:
    rows = []
    for group, model in (("exchange", scenario.exchange), ("stability", scenario.stability)):
        for name, field in type(model).model_fields.items():
            value = getattr(model, name)
            rows.append(
                {
                    "group": group,
                    "field": name,
                    "value": "unset" if value is None else str(value),
                    "description": field.description or "",
                }
            )
    return rows


def sources_view(scenario: Scenario) -> dict[str, Any]:
    """Every input number of the scenario with its source, and the sources it names.

    ``numbers`` holds one row per number of every cited object (systems, target
    classes, defence layers, C2, launch on warning, published totals, the
    side's agenda factors): its value, source key, note and published range.
    ``registry`` gives title, author, year and link of every key used.
    ``settings`` lists the exchange and stability settings (model parameters,
    documented in ``docs/methodology.md``).
    """
    numbers: list[dict[str, Any]] = []
    for side in scenario.sides:
        for where, obj in cited_objects(side.posture):
            numbers += _cited_numbers(side.actor, obj, where or "posture")
        numbers += _cited_numbers(side.actor, side.factors, "factors")
    keys = sorted({r["source"] for r in numbers} | set(scenario.sources))
    known = sources()
    registry = {
        key: {
            "title": str(known[key].get("title", key)),
            "author": str(known[key].get("author", "")),
            "year": str(known[key].get("year", "")),
            "url": str(known[key].get("url") or ""),
            "note": str(known[key].get("note", "")),
        }
        for key in keys
        if key in known
    }
    return {
        "numbers": finite(numbers),
        "registry": registry,
        "scenario_sources": list(scenario.sources),
        "settings": _settings(scenario),
    }


def _leaning(a: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "definition": name,
            "by_policy": policy.value,
            "all_ride_out": ride.value,
        }
        for name, policy, ride in a.leans_on_launch_on_warning()
    ]


def _raw_first_strike(a: Assessment) -> dict[str, str]:
    """Each side's raw first-strike ratio in the headline case, as the terminal and the
    report show it beside the bounded value (empty when first strike is not assessed)."""
    if "first_strike" not in a.definition_names:
        return {}
    raw = raw_ratios(a.value("first_strike").details, a.pair)
    return {side: raw_text(ratio) for side, ratio in raw.items()}


def assessment_view(
    scenario: Scenario, levers: Levers, pair: tuple[str, ...] | None
) -> dict[str, Any]:
    """Assess ``scenario`` with ``levers`` set: the documented JSON plus charts and sources."""
    changed = apply_levers(scenario, levers)
    a = assess(changed, pair=pair)
    return {
        "scenario": scenario_summary(changed, a.sides),
        "assessment": finite(a.to_dict()),
        "figures": assessment_figures(a),
        "levers": lever_state(changed).model_dump(),
        "sources": sources_view(changed),
        "leaning": finite(_leaning(a)),
        "first_strike_raw": _raw_first_strike(a),
    }


def comparison_view(base: Scenario, variant: Scenario) -> dict[str, Any]:
    """Every definition, reading and key flow of ``variant`` against ``base``."""
    c = compare(base, variant)
    return {
        "base": scenario_summary(base),
        "variant": scenario_summary(variant),
        "comparison": finite(json.loads(json.dumps(c.to_dict(), default=str))),
    }


def treaty_count_view(posture: str, treaty: str) -> dict[str, Any]:
    """A built-in posture counted under a built-in treaty, as ``detente treaty count``.

    Names are resolved as everywhere else (:func:`detente.data.load_posture`,
    :func:`detente.data.resolve_treaty`): either spelling, any case.
    """
    p = load_posture(posture)
    t = resolve_treaty(treaty)
    ledger = count(p, t)
    result = compliance(ledger, on=p.date)
    return {
        "posture": p.id,
        "posture_label": p.label or p.id,
        "treaty": t.id,
        "treaty_label": t.label or t.id,
        "ledger": finite(ledger.to_dict()),
        "compliance": finite(result.to_dict()),
    }


__all__ = [
    "assessment_figures",
    "assessment_view",
    "comparison_view",
    "finite",
    "scenario_summary",
    "sources_view",
    "treaty_count_view",
]
