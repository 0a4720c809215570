"""docs/uncertainty.md is what docs/gen_uncertainty_doc.py writes from the code as it is."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_uncertainty_doc", DOCS / "gen_uncertainty_doc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_uncertainty_page_is_up_to_date():
    gen = _generator()
    committed = (DOCS / "uncertainty.md").read_text(encoding="utf-8")
    assert committed == gen.page(gen.analysis()), "run: python docs/gen_uncertainty_doc.py"


def test_the_page_shows_its_figures_and_every_definition():
    text = (DOCS / "uncertainty.md").read_text(encoding="utf-8")
    for name in ("uncertainty-intervals.png", "uncertainty-first-strike-sobol.png"):
        assert f"]({name})" in text
        assert (DOCS / name).stat().st_size > 10_000
    for label in ("First-strike", "Second-strike", "Knife-edges", "Convergence"):
        assert label.lower() in text.lower()
