"""``write_report(assessment, path)``: one self-contained, interactive HTML file.

The page carries its own stylesheet and the plotly.js bundle, so it opens
with no network. Figures come from :mod:`detente.viz.figures` over the tidy
frames of :mod:`detente.viz.frames`; nothing here runs the engine.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from detente.analysis.assess import Assessment
from detente.analysis.measures import posture_measures
from detente.io.output import OutputError, check_file, write_file, write_files
from detente.report.appendix import (
    assumptions_section,
    counted_under,
    sources_section,
    treaty_section,
)
from detente.report.template import (
    Cell,
    CellLike,
    fixed,
    page,
    paragraph,
    section,
    table,
    verdict_badge,
)
from detente.report.template import figure as framed
from detente.report.uncertainty import uncertainty_section
from detente.stability import LABELS
from detente.stability.first_strike import raw_ratios, raw_text
from detente.stability.verdicts import READINGS
from detente.viz import figures, frames

_TOC = (
    ("scenario", "Scenario"),
    ("headline", "Headline"),
    ("forces", "Forces"),
    ("exchanges", "Exchanges"),
    ("definitions", "Definitions"),
    ("perspectives", "Perspectives"),
    ("uncertainty", "Uncertainty"),
    ("treaty", "Treaty"),
    ("assumptions", "Assumptions"),
    ("sources", "Sources"),
)
_TOC_PARTIES = ("parties", "Three parties")


_VISIBLE = 0.005
"""Smallest difference between two readings drawn in the disagreement chart."""


class ReportError(OutputError):
    """The report could not be written (bad path, no permission, full disk)."""


def _plot(fig: Any, name: str) -> str:
    config = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}
    fragment: str = fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"fig-{name}", config=config
    )
    return framed(fragment)


def _persp_label(assessment: Assessment, pid: str) -> str:
    for p in assessment.perspectives:
        if p.id == pid:
            return p.label or p.id
    return pid


def _scenario(a: Assessment) -> str:
    s = a.scenario
    rows = [
        (
            side.actor.upper(),
            side.posture.label or side.posture.id,
            str(side.posture.date),
            side.posture.alert.replace("_", "-"),
            len(side.posture.systems),
            side.posture.warheads_total,
        )
        for side in s.sides
    ]
    return section(
        "scenario",
        "The scenario and its question",
        paragraph(s.question or "The scenario states no question.", "question"),
        paragraph(
            f"Scenario {s.name!r}, dated {s.date or 'undated'}; {counted_under(a)}. "
            f"The assessment compares {_sides_text(a)}; headline values use the reading "
            f"'{_persp_label(a, a.headline_perspective)}' and each side's own alert level "
            f"({frames.case_label(a.headline_case)})."
        ),
        table(["Side", "Posture", "Date", "Alert", "Systems", "Stockpile warheads"], rows, (4, 5)),
    )


def _sides_text(a: Assessment) -> str:
    names = [side.upper() for side in a.pair]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


RAW_RATIO_READING = (
    "each side's cost of striking first over its cost of being struck first before the "
    "bound at 1 (Kent & Thaler bound it); above 1, going first would cost the side that "
    "much more than waiting"
)
"""What the headline's raw first-strike ratio row measures."""


def _raw_cells(a: Assessment, raw: dict[str, float]) -> list[Cell]:
    return [Cell(raw_text(raw[s]), numeric=True) if s in raw else Cell("–") for s in a.pair]


def _headline(a: Assessment) -> str:
    head = frames.headline_frame(a)
    rows: list[list[CellLike]] = []
    for _, r in head.iterrows():
        name = str(r["definition"])
        rows.append(
            [
                r["label"],
                READINGS[name].explains,
                fixed(float(r["value"]), 3),
                verdict_badge(str(r["verdict"])),
                *(fixed(float(r[actor])) for actor in a.pair),
            ]
        )
        raw = raw_ratios(a.value(name).details, a.pair) if name == "first_strike" else {}
        if raw:
            rows.append(
                [
                    "First-strike raw ratio",
                    RAW_RATIO_READING,
                    None,
                    verdict_badge(""),
                    *_raw_cells(a, raw),
                ]
            )
    subtitle = f"{_persp_label(a, a.headline_perspective)}, {frames.case_label(a.headline_case)}"
    sides = [f"{actor.upper()} part" for actor in a.pair]
    return section(
        "headline",
        "Headline: the definitions side by side",
        paragraph(
            "Each definition gives a value in [0, 1], 1 being most stable, and says what it "
            "measures. A verdict word is shown only where it has a stated basis: first-strike "
            "stability reads stable from 0.75 and unstable below 0.45 (Kent & Thaler's own "
            "judgement and a calibration on constructed forces); second-strike sufficiency is "
            "sufficient when the retaliation reaches the unacceptable-damage threshold. The "
            "per-side parts show which side drives the value; below first-strike stability, "
            "each side's ratio before the bound at 1 keeps a direction visible where the bound "
            "binds."
        ),
        table(["Definition", "What it measures", "Value", "Verdict", *sides], rows, (2, 4, 5)),
        _leaning(a),
        _plot(figures.headline_figure(head, a.pair, subtitle), "headline"),
    )


def _leaning(a: Assessment) -> str:
    """A sentence naming the headline values that move if every side rides out ('' if none)."""
    leaning = a.leans_on_launch_on_warning()
    if not leaning:
        return paragraph("No headline value moves by more than 0.05 if every side rides out.")
    moves = "; ".join(
        f"{LABELS[name]} {policy.value:.3f} by policy, {ride.value:.3f} if all ride out"
        for name, policy, ride in leaning
    )
    return paragraph(f"The headline leans on launch on warning: {moves}.")


def _conventional_note(a: Assessment) -> str:
    """Sentence naming the conventional systems the force chart leaves out ('' if none)."""
    parts = []
    for side in a.scenario.sides:
        conv = [s for s in side.posture.systems if not s.nuclear]
        if conv:
            launchers = sum(s.launchers_deployed for s in conv)
            missiles = sum(s.warheads_total for s in conv)
            parts.append(
                f"{side.actor.upper()} {missiles:,.0f} conventional weapons on "
                f"{launchers:,} deployed launchers"
            )
    if not parts:
        return ""
    return (
        " Conventional strike systems are not in the chart ("
        + "; ".join(parts)
        + "); they are listed, marked conventional, in the tables below."
    )


def _forces(a: Assessment) -> str:
    forces = frames.force_frame(a)
    fig = figures.force_figure(
        frames.force_by_category(forces), [s.actor for s in a.scenario.sides]
    )
    lead = paragraph(
        "The chart counts nuclear warheads only: deployed, in storage, and the unassigned "
        "reserve (stockpile warheads attributed to no system), so each side's bars add up to "
        "its stockpile in the scenario table." + _conventional_note(a)
    )
    details = []
    for side in a.scenario.sides:
        rows: list[Sequence[CellLike]] = [
            (
                s.label or s.id,
                frames.CATEGORY_LABELS.get(s.category, s.category),
                "nuclear" if s.nuclear else "conventional",
                s.launchers_deployed,
                s.warheads_deployed,
                s.warheads_stored,
                s.yield_kt,
                s.cep_m,
                s.reliability,
                s.source,
            )
            for s in side.posture.systems
        ]
        if side.posture.reserve_unassigned:
            rows.append(
                (
                    "Unassigned reserve",
                    "",
                    "nuclear",
                    None,
                    None,
                    side.posture.reserve_unassigned,
                    None,
                    None,
                    None,
                    side.posture.citation("reserve_unassigned").source,
                )
            )
        details.append(
            f"<details><summary>{html.escape(side.actor.upper())}: every system</summary>"
            + table(
                [
                    "System",
                    "Category",
                    "Kind",
                    "Deployed launchers",
                    "Deployed warheads (missiles if conventional)",
                    "Stored warheads",
                    "Yield (kt)",
                    "CEP (m)",
                    "Reliability",
                    "Source",
                ],
                rows,
                (3, 4, 5, 6, 7, 8),
            )
            + "</details>"
        )
    return section(
        "forces", "Force structure", lead, _plot(fig, "forces"), *details, _static_measures(a)
    )


def _static_measures(a: Assessment) -> str:
    """Each side's static measures, the indices tabulated before exchange models."""
    rows: list[Sequence[CellLike]] = []
    for side in a.scenario.sides:
        total = posture_measures(side.posture).total
        rows.append(
            (
                side.actor.upper(),
                total.warheads,
                fixed(total.equivalent_megatons, 0),
                fixed(total.counter_military_potential, 0),
                fixed(total.mean_lethality, 0),
                total.hard_target_capable,
            )
        )
    lead = paragraph(
        "Static measures of each side's deployed nuclear warheads, without any exchange: "
        "equivalent megatonnage (area damage), counter-military potential (the sum of each "
        "warhead's lethality K = Y^(2/3)/CEP^2, Mt and nautical miles), and the warheads that "
        "kill a 2,000 psi silo with one shot at better than even odds (methodology, section 1)."
    )
    return lead + table(
        ["Side", "Warheads", "EMT (Mt)", "CMP", "Mean K", "Hard-target capable"],
        rows,
        (1, 2, 3, 4, 5),
    )


def _exchanges(a: Assessment) -> str:
    flows = frames.flow_frame(a)
    conventional = frames.has_conventional(flows)
    fig = figures.flow_figure(
        frames.flow_totals(flows), frames.warning_launches(a), conventional=conventional
    )
    rows = [
        (
            f"{o.attacker.upper()} strikes {o.defender.upper()}",
            o.warheads_destroyed,
            o.defender_total("launched_on_warning"),
            o.retaliation_arrived,
            o.retaliation_potential,
            Cell(f"{o.damage_to_defender:.0%}", numeric=True),
            Cell(f"{o.damage_to_attacker:.0%}", numeric=True),
            None if o.warning_min == float("inf") else o.warning_min,
        )
        for o in a.outcomes()
    ]
    return section(
        "exchanges",
        "Exchange flows",
        paragraph(
            "Expected warhead flows when each side strikes first, in the headline reading and "
            "alert case. The first striker's warheads hit military targets or are held for a "
            "later strike on cities and industry; the victim's warheads are destroyed, fail, "
            "are intercepted or arrive in retaliation."
            + (
                " The bars count conventional strike missiles together with nuclear "
                "warheads (the axis says so)."
                if conventional
                else ""
            )
        ),
        _plot(fig, "exchanges"),
        table(
            [
                "First strike",
                "Victim's warheads destroyed",
                "Launched on warning",
                "Retaliation arriving",
                "Retaliation possible",
                "Damage to victim",
                "Damage to striker",
                "Warning (min)",
            ],
            rows,
            (1, 2, 3, 4, 5, 6, 7),
        ),
    )


def _raw_note(a: Assessment, row: dict[Any, Any]) -> str:
    """Each side's raw first-strike ratio in one case, e.g. ``us 1.04, ru 0.96``."""
    res = a.value("first_strike", str(row["perspective"]), str(row["case"]))
    raw = raw_ratios(res.details, a.pair)
    return ", ".join(f"{s} {raw_text(raw[s])}" for s in a.pair if s in raw)


def _definitions(a: Assessment) -> str:
    defs = frames.definition_frame(a)
    persps = [(p.id, p.label or p.id) for p in a.perspectives]
    fig = figures.definitions_heatmap(defs, persps)
    rows = [
        (
            r["label"],
            r["perspective_label"],
            r["case_label"],
            fixed(float(r["value"]), 3),
            verdict_badge(str(r["verdict"])),
            _raw_note(a, r) if r["definition"] == "first_strike" else "",
        )
        for r in defs.to_dict("records")
    ]
    return section(
        "definitions",
        "All definitions, readings and alert cases",
        paragraph(
            "The same definitions under every reading of the balance and every combination "
            "of day-to-day and generated alert, each with the sides following their "
            "launch-on-warning policies and with every side riding out the first strike. Rows "
            "whose colour changes across cases are sensitive to how ready the forces are, or to "
            "launch on warning. The table gives, for first-strike stability, each side's raw "
            "ratio: its cost of striking first over its cost of being struck, before the bound "
            "at 1."
        ),
        _plot(fig, "definitions"),
        "<details><summary>Every value as a table</summary>"
        + table(
            ["Definition", "Reading", "Alert case", "Value", "Verdict", "Raw ratios"], rows, (3,)
        )
        + "</details>",
    )


def _perspectives(a: Assessment) -> str:
    rows = [
        (
            p.label or p.id,
            p.include_nonstrategic,
            p.include_novel,
            p.include_conventional,
            p.include_missile_defense,
            p.honour_no_first_use,
            p.note,
        )
        for p in a.perspectives
    ]
    parts = [
        table(
            [
                "Reading",
                "Non-strategic",
                "Novel systems",
                "Conventional strike",
                "Missile defence",
                "No-first-use pledges honoured",
                "Whose reading",
            ],
            rows,
        )
    ]
    pairs = a.reading_pairs()
    for x, y in pairs:
        dis = frames.disagreement_frame(a, x, y)
        labels = (_persp_label(a, x), _persp_label(a, y))
        split = dis[dis["verdicts_differ"]]
        apart = dis[dis["difference"] >= _VISIBLE]
        parts.append(
            paragraph(
                f"The {labels[0]} and the {labels[1]} put {len(split)} of {len(dis)} "
                f"definition and alert cases in different verdict bands; {len(apart)} "
                f"differ by {_VISIBLE} or more."
            )
        )
        if len(apart):
            fig = figures.disagreement_figure(dis, labels, min_difference=_VISIBLE)
            name = "disagreement" if (x, y) == pairs[0] else f"disagreement-{x}-{y}"
            parts.append(_plot(fig, name))
        rows2 = [
            (
                r["label"],
                r["case_label"],
                fixed(float(r["value_a"]), 3),
                fixed(float(r["value_b"]), 3),
                fixed(float(r["difference"]), 3),
                r["verdicts_differ"],
            )
            for r in dis.head(10).to_dict("records")
        ]
        parts.append(
            table(
                ["Definition", "Alert case", labels[0], labels[1], "Difference", "Verdicts differ"],
                rows2,
                (2, 3, 4),
            )
        )
    if not pairs:
        parts.append(paragraph("Fewer than two parties' own readings were evaluated."))
    return section("perspectives", "Perspectives and where they disagree", *parts)


def _parties(a: Assessment) -> str:
    """The three-party section: pairs alone and together, alignments, aftermath."""
    tri = a.triangle
    if tri is None:
        return ""
    pairs = frames.pairs_frame(a)
    alignments = frames.alignment_frame(a)
    pair_rows = [
        (
            r["pair"],
            r["label"],
            fixed(r["alone"], 3),
            fixed(r["with_others"], 3),
            fixed(r["change"], 3),
        )
        for r in pairs.to_dict("records")
    ]
    align_rows = [
        (r["label"], fixed(float(r["index"]), 3), verdict_badge(str(r["verdict"])))
        for r in alignments.to_dict("records")
    ]
    after_rows: list[list[CellLike]] = []
    for m in tri.aftermath:
        threats = "; ".join(
            f"{x.upper()} over {y.upper()} {v:.0%}" for (x, y), v in m.threat.items() if v >= 0.005
        )
        cells: list[CellLike] = [m.label]
        for p in tri.parties:
            text = f"{m.damage.get(p, 0.0):.0%} / {m.left.get(p, 0.0):,.0f}"
            cells.append(Cell(text, numeric=True))
        after_rows.append([*cells, threats or "none"])
    parts = [
        paragraph(
            "With three parties each striker keeps back, for the party standing by, the "
            f"smallest share of its forces that could still destroy {tri.reserve_damage:.0%} "
            f"of that party's value ({tri.reserve_rule} rule). Each pair is shown on its own "
            "(the third party removed) and as it stands with the third present; alignments "
            "pit each pair, and each party against the other two together, and the weakest "
            "sets the three-party index."
        ),
        _plot(figures.pairs_figure(pairs), "pairs"),
        table(
            ["Pair", "Definition", "On its own", "With the others", "Change"], pair_rows, (2, 3, 4)
        ),
    ]
    if len(alignments):
        parts += [
            _plot(figures.alignment_figure(alignments), "alignments"),
            table(["Alignment", "Index", "Verdict"], align_rows, (1,)),
        ]
    if after_rows:
        parts += [
            paragraph(
                "After each exchange of the headline case: the share of each party's value "
                "destroyed and the warheads it has left, and what each party's remaining "
                "warheads could still destroy of another's value (through its full defences, "
                "against value as it stood before the exchange: an upper bound)."
            ),
            table(
                [
                    "Exchange",
                    *(f"{p.upper()} destroyed / left" for p in tri.parties),
                    "Standing threats",
                ],
                after_rows,
                tuple(range(1, len(tri.parties) + 1)),
            ),
        ]
    return section("parties", "Three parties: pairs, alignments and the aftermath", *parts)


def plotly_file_name() -> str:
    """Name of the shared plotly.js file, with the bundle's version (``plotly-3.0.1.min.js``)."""
    from plotly.offline import get_plotlyjs_version

    return f"plotly-{get_plotlyjs_version()}.min.js"


def build_report(assessment: Assessment, *, plotly_src: str | None = None) -> str:
    """The report as one HTML string (plotly.js inlined unless ``plotly_src`` is given).

    Parameters
    ----------
    assessment
        A finished assessment.
    plotly_src
        A relative path to load plotly.js from instead of inlining it.

    Returns
    -------
    str
        A complete HTML document that needs no network.
    """
    from plotly.offline import get_plotlyjs

    s = assessment.scenario
    body = "".join(
        part(assessment)
        for part in (
            _scenario,
            _headline,
            _forces,
            _exchanges,
            _definitions,
            _perspectives,
            _parties,
            lambda a: uncertainty_section(a, _plot),
            treaty_section,
            assumptions_section,
            sources_section,
        )
    )
    title = s.label or s.name
    subtitle = f"Strategic stability assessment of {_sides_text(assessment)}" + (
        f", {s.date}" if s.date else ""
    )
    toc = list(_TOC) if assessment.triangle is None else [*_TOC[:6], _TOC_PARTIES, *_TOC[6:]]
    footer = "Generated by detente. Values are expected outcomes of a model, not predictions."
    toc = [t for t in toc if t[0] != "uncertainty" or assessment.uncertainty is not None]
    js = "" if plotly_src is not None else get_plotlyjs()
    return page(title, subtitle, toc, body, js, footer, plotly_src=plotly_src)


def write_report(
    assessment: Assessment,
    path: str | os.PathLike[str],
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
    shared_js: bool = False,
) -> Path:
    """Write the HTML report of ``assessment`` to ``path``.

    By default the page carries plotly.js (about 4.6 MB) and is one file that
    opens anywhere. With ``shared_js`` it loads plotly.js from
    :func:`plotly_file_name` in the same folder, written beside it unless an
    identical copy is there: several reports in one folder then share one copy,
    each a few hundred kilobytes. Either way nothing is fetched from the network.

    Written by :func:`detente.io.output.write_files`: to temporary files in the
    same folder, synced and moved into place, so a failed run never leaves a
    half-written report; only a regular file is replaced (not a folder, device,
    link or read-only file), and never one of ``inputs``.

    Parameters
    ----------
    assessment
        A finished assessment.
    path
        Where to write the report; missing parent folders are created.
    inputs
        Files the run read (the scenario); the report may not replace one.
    shared_js
        Load plotly.js from a file beside the report instead of inlining it.

    Returns
    -------
    pathlib.Path
        The path of the report.

    Raises
    ------
    ReportError
        If ``path`` (or the shared script beside it) may not be written or
        writing fails.
    """
    target = check_file(path, what="the report", inputs=inputs, error=ReportError)
    if not shared_js:
        data = build_report(assessment).encode("utf-8")
        return write_file(
            path, lambda fh: fh.write(data), what="the report", inputs=inputs, error=ReportError
        )
    from plotly.offline import get_plotlyjs

    name = plotly_file_name()
    page_data = build_report(assessment, plotly_src=name).encode("utf-8")
    files: dict[str | os.PathLike[str], Any] = {path: lambda fh: fh.write(page_data)}
    script = target.parent / name
    bundle = get_plotlyjs().encode("utf-8")
    if not (script.is_file() and not script.is_symlink() and script.read_bytes() == bundle):
        files[script] = lambda fh: fh.write(bundle)
    return write_files(files, what="the report", inputs=inputs, error=ReportError)[0]
