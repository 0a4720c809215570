"""Every shipped example scenario loads, validates, assesses and cites known sources."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from detente.analysis.assess import assess
from detente.data import sources
from detente.io import load_scenario
from detente.stability import DEFINITIONS

pytestmark = pytest.mark.examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if "sweep" not in p.name)
"""Example scenarios; files named *sweep* are sweep specifications (tests/test_sweep_spec.py)."""
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_the_library_is_complete() -> None:
    names = {p.name for p in EXAMPLES}
    for required in (
        "geneva-2021.yaml",
        "new-start-expired-2026.yaml",
        "all-warheads-counted.yaml",
        "bmd-expansion.yaml",
        "hypersonic-deployment.yaml",
        "asat-early-warning.yaml",
        "cyber-c2.yaml",
        "ai-ocean-transparency.yaml",
        "conventional-counterforce.yaml",
        "poseidon-deployment.yaml",
        "china-1000-by-2030.yaml",
    ):
        assert required in names


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids(EXAMPLES))
def test_example_validates_and_assesses(path: Path) -> None:
    scenario = load_scenario(path)
    result = assess(scenario)
    for name in DEFINITIONS:
        assert 0.0 <= result.value(name).value <= 1.0


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids(EXAMPLES))
def test_example_cites_known_sources(path: Path) -> None:
    known = set(sources())
    scenario = load_scenario(path)
    assert set(scenario.sources) <= known
    for side in scenario.sides:
        posture = side.posture
        items = [posture, posture.c2, posture.launch_on_warning, side.factors]
        items += [*posture.systems, *posture.targets, *posture.defenses]
        for item in items:
            assert item.source in known, (path.name, getattr(item, "id", ""), item.source)
            for cite in item.cite:
                assert cite.source in known, (path.name, getattr(item, "id", ""), cite)


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids(EXAMPLES))
def test_example_header_states_question_changes_and_sources(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "Question:" in header
    scenario = load_scenario(path)
    # Every source key the scenario lists is named in its header (or it adds none).
    for key in scenario.sources:
        assert KEY.match(key)
        assert key in header, (path.name, key)


def test_scenario_library_page_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_scenario_table", ROOT / "docs" / "gen_scenario_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "scenario-library.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run: python docs/gen_scenario_table.py"
