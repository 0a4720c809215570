"""``detente assess`` (the main job) and ``detente compare``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from detente.analysis.assess import Assessment, assess
from detente.analysis.compare import DISPLAY_STEP, Comparison, compare
from detente.analysis.display import short_value, signed_change
from detente.analysis.explore import DEFAULT_SEED
from detente.cli.app import app
from detente.cli.console import emit, err_console, out_console, styled, warheads
from detente.cli.scenarios import load_or_default
from detente.errors import InvalidArgumentError, UnknownNameError
from detente.model.cases import ordered
from detente.model.perspective import CN_READING, FULL, RU_READING, US_READING, Perspective
from detente.model.scenario import Scenario
from detente.report.appendix import treaty_label
from detente.stability import DEFINITIONS, LABELS
from detente.stability.first_strike import raw_ratios, raw_text
from detente.stability.verdicts import READINGS, verdict

_STYLE = {
    "stable": "green",
    "fragile": "yellow",
    "unstable": "red",
    "sufficient": "green",
    "insufficient": "red",
}


def _fmt(name: str, value: float) -> Text:
    word = verdict(name, value)
    if word is None:
        return styled(f"{value:.3f}")
    return styled((f"{value:.3f} {word}", _STYLE[word]))


def _headline_table(a: Assessment) -> Table:
    t = Table(
        title=f"Stability ({a.headline_perspective} reading, {a.headline_case.short()})",
        title_justify="left",
    )
    t.add_column("definition (what its number measures)")
    t.add_column("combined", justify="right")
    for side in a.pair:
        t.add_column(side, justify="right")
    for name in a.definition_names:
        res = a.value(name)
        t.add_row(
            LABELS[name], _fmt(name, res.value), *(f"{res.components[s]:.2f}" for s in a.pair)
        )
        t.add_row(styled((f"  {READINGS[name].measures}", "dim")), "", *("" for _ in a.pair))
        raw = raw_ratios(res.details, a.pair) if name == "first_strike" else {}
        if raw:
            # Kent & Thaler bound each ratio at 1; the raw one keeps the direction visible.
            t.add_row(
                styled(("  raw ratio, before the bound at 1", "dim")),
                "",
                *(styled((raw_text(raw[s]), "dim")) if s in raw else "" for s in a.pair),
            )
    return t


def _cases_table(a: Assessment, perspective: str) -> Table:
    label = next(p.label for p in a.perspectives if p.id == perspective)
    levels = ordered(key.riding_out(False) for key in a.case_keys)
    responses = ordered(key.ride_out for key in a.case_keys)
    t = Table(title=f"{label}: every alert case", title_justify="left")
    t.add_column("definition")
    for key in levels:
        t.add_column(key.short().replace(" / ", "\n"), justify="right")
    for name in a.definition_names:
        for ride_out in responses:
            title = name.replace("_", " ") if not ride_out else "  ... all ride out"
            t.add_row(
                title,
                *(
                    _fmt(name, a.value(name, perspective, key.riding_out(ride_out)).value)
                    for key in levels
                ),
            )
    return t


def _disagreement_table(a: Assessment, top: int = 6) -> Table | None:
    pairs = a.reading_pairs()
    if not pairs:
        return None
    names = {p.id: (p.label or p.id).removesuffix(" reading") for p in a.perspectives}
    if len(pairs) == 1:
        title = f"Where the {names[pairs[0][0]]} and {names[pairs[0][1]]} readings part most"
    else:
        title = "Where the parties' readings part most"
    t = Table(title=title, title_justify="left")
    for col in ("definition", "alert case", "readings", "first", "second", "gap"):
        t.add_column(col, justify="right" if col in ("first", "second", "gap") else "left")
    for d in a.disagreements()[:top]:
        t.add_row(
            d.definition.replace("_", " "),
            d.case.short(),
            styled(f"{d.perspective_a} / {d.perspective_b}"),
            _fmt(d.definition, d.value_a),
            _fmt(d.definition, d.value_b),
            f"{d.difference:.2f}",
        )
    return t


def _pairs_table(a: Assessment) -> Table | None:
    tri = a.triangle
    if tri is None:
        return None
    t = Table(
        title="Each pair on its own and with the others present "
        f"({a.headline_perspective} reading, {a.headline_case.short()})",
        title_justify="left",
    )
    t.add_column("definition")
    for pair in tri.pairs:
        t.add_column(f"{pair[0]}-{pair[1]}\nalone -> with others", justify="right")
    rows: dict[str, list[str]] = {}
    for pair in tri.pairs:
        for name, alone, there in tri.change(pair, a.headline_perspective, a.headline_case):
            rows.setdefault(name, []).append(f"{alone:.3f} -> {there:.3f}")
    for name, cells in rows.items():
        t.add_row(name.replace("_", " "), *cells)
    return t


def _alignments_table(a: Assessment) -> Table | None:
    key = "first_strike_alignments"
    if a.triangle is None or key not in a.definition_names:
        return None
    details = a.value(key).details
    t = Table(
        title="First-strike stability of every alignment (the weakest sets the index)",
        title_justify="left",
    )
    for col in ("alignment", "index", "camp ratios"):
        t.add_column(col, justify="left" if col != "index" else "right")
    for name, value in details.items():
        if not name.endswith(".index"):
            continue
        label = name[: -len(".index")]
        camps = label.split("|")
        ratios = ", ".join(
            f"{c} {details.get(f'{label}.{c}.ratio', float('nan')):.2f}"
            for c in camps
            if f"{label}.{c}.ratio" in details
        )
        t.add_row(styled(label.replace("|", " vs ")), _fmt(key, value), styled(ratios))
    return t


def _aftermath_table(a: Assessment) -> Table | None:
    if a.triangle is None or not a.triangle.aftermath:
        return None
    parties = a.triangle.parties
    t = Table(
        title="Aftermath: value destroyed, warheads left, and who still holds whom "
        "(share of the other's value its remaining warheads could destroy)",
        title_justify="left",
    )
    t.add_column("exchange")
    for p in parties:
        t.add_column(f"{p}\ndestroyed / left", justify="right")
    t.add_column("standing threats", justify="left")
    for m in a.triangle.aftermath:
        threats = ", ".join(f"{x}>{y} {v:.0%}" for (x, y), v in m.threat.items() if v >= 0.005)
        t.add_row(
            styled(m.label),
            *(f"{m.damage.get(p, 0.0):.0%} / {m.left.get(p, 0.0):,.0f}" for p in parties),
            styled(threats or "none"),
        )
    return t


def _flows_table(a: Assessment) -> Table:
    t = Table(
        title=f"Key flows, warheads ({a.headline_perspective} reading, {a.headline_case.short()})",
        title_justify="left",
    )
    cols = (
        "first\nstrike",
        "used",
        "target\nforce",
        "destroyed",
        "launched\non warning",
        "answer\narriving",
        "damage to\nattacker",
        "damage to\ndefender",
    )
    for c in cols:
        t.add_column(c, justify="left" if c.startswith("first") else "right")
    for o in a.outcomes():
        t.add_row(
            f"{o.attacker} -> {o.defender}",
            f"{o.attacker_total('counterforce'):,.0f}",
            f"{o.defender_total('total'):,.0f}",
            f"{o.warheads_destroyed:,.0f}",
            f"{o.defender_total('launched_on_warning'):,.0f}",
            f"{o.retaliation_arrived:,.0f}",
            f"{o.damage_to_attacker:.0%}",
            f"{o.damage_to_defender:.0%}",
        )
    return t


def _treaty_table(a: Assessment) -> Table | Text | None:
    if not a.treaty:
        return None
    label = treaty_label(a)
    statuses = ordered(v.status for v in a.treaty)
    if len(statuses) == 1:
        status = f"{' and '.join(v.actor for v in a.treaty)}: {statuses[0]}"
    else:
        status = "; ".join(f"{v.actor} {v.status}" for v in a.treaty)
    if not any(view.limits for view in a.treaty):
        return styled(("Treaty: ", "bold"), f"{label}; {status}. It sets no limits.")
    t = Table(title=styled(f"Counted under {label}; {status}"), title_justify="left")
    t.add_column("side")
    t.add_column("limit")
    for c in ("count", "ceiling", "margin", "status"):
        t.add_column(c, justify="left" if c == "status" else "right")
    for view in a.treaty:
        for lim in view.limits:
            ok = not lim.get("violated", False)
            t.add_row(
                styled(view.actor),
                styled(lim.get("label") or lim.get("limit") or lim.get("id")),
                warheads(lim.get("count", 0)),
                f"{lim.get('ceiling', 0):,}",
                warheads(lim.get("margin", 0)),
                styled(("ok", "green") if ok else ("over", "red")),
            )
    return t


def render_summary(a: Assessment, console: Console) -> None:
    """Print the terminal summary of an assessment."""
    s = a.scenario
    sides = " vs ".join(f"{side.posture.label or side.posture.id}" for side in s.sides)
    console.print(
        Panel.fit(
            styled(
                (s.label or s.name, "bold"),
                f"\n{s.question}\n{sides}",
                f"\ncounted under: {s.treaty.label or s.treaty.id}" if s.treaty else "",
            ),
            title="detente assess",
        )
    )
    parts: list[Any] = [_headline_table(a)]
    leaning = a.leans_on_launch_on_warning()
    if leaning:
        note = Text("The headline leans on launch on warning: ", style="bold")
        for k, (name, policy, ride) in enumerate(leaning):
            note.append(("; " if k else "") + name.replace("_", " ") + " ")
            note.append_text(_fmt(name, policy.value))
            note.append(" by policy, ")
            note.append_text(_fmt(name, ride.value))
            note.append(" if all ride out")
        note.append(".")
        parts.append(note)
    parts += [_cases_table(a, p.id) for p in a.perspectives]
    parts += [_disagreement_table(a), _flows_table(a)]
    parts += [_pairs_table(a), _alignments_table(a), _aftermath_table(a), _treaty_table(a)]
    console.print(Group(*(p for p in parts if p is not None)))
    console.print(styled((_footnote(a), "dim")))


_READING_NOTES: dict[Perspective, str] = {
    FULL: "everything counts",
    US_READING: "all nuclear weapons count",
    RU_READING: "missile defence and conventional strike count",
    CN_READING: "missile defence and conventional strike count, China's no-first-use "
    "pledge taken at its word",
}
"""What each built-in reading counts, in a few words. The footnote names the readings the
assessment holds; any other reading (or a built-in one changed) by its label."""


def _footnote(a: Assessment) -> str:
    readings = "; ".join(
        f"{p.id} = {_READING_NOTES.get(p, p.label or p.id)}" for p in a.perspectives
    )
    text = (
        f"1 = most stable. Readings: {readings}. Cases follow each side's launch-on-warning "
        "policy; 'all ride out' cases have every side absorb the strike. Verdict words only "
        "where a stated basis exists; see docs/methodology.md."
    )
    if a.triangle is not None:
        text += (
            " With three parties each striker keeps back enough to hold the party standing by "
            f"at {a.triangle.reserve_damage:.0%} damage ({a.triangle.reserve_rule} rule); "
            "see docs/three-parties.md."
        )
    return text


def _pair(scenario: Scenario, pair: str | None) -> tuple[str, ...]:
    actors = [s.actor for s in scenario.sides]
    if pair is None:
        return tuple(actors)
    wanted = tuple(a.strip() for a in pair.split(","))
    if len(wanted) < 2 or len(set(wanted)) != len(wanted) or not set(wanted) <= set(actors):
        raise UnknownNameError(
            f"--pair {pair!r}: expected two or more different actors of the scenario "
            f"separated by commas, from {', '.join(actors)}"
        )
    return wanted


def _progress_assess(scenario: Scenario, pair: tuple[str, ...], quiet: bool) -> Assessment:
    if quiet:
        return assess(scenario, pair=pair)
    with err_console.status("assessing", spinner="dots") as status:
        return assess(
            scenario, pair=pair, progress=lambda label: status.update(f"assessing {label}")
        )


def _check_outputs(inputs: tuple[Path, ...], html: str | None, plots: str | None) -> None:
    """Refuse bad output paths before any work: the input, a device, a clash of the two."""
    from detente.io.output import OutputPlan

    plan = OutputPlan(inputs=inputs)
    if html is not None:
        plan.file(html, "--html", "the report")
    if plots is not None:
        from detente.viz.png import PLOTS

        plan.folder(plots, list(PLOTS), "--plots", "plots")


@app.command("assess")
def assess_command(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario YAML file; the built-in Geneva 2021 baseline if omitted."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full assessment as JSON.")
    ] = False,
    html: Annotated[str | None, typer.Option("--html", help="Write the HTML report here.")] = None,
    plots: Annotated[
        str | None, typer.Option("--plots", help="Write PNG figures to this folder.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    pair: Annotated[
        str | None,
        typer.Option(
            "--pair",
            help="Only these actors are assessed, e.g. 'us,cn' (default: every side); the "
            "others still stand by, and strikers keep their reserve for them.",
        ),
    ] = None,
    uncertainty: Annotated[
        int,
        typer.Option(
            "--uncertainty",
            help="Also draw the uncertain inputs this many times: intervals, drivers and "
            "knife-edges in the summary, the JSON and the report (see detente explore).",
        ),
    ] = 0,
    shared_js: Annotated[
        bool,
        typer.Option(
            "--shared-js",
            help="With --html: load plotly.js from a file written beside the report "
            "(shared by the reports in that folder) instead of inlining 4.6 MB in each.",
        ),
    ] = False,
) -> None:
    """Assess a scenario: every stability definition, alert case and reading."""
    inputs = () if scenario is None else (scenario,)
    if shared_js and html is None:
        raise InvalidArgumentError(
            "--shared-js goes with --html (it says how the report is written)"
        )
    _check_outputs(inputs, html, plots)
    loaded = load_or_default(scenario)
    chosen = _pair(loaded, pair)
    result = _progress_assess(loaded, chosen, quiet or as_json)
    if uncertainty:
        from detente.cli.explore import run_uncertainty

        result = result.with_uncertainty(
            run_uncertainty(
                loaded,
                uncertainty,
                seed=DEFAULT_SEED,
                executor="serial",
                workers=None,
                quiet=quiet or as_json,
            )
        )
    others = [s.actor for s in loaded.sides if s.actor not in chosen]
    if others and not (quiet or as_json):
        err_console.print(
            styled(
                f"note: assessed {', '.join(chosen)} only; {', '.join(others)} stand by "
                "(strikers keep their reserve for them). Drop --pair to assess every side."
            )
        )
    if as_json:
        emit(json.dumps(result.to_dict(), indent=2, allow_nan=False, default=str))
    elif not quiet:
        render_summary(result, out_console)
        if result.uncertainty is not None:
            from detente.cli.explore import render_uncertainty

            render_uncertainty(result.uncertainty, out_console)
    if html is not None:
        from detente.report.html import write_report

        with err_console.status("writing report"):
            path = write_report(result, html, inputs=inputs, shared_js=shared_js)
        if not quiet:
            err_console.print(styled("report written to ", str(path)))
    if plots is not None:
        from detente.viz.png import write_plots

        with err_console.status("drawing figures"):
            paths = write_plots(result, plots, inputs=inputs)
        if not quiet:
            err_console.print(styled(f"{len(paths)} figures written to ", plots))


def _compare_table(c: Comparison) -> Table:
    t = Table(
        title=styled(f"{c.base.scenario.name} -> {c.variant.scenario.name}: headline definitions"),
        title_justify="left",
    )
    for col in ("definition", "base", "variant", "change"):
        t.add_column(col, justify="left" if col == "definition" else "right")
    for name in DEFINITIONS:
        b, v = c.base.value(name).value, c.variant.value(name).value
        colour = "green" if v > b + DISPLAY_STEP else "red" if v < b - DISPLAY_STEP else "dim"
        t.add_row(LABELS[name], _fmt(name, b), _fmt(name, v), styled((signed_change(b, v), colour)))
    return t


def _changes_table(c: Comparison, show_all: bool) -> Table | Text:
    shown = c.changes if show_all else c.edits
    hidden = len(c.changes) - len(shown)
    note = f" ({hidden} citation and label change(s) hidden; --all shows them)" if hidden else ""
    if not shown:
        return styled(("What changed in the inputs: ", "bold"), "no input the model reads" + note)
    t = Table(title=styled("What changed in the inputs", note), title_justify="left")
    for col in ("side", "field", "base", "variant", *(("kind",) if show_all else ())):
        t.add_column(col, overflow="fold")
    for ch in shown:
        t.add_row(
            styled(ch.side or "-"),
            styled(ch.field),
            styled(short_value(ch.base, width=2000)),  # the table wraps; nothing is cut
            styled(short_value(ch.variant, width=2000)),
            *((ch.kind,) if show_all else ()),
        )
    return t


def _flow_format(flow: str) -> str:
    return ".1%" if flow.startswith("damage") else ",.0f"


def _cases_changes(c: Comparison) -> Table | Text:
    full = c.to_frame()
    moved = full[full["delta"].abs() >= DISPLAY_STEP]
    if moved.empty:
        if c.headline_moved_only:
            return styled(
                "No value changed in any reading or alert case: both scenarios are evaluated "
                "at every combination of alert levels, so the variant only moves the headline "
                f"case ({c.base.headline_case} -> {c.variant.headline_case})."
            )
        return styled("No value changed in any reading or alert case.")
    cases = Table(title="Every reading and alert case (changes only)", title_justify="left")
    for col in ("definition", "reading", "case", "base", "variant", "change"):
        cases.add_column(col, justify="right" if col in ("base", "variant", "change") else "left")
    for row in moved.to_dict("records"):
        cases.add_row(
            styled(row["definition"]),
            styled(row["perspective"]),
            styled(row["case"]),
            f"{row['base']:.3f}",
            f"{row['variant']:.3f}",
            signed_change(float(row["base"]), float(row["variant"])),
        )
    return cases


@app.command("compare")
def compare_command(
    base: Annotated[Path, typer.Argument(help="Base scenario YAML.")],
    variant: Annotated[Path, typer.Argument(help="Variant scenario YAML.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also list citation and label changes, not only inputs."),
    ] = False,
) -> None:
    """Side-by-side change of every definition and key flow between two scenarios."""
    result = compare(load_or_default(base), load_or_default(variant))
    if as_json:
        emit(json.dumps(result.to_dict(), indent=2, default=str))
        return
    flows = Table(title="Key flows (each scenario's headline case)", title_justify="left")
    for col in ("exchange", "flow", "base", "variant", "change"):
        flows.add_column(col, justify="left" if col in ("exchange", "flow") else "right")
    for row in result.flows().to_dict("records"):
        flow = str(row["flow"])
        flows.add_row(
            styled(row["exchange"]),
            styled(flow.replace("_", " ")),
            format(float(row["base"]), _flow_format(flow)),
            format(float(row["variant"]), _flow_format(flow)),
            signed_change(float(row["base"]), float(row["variant"]), _flow_format(flow)),
        )
    parts: list[Any] = [_changes_table(result, show_all), _compare_table(result)]
    why = result.why().lines()
    if why:
        parts.append(styled(("Why it moved", "bold")))
        parts += [styled("- " + line) for line in why]
    parts += [flows, _cases_changes(result)]
    out_console.print(Group(*parts))
