"""Outcomes as a tidy table: one row per experiment and number.

Columns: ``experiment``, ``definition``, ``reading``, ``case``, ``side``,
``quantity``, ``value``. A definition's combined value is the row with
side ``combined`` and quantity ``value``; each side's part has that side and
quantity ``value``; the raw numbers behind a part (``details``) have that side
and their own name as quantity (``cost_first``); the key flows of a strike have
definition ``strike``, side ``attacker>defender`` and the flow as quantity
(``damage_to_defender``). This is the shape the results store keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.analysis.outcomes import STRIKE_FIELDS, Outcomes
from detente.model.sweep import Keep

if TYPE_CHECKING:
    import pandas as pd

TIDY_COLUMNS = ("experiment", "definition", "reading", "case", "side", "quantity", "value")
LABEL_COLUMNS = TIDY_COLUMNS[1:-1]
STRIKE = "strike"
"""The ``definition`` of the key-flow rows of a strike."""
COMBINED = "combined"
VALUE = "value"


def _split_detail(name: str, sides: set[str]) -> tuple[str, str]:
    """``'us.cost_first'`` -> ``('us', 'cost_first')``; a name without a side -> combined."""
    head, _, rest = name.partition(".")
    return (head, rest) if rest and head in sides else (COMBINED, name)


def tidy_outcomes(
    outcomes: Outcomes, experiment_ids: npt.NDArray[np.int64], keep: Keep
) -> pd.DataFrame:
    """The outcomes of a batch of experiments as tidy rows.

    Parameters
    ----------
    outcomes
        Outcomes of ``len(experiment_ids)`` experiments.
    experiment_ids
        The experiment number of each entry of the outcome arrays.
    keep
        Which parts to keep (sides' parts, raw details, strike flows).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIDY_COLUMNS`; labels are categorical.
    """
    import pandas as pd

    labels: list[tuple[str, str, str, str, str]] = []
    arrays: list[npt.NDArray[np.float64]] = []
    for (name, reading, case), d in outcomes.definitions.items():
        text = str(case)
        labels.append((name, reading, text, COMBINED, VALUE))
        arrays.append(d.value)
        sides = set(d.components)
        if keep.components:
            for side, v in d.components.items():
                labels.append((name, reading, text, side, VALUE))
                arrays.append(v)
        if keep.details:
            for detail, v in d.details.items():
                side, quantity = _split_detail(detail, sides)
                labels.append((name, reading, text, side, quantity))
                arrays.append(v)
    if keep.flows:
        for (reading, case, att, dfn), s in outcomes.strikes.items():
            for flow in STRIKE_FIELDS:
                labels.append((STRIKE, reading, str(case), f"{att}>{dfn}", flow))
                arrays.append(getattr(s, flow))
    n = len(experiment_ids)
    series = len(labels)
    columns: dict[str, object] = {
        "experiment": np.tile(np.asarray(experiment_ids, dtype=np.int64), series)
    }
    for j, column in enumerate(LABEL_COLUMNS):
        names = [row[j] for row in labels]
        categories = list(dict.fromkeys(names))
        code = {c: i for i, c in enumerate(categories)}
        codes = np.repeat(np.asarray([code[c] for c in names], dtype=np.int32), n)
        columns[column] = pd.Categorical.from_codes(codes, categories=pd.Index(categories))
    columns["value"] = (
        np.concatenate(arrays).astype(np.float64, copy=False) if arrays else np.zeros(0)
    )
    return pd.DataFrame(columns)


__all__ = ["COMBINED", "LABEL_COLUMNS", "STRIKE", "TIDY_COLUMNS", "VALUE", "tidy_outcomes"]
