"""Compact notebook views of assessments and comparisons (``_repr_html_``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.model.display import card, html_table
from detente.stability import DEFINITIONS, LABELS
from detente.stability.verdicts import verdict

if TYPE_CHECKING:
    from detente.analysis.assess import Assessment
    from detente.analysis.compare import Comparison


def headline_text(a: Assessment) -> str:
    """``first_strike 0.846 stable, second_strike 1.000 sufficient, ...``."""
    parts = []
    for name in DEFINITIONS:
        value = a.value(name).value
        word = verdict(name, value)
        parts.append(f"{name} {value:.3f}" + (f" {word}" if word else ""))
    return ", ".join(parts)


def assessment_html(a: Assessment) -> str:
    """The headline of an assessment: every definition, its verdict and each side's part."""
    rows = []
    for name in DEFINITIONS:
        res = a.value(name)
        rows.append(
            (
                LABELS[name],
                res.value,
                verdict(name, res.value) or "",
                *(res.components.get(side, float("nan")) for side in a.pair),
            )
        )
    table = html_table(("definition", "value", "verdict", *a.pair), rows)
    s = a.scenario
    return card(
        f"Assessment of {s.label or s.name}",
        table,
        lines=[
            f"{' vs '.join(a.pair)}; headline: {a.headline_perspective} reading, "
            f"{a.headline_case.label()}",
            f"{len(a.perspectives)} readings x {len(a.case_keys)} alert cases; "
            ".to_frame() has every value, .outcomes() the exchanges",
        ],
    )


def comparison_html(c: Comparison) -> str:
    """What changed in the inputs, the headline deltas and why they moved."""
    edits = c.edits
    changes = html_table(
        ("side", "field", "base", "variant"),
        [(e.side or "", e.field, _short(e.base), _short(e.variant)) for e in edits[:12]],
    )
    rows = []
    for name in DEFINITIONS:
        b, v = c.base.value(name).value, c.variant.value(name).value
        rows.append((LABELS[name], b, v, v - b))
    deltas = html_table(("definition", "base", "variant", "change"), rows)
    more = [f"... and {len(edits) - 12} more input changes"] if len(edits) > 12 else []
    return card(
        f"{c.base.scenario.name} -> {c.variant.scenario.name}",
        changes,
        deltas,
        lines=[f"{len(edits)} input change(s)", *more, *c.why().lines()],
    )


def _short(value: object) -> str:
    from detente.analysis.compare import short_value

    return short_value(value)
