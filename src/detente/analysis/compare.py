"""What-if in one call: ``compare(base, variant)``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from detente.analysis.assess import Assessment, assess
from detente.errors import IncompatibleScenariosError
from detente.model.perspective import Perspective
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS

if TYPE_CHECKING:
    import pandas as pd

KEY_FLOWS = (
    "warheads_destroyed",
    "retaliation_arrived",
    "damage_to_attacker",
    "damage_to_defender",
)


def changed_fields(base: Any, variant: Any, prefix: str = "") -> list[tuple[str, Any, Any]]:
    """Dotted paths where two plain-data trees differ, with both values.

    Lists of mappings that carry an ``id`` are matched by id, so a changed
    system reads ``sides.0.posture.systems[sarmat].launchers_deployed``.
    """
    if isinstance(base, dict) and isinstance(variant, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(base) | set(variant), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            out += changed_fields(base.get(key), variant.get(key), path)
        return out
    if isinstance(base, list) and isinstance(variant, list):
        if all(isinstance(x, dict) and "id" in x for x in base + variant):
            b = {x["id"]: x for x in base}
            v = {x["id"]: x for x in variant}
            out = []
            for key in list(b) + [k for k in v if k not in b]:
                out += changed_fields(b.get(key), v.get(key), f"{prefix}[{key}]")
            return out
        if len(base) == len(variant):
            out = []
            for i, (x, y) in enumerate(zip(base, variant, strict=True)):
                out += changed_fields(x, y, f"{prefix}.{i}")
            return out
    return [] if base == variant else [(prefix, base, variant)]


@dataclass(frozen=True)
class Comparison:
    """Change of every definition, reading and key flow from ``base`` to ``variant``."""

    base: Assessment
    variant: Assessment
    changes: tuple[tuple[str, Any, Any], ...]
    """What changed in the inputs: (field path, base value, variant value)."""

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
        """Key exchange flows of the headline case, base vs variant."""
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

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "base": self.base.scenario.name,
            "variant": self.variant.scenario.name,
            "changes": [{"field": f, "base": b, "variant": v} for f, b, v in self.changes],
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
        }


def compare(
    base: Scenario,
    variant: Scenario,
    *,
    perspectives: Sequence[Perspective] | None = None,
) -> Comparison:
    """Assess ``base`` and ``variant`` and report every change, with what caused it."""
    if base.actors != variant.actors:
        raise IncompatibleScenariosError(
            "base and variant must have the same sides in the same order, got "
            f"{list(base.actors)} and {list(variant.actors)}"
        )
    changes = changed_fields(base.model_dump(mode="json"), variant.model_dump(mode="json"))
    changes = [c for c in changes if c[0] not in ("name", "label", "question")]
    return Comparison(
        base=assess(base, perspectives=perspectives),
        variant=assess(variant, perspectives=perspectives),
        changes=tuple(changes),
    )
