"""docs/three-parties.md is what docs/gen_three_parties.py renders from the code as it is.

The page is generated; every sentence in it that reads the numbers is checked against
them while rendering (``ClaimError``), so this test also fails when a change to the
model makes the page say something the numbers no longer show.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.mark.slow
def test_the_three_parties_page_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_three_parties", DOCS / "gen_three_parties.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (DOCS / "three-parties.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run: python docs/gen_three_parties.py"


def test_the_page_shows_its_figures() -> None:
    text = (DOCS / "three-parties.md").read_text(encoding="utf-8")
    for name in ("three-parties-race.png", "three-parties-race-day-to-day.png"):
        assert f"]({name})" in text
        assert (DOCS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
