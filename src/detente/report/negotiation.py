"""The negotiation section of the report, and a self-contained page holding it.

:func:`negotiation_section` is one report section: the front plotted (each
side's gain on an axis, the zone shaded, the bargaining packages marked), the
zone of agreement or which constraint keeps it empty, the Nash and
Kalai-Smorodinsky packages in plain words, the front as a table and the
no-treaty point it is measured against. :func:`write_negotiation_report`
writes it as a page of its own. Every piece of user text is escaped by the
builders of :mod:`detente.report.template`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from detente.io.output import OutputError, check_file, write_file
from detente.negotiation.result import NegotiationResult, format_measure
from detente.report.template import Cell, CellLike, figure, page, paragraph, section, table
from detente.viz.negotiation import front_figure

TOC = (("negotiation", "Negotiation"), ("levers", "Levers"), ("method", "Method"))
MAX_FRONT_ROWS = 40
"""Front packages listed in the table (all are in the JSON)."""


class NegotiationReportError(OutputError):
    """The negotiation report could not be written."""


def _value(result: NegotiationResult, key: str, value: float) -> Cell:
    return Cell(result.format_lever(key, value), numeric=True)


def _front_rows(result: NegotiationResult, rows: Sequence[int]) -> list[list[CellLike]]:
    names = {i: name for name, i in result.highlights()}
    out = []
    for i in rows:
        cells: list[CellLike] = [names.get(i, "")]
        cells += [_value(result, k, v) for k, v in result.lever_values(i).items()]
        cells += [Cell(f"{v:.4g}", numeric=True) for v in result.evaluated[i].objectives]
        cells += [Cell(f"{g:+.4f}", numeric=True) for g in result.gains[i]]
        cells.append("yes" if result.acceptable(i) else "no")
        out.append(cells)
    return out


def _front_headers(result: NegotiationResult) -> tuple[list[str], list[int]]:
    s = result.spec
    heads = ["", *(lv.display for lv in s.levers), *(o.display for o in s.objectives)]
    heads += [f"{a.upper()} gain" for a in s.parties] + ["acceptable"]
    return heads, list(range(1, len(heads) - 1))


def _highlights_table(result: NegotiationResult) -> str:
    """Levers, objectives and gains of the highlighted packages, one column each."""
    s = result.spec
    shown = result.highlights()
    rows: list[list[CellLike]] = []
    for lever in s.levers:
        row: list[CellLike] = [lever.display, Cell("none", numeric=True)]
        row += [_value(result, lever.key, result.lever_values(i)[lever.key]) for _, i in shown]
        rows.append(row)
    for j, o in enumerate(s.objectives):
        row = [o.display, Cell(f"{result.disagreement.objectives[j]:.4g}", numeric=True)]
        row += [Cell(f"{result.evaluated[i].objectives[j]:.4g}", numeric=True) for _, i in shown]
        rows.append(row)
    for k, a in enumerate(s.parties):
        row = [f"{a.upper()} gain over no treaty", Cell("0", numeric=True)]
        row += [Cell(f"{result.gains[i, k]:+.4f}", numeric=True) for _, i in shown]
        rows.append(row)
    heads = ["", "no treaty", *(name for name, _ in shown)]
    return table(heads, rows, list(range(1, len(heads))))


def _zone_text(result: NegotiationResult) -> str:
    b = result.outcome
    n = len(result.evaluated)
    if b.zone.size:
        return (
            f"{b.zone.size} of the {n} packages evaluated meet every constraint: the zone of "
            f"possible agreement. {b.front.size} of them are on the Pareto front (no other "
            "package in the zone is at least as good for every objective and better for one)."
        )
    parts = [
        f"no package meets {f.constraint} (the nearest misses by {f.best:.4g})"
        for f in result.shortfalls()
        if f.met_by == 0
    ]
    binding = "; ".join(parts) or "each constraint is met by some package, never all at once"
    return f"The zone of agreement is empty over the {n} packages evaluated: {binding}."


SOLUTIONS = {
    "Nash": "the package in the zone with the largest product of the sides' gains",
    "Kalai-Smorodinsky": "the package in the zone that gives every side the largest equal "
    "share of the most it could gain",
}


def _explanations(result: NegotiationResult) -> str:
    """What each side gives and gets in each bargaining package, in words."""
    b = result.outcome
    parts = []
    done: set[int] = set()
    for i in (b.nash, b.kalai_smorodinsky):
        if i is None or i in done:
            continue
        done.add(i)
        names = [
            n for n, j in (("Nash", b.nash), ("Kalai-Smorodinsky", b.kalai_smorodinsky)) if j == i
        ]
        title = " and ".join(
            f"{n} bargaining package" if n == "Nash" else f"{n} package" for n in names
        )
        what = "; ".join(f"{n}: {SOLUTIONS[n]}" for n in names)
        words = "".join(f"<li>{html.escape(text)}</li>" for text in result.explain(i).values())
        parts.append(
            f"<h3>{html.escape(title)}</h3>"
            + paragraph(what[:1].upper() + what[1:] + ".")
            + f"<ul>{words}</ul>"
        )
    if not parts:
        parts.append(paragraph("No bargaining package: the zone of agreement is empty."))
    return "".join(parts)


def _disagreement(result: NegotiationResult) -> str:
    s = result.spec
    base = result.disagreement
    kinds = list(dict.fromkeys(lv.kind for lv in s.levers))
    labels = {lv.kind: lv.spec.label for lv in s.levers}
    rows: list[list[CellLike]] = [
        [
            actor.upper(),
            *(Cell(format_measure(side.measures[k], k), numeric=True) for k in kinds),
            side.uploaded,
        ]
        for actor, side in base.sides.items()
    ]
    return (
        "<h3>The disagreement point: no treaty</h3>"
        + paragraph(
            "New START expired: no ceilings, and every side whose doctrine says so uploads its "
            "stored warheads onto its launchers. What each side holds there, counted as the "
            "levers count:"
        )
        + table(
            ["side", *(labels[k] for k in kinds), "warheads uploaded"],
            rows,
            list(range(1, len(kinds) + 2)),
        )
    )


def negotiation_section(result: NegotiationResult) -> str:
    """The negotiation section: figure, zone, bargaining packages, front, no-treaty point."""
    s = result.spec
    b = result.outcome
    fig = front_figure(result).to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id="fig-negotiation-front",
        config={"displaylogo": False, "responsive": True},
    )
    doctrines = "; ".join(
        f"{d.actor.upper()} cuts by {d.policy.replace('_', ' ')}"
        + (" and uploads where it is free to" if d.build_up else " and does not upload")
        for d in s.sides
    )
    heads, numeric = _front_headers(result)
    front_rows = [int(i) for i in b.front][:MAX_FRONT_ROWS]
    more = (
        paragraph(f"The first {MAX_FRONT_ROWS} of {b.front.size} front packages are listed.")
        if b.front.size > MAX_FRONT_ROWS
        else ""
    )
    return section(
        "negotiation",
        "Negotiation: packages each side's own reading accepts",
        paragraph(s.question, "question") if s.question else "",
        paragraph(
            f"{len(result.evaluated)} distinct packages evaluated in {result.generations} "
            f"generations of {s.search.algorithm.upper()} (seed {s.search.seed}). Doctrines: "
            f"{doctrines}."
        ),
        figure(fig),
        paragraph(_zone_text(result)),
        _highlights_table(result) if result.highlights() else "",
        _explanations(result),
        "<h3>The Pareto front</h3>",
        table(heads, _front_rows(result, front_rows), numeric),
        more,
        _disagreement(result),
    )


def _levers_section(result: NegotiationResult) -> str:
    rows: list[list[CellLike]] = [
        [
            lv.display,
            lv.spec.unit,
            _value(result, lv.key, lv.min),
            _value(result, lv.key, lv.max),
            "" if not lv.stepped else _value(result, lv.key, lv.step or 1.0),
            ", ".join(p.upper() for p in lv.parties) or "every side at the table",
            lv.spec.description,
        ]
        for lv in result.spec.levers
    ]
    return section(
        "levers",
        "Levers",
        table(["lever", "unit", "min", "max", "step", "binds", "what it is"], rows, [2, 3, 4]),
    )


def _method_section() -> str:
    return section(
        "method",
        "Method",
        paragraph(
            "Each package is a treaty: its ceilings, counted by the rules listed with each "
            "lever, and its posture provisions. Each side at the table takes on the provisions, "
            "brings itself under the ceilings that bind it by its own reduction policy, and "
            "uploads up to them where its doctrine says so; the scenario is then evaluated "
            "for the definitions, readings and alert cases the objectives read. The search is "
            "pymoo's NSGA-II or NSGA-III; the front, zone and bargaining packages are taken "
            "over every package it evaluated. Gains are measured against no treaty. See "
            "docs/negotiation.md."
        ),
    )


def build_negotiation_report(result: NegotiationResult) -> str:
    """A complete HTML page with the negotiation, levers and method sections."""
    from plotly.offline import get_plotlyjs

    s = result.spec
    body = negotiation_section(result) + _levers_section(result) + _method_section()
    subtitle = (
        f"Treaty packages for {', '.join(a.upper() for a in s.parties)} over "
        f"{s.scenario.label or s.scenario.name}"
    )
    footer = "Generated by detente. Values are expected outcomes of a model, not predictions."
    return page(s.label or s.name, subtitle, TOC, body, get_plotlyjs(), footer)


def write_negotiation_report(
    result: NegotiationResult,
    path: str | os.PathLike[str],
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Write the negotiation report to ``path`` atomically (see :mod:`detente.io.output`)."""
    check_file(path, what="the report", inputs=inputs, error=NegotiationReportError)
    data = build_negotiation_report(result).encode("utf-8")
    return write_file(
        path,
        lambda fh: fh.write(data),
        what="the report",
        inputs=inputs,
        error=NegotiationReportError,
    )


__all__ = [
    "build_negotiation_report",
    "negotiation_section",
    "write_negotiation_report",
]
