"""``detente runs``: list, show, export, report and remove stored sweep runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from detente.cli.app import app
from detente.cli.console import emit, err_console, out_console, styled
from detente.errors import InvalidArgumentError

runs_app = typer.Typer(
    help="Stored sweep runs: list, show, export (Parquet, CSV), report, remove.",
    no_args_is_help=True,
)
app.add_typer(runs_app, name="runs")

StoreOpt = Annotated[str, typer.Option("--store", help="Results store file (DuckDB).")]
RunArg = Annotated[str, typer.Argument(help="Run id (or a unique start of it).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
DEFAULT = "detente-results.duckdb"


def _when(value: Any) -> str:
    return "" if value is None else str(value)[:19]


def _status(row: Any) -> str:
    if row["status"] == "complete":
        return "complete"
    return f"{row['status']} ({row['chunks_done']}/{row['chunks']} chunks)"


@runs_app.command("list")
def list_command(store: StoreOpt = DEFAULT, as_json: JsonOpt = False) -> None:
    """Every run in the store: id, name, status, size, executor, when."""
    from detente.store import open as open_store

    with open_store(store, read_only=True) as st:
        frame = st.runs()
    if as_json:
        records = json.loads(frame.to_json(orient="records", date_format="iso"))
        emit(json.dumps(records, indent=2))
        return
    if frame.empty:
        out_console.print(styled(f"{store}: no runs stored yet (detente sweep SPEC.yaml)"))
        return
    t = Table(title=f"Runs in {store}", title_justify="left")
    for col in ("id", "name", "status", "points", "design", "executor", "started", "version"):
        t.add_column(col, justify="right" if col == "points" else "left")
    for _, row in frame.iterrows():
        t.add_row(
            styled(str(row["run_id"])[:12]),
            styled(str(row["name"])),
            styled((_status(row), "green" if row["status"] == "complete" else "yellow")),
            f"{int(row['points']):,}",
            styled(str(row["design"])),
            styled(str(row["executor"] or "")),
            _when(row["started_at"]),
            styled(str(row["code_version"])),
        )
    out_console.print(t)


def _show_dict(info: Any) -> dict[str, Any]:
    return {
        "run_id": info.run_id,
        "name": info.name,
        "label": info.label,
        "question": info.question,
        "status": info.status,
        "message": info.message,
        "chunks_done": info.chunks_done,
        "chunks": info.chunks,
        "points": info.points,
        "experiments": info.experiments,
        "design": info.design,
        "seed": info.seed,
        "executor": info.executor,
        "code_version": info.code_version,
        "started_at": _when(info.started_at),
        "ended_at": _when(info.ended_at),
        "scenario": info.scenario.get("name"),
        "levers": list(info.levers),
        "spec": info.spec,
    }


@runs_app.command("show")
def show_command(run: RunArg, store: StoreOpt = DEFAULT, as_json: JsonOpt = False) -> None:
    """One run: what it varied, its status, and the range of each definition over it."""
    from detente.cli.sweep import _definitions
    from detente.store import open as open_store
    from detente.store.frames import headline_table

    with open_store(store, read_only=True) as st:
        info = st.run(run)
        ranges = []
        for definition in _definitions(info.spec):
            table, label = headline_table(st, info.run_id, definition)
            if not table.empty:
                v = table["value"]
                ranges.append((definition, label, v.min(), v.median(), v.max()))
    if as_json:
        data = _show_dict(info)
        data["ranges"] = [
            {"definition": d, "series": s, "min": lo, "median": mid, "max": hi}
            for d, s, lo, mid, hi in ranges
        ]
        emit(json.dumps(data, indent=2, default=str))
        return
    head = Table(title=f"Run {info.short_id}: {info.label or info.name}", title_justify="left")
    head.add_column("")
    head.add_column("")
    status = info.status if info.complete else f"{info.status}, {info.chunks_done} of {info.chunks}"
    for key, value in (
        ("id", info.run_id),
        ("question", info.question),
        ("scenario", str(info.scenario.get("name", ""))),
        ("status", status + (f" ({info.message})" if info.message else "")),
        ("design", f"{info.design}, {info.points:,} points, {info.experiments:,} experiments"),
        ("seed", str(info.seed)),
        ("executor", info.executor),
        ("code version", info.code_version),
        ("started / ended", f"{_when(info.started_at)} / {_when(info.ended_at)}"),
    ):
        head.add_row(styled((key, "bold")), styled(value))
    out_console.print(head)
    levers = Table(title="Levers", title_justify="left")
    for col in ("lever", "kind", "values"):
        levers.add_column(col)
    for lv in info.levers:
        shown = ", ".join(str(v) for v in lv["levels"][:12])
        if len(lv["levels"]) > 12:
            shown += f", ... ({len(lv['levels'])} values)"
        levers.add_row(styled(lv["label"]), styled(lv["kind"]), styled(shown or "range"))
    out_console.print(levers)
    if ranges:
        t = Table(title="Each definition over the sweep", title_justify="left")
        for col in ("definition", "series", "min", "median", "max"):
            t.add_column(col, justify="right" if col in ("min", "median", "max") else "left")
        for d, s, lo, mid, hi in ranges:
            t.add_row(styled(d), styled(s), f"{lo:.3f}", f"{mid:.3f}", f"{hi:.3f}")
        out_console.print(t)


@runs_app.command("export")
def export_command(
    run: RunArg,
    parquet: Annotated[
        Path | None, typer.Option("--parquet", help="Write the outcomes to this Parquet file.")
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the outcomes to this CSV file.")
    ] = None,
    store: StoreOpt = DEFAULT,
) -> None:
    """Write a run's tidy outcomes, one column per lever, to Parquet and/or CSV."""
    if parquet is None and csv is None:
        raise InvalidArgumentError("give --parquet FILE and/or --csv FILE")
    from detente.store import open as open_store

    with open_store(store, read_only=True) as st:
        info = st.run(run)
        for path, fmt in ((parquet, "parquet"), (csv, "csv")):
            if path is not None:
                written = st.export(info.run_id, path, fmt)  # type: ignore[arg-type]
                err_console.print(styled(f"wrote {written} (run {info.short_id}, {fmt})"))


@runs_app.command("rm")
def rm_command(run: RunArg, store: StoreOpt = DEFAULT) -> None:
    """Remove a run and everything stored for it."""
    from detente.store import open as open_store

    with open_store(store) as st:
        info = st.remove(run)
    err_console.print(styled(f"removed run {info.short_id} ({info.name}) from {store}"))


@runs_app.command("report")
def report_command(
    run: RunArg,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the sweep report (HTML) here.")
    ] = None,
    plots: Annotated[
        Path | None, typer.Option("--plots", help="Write PNG figures of the sweep here.")
    ] = None,
    store: StoreOpt = DEFAULT,
) -> None:
    """Report of a stored run: the sweep, and each definition over its levers."""
    if html is None and plots is None:
        raise InvalidArgumentError("give --html FILE and/or --plots FOLDER")
    from detente.report.sweep import collect_sweep, write_sweep_report
    from detente.store import open as open_store
    from detente.viz.sweep import write_sweep_plots

    with open_store(store, read_only=True) as st:
        data = collect_sweep(st, run)
    if html is not None:
        written = write_sweep_report(data, html)
        err_console.print(styled(f"wrote {written}"))
    if plots is not None:
        for path in write_sweep_plots(data.tables, data.levers, plots):
            err_console.print(styled(f"wrote {path}"))
