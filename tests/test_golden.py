"""The built-in baseline's full ``assess --json``, pinned.

The fixture was written by ``tests/golden/regenerate.py``. A change to any number
in it is either a bug or a deliberate change made in one commit with the
regenerated fixture and a line in ``docs/methodology.md`` saying what moved and why.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from detente.cli import app
from detente.cli.base import run

FIXTURE = Path(__file__).parent / "golden" / "geneva-2021-assess.json"
TOLERANCE = 1e-9


def _differences(want: Any, got: Any, path: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = [f"{path}.{k}: missing" for k in want if k not in got]
        out += [f"{path}.{k}: unexpected" for k in got if k not in want]
        for key in want.keys() & got.keys():
            out += _differences(want[key], got[key], f"{path}.{key}")
        return out
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return [f"{path}: {len(want)} items expected, {len(got)} found"]
        return [
            d
            for i, (w, g) in enumerate(zip(want, got, strict=True))
            for d in _differences(w, g, f"{path}[{i}]")
        ]
    numbers = (int, float)
    if isinstance(want, numbers) and isinstance(got, numbers) and not isinstance(want, bool):
        if math.isclose(want, got, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
            return []
        return [f"{path}: {want!r} expected, {got!r} found"]
    return [] if want == got else [f"{path}: {want!r} expected, {got!r} found"]


def test_baseline_assessment_equals_the_pinned_fixture(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["detente", "assess", "--json"])
    assert run(app) == 0
    got = json.loads(capsys.readouterr().out)
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))
    problems = _differences(want, got)
    assert not problems, f"{len(problems)} differences, first: " + "; ".join(problems[:10])


def test_the_comparison_sees_a_change():
    want = {"a": [1.0, {"b": "x"}], "c": 0.5}
    assert _differences(want, {"a": [1.0, {"b": "x"}], "c": 0.5 + 1e-12}) == []
    assert _differences(want, {"a": [1.0, {"b": "y"}], "c": 0.5})
    assert _differences(want, {"a": [1.0 + 1e-6, {"b": "x"}], "c": 0.5})
    assert _differences(want, {"a": [1.0], "c": 0.5})
    assert _differences(want, {"a": [1.0, {"b": "x"}]})
