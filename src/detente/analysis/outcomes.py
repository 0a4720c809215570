"""The outcomes of evaluated experiments: definitions and strikes, one entry per experiment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.engine.flows import BatchFlows
from detente.engine.sides import SideArrays
from detente.model.cases import AlertCase
from detente.stability import DefinitionArrays, Strike

if TYPE_CHECKING:
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
DefinitionKey = tuple[str, str, AlertCase]
"""(definition, perspective id, alert case)."""
StrikeKey = tuple[str, AlertCase, str, str]
"""(perspective id, alert case, attacker, defender)."""
STRIKE_FIELDS = tuple(f.name for f in fields(Strike) if f.name not in ("attacker", "defender"))


@dataclass(frozen=True)
class Outcomes:
    """Every definition and strike of every case, with one entry per experiment."""

    size: int
    definitions: dict[DefinitionKey, DefinitionArrays]
    strikes: dict[StrikeKey, Strike]
    gap: float = 0.0
    """Worst proven optimality gap of the allocations (0 for the greedy allocator)."""
    flows: dict[tuple[str, str], BatchFlows] = field(default_factory=dict)
    """Per direction, every exchange row (kept only when asked for)."""
    compiled: dict[str, SideArrays] = field(default_factory=dict)
    """Per side, the compiled arrays behind ``flows``."""
    flow_rows: dict[tuple[str, AlertCase], int] = field(default_factory=dict)
    """Row of ``flows`` holding the baseline exchanges of (reading, alert case) for
    experiment 0; experiment ``e`` is ``sub_cases * e`` rows further."""
    sub_cases: int = 1
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent per stage of the model, summed over chunks."""

    def __repr__(self) -> str:
        names = sorted({key[0] for key in self.definitions})
        return (
            f"<Outcomes of {self.size} experiment(s): {len(self.definitions)} definition "
            f"values ({', '.join(names)}), {len(self.strikes)} strikes"
            + (", flows kept" if self.flows else "")
            + "; .to_frame() for the table>"
        )

    @classmethod
    def concat(cls, parts: Sequence[Outcomes]) -> Outcomes:
        """Outcomes of consecutive chunks of experiments, in order."""
        if len(parts) == 1:
            return parts[0]
        first = parts[0]

        def cat(get: str, key: object, name: str, sub: str | None = None) -> FloatArray:
            arrays = []
            for p in parts:
                obj = getattr(p, get)[key]
                value = getattr(obj, name)
                arrays.append(value if sub is None else value[sub])
            return np.concatenate(arrays)

        definitions = {
            key: DefinitionArrays(
                value=cat("definitions", key, "value"),
                components={c: cat("definitions", key, "components", c) for c in d.components},
                details={c: cat("definitions", key, "details", c) for c in d.details},
            )
            for key, d in first.definitions.items()
        }
        strikes = {
            key: Strike(
                s.attacker, s.defender, *(cat("strikes", key, name) for name in STRIKE_FIELDS)
            )
            for key, s in first.strikes.items()
        }
        flows = {k: BatchFlows.concat([p.flows[k] for p in parts]) for k in first.flows}
        return cls(
            size=sum(p.size for p in parts),
            definitions=definitions,
            strikes=strikes,
            gap=max(p.gap for p in parts),
            flows=flows,
            compiled=first.compiled,
            flow_rows=first.flow_rows,
            sub_cases=first.sub_cases,
            timings={k: sum(p.timings.get(k, 0.0) for p in parts) for k in first.timings},
        )

    def columns(self) -> dict[str, FloatArray]:
        """Flat columns: ``definition/reading/case/part`` and ``strike/reading/case/a>b/flow``."""
        out: dict[str, FloatArray] = {}
        for (name, persp, case), d in self.definitions.items():
            out[f"{name}/{persp}/{case}/combined"] = d.value
            for side, v in d.components.items():
                out[f"{name}/{persp}/{case}/{side}"] = v
        for (persp, case, att, dfn), s in self.strikes.items():
            for flow in STRIKE_FIELDS:
                out[f"strike/{persp}/{case}/{att}>{dfn}/{flow}"] = getattr(s, flow)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per experiment, one column per outcome (see :meth:`columns`)."""
        import pandas as pd

        return pd.DataFrame(self.columns(), index=pd.RangeIndex(self.size, name="experiment"))
