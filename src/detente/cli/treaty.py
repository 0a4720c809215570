"""``detente treaty``: list treaties, count a posture, reduce it to comply, upload potential."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from detente.cli.app import app
from detente.cli.console import emit, err_console, styled, warheads
from detente.cli.console import out_console as out
from detente.data import find_name, load_posture, load_treaty, posture_names, treaty_names
from detente.errors import OutsideValidityError, UnknownNameError, unknown
from detente.io import ScenarioFile
from detente.model.posture import Posture
from detente.model.treaty import Treaty
from detente.treaty import (
    POLICIES,
    Compliance,
    Ledger,
    Upload,
    compliance,
    count,
    reduce_to_comply,
    upload_potential,
    uploaded_posture,
)

treaty_app = typer.Typer(
    help="Count postures under treaties, check limits, reduce to comply, upload potential.",
    no_args_is_help=True,
)
app.add_typer(treaty_app, name="treaty")


PostureArg = Annotated[
    str,
    typer.Argument(
        help="Built-in posture name (us-2021 or us_2021), or a scenario file: each of its "
        "sides is taken (choose one with --side)."
    ),
]
TreatyOpt = Annotated[
    str | None,
    typer.Option(
        "--treaty",
        "-t",
        help="Built-in treaty name (new-start or new_start) or a treaty YAML file "
        "(default: the scenario's treaty, else new-start).",
    ),
]
SideOpt = Annotated[
    str | None,
    typer.Option("--side", help="With a scenario file: the one side to take, e.g. ru."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def resolve_treaty(name: str) -> Treaty:
    """A built-in treaty by name (``new-start`` or ``new_start``) or a treaty YAML file."""
    known = treaty_names()
    stem = find_name(name, known)
    if stem is not None:
        return load_treaty(stem)
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        from detente.io import load_treaty_file

        return load_treaty_file(path)
    raise UnknownNameError(unknown("treaty", name, known) + ", or a treaty YAML file")


@dataclass(frozen=True)
class Subject:
    """A posture a treaty command works on: a built-in, or a side of a scenario file."""

    name: str
    """How it was named: the built-in name, or ``file.yaml: ru``."""
    posture: Posture
    scenario: ScenarioFile | None = None
    index: int | None = None
    """The side's index in the scenario."""


def _is_file(target: str) -> bool:
    return Path(target).suffix in (".yaml", ".yml") or Path(target).exists()


def subjects(target: str, side: str | None = None) -> list[Subject]:
    """The postures a treaty command works on, from a built-in name or a scenario file."""
    name = find_name(target, posture_names())
    if name is not None:
        if side is not None:
            raise UnknownNameError(
                f"--side {side!r} picks a side of a scenario file; {target!r} is a built-in posture"
            )
        return [Subject(name, load_posture(name))]
    if not _is_file(target):
        raise UnknownNameError(
            unknown("built-in posture", target, posture_names()) + ", or a scenario file"
        )
    from detente.io import read_scenario_file

    sf = read_scenario_file(target)
    actors = [s.actor for s in sf.scenario.sides]
    if side is not None and side not in actors:
        raise UnknownNameError(unknown("side", side, actors) + f" (the sides of {target})")
    return [
        Subject(f"{sf.file}: {s.actor}", s.posture, sf, i)
        for i, s in enumerate(sf.scenario.sides)
        if side is None or s.actor == side
    ]


def _treaty_for(treaty: str | None, items: list[Subject]) -> Treaty:
    if treaty is not None:
        return resolve_treaty(treaty)
    scenario = items[0].scenario
    if scenario is not None and scenario.scenario.treaty is not None:
        return resolve_treaty(scenario.scenario.treaty)
    return resolve_treaty("new-start")


def _check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise UnknownNameError(
            f"unknown reduction policy {policy!r}; expected one of: {', '.join(POLICIES)}"
        )


def _num(x: float) -> str:
    return warheads(x)


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
    posture: PostureArg, treaty: TreatyOpt = None, side: SideOpt = None, as_json: JsonOpt = False
) -> None:
    """Count a posture under a treaty: totals, margins and what each system adds."""
    items = subjects(posture, side)
    t = _treaty_for(treaty, items)
    results = []
    for item in items:
        ledger = count(item.posture, t)
        results.append((item, ledger, compliance(ledger, on=item.posture.date)))
    if as_json:
        docs = []
        for item, ledger, result in results:
            data = ledger.to_dict()
            data.update(data["totals"])
            data["compliance"] = result.to_dict()
            if item.scenario is not None:
                data["side"] = item.posture.actor
            docs.append(data)
        _emit_json(docs[0] if items[0].scenario is None else docs)
        return
    for item, ledger, result in results:
        p = item.posture
        party = "" if result.party else f" ({p.actor} is not a party)"
        out.print(styled((p.label or p.id, "bold"), " under ", (t.label or t.id, "bold"), party))
        if t.limits:
            out.print(_compliance_table(result, "Limits"))
        else:
            out.print(f"{t.label or t.id} sets no limits: nothing to comply with.")
        out.print(_contribution_table(ledger))


@treaty_app.command("reduce")
def reduce_cmd(
    posture: PostureArg,
    treaty: TreatyOpt = None,
    policy: Annotated[
        str, typer.Option("--policy", "-p", help=f"One of: {', '.join(POLICIES)}.")
    ] = "download_first",
    side: SideOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cut a posture until it meets every limit of a treaty, under a reduction policy."""
    _check_policy(policy)
    items = subjects(posture, side)
    t = _treaty_for(treaty, items)
    reductions = [(item, reduce_to_comply(item.posture, t, policy)) for item in items]
    if as_json:
        docs = []
        for _, red in reductions:
            data = red.to_dict()
            data["posture_after"] = red.posture.model_dump(mode="json")
            docs.append(data)
        _emit_json(docs[0] if items[0].scenario is None else docs)
        return
    for item, red in reductions:
        p = item.posture
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
                table.add_row(
                    c.action, c.item, f"{c.units:,}", f"{c.warheads_to_storage:,}", c.limit
                )
            out.print(table)
        if not t.limits:
            out.print(f"{t.label or t.id} sets no limits: nothing to comply with.")
            continue
        before = compliance(red.ledger_before)
        out.print(_compliance_table(before, "Before"))
        out.print(_compliance_table(red.compliance_after, "After"))


def _upload_table(item: Subject, up: Upload, months: float) -> Table:
    p = item.posture
    title = f"Upload potential of {p.label or p.id} (rate model: assumption)"
    table = Table(title=styled(title))
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
    return table


def _write_uploaded(target: str, items: list[Subject], months: float, path: str) -> Path:
    """Write the uploaded posture (a built-in) or scenario (a scenario file) to ``path``."""
    from detente.io.scenario_edit import (
        apply_changes,
        posture_changes,
        scenario_text,
        write_scenario_text,
    )

    first = items[0]
    if first.scenario is None:
        after = uploaded_posture(first.posture, months=months).posture
        header = [
            f"Built-in posture {first.name} with its upload onto deployed launchers done within "
            f"{months:g} months,",
            f"written by: detente treaty upload {first.name} --months {months:g} --out FILE",
            "Use it as the posture mapping of a scenario side (docs/scenarios.md).",
        ]
        data = after.model_dump(mode="json", exclude_defaults=True)
        first_keys = ("id", "actor", "label", "date")
        data = {k: data[k] for k in first_keys if k in data} | data
        data["systems"] = [{"id": sys_["id"]} | sys_ for sys_ in data.get("systems", [])]
        text = scenario_text(data, header, inline_items=False)
        return write_scenario_text(path, text)
    from detente.io import load_yaml_file

    data = dict(load_yaml_file(first.scenario.file).data)
    sides = list(data["sides"])
    for item in items:
        assert item.index is not None
        after = uploaded_posture(item.posture, months=months).posture
        sides[item.index] = apply_changes(sides[item.index], posture_changes(item.posture, after))
    data["sides"] = sides
    header = [
        f"{first.scenario.file} with the upload onto deployed launchers done within "
        f"{months:g} months,",
        f"written by: detente treaty upload {target} --months {months:g} --out FILE",
    ]
    return write_scenario_text(path, scenario_text(data, header), inputs=(first.scenario.file,))


@treaty_app.command("upload")
def upload_cmd(
    posture: PostureArg,
    months: Annotated[
        float, typer.Option("--months", "-m", help="Horizon in months (>= 0).")
    ] = 12.0,
    side: SideOpt = None,
    out_file: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Write the posture (for a built-in) or the scenario (for a scenario file) "
            "with the upload onto deployed launchers done within --months.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Warheads a posture could add to its launchers, in total and within a horizon."""
    if not (0 <= months <= 1200):
        raise OutsideValidityError(f"--months must be between 0 and 1,200, got {months:g}")
    if out_file is not None:
        from detente.io.output import check_file
        from detente.io.scenario_edit import ScenarioWriteError

        check_file(out_file, what="the scenario", error=ScenarioWriteError)
    items = subjects(posture, side)
    uploads = [(item, upload_potential(item.posture, months=months)) for item in items]
    if as_json:
        docs = [up.to_dict() for _, up in uploads]
        _emit_json(docs[0] if items[0].scenario is None else docs)
    else:
        for item, up in uploads:
            out.print(_upload_table(item, up, months))
    if out_file is not None:
        written = _write_uploaded(posture, items, months, out_file)
        err_console.print(styled("written to ", str(written)))
