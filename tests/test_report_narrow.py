"""The report on a phone-sized screen, and the lighter report that shares plotly.js.

Opened from disk in headless Chromium with the network off, at 420 CSS pixels:
the page must not scroll sideways (wide tables and figures scroll inside their
own frame), and every figure must draw, also when plotly.js is a file beside the
report. Needs ``/usr/bin/chromium`` (skipped without it, failed under CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.analysis.assess import assess
from detente.io import load_scenario
from detente.report.html import plotly_file_name, write_report

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
WIDTH = 420


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("narrow")
    a = assess(load_scenario(GENEVA))
    return {
        "inline": write_report(a, folder / "inline.html"),
        "shared": write_report(a, folder / "shared.html", shared_js=True),
    }


def _open(browser: Any, path: Path) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
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
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function(DRAWN, timeout=20_000)
    result = {
        "widths": page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        ),
        "figures": page.evaluate("document.querySelectorAll('.js-plotly-plot').length"),
        "attempted": attempted,
        "errors": errors,
    }
    context.close()
    return result


@pytest.mark.parametrize("kind", ["inline", "shared"])
def test_report_fits_a_420_pixel_screen(browser, reports, kind):
    seen = _open(browser, reports[kind])
    scroll, client = seen["widths"]
    assert client == WIDTH
    assert scroll <= client, f"the page is {scroll} px wide on a {client} px screen"
    assert seen["figures"] >= 4
    assert seen["attempted"] == [] and seen["errors"] == []


def test_shared_report_loads_plotly_from_beside_it(reports):
    shared = reports["shared"]
    assert (shared.parent / plotly_file_name()).is_file()
    assert reports["inline"].stat().st_size > 10 * shared.stat().st_size
