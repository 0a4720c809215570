"""Open the report from disk in headless Chromium with the network off.

Needs Debian's ``/usr/bin/chromium`` (``apt-get install chromium``); without it
the tests are skipped, except under CI (``$CI`` set), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.analysis.assess import assess
from detente.examples import toy_dyad
from detente.report.html import write_report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
GENEVA = Path(__file__).resolve().parent.parent / "examples" / "geneva-2021.yaml"

DRAWN = (
    "[...document.querySelectorAll('.js-plotly-plot')].every(d => d.querySelector('svg.main-svg'))"
)
MARKS = """
[...document.querySelectorAll('.js-plotly-plot')].map(d => ({
  id: d.id,
  svg: d.querySelectorAll('svg.main-svg').length,
  bars: [...d.querySelectorAll('g.trace.bars path')]
    .filter(p => /[LHV]/.test(p.getAttribute('d') || '')).length,
  points: d.querySelectorAll('g.trace.scatter path.point').length,
  heatmaps: d.querySelectorAll('g.hm image').length,
}))
"""


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


def _toy_report(folder: Path) -> Path:
    scenario = toy_dyad(icbms=100, mirv=3, slbms=50, interceptors=40).model_copy(
        update={"treaty": "new_start", "date": "2021-07-28"}
    )
    return write_report(assess(scenario), folder / "toy.html")


def _geneva_report(folder: Path) -> Path:
    from detente.io import load_scenario

    return write_report(assess(load_scenario(GENEVA)), folder / "geneva.html")


@pytest.fixture(scope="module", params=["toy", "geneva"])
def opened(
    request: pytest.FixtureRequest, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("report")
    if request.param == "geneva" and not GENEVA.exists():
        pytest.skip("examples/geneva-2021.yaml not present")
    path = _toy_report(folder) if request.param == "toy" else _geneva_report(folder)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_offline(True)
    page = context.new_page()
    attempted: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            attempted.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function(DRAWN, timeout=20_000)
    result = {
        "marks": page.evaluate(MARKS),
        "title": page.title(),
        "attempted": attempted,
        "errors": errors,
        "text": path.read_text(encoding="utf-8"),
    }
    context.close()
    return result


def test_report_makes_no_network_request(opened):
    assert opened["attempted"] == []


def test_report_logs_no_console_error(opened):
    assert opened["errors"] == []


def test_every_figure_is_drawn(opened):
    marks = opened["marks"]
    # Every Plotly.newPlot call in the file became a drawn plot.
    assert len(marks) == opened["text"].count("Plotly.newPlot(")
    assert len(marks) >= 4
    for m in marks:
        assert m["svg"] >= 1, m
        assert m["bars"] + m["points"] + m["heatmaps"] > 0, m


def test_figures_draw_the_expected_marks(opened):
    by_id = {m["id"]: m for m in opened["marks"]}
    # Five definitions: one bar each, and a marker per side.
    assert by_id["fig-headline"]["bars"] == 5
    assert by_id["fig-headline"]["points"] == 10
    # One heatmap per reading (full, US, Russian).
    assert by_id["fig-definitions"]["heatmaps"] == 3
    assert by_id["fig-exchanges"]["bars"] >= 4
