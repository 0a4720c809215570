"""The dashboard in headless Chromium, served by ``detente serve`` on loopback.

Needs Debian's ``/usr/bin/chromium`` (``apt-get install chromium``); without it
the tests are skipped, except under CI (``$CI`` set), where they fail. Every
request the page makes is intercepted: anything not addressed to the local
server is recorded and refused, and the tests assert there was none; every
console error and uncaught exception is recorded, and the tests assert there
was none.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SLOW = 90_000
"""Milliseconds to wait for an answer (assessments share two busy cores in CI)."""


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(*extra: str) -> Iterator[str]:
    """``detente serve`` on a free loopback port (with ``extra`` options); yields its URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "detente", "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"detente serve exited: {proc.communicate()[1]}")
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("detente serve did not answer within 90 s")
                time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _need_chromium()
    with _serving() as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


class Watched:
    """A page with every off-machine request and console error recorded."""

    def __init__(self, browser: Any, base: str, width: int) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(SLOW)
        self.off_machine: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url == self.base or url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.off_machine.append(url)
            route.abort()

    def open(self) -> None:
        self.page.goto(self.base + "/")
        self.page.wait_for_selector("#value-first_strike")
        self.page.wait_for_selector("#chart-flows .main-svg")
        self.page.wait_for_selector("#chart-forces .main-svg")

    def text(self, selector: str) -> str:
        return str(self.page.text_content(selector) or "").strip()

    def wait_text_change(self, selector: str, before: str) -> str:
        deadline = time.monotonic() + SLOW / 1000
        while time.monotonic() < deadline:
            now = self.text(selector)
            if now and now != before:
                return now
            time.sleep(0.1)
        raise AssertionError(f"{selector} stayed {before!r}")

    def chart(self, div: str) -> str:
        return str(
            self.page.evaluate(f"() => JSON.stringify(document.getElementById('{div}').data)")
        )

    def check_clean(self) -> None:
        assert self.off_machine == [], self.off_machine
        assert self.errors == [], self.errors


@pytest.fixture(scope="module")
def wide(browser: Any, server: str) -> Iterator[Watched]:
    watched = Watched(browser, server, 1280)
    watched.open()
    yield watched
    watched.context.close()


def test_page_loads_with_the_baseline_assessed(wide):
    value = float(wide.text("#value-first_strike"))
    assert 0.0 <= value <= 1.0
    assert "Geneva 2021 baseline" in wide.text("#scenario-head")
    raw = wide.text("#raw-first_strike")
    assert raw.startswith("raw ratio, before the bound at 1: US ") and " · RU " in raw
    # every definition, every reading: one table per reading
    assert wide.page.locator("#cases table").count() == 3
    assert wide.page.locator("#sources-out details").count() >= 3
    wide.check_clean()


def test_a_lever_changes_the_first_strike_value_and_the_chart(wide):
    before_value = wide.text("#value-first_strike")
    before_chart = wide.chart("chart-flows")
    wide.page.uncheck("#lever-ru-low")  # Russia no longer launches on warning
    after_value = wide.wait_text_change("#value-first_strike", before_value)
    deadline = time.monotonic() + SLOW / 1000
    while wide.chart("chart-flows") == before_chart:
        assert time.monotonic() < deadline, "the flow chart did not change"
        time.sleep(0.1)
    assert float(after_value) != float(before_value)
    assert "1 lever(s) changed" in wide.text("#status")
    wide.check_clean()


def test_a_numeric_lever_typed_in(wide):
    before = wide.text("#value-first_strike")
    field = wide.page.locator("#lever-us-interceptors")
    field.fill("2000")
    field.press("Enter")
    wide.wait_text_change("#value-first_strike", before)
    assert wide.page.input_value("#lever-us-interceptors-range") == "2000"
    assert "2 lever(s) changed" in wide.text("#status")
    wide.check_clean()


def test_compare_with_the_baseline(wide):
    wide.page.select_option("#baseline", "self")
    wide.page.click("#run-compare")
    wide.page.wait_for_selector("#compare-headline table")
    rows = wide.page.locator("#compare-headline tbody tr")
    assert rows.count() == 5
    first = [c.strip() for c in rows.nth(0).locator("td").all_text_contents()]
    assert first[0].startswith("First-strike stability")
    base, variant, change = float(first[1]), float(first[2]), float(first[3])
    assert variant == pytest.approx(float(wide.text("#value-first_strike")), abs=1e-3)
    assert change == pytest.approx(variant - base, abs=2e-3)
    assert base != variant
    assert "launch_on_warning" in wide.text("#compare-out")
    wide.check_clean()


def test_broken_yaml_shows_the_located_error(wide):
    broken = "name: broken\nsides:\n  - posture: us-2021\n  - posture: ru-20211\n"
    wide.page.fill("#yaml", broken)
    wide.page.wait_for_selector("#problems li.problem")
    problem = wide.text("#problems li.problem")
    assert "line 4" in problem
    assert "sides.1.posture" in problem and "did you mean 'ru-2021'" in problem
    assert wide.page.locator("#gutter .bad").all_text_contents() == ["4"]
    assert "problem" in wide.text("#status")
    # a syntax error is located too
    wide.page.fill("#yaml", "name: broken\nsides: [\n")
    deadline = time.monotonic() + SLOW / 1000
    while "YAML syntax error" not in wide.text("#problems"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    wide.check_clean()


def test_fixing_the_yaml_assesses_it(wide):
    before = wide.text("#value-first_strike")
    wide.page.fill("#yaml", "name: fixed\nsides:\n  - posture: us-2025\n  - posture: ru-2025\n")
    wide.page.wait_for_selector("#problems li.problem", state="detached")
    deadline = time.monotonic() + SLOW / 1000
    while "fixed" not in wide.text("#scenario-head"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert wide.text("#value-first_strike") != "" and before != ""
    wide.check_clean()


def test_a_background_job_shows_progress_and_its_chart(wide):
    wide.page.fill("#line-points", "3")
    wide.page.click("#run-line")
    wide.page.wait_for_selector(".job[id^='job-'] .chart .main-svg")
    text = wide.text(".job[id^='job-'] p.small")
    assert text.startswith("done: 3 of 3")
    wide.check_clean()


def test_an_uncertainty_job_from_its_link_shows_intervals_and_their_chart(wide):
    wide.page.click("#job-links a[href='#kind-explore']")
    wide.page.fill("#explore-draws", "8")
    wide.page.click("#run-explore")
    card = "#job-list .job:first-child"
    wide.page.wait_for_selector(f"{card} table")
    wide.page.wait_for_selector(f"{card} .chart .main-svg")
    assert wide.text(f"{card} h3").startswith("explore ")
    assert wide.text(f"{card} p.small").startswith("done: 8 of 8")
    table = wide.text(f"{card} table")
    assert "First-strike stability" in table and "5–95%" in table
    assert "8 draws of" in wide.text(card)
    wide.check_clean()


def test_a_negotiation_job_from_its_link_shows_the_front_and_the_packages(wide):
    wide.page.click("#job-links a[href='#kind-negotiate']")
    wide.page.click("#kind-negotiate button.primary")  # the example: two levers, 6 generations
    card = "#job-list .job:first-child"
    wide.page.wait_for_selector(f"{card} .bargaining")
    wide.page.wait_for_selector(f"{card} .chart .main-svg")
    assert wide.text(f"{card} h3").startswith("negotiate ")
    assert wide.text(f"{card} p.small").startswith("done: 6 of 6")
    text = wide.text(f"{card} .bargaining")
    assert "Nash bargaining package" in text and "by its own reading" in text
    wide.check_clean()


def test_treaty_count_and_sources(wide):
    wide.page.select_option("#count-posture", "ru-2021")
    wide.page.click("#run-count")
    wide.page.wait_for_selector("#count-out table")
    assert "Russia" in wide.text("#count-out")
    wide.page.fill("#source-filter", "minuteman")
    deadline = time.monotonic() + 10
    while wide.page.locator("#sources-out details[open]").count() == 0:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert "us_minuteman_iii" in wide.text("#sources-out")
    wide.check_clean()


def test_a_three_party_example_shows_the_pairs_and_the_aftermath(browser, server):
    view = Watched(browser, server, 1280)
    try:
        view.open()
        assert not view.page.is_visible("#parties")  # a two-sided scenario has no such view
        view.page.select_option("#pick", "example:triangle-2030")
        view.page.wait_for_selector("#parties", state="visible")
        view.page.wait_for_selector("#parties-out table")
        assert view.page.is_visible("#parties-link")
        tables = view.page.locator("#parties-out table")
        assert tables.count() == 2
        # three pairs x five definitions, on their own and with the third party present
        assert tables.nth(0).locator("tbody tr").count() == 15
        assert "US–RU" in view.text("#parties-out")
        # every exchange of the headline case: each ordered pair and the coalition cases
        assert tables.nth(1).locator("tbody tr").count() >= 6
        assert "CN" in str(tables.nth(1).locator("thead").text_content())
        view.check_clean()
    finally:
        view.context.close()


def test_no_horizontal_overflow_on_a_phone(browser, server):
    phone = Watched(browser, server, 420)
    try:
        phone.open()
        phone.page.fill("#source-filter", "a")  # open every sources table
        phone.page.wait_for_selector("#sources-out details[open]")
        width = phone.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 420
        wide_nodes = phone.page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 420.5
                             && !(e.parentElement && e.parentElement.closest('.scroll'))
                             && !(e.parentElement && e.parentElement.closest('.js-plotly-plot'))
                             && e.getClientRects().length)
                .map(e => e.tagName + '#' + e.id + '.' + e.className)"""
        )
        assert wide_nodes == []
        phone.check_clean()
    finally:
        phone.context.close()


def test_stored_sweeps_are_listed_and_shown(browser, tmp_path_factory):
    from detente.io.sweep_yaml import load_sweep
    from detente.store import run_into_store
    from sweep_fixtures import write_toy_sweep

    folder = tmp_path_factory.mktemp("served-store")
    path = folder / "results.duckdb"
    run = run_into_store(load_sweep(write_toy_sweep(folder), chunk_size=12), path)
    with _serving("--store", str(path)) as base:
        page = Watched(browser, base, 1280)
        try:
            page.open()
            page.page.click("#job-links a[href='#runs']")
            page.page.wait_for_selector("#runs-list table")
            assert run.short_id in page.text("#runs-list")
            page.page.click("#runs-list .show-run")
            page.page.wait_for_selector("#run-view .chart .main-svg")
            assert "toy_sweep" in page.text("#run-view h3")
            assert "First-strike stability" in page.text("#run-view")
            # a sweep run from the page (the example: ten points) goes into the same store
            page.page.click("#job-links a[href='#kind-sweep']")
            page.page.click("#kind-sweep button.primary")
            card = "#job-list .job:first-child"
            page.page.wait_for_selector(f"{card} .chart .main-svg")
            assert page.text(f"{card} h3").startswith("sweep ")
            assert "stored in the results store" in page.text(card)
            assert "First-strike stability" in page.text(card)
            page.page.wait_for_function(
                "() => document.querySelectorAll('#runs-list tbody tr').length === 2"
            )
            assert "gmd_by_alert" in page.text("#runs-list") or "US interceptors" in page.text(
                "#runs-list"
            )
            page.check_clean()
        finally:
            page.context.close()
