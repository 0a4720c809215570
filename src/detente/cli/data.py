"""``detente data``: list, show and cite the built-in postures and totals."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from detente.analysis.measures import posture_measures
from detente.cli.app import app
from detente.cli.console import emit, warheads
from detente.cli.console import out_console as out
from detente.data import (
    find_name,
    load_posture,
    load_totals,
    posture_names,
    sources,
    totals_names,
    warhead_summary,
)
from detente.errors import UnknownNameError, unknown
from detente.model.posture import Posture, PublishedTotals

data_app = typer.Typer(
    help="Built-in cited data: postures, totals of other nuclear states, sources.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")


JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

_SUMMARY_ROWS = (
    ("deployed_strategic", "Deployed strategic (loaded; bomber weapons at bases)"),
    ("strategic_reserve", "Strategic reserve (stored upload and bomber weapons)"),
    ("nonstrategic", "Non-strategic"),
    ("unassigned", "Stockpile not attributed to a system"),
    ("stockpile", "Military stockpile"),
    ("deployed", "Deployed, all kinds (incl. forward-based)"),
    ("retired", "Retired, awaiting dismantlement"),
    ("total_inventory", "Total inventory"),
)


def _n(value: float) -> str:
    return warheads(value)


def _published(totals: PublishedTotals | None, key: str) -> str:
    if totals is None or key not in PublishedTotals.model_fields:
        return ""
    return _n(float(getattr(totals, key)))


@data_app.command("list")
def list_data(as_json: JsonOpt = False) -> None:
    """List built-in postures and totals-only entries with their warhead totals."""
    rows: list[dict[str, Any]] = []
    for name in posture_names():
        p = load_posture(name)
        s = warhead_summary(p)
        rows.append(
            {
                "name": name,
                "kind": "posture",
                "actor": p.actor,
                "date": p.date.isoformat(),
                "systems": len(p.systems),
                "stockpile": s["stockpile"],
                "deployed": s["deployed"],
                "total_inventory": s["total_inventory"],
            }
        )
    for name in totals_names():
        t = load_totals(name)
        rows.append(
            {
                "name": name,
                "kind": "totals",
                "actor": t.actor,
                "date": t.date.isoformat(),
                "systems": 0,
                "stockpile": float(t.totals.military_stockpile),
                "deployed": float(t.totals.deployed),
                "total_inventory": float(t.totals.total_inventory),
            }
        )
    if as_json:
        emit(json.dumps(rows, indent=2))
        return
    table = Table(title="Built-in data")
    for col in ("Name", "Kind", "Actor", "Date", "Systems", "Stockpile", "Deployed", "Total"):
        table.add_column(
            col, justify="right" if col in ("Systems", "Stockpile", "Deployed", "Total") else "left"
        )
    for r in rows:
        table.add_row(
            r["name"],
            r["kind"],
            r["actor"],
            r["date"],
            str(r["systems"]) if r["kind"] == "posture" else "-",
            _n(r["stockpile"]),
            _n(r["deployed"]),
            _n(r["total_inventory"]),
        )
    out.print(table)


def _systems_table(p: Posture) -> Table:
    table = Table(title=f"{p.label}: systems")
    for col in (
        "System",
        "Category",
        "Delivery",
        "Deployed",
        "Non-dep.",
        "Load",
        "Max",
        "Loaded",
        "Stored",
        "Yield kt",
        "Range km",
        "Source",
    ):
        table.add_column(
            col, justify="left" if col in ("System", "Category", "Delivery", "Source") else "right"
        )
    for s in p.systems:
        flags = "".join(f for f, on in ((" [conv]", not s.nuclear), (" [novel]", s.novel)) if on)
        table.add_row(
            s.id,
            s.category + flags,
            s.delivery,
            str(s.launchers_deployed),
            str(s.launchers_nondeployed),
            _n(s.warheads_per_launcher)
            if s.warheads_per_launcher % 1 == 0
            else f"{s.warheads_per_launcher:.2f}",
            _n(s.max_warheads_per_launcher),
            _n(s.warheads_deployed),
            str(s.warheads_stored),
            f"{s.yield_kt:g}",
            _n(s.range_km),
            s.source,
        )
    return table


def _category_table(p: Posture) -> Table:
    table = Table(title="By leg / category (nuclear systems)")
    for col in ("Category", "Systems", "Deployed launchers", "Loaded", "Stored", "Total"):
        table.add_column(col, justify="left" if col == "Category" else "right")
    cats: dict[str, list[float]] = {}
    for s in p.systems:
        if not s.nuclear:
            continue
        row = cats.setdefault(s.category, [0, 0, 0, 0])
        row[0] += 1
        row[1] += s.launchers_deployed
        row[2] += s.warheads_deployed
        row[3] += s.warheads_stored
    for cat, (n, launchers, loaded, stored) in cats.items():
        table.add_row(cat, _n(n), _n(launchers), _n(loaded), _n(stored), _n(loaded + stored))
    return table


def _totals_table(p: Posture) -> Table:
    summary = warhead_summary(p)
    table = Table(title="Totals: this posture vs the published estimate")
    table.add_column("Quantity")
    table.add_column("Posture", justify="right")
    table.add_column("Published", justify="right")
    names = {"stockpile": "military_stockpile"}
    for key, label in _SUMMARY_ROWS:
        table.add_row(label, _n(summary[key]), _published(p.totals, names.get(key, key)))
    return table


def _measures_table(p: Posture) -> Table:
    m = posture_measures(p)
    table = Table(title="Static measures (deployed nuclear warheads)")
    for col in ("System", "Warheads", "EMT (Mt)", "CMP", "Mean K", "Hard-target capable"):
        table.add_column(col, justify="left" if col == "System" else "right")
    rows = [*m.systems.items(), ("total", m.total)]
    for sid, f in rows:
        if not f.warheads and sid != "total":
            continue
        table.add_row(
            sid,
            _n(f.warheads),
            f"{f.equivalent_megatons:,.0f}",
            f"{f.counter_military_potential:,.0f}",
            f"{f.mean_lethality:,.0f}",
            _n(f.hard_target_capable),
        )
    return table


@data_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Built-in posture or totals name, e.g. ru-2021.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one built-in posture (systems, legs, totals) or totals-only entry."""
    name = find_name(name, totals_names()) or find_name(name, posture_names()) or name
    if name in totals_names():
        entry = load_totals(name)
        if as_json:
            emit(json.dumps(entry.model_dump(mode="json"), indent=2))
            return
        table = Table(title=f"{entry.label}: published totals ({entry.source})")
        table.add_column("Quantity")
        table.add_column("Warheads", justify="right")
        for key in ("total_inventory", "military_stockpile", "deployed", "retired"):
            table.add_row(key.replace("_", " "), _n(float(getattr(entry.totals, key))))
        out.print(table)
        if entry.notes:
            out.print(entry.notes)
        return
    if name not in posture_names():
        raise UnknownNameError(
            unknown("built-in posture", name, (*posture_names(), *totals_names()))
        )
    p = load_posture(name)
    if as_json:
        doc = p.model_dump(mode="json")
        doc["summary"] = warhead_summary(p)
        doc["static_measures"] = posture_measures(p).to_dict()
        emit(json.dumps(doc, indent=2))
        return
    out.print(_systems_table(p))
    out.print(_category_table(p))
    out.print(_totals_table(p))
    out.print(_measures_table(p))
    if p.notes:
        out.print(p.notes)


@data_app.command("sources")
def list_sources(as_json: JsonOpt = False) -> None:
    """List the sources every shipped number cites."""
    entries = list(sources().values())
    if as_json:
        emit(json.dumps(entries, indent=2, default=str))
        return
    table = Table(title="Sources")
    for col in ("Key", "Author", "Year", "Title", "URL"):
        table.add_column(col, overflow="fold")
    for e in entries:
        table.add_row(
            str(e["key"]), str(e["author"]), str(e["year"]), str(e["title"]), str(e["url"])
        )
    out.print(table)
