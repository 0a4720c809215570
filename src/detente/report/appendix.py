"""The closing sections of the report: treaty table, assumptions and sources.

Every piece of user text (labels, notes, source keys) reaches the page through
:func:`html.escape`, directly or through the builders of
:mod:`detente.report.template`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from detente.analysis.assess import Assessment
from detente.analysis.treaty_view import UNDATED, resolve_treaty
from detente.data import sources
from detente.errors import DetenteError
from detente.model.base import ASSUMPTION
from detente.model.treaty import Treaty
from detente.report import provenance
from detente.report.template import Cell, link, paragraph, section, table

_UNKNOWN = object()


@dataclass(frozen=True)
class TreatyStanding:
    """Whether the scenario's treaty binds one side on the scenario date."""

    actor: str
    party: bool
    in_force: bool | None
    on: str | None
    dated: bool
    """The treaty has an entry-into-force or expiry date (False: a design)."""

    @property
    def binding(self) -> bool:
        """The side is a party and the treaty is in force on the scenario date."""
        return self.party and self.in_force is True

    def phrase(self) -> str:
        """``not a party``, ``not in force on 2026-03-01``, :data:`UNDATED` ..."""
        if not self.party:
            return "not a party"
        if self.in_force is True:
            return f"in force on {self.on}" if self.on else "in force"
        if self.in_force is False:
            return f"not in force on {self.on}" if self.on else "not in force"
        if not self.dated:
            return UNDATED
        return "no scenario date to check it against"


def _treaty(name: str) -> Treaty | None:
    try:
        return resolve_treaty(name)
    except DetenteError:
        return None


def _field(view: Any, name: str) -> Any:
    return getattr(view, name, _UNKNOWN)


def treaty_label(a: Assessment) -> str:
    """Display name of the treaty the scenario counts under ('' without one)."""
    if not a.treaty and not a.scenario.treaty:
        return ""
    name = a.treaty[0].treaty if a.treaty else str(a.scenario.treaty)
    treaty = _treaty(name)
    return (treaty.label or treaty.id) if treaty is not None else name


def standings(a: Assessment) -> tuple[TreatyStanding, ...]:
    """Each side's standing under the scenario's treaty.

    Reads ``party``, ``in_force`` and ``on`` from the treaty views; where a view
    does not carry them they are worked out from the treaty's parties and dates
    and the scenario date.
    """
    out = []
    treaty = _treaty(a.treaty[0].treaty) if a.treaty else None
    dated = treaty is None or (
        treaty.in_force_from is not None or treaty.in_force_until is not None
    )
    for view in a.treaty:
        on = _field(view, "on")
        if on is _UNKNOWN:
            on = a.scenario.date or None
        on_text = None if on is None else str(on)
        party = _field(view, "party")
        if party is _UNKNOWN:
            party = treaty is None or not treaty.parties or view.actor in treaty.parties
        in_force = _field(view, "in_force")
        side_dated = dated
        if in_force is None and on_text:
            side_dated = False  # the view knows the date: no answer means no treaty dates
        elif in_force is _UNKNOWN:
            in_force = None
            if treaty is not None and dated and on_text:
                try:
                    in_force = treaty.in_force(dt.date.fromisoformat(on_text))
                except ValueError:
                    in_force = None
        out.append(
            TreatyStanding(
                actor=view.actor,
                party=bool(party),
                in_force=None if in_force is None else bool(in_force),
                on=on_text,
                dated=side_dated,
            )
        )
    return tuple(out)


def counted_under(a: Assessment) -> str:
    """Part of a sentence: the treaty the sides are counted under, and where it binds.

    ``counted under New START (2010) — all sides: in force on 2021-07-28``, or
    ``... — US: in force on 2021-07-28; CN: not a party``.
    """
    if not a.treaty:
        return "no treaty is counted"
    found = standings(a)
    phrases = {s.phrase() for s in found}
    if len(phrases) == 1 and len(found) > 1:
        parts = f"all sides: {phrases.pop()}"
    else:
        parts = "; ".join(f"{s.actor.upper()}: {s.phrase()}" for s in found)
    return f"counted under {treaty_label(a)} — {parts}"


def _status(ok: bool) -> Cell:
    word, cls = ("within", "yes") if ok else ("over", "no")
    return Cell(f'<span class="{cls}">{word}</span>', markup=True)


def _verdict(view: Any, standing: TreatyStanding) -> str:
    side = standing.actor.upper()
    if standing.binding:
        return f"{side} {'complies' if view.complies else 'does not comply'}"
    would = "would be within every limit" if view.complies else "would exceed a limit"
    return f"{side} {would} if bound ({standing.phrase()})"


def treaty_section(a: Assessment) -> str:
    """The treaty each side is counted under, whether it binds, and the counts."""
    if not a.treaty:
        return section("treaty", "Treaty", paragraph("The scenario counts no treaty."))
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
    verdicts = "; ".join(_verdict(v, s) for v, s in zip(a.treaty, standings(a), strict=True))
    return section(
        "treaty",
        f"Treaty: counted under {treaty_label(a)}",
        paragraph(f"Each side is {counted_under(a)}. {verdicts}."),
        table(["Side", "Limit", "Count", "Ceiling", "Margin", "Status"], rows, (2, 3, 4)),
    )


def _settings_rows(model: BaseModel) -> list[tuple[str, str, str]]:
    fields = type(model).model_fields
    return [
        (name, str(getattr(model, name)), info.description or "") for name, info in fields.items()
    ]


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


def _numbers(n: int) -> str:
    return f"{n} number" if n == 1 else f"{n} numbers"


def _cited_rows(found: tuple[provenance.Assumed, ...]) -> list[tuple[str, str, str, str]]:
    rows = []
    for item in found:
        notes = dict(n.split(": ", 1) for n in item.notes if ": " in n)
        rows += [(item.where, f, v, notes.get(f, "")) for f, v in item.fields]
    return rows


def assumptions_section(a: Assessment) -> str:
    """Exchange and stability settings, numbers the scenario set, and assumed numbers."""
    s = a.scenario
    parts = [
        "<h3>Exchange settings</h3>",
        table(["Setting", "Value", "Meaning"], _settings_rows(s.exchange)),
        "<h3>Stability settings</h3>",
        table(["Setting", "Value", "Meaning"], _settings_rows(s.stability)),
        "<h3>Numbers set by this scenario</h3>",
    ]
    for side in s.sides:
        rows = _cited_rows(provenance.set_by_scenario(side.posture))
        parts.append(
            _details(
                f"{side.actor.upper()}: {_numbers(len(rows))} set by the scenario",
                table(["Object", "Field", "Value", "Set where"], rows, (2,)),
            )
        )
    parts.append("<h3>Posture numbers that rest on modelling assumptions</h3>")
    for side in s.sides:
        rows = _cited_rows(provenance.assumptions(side.posture))
        parts.append(
            _details(
                f"{side.actor.upper()}: {_numbers(len(rows))} assumed",
                table(["Object", "Field", "Value", "Why"], rows, (2,)),
            )
        )
    return section("assumptions", "Assumptions used", *parts)


_NOT_REGISTERED = {
    ASSUMPTION: "Modelling assumption (see Assumptions used)",
    provenance.SCENARIO: "Set by this scenario (see Assumptions used)",
}


def _source_rows(keys: tuple[str, ...], registry: dict[str, dict[str, Any]]) -> list[Any]:
    rows: list[Any] = []
    for key in keys:
        entry = registry.get(key)
        if entry is None:
            rows.append(
                (key, Cell(_NOT_REGISTERED.get(key, "not in the sources registry")), "", "")
            )
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
    return rows


def sources_section(a: Assessment) -> str:
    """Source keys the scenario names and those each posture cites, with their titles."""
    registry = sources()
    headers = ["Key", "Title", "Author", "Year"]
    scenario_keys = tuple(dict.fromkeys(a.scenario.sources))
    parts = ["<h3>Named by this scenario</h3>"]
    if scenario_keys:
        parts.append(table(headers, _source_rows(scenario_keys, registry)))
    else:
        parts.append(paragraph("The scenario names no sources of its own."))
    for side in a.scenario.sides:
        title = f"{side.actor.upper()}: {side.posture.label or side.posture.id}"
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(table(headers, _source_rows(provenance.source_keys(side.posture), registry)))
    return section("sources", "Sources of the numbers", *parts)
