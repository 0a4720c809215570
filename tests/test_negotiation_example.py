"""The shipped 2021 negotiation example, run in full: docs/negotiation.md is its output.

Runs ``examples/geneva-2021-negotiation.yaml`` with the workers it asks for (about a minute
of work on two free cores) and the two-lever brute-force check, once for the module.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from detente.analysis.assess import assess
from detente.negotiation import package_scenario
from detente.treaty import compliance, count

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_negotiation_doc", DOCS / "gen_negotiation_doc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated():
    module = _generator()
    result, check, robust = module.run()
    return module, result, check, robust


def test_negotiation_doc_is_current(generated):
    module, result, check, robust = generated
    committed = (DOCS / "negotiation.md").read_text(encoding="utf-8")
    assert committed == module.render(result, check, robust), (
        "run: python docs/gen_negotiation_doc.py"
    )


def test_the_example_bargains_over_packages_assess_confirms(generated):
    _, result, _, _ = generated
    b = result.outcome
    picks = {b.nash, b.kalai_smorodinsky} - {None}
    picks |= {int(i) for i in b.front[:5]}
    for i in sorted(picks):
        scenario = package_scenario(result.spec, result.evaluated[i].values)
        a = assess(scenario)
        reported = result.objective_values(i)
        for side in ("us", "ru"):
            assert a.value("first_strike", side).value == pytest.approx(
                reported[f"{side}_stability"], abs=1e-12
            )
            posture = scenario.side(side).posture
            assert compliance(count(posture, scenario.treaty)).complies


def test_the_brute_force_check_holds_in_the_doc_run(generated):
    module, _, check, _ = generated
    assert check["distance"] <= module.TOLERANCE
    assert check["evaluated"] < check["grid"]
