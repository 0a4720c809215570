"""``detente treaty``: list treaties, count a posture, reduce it to comply, upload potential."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from detente.cli.app import app
from detente.cli.console import emit, styled
from detente.cli.console import out_console as out
from detente.data import load_posture, load_treaty, treaty_names
from detente.errors import OutsideValidityError, UnknownNameError
from detente.model.posture import Posture
from detente.model.treaty import Treaty
from detente.treaty import (
    POLICIES,
    Compliance,
    Ledger,
    compliance,
    count,
    reduce_to_comply,
    upload_potential,
)

treaty_app = typer.Typer(
    help="Count postures under treaties, check limits, reduce to comply, upload potential.",
    no_args_is_help=True,
)
app.add_typer(treaty_app, name="treaty")


PostureArg = Annotated[str, typer.Argument(help="Built-in posture name, e.g. us-2021.")]
TreatyOpt = Annotated[
    str, typer.Option("--treaty", "-t", help="Built-in treaty name or a treaty YAML file.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def resolve_treaty(name: str) -> Treaty:
    """A built-in treaty by name (``new-start`` or ``new_start``) or a treaty YAML file."""
    from detente.io.treaty_yaml import resolve_treaty_reference

    return resolve_treaty_reference(name)


def _posture(name: str) -> Posture:
    return load_posture(name)


def _check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise UnknownNameError(
            f"unknown reduction policy {policy!r}; expected one of: {', '.join(POLICIES)}"
        )


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def _emit_json(data: Any) -> None:
    emit(json.dumps(data, indent=2, default=str))


def _compliance_table(result: Compliance, title: str) -> Table:
    table = Table(title=title)
    for col in ("Limit", "Count", "Ceiling", "Margin", ""):
        table.add_column(col, justify="left" if col == "Limit" else "right")
    for s in result.limits:
        flag = styled(("over", "bold red") if s.violated else ("ok", "green"))
        table.add_row(
            styled(s.label or s.limit), _num(s.count), f"{s.ceiling:,}", _num(s.margin), flag
        )
    return table


def _contribution_table(ledger: Ledger) -> Table:
    table = Table(title="Counted by system")
    table.add_column("Item")
    for q in ledger.quantities:
        table.add_column(q, justify="right")
    items = list(dict.fromkeys(c.item for c in ledger.contributions))
    per_q = {q: ledger.by_item(q) for q in ledger.quantities}
    for item in items:
        table.add_row(item, *(_num(per_q[q].get(item, 0.0)) for q in ledger.quantities))
    table.add_row(styled(("total", "bold")), *(_num(ledger.total(q)) for q in ledger.quantities))
    return table


@treaty_app.command("list")
def list_treaties(as_json: JsonOpt = False) -> None:
    """List the built-in treaties and designs with their limits."""
    treaties = {name: load_treaty(name) for name in treaty_names()}
    if as_json:
        _emit_json(
            [
                {
                    "name": name,
                    "id": t.id,
                    "label": t.label,
                    "parties": list(t.parties),
                    "in_force_from": t.in_force_from,
                    "in_force_until": t.in_force_until,
                    "limits": {lim.quantity: lim.ceiling for lim in t.limits},
                }
                for name, t in treaties.items()
            ]
        )
        return
    table = Table(title="Built-in treaties")
    for col in ("Name", "Label", "Parties", "In force", "Limits"):
        table.add_column(col)
    for name, t in treaties.items():
        dates = f"{t.in_force_from or '…'} – {t.in_force_until or '…'}"
        limits = "\n".join(f"{lim.quantity} ≤ {lim.ceiling:,}" for lim in t.limits) or "none"
        table.add_row(name, t.label, ", ".join(t.parties), dates, limits)
    out.print(table)


@treaty_app.command("count")
def count_cmd(
    posture: PostureArg, treaty: TreatyOpt = "new-start", as_json: JsonOpt = False
) -> None:
    """Count a posture under a treaty: totals, margins and what each system adds."""
    t = resolve_treaty(treaty)
    p = _posture(posture)
    ledger = count(p, t)
    result = compliance(ledger, on=p.date)
    if as_json:
        data = ledger.to_dict()
        data.update(data["totals"])
        data["compliance"] = result.to_dict()
        _emit_json(data)
        return
    party = "" if result.party else f" ({p.actor} is not a party)"
    out.print(styled((p.label or p.id, "bold"), " under ", (t.label or t.id, "bold"), party))
    if t.limits:
        out.print(_compliance_table(result, "Limits"))
    else:
        out.print("No limits: every posture complies.")
    out.print(_contribution_table(ledger))


@treaty_app.command("reduce")
def reduce_cmd(
    posture: PostureArg,
    treaty: TreatyOpt = "new-start",
    policy: Annotated[
        str, typer.Option("--policy", "-p", help=f"One of: {', '.join(POLICIES)}.")
    ] = "download_first",
    as_json: JsonOpt = False,
) -> None:
    """Cut a posture until it meets every limit of a treaty, under a reduction policy."""
    _check_policy(policy)
    t = resolve_treaty(treaty)
    p = _posture(posture)
    red = reduce_to_comply(p, t, policy)
    if as_json:
        data = red.to_dict()
        data["posture_after"] = red.posture.model_dump(mode="json")
        _emit_json(data)
        return
    out.print(
        styled(
            (p.label or p.id, "bold"),
            " reduced to meet ",
            (t.label or t.id, "bold"),
            f" ({policy})",
        )
    )
    if not red.cuts:
        out.print("Already compliant: no cuts needed.")
    else:
        table = Table(title="Cuts")
        for col in ("Action", "Item", "Units", "To storage", "For limit"):
            table.add_column(col, justify="right" if col in ("Units", "To storage") else "left")
        for c in red.cuts:
            table.add_row(c.action, c.item, f"{c.units:,}", f"{c.warheads_to_storage:,}", c.limit)
        out.print(table)
    before = compliance(red.ledger_before)
    out.print(_compliance_table(before, "Before"))
    out.print(_compliance_table(red.compliance_after, "After"))


@treaty_app.command("upload")
def upload_cmd(
    posture: PostureArg,
    months: Annotated[
        float, typer.Option("--months", "-m", help="Horizon in months (>= 0).")
    ] = 12.0,
    as_json: JsonOpt = False,
) -> None:
    """Warheads a posture could add to its launchers, in total and within a horizon."""
    if not (0 <= months <= 1200):
        raise OutsideValidityError(f"--months must be between 0 and 1,200, got {months:g}")
    p = _posture(posture)
    up = upload_potential(p, months=months)
    if as_json:
        _emit_json(up.to_dict())
        return
    table = Table(title=f"Upload potential of {p.label or p.id} (rate model: assumption)")
    cols = ("System", "Category", "Spare", "Upload", "Empty places", "Redeploy", "Potential")
    for col in (*cols, f"In {months:g} months"):
        table.add_column(col, justify="left" if col in ("System", "Category") else "right")
    for s in up.systems:
        table.add_row(
            s.system,
            s.category,
            _num(s.spare_capacity),
            _num(s.upload),
            _num(s.redeploy_capacity),
            _num(s.redeploy),
            _num(s.potential),
            _num(s.by_months),
        )
    table.add_row(styled(("total", "bold")), *[""] * 5, _num(up.potential), _num(up.by_months))
    out.print(table)
