"""Compact notebook views of assessments and comparisons (``_repr_html_``), the short
form of a changed value, and signed changes as people read them.

The objects are taken as they come (typed ``Any``): this module sits below
:mod:`~detente.analysis.assess` and :mod:`~detente.analysis.compare`, which use it.
"""

from __future__ import annotations

import re
from typing import Any

from detente.model.display import card, html_table
from detente.stability import DEFINITIONS, LABELS
from detente.stability.verdicts import verdict

Assessment = Any
Comparison = Any


def _is_zero(text: str) -> bool:
    return float(text.rstrip("%").replace(",", "")) == 0


def signed(value: float, fmt: str = ".3f") -> str:
    """``value`` with its sign at format ``fmt`` (e.g. ``".3f"``, ``",.0f"``, ``".1%"``);
    ``±0`` rather than ``+0``/``-0`` when it rounds to zero."""
    text = format(value, "+" + fmt)
    return "\u00b1" + text[1:] if _is_zero(text) else text


def signed_change(before: float, after: float, fmt: str = ".3f") -> str:
    """The change from ``before`` to ``after`` as :func:`signed` shows it, with as many
    more decimals (up to three) as it takes not to read ``±0`` beside two values that
    differ at ``fmt`` (577 -> 578 is a change of +0.4, not of ±0)."""
    text = signed(after - before, fmt)
    if not _is_zero(text.lstrip("\u00b1")) or format(before, fmt) == format(after, fmt):
        return text
    spec = re.fullmatch(r"(,?)\.(\d+)([f%])", fmt)
    if spec is None:
        return text
    sep, digits, kind = spec.groups()
    for more in range(1, 4):
        finer = f"{sep}.{int(digits) + more}{kind}"
        if not _is_zero(format(after - before, finer)):
            return signed(after - before, finer)
    return text


def short_value(value: Any, width: int = 40) -> str:
    """A value of a change for display: ``(none)``, ``(item x)``, a cut string."""
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return f"(item {value['id']})" if "id" in value else "{...}"
    if isinstance(value, list):
        return f"[{len(value)} items]" if value else "[]"
    if isinstance(value, float):
        return f"{value:g}"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


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
        [(e.side or "", e.field, short_value(e.base), short_value(e.variant)) for e in edits[:12]],
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
