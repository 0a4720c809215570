"""The report's uncertainty section: interval bars, drivers, Sobol' indices, knife-edges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from detente.analysis.assess import Assessment
from detente.analysis.uncertainty import UncertaintyAnalysis
from detente.report.template import fixed, paragraph, section, table
from detente.stability import DEFINITIONS, LABELS
from detente.viz.uncertainty import interval_figure, tornado_figure

Plot = Callable[[Any, str], str]


def _intervals(u: UncertaintyAnalysis, plot: Plot) -> list[str]:
    rows = []
    order = {name: i for i, name in enumerate(DEFINITIONS)}
    for i in sorted(u.exploration.intervals(), key=lambda i: (order[i.definition], i.perspective)):
        rows.append(
            {
                "label": f"{LABELS[i.definition]} - {i.perspective}",
                "p05": i.low,
                "median": i.median,
                "p95": i.high,
                "baseline": i.baseline,
            }
        )
    fig = interval_figure(rows, "Every headline with its 5-95% range over the draws")
    return [plot(fig, "uncertainty-intervals")]


def _drivers(u: UncertaintyAnalysis, plot: Plot) -> list[str]:
    parts = []
    for name in DEFINITIONS:
        idx = u.sobol.get(name)
        if idx is not None and float(idx.total.max(initial=0.0)) > 0:
            ranked = [(n, st, ct) for n, _, _, st, ct in idx.ranked()[:10]]
            title = f"{LABELS[name]}: Sobol' total index (+- 95%)"
            parts.append(plot(tornado_figure(ranked, title, "total-order index"), f"sobol-{name}"))
            continue
        scr = u.screening.get(name)
        if scr is not None and float(scr.mu_star.max(initial=0.0)) > 0:
            ranked = [(n, m, c) for n, m, c, _ in scr.ranked()[:10]]
            title = f"{LABELS[name]}: Morris mu* (+- 95%)"
            parts.append(
                plot(tornado_figure(ranked, title, "mean |elementary effect|"), f"morris-{name}")
            )
    return parts


def _edges(u: UncertaintyAnalysis) -> list[str]:
    if not u.knife_edges:
        return [
            paragraph(
                "No single input flips a verdict anywhere within its cited range, the others "
                "at their shipped values."
            )
        ]
    rows = [
        (
            LABELS[k.definition],
            k.parameter,
            fixed(k.threshold, 4),
            fixed(k.base, 4),
            f"{k.below} -> {k.above}",
            fixed(k.distance, 2),
        )
        for k in u.knife_edges[:20]
    ]
    return [
        table(
            [
                "Definition",
                "Input",
                "Threshold",
                "Shipped",
                "Verdict flip",
                "Distance (share of range)",
            ],
            rows,
            (2, 3, 5),
        )
    ]


def uncertainty_section(a: Assessment, plot: Plot) -> str:
    """The section, or nothing when the assessment carries no uncertainty analysis."""
    u = a.uncertainty
    if u is None:
        return ""
    e = u.exploration
    lead = paragraph(
        f"{e.draws:,} draws ({e.method}, seed {e.seed}) of {len(e.parameters)} uncertain inputs, "
        "each on its cited range (triangular around the shipped value where the range holds it). "
        f"Drivers: Morris screening of every input, then Sobol' indices of the "
        f"{len(u.sobol_parameters)} largest. Knife-edges: single inputs that flip a verdict "
        "within their range. Method: docs/uncertainty.md."
    )
    body = [lead, *_intervals(u, plot), *_drivers(u, plot), "<h3>Knife-edges</h3>", *_edges(u)]
    return section("uncertainty", "Uncertainty", *body)
