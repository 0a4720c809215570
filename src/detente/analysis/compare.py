"""What-if in one call: ``compare(base, variant)``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from detente.analysis.assess import Assessment, assess
from detente.analysis.display import short_value, signed
from detente.errors import IncompatibleScenariosError, InvalidArgumentError
from detente.model.perspective import Perspective, as_perspectives
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS

if TYPE_CHECKING:
    import pandas as pd

    from detente.analysis.why import Explanation

KEY_FLOWS = (
    "warheads_destroyed",
    "retaliation_arrived",
    "damage_to_attacker",
    "damage_to_defender",
)


def _keyed(items: list[Any], key: str) -> dict[Any, Any] | None:
    """``items`` by ``key`` when every item is a mapping with a distinct ``key``."""
    if not all(isinstance(x, dict) and key in x for x in items):
        return None
    out = {x[key]: x for x in items}
    return out if len(out) == len(items) else None


def changed_fields(base: Any, variant: Any, prefix: str = "") -> list[tuple[str, Any, Any]]:
    """Dotted paths where two plain-data trees differ, with both values.

    Lists of mappings that carry an ``id`` are matched by id, so a changed
    system reads ``sides.0.posture.systems[sarmat].launchers_deployed``; lists of
    citations (mappings with a distinct ``field``) are matched by the field they
    cite, so a new citation does not shift every later one.
    """
    if isinstance(base, dict) and isinstance(variant, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(base) | set(variant), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            out += changed_fields(base.get(key), variant.get(key), path)
        return out
    if isinstance(base, list) and isinstance(variant, list):
        for key in ("id", "field"):
            b, v = _keyed(base, key), _keyed(variant, key)
            if b is not None and v is not None:
                out = []
                for k in list(b) + [k for k in v if k not in b]:
                    out += changed_fields(b.get(k), v.get(k), f"{prefix}[{k}]")
                return out
        if len(base) == len(variant):
            out = []
            for i, (x, y) in enumerate(zip(base, variant, strict=True)):
                out += changed_fields(x, y, f"{prefix}.{i}")
            return out
    return [] if base == variant else [(prefix, base, variant)]


ChangeKind = Literal["input", "citation", "label"]
_LABELS = ("name", "label", "question", "note", "notes")
_SIDE = re.compile(r"sides\.(\d+)\.(?:posture\.)?")
_CITATION = re.compile(r"(?:^|\.)(?:cite|sources|source)(?:$|[.\[])")


@dataclass(frozen=True)
class Change:
    """One difference between two scenarios' inputs."""

    path: str
    """Full dotted path in the scenario (``sides.1.posture.systems[ru_avangard].cep_m``)."""
    base: Any
    variant: Any
    kind: ChangeKind = "input"
    """``input`` (a number or setting the model reads), ``citation`` (where a number
    comes from: ``cite``, ``source``, ``sources``) or ``label`` (name, label, question)."""
    side: str | None = None
    """The actor whose side the path is in; None for scenario-wide fields."""

    @property
    def field(self) -> str:
        """The path within its side (``systems[ru_avangard].cep_m``), else the full path."""
        return _SIDE.sub("", self.path, count=1) if self.side is not None else self.path

    def __str__(self) -> str:
        where = f"{self.side}: {self.field}" if self.side is not None else self.path
        return f"{where}: {short_value(self.base)} -> {short_value(self.variant)}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "field": self.path,
            "side": self.side,
            "kind": self.kind,
            "base": self.base,
            "variant": self.variant,
        }


def _kind(path: str) -> ChangeKind:
    if _CITATION.search(path):
        return "citation"
    return "label" if re.split(r"[.\]]", path)[-1] in _LABELS else "input"


def input_changes(base: Scenario, variant: Scenario) -> tuple[Change, ...]:
    """What ``variant`` changes in ``base``: real inputs first, then citations and labels.

    Systems, defences and targets are matched by id and citations by the field
    they cite, so each change is named by the item it is in
    (``sides.1.posture.systems[ru_avangard].launchers_deployed``).
    """
    data_b, data_v = base.model_dump(mode="json"), variant.model_dump(mode="json")
    actors = {str(i): s.actor for i, s in enumerate(variant.sides)}
    out = []
    for path, b, v in changed_fields(data_b, data_v):
        side = _SIDE.match(path)
        out.append(Change(path, b, v, _kind(path), actors.get(side[1]) if side else None))
    order = {"input": 0, "citation": 1, "label": 2}
    return tuple(sorted(out, key=lambda c: order[c.kind]))


@dataclass(frozen=True)
class Comparison:
    """Change of every definition, reading and key flow from ``base`` to ``variant``."""

    base: Assessment
    variant: Assessment
    changes: tuple[Change, ...]
    """What changed in the inputs, real inputs first, then citations and labels."""

    @property
    def edits(self) -> tuple[Change, ...]:
        """The changes the model reads (no citation or label)."""
        return tuple(c for c in self.changes if c.kind == "input")

    @property
    def headline_moved_only(self) -> bool:
        """No value of any (reading, alert case) changed, yet the headline case did."""
        frame = self.to_frame()
        return bool(
            self.base.headline_case != self.variant.headline_case
            and not (frame["delta"].abs() >= DISPLAY_STEP).any()
        )

    def to_frame(self) -> pd.DataFrame:
        """Definitions: one row per (definition, perspective, case), base, variant, delta."""
        rows = []
        for (name, persp, key), res in self.base.results.items():
            other = self.variant.results.get((name, persp, key))
            if other is None:
                continue
            rows.append(
                {
                    "definition": name,
                    "perspective": persp,
                    "case": str(key),
                    "base": res.value,
                    "variant": other.value,
                    "delta": other.value - res.value,
                }
            )
        import pandas as pd

        return pd.DataFrame(
            rows, columns=["definition", "perspective", "case", "base", "variant", "delta"]
        )

    def flows(self) -> pd.DataFrame:
        """Key exchange flows of each scenario's headline case, base vs variant."""
        rows = []
        for b, v in zip(self.base.outcomes(), self.variant.outcomes(), strict=True):
            for flow in KEY_FLOWS:
                vb, vv = float(getattr(b, flow)), float(getattr(v, flow))
                rows.append(
                    {
                        "exchange": f"{b.attacker} strikes {b.defender}",
                        "flow": flow,
                        "base": vb,
                        "variant": vv,
                        "delta": vv - vb,
                    }
                )
        import pandas as pd

        return pd.DataFrame(rows, columns=["exchange", "flow", "base", "variant", "delta"])

    def why(self) -> Explanation:
        """For each headline definition that moved, what in the exchanges moved it."""
        from detente.analysis.why import explain

        return explain(self.base, self.variant)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "base": self.base.scenario.name,
            "variant": self.variant.scenario.name,
            "headline_case": {
                "base": str(self.base.headline_case),
                "variant": str(self.variant.headline_case),
            },
            "changes": [c.to_dict() for c in self.changes],
            "definitions": self.to_frame().to_dict(orient="records"),
            "headline": {
                name: {
                    "base": self.base.value(name).value,
                    "variant": self.variant.value(name).value,
                    "delta": self.variant.value(name).value - self.base.value(name).value,
                }
                for name in DEFINITIONS
            },
            "flows": self.flows().to_dict(orient="records"),
            "why": self.why().to_dict(),
        }

    def __repr__(self) -> str:
        moved = [
            f"{name} {signed(self.variant.value(name).value - self.base.value(name).value)}"
            for name in DEFINITIONS
        ]
        return (
            f"<Comparison {self.base.scenario.name} -> {self.variant.scenario.name}: "
            f"{len(self.edits)} input change(s); {', '.join(moved)}>"
        )

    def _repr_html_(self) -> str:
        from detente.analysis.display import comparison_html

        return str(comparison_html(self))


DISPLAY_STEP = 0.0005
"""Smallest change of a definition value shown as a change (values print with 3 decimals)."""


def _assessed(
    item: Scenario | Assessment, role: str, perspectives: Sequence[Perspective] | None
) -> Assessment:
    if isinstance(item, Assessment):
        return item
    if isinstance(item, Scenario):
        return assess(item, perspectives=perspectives)
    raise InvalidArgumentError(
        f"compare takes two Scenarios or two Assessments; {role} is a {type(item).__name__}"
    )


def compare(
    base: Scenario | Assessment,
    variant: Scenario | Assessment,
    *,
    perspectives: Sequence[Perspective | str] | None = None,
) -> Comparison:
    """Assess ``base`` and ``variant`` and report every change, with what caused it.

    Parameters
    ----------
    base, variant
        Scenarios to assess, or finished assessments (used as they are; then
        ``perspectives`` is not used for them).
    perspectives
        Readings to evaluate scenarios under (Perspective objects or the ids of
        built-in ones); the first is the headline. By default the full reading and
        the reading of each side that has one.

    Raises
    ------
    InvalidArgumentError
        If an argument is neither a Scenario nor an Assessment.
    IncompatibleScenariosError
        If the two do not have the same sides in the same order.
    """
    persps = None if perspectives is None else as_perspectives(perspectives)
    scenarios = []
    for role, item in (("base", base), ("variant", variant)):
        if not isinstance(item, Scenario | Assessment):
            _assessed(item, role, persps)
        scenarios.append(item.scenario if isinstance(item, Assessment) else item)
    if scenarios[0].actors != scenarios[1].actors:
        raise IncompatibleScenariosError(
            "base and variant must have the same sides in the same order, got "
            f"{list(scenarios[0].actors)} and {list(scenarios[1].actors)}"
        )
    return Comparison(
        base=_assessed(base, "base", persps),
        variant=_assessed(variant, "variant", persps),
        changes=input_changes(scenarios[0], scenarios[1]),
    )
