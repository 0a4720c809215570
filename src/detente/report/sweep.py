"""The report of a stored sweep run: one self-contained HTML file.

Sections: the sweep (question, base scenario, levers, design, how it was run,
its content hash), then for each definition kept its value over the levers
(lines and a heatmap over the first two levers, a panel per value of a third)
with the range it spans, and how to reproduce the run. Figures come from
:mod:`detente.viz.sweep` over the tables of :mod:`detente.store.frames`;
nothing here runs the engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.io.output import OutputError, check_file, write_file
from detente.report.template import figure as framed
from detente.report.template import fixed, page, paragraph, section, table
from detente.stability import LABELS
from detente.stability.verdicts import READINGS
from detente.store.frames import headline_table
from detente.store.results import ResultsStore, RunInfo
from detente.viz.sweep import heatmap_figure, lines_figure

if TYPE_CHECKING:
    import pandas as pd


class SweepReportError(OutputError):
    """The sweep report could not be written."""


@dataclass(frozen=True)
class SweepData:
    """What the report of a run shows, read from the store."""

    info: RunInfo
    levers: tuple[dict[str, Any], ...]
    tables: dict[str, tuple[pd.DataFrame, str]]
    """Per definition: one value per point, and the series it is (reading, case)."""
    store: str
    seconds: float
    outcome_rows: int


def collect_sweep(store: ResultsStore, run_id: str) -> SweepData:
    """Read everything the report of ``run_id`` needs from ``store``."""
    from detente.stability import DEFINITIONS

    info = store.run(run_id)
    keep = info.spec.get("keep") or {}
    tables = {}
    for definition in keep.get("definitions") or DEFINITIONS:
        frame, label = headline_table(store, info.run_id, definition)
        if not frame.empty:
            tables[definition] = (frame, label)
    row = store.con.execute(
        "SELECT coalesce(sum(seconds), 0), coalesce(sum(outcome_rows), 0) FROM chunks "
        "WHERE run_id = ?",
        [info.run_id],
    ).fetchone()
    seconds, rows = (float(row[0]), int(row[1])) if row else (0.0, 0)
    return SweepData(info, info.levers, tables, str(store.path), seconds, rows)


def _plot(fig: Any, name: str) -> str:
    config = {"displaylogo": False, "responsive": True}
    fragment: str = fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"fig-{name}", config=config
    )
    return framed(fragment)


def _sweep_section(d: SweepData) -> str:
    info = d.info
    rows = [
        (
            lv["label"],
            lv["name"],
            lv["kind"],
            ", ".join(str(v) for v in lv["levels"][:12])
            + (f", ... ({len(lv['levels'])} values)" if len(lv["levels"]) > 12 else "")
            or "sampled range",
        )
        for lv in d.levers
    ]
    status = "complete" if info.complete else f"{info.status}, {info.chunks_done} of {info.chunks}"
    facts = [
        ("Base scenario", str(info.scenario.get("label") or info.scenario.get("name"))),
        ("Design", f"{info.design}: {info.points:,} points, {info.experiments:,} experiments"),
        ("Status", status),
        ("Executor", info.executor),
        ("Code version", info.code_version),
        ("Seed", str(info.seed)),
        ("Run id (content hash)", info.run_id),
        ("Stored in", d.store),
        (
            "Compute",
            f"{d.seconds:,.1f} s over {info.chunks_done} chunks, {d.outcome_rows:,} outcome rows",
        ),
    ]
    return section(
        "sweep",
        "The sweep",
        paragraph(info.question or "The sweep states no question.", "question"),
        paragraph(
            "Every point is the base scenario with the levers set as listed; everything else "
            "is as the base scenario has it. The run id is the SHA-256 of the resolved base "
            "scenario, the levers, design, seed and what is kept, and the code version: the "
            "same sweep asked again reuses these results."
        ),
        table(["Lever", "Name", "Sets", "Values"], rows),
        table(["", ""], facts),
    )


def _definition_section(d: SweepData, definition: str, frame: pd.DataFrame, label: str) -> str:
    title = LABELS.get(definition, definition)
    low = frame.iloc[int(frame["value"].to_numpy().argmin())]
    high = frame.iloc[int(frame["value"].to_numpy().argmax())]
    names = [lv["name"] for lv in d.levers]

    def at(row: Any) -> str:
        return ", ".join(f"{n} = {row[n]}" for n in names)

    measures = READINGS[definition].explains if definition in READINGS else ""
    return section(
        f"def-{definition}",
        title,
        paragraph(f"{measures.rstrip('.')}. Shown: {label}; 1 is most stable."),
        table(
            ["", "Value", "At"],
            [
                ("Lowest", fixed(float(low["value"]), 3), at(low)),
                ("Highest", fixed(float(high["value"]), 3), at(high)),
            ],
            (1,),
        ),
        _plot(lines_figure(frame, d.levers, f"{title} ({label})"), f"{definition}-lines"),
        _plot(heatmap_figure(frame, d.levers, f"{title} ({label})"), f"{definition}-heat"),
    )


def _reproduce(d: SweepData) -> str:
    return section(
        "reproduce",
        "Reproduce",
        paragraph(
            f"detente sweep SPEC.yaml --store {d.store} computes this run again (or reuses it "
            f"if it is stored); detente runs export {d.info.short_id} --parquet FILE writes "
            "every stored outcome with its lever values; in Python, "
            f"detente.store.open(path).outcomes('{d.info.short_id}') returns them as a table."
        ),
    )


def build_sweep_report(d: SweepData) -> str:
    """The report of a stored run as one HTML document (needs no network)."""
    from plotly.offline import get_plotlyjs

    parts = [_sweep_section(d)]
    toc = [("sweep", "Sweep")]
    for definition, (frame, label) in d.tables.items():
        parts.append(_definition_section(d, definition, frame, label))
        toc.append((f"def-{definition}", LABELS.get(definition, definition)))
    parts.append(_reproduce(d))
    toc.append(("reproduce", "Reproduce"))
    info = d.info
    title = info.label or info.name
    subtitle = f"Sweep run {info.short_id}: {info.points:,} points of {info.scenario.get('name')}"
    footer = "Generated by detente from a stored run. Values are expected outcomes of a model."
    return page(title, subtitle, toc, "".join(parts), get_plotlyjs(), footer)


def write_sweep_report(d: SweepData, path: str | os.PathLike[str]) -> Path:
    """Write the report of a stored run to ``path`` (atomically, checked as every output)."""
    check_file(path, what="the sweep report", error=SweepReportError)
    data = build_sweep_report(d).encode("utf-8")
    return write_file(
        path, lambda fh: fh.write(data), what="the sweep report", error=SweepReportError
    )


__all__ = [
    "SweepData",
    "SweepReportError",
    "build_sweep_report",
    "collect_sweep",
    "write_sweep_report",
]
