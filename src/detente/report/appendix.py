"""The closing sections of the report: treaty table, assumptions and sources."""

from __future__ import annotations

from pydantic import BaseModel

from detente.analysis.assess import Assessment
from detente.data import sources
from detente.report import provenance
from detente.report.template import Cell, link, paragraph, section, table


def _status(ok: bool) -> Cell:
    word, cls = ("within", "yes") if ok else ("over", "no")
    return Cell(f'<span class="{cls}">{word}</span>', markup=True)


def treaty_section(a: Assessment) -> str:
    """The treaty in force and each side's count against its limits."""
    if not a.treaty:
        return section("treaty", "Treaty", paragraph("The scenario has no treaty in force."))
    rows = []
    for view in a.treaty:
        for lim in view.limits:
            ok = not lim.get("violated", False)
            rows.append(
                (
                    view.actor.upper(),
                    str(lim.get("label") or lim.get("limit", "")),
                    lim.get("count"),
                    lim.get("ceiling"),
                    lim.get("margin"),
                    _status(ok),
                )
            )
    verdicts = "; ".join(
        f"{v.actor.upper()} {'complies' if v.complies else 'does not comply'}" for v in a.treaty
    )
    return section(
        "treaty",
        f"Treaty: {a.treaty[0].treaty}",
        paragraph(verdicts + "."),
        table(["Side", "Limit", "Count", "Ceiling", "Margin", "Status"], rows, (2, 3, 4)),
    )


def _settings_rows(model: BaseModel) -> list[tuple[str, str, str]]:
    fields = type(model).model_fields
    return [
        (name, str(getattr(model, name)), info.description or "") for name, info in fields.items()
    ]


def assumptions_section(a: Assessment) -> str:
    """Exchange and stability settings, and posture numbers cited as assumptions."""
    s = a.scenario
    parts = [
        "<h3>Exchange settings</h3>",
        table(["Setting", "Value", "Meaning"], _settings_rows(s.exchange)),
        "<h3>Stability settings</h3>",
        table(["Setting", "Value", "Meaning"], _settings_rows(s.stability)),
        "<h3>Posture numbers that rest on modelling assumptions</h3>",
    ]
    for side in s.sides:
        found = provenance.assumptions(side.posture)
        rows = []
        for item in found:
            notes = dict(n.split(": ", 1) for n in item.notes if ": " in n)
            rows += [(item.where, f, v, notes.get(f, "")) for f, v in item.fields]
        parts.append(
            f"<details><summary>{side.actor.upper()}: {len(rows)} numbers assumed</summary>"
            + table(["Object", "Field", "Value", "Why"], rows, (2,))
            + "</details>"
        )
    return section("assumptions", "Assumptions used", *parts)


def sources_section(a: Assessment) -> str:
    """Source keys cited by each posture, with titles from the sources registry."""
    registry = sources()
    parts = []
    for side in a.scenario.sides:
        rows = []
        for key in provenance.source_keys(side.posture):
            entry = registry.get(key)
            if entry is None:
                rows.append((key, Cell("not in the sources registry"), "", ""))
                continue
            title = str(entry.get("title", key))
            rows.append(
                (
                    key,
                    link(title, str(entry.get("url") or "")),
                    str(entry.get("author", "")),
                    str(entry.get("year", "")),
                )
            )
        parts.append(f"<h3>{side.actor.upper()}: {side.posture.label or side.posture.id}</h3>")
        parts.append(table(["Key", "Title", "Author", "Year"], rows))
    return section("sources", "Sources of the numbers", *parts)
