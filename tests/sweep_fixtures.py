"""A small sweep on the toy dyad, shared by the store, executor and CLI tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from detente.examples import toy_dyad
from detente.io import dump_scenario

TOY_SWEEP = """\
# A toy sweep for tests. Question: none; it exercises the store.
name: toy_sweep
scenario: toy.yaml
levers:
  - name: bmd
    path: sides[a].defenses[area_bmd].interceptors
    values: [0, 50, 100, 200]
  - name: sea
    path: sides[b].systems[slbm].alert.day_to_day
    values: [0.2, 0.4, 0.6]
  - name: posture
    options:
      as_is: {}
      generated:
        sides[b].alert: generated
keep:
  definitions: [first_strike, second_strike]
  readings: [full, us]
  alert_cases: own
"""
"""24 points, 2 definitions, 2 readings."""

LABELS = ["definition", "reading", "case", "side", "quantity"]


def write_toy_sweep(folder: Path, text: str = TOY_SWEEP) -> Path:
    """The toy sweep file (and its scenario) in ``folder``."""
    toy = toy_dyad(interceptors=100, slbms=40, launch_on_warning=True)
    (folder / "toy.yaml").write_text(dump_scenario(toy), encoding="utf-8")
    spec = folder / "toy-sweep.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Outcomes in one order with plain text labels, for exact comparison."""
    frame = frame.astype(dict.fromkeys(LABELS, str))
    return frame.sort_values(["experiment", *LABELS]).reset_index(drop=True)
