"""The numbers docs/sweeps.md quotes from the worked example are those a run gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from detente.analysis.sweep import run_sweep
from detente.io.changes import with_changes
from detente.io.sweep_yaml import load_sweep
from detente.store.schema import content_hash

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_the_worked_example_numbers_in_the_docs():
    plan = load_sweep(ROOT / "examples" / "bmd-alert-treaty-sweep.yaml")
    result = run_sweep(plan, vary=with_changes)
    out = result.outcomes
    heads = out[
        (out["definition"] == "first_strike")
        & (out["reading"] == "full")
        & (out["side"] == "combined")
        & (out["quantity"] == "value")
        & ~out["case"].astype(str).str.endswith("/ride_out")
    ]
    table = heads.merge(result.experiments, on="experiment")
    import json

    inputs = table["inputs"].map(json.loads)
    for name in ("us_interceptors", "ru_alert", "treaty"):
        table[name] = inputs.map(lambda d, n=name: d[n])

    def at(bmd: int, alert: float, treaty: str) -> float:
        row = table[
            (table["us_interceptors"] == bmd)
            & (table["ru_alert"] == alert)
            & (table["treaty"] == treaty)
        ]
        assert len(row) == 1
        return float(row["value"].iloc[0])

    text = " ".join((ROOT / "docs" / "sweeps.md").read_text(encoding="utf-8").split())
    quoted = [
        f"from {at(0, 0.15, 'new_start'):.3f} with no interceptors to "
        f"{at(1000, 0.15, 'new_start'):.3f} with 1,000",
        f"raises the index by {at(0, 0.6, 'new_start') - at(0, 0.15, 'new_start'):.2f} with no "
        f"US interceptors and by {at(1000, 0.6, 'new_start') - at(1000, 0.15, 'new_start'):.2f}",
        f"the index at 0.15 alert is {at(0, 0.15, 'lapsed'):.3f} with no interceptors and "
        f"{at(1000, 0.15, 'lapsed'):.3f} at 1,000",
        f"({at(0, 0.15, 'lapsed') - at(1000, 0.15, 'lapsed'):.3f} against "
        f"{at(0, 0.15, 'new_start') - at(1000, 0.15, 'new_start'):.3f} with the treaty in force)",
    ]
    for sentence in quoted:
        assert sentence in text, sentence


def test_the_run_id_the_docs_show_is_the_worked_examples():
    plan = load_sweep(ROOT / "examples" / "bmd-alert-treaty-sweep.yaml")
    run_id = content_hash(plan)[:12]
    text = (ROOT / "docs" / "sweeps.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"runs (?:show|report|export|rm) ([0-9a-f]{12})", text))
    shown |= set(re.findall(r"run ([0-9a-f]{12}) complete", text))
    assert shown == {run_id}
