"""Render the report of the Geneva 2021 baseline and screenshot it for the README.

Usage::

    python docs/gen_report_screenshot.py [--out docs/report.png] [--full]

Falls back to the toy dyad when ``examples/geneva-2021.yaml`` cannot be
loaded. The page is opened from disk in headless Chromium (``/usr/bin/chromium``,
or ``$CHROMIUM``) with every non-file request refused.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from detente.analysis.assess import Assessment, assess
from detente.errors import DetenteError
from detente.report.html import write_report

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def baseline() -> tuple[Assessment, str]:
    """The assessment to show and the name of its scenario."""
    try:
        from detente.io import load_scenario

        scenario = load_scenario(ROOT / "examples" / "geneva-2021.yaml")
        return assess(scenario), "examples/geneva-2021.yaml"
    except (DetenteError, OSError, ImportError):
        from detente.examples import toy_dyad

        return assess(toy_dyad(icbms=100, mirv=3, slbms=50)), "toy dyad"


def screenshot(report: Path, out: Path, *, full: bool, width: int, height: int) -> None:
    """Open ``report`` offline and save a PNG of its top (or the whole page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page.goto(report.as_uri())
        page.wait_for_function(
            "[...document.querySelectorAll('.js-plotly-plot')]"
            ".every(d => d.querySelector('svg.main-svg'))"
        )
        page.screenshot(path=str(out), full_page=full)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    """Build the report, then screenshot it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--full", action="store_true", help="whole page, not just the top")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1400)
    args = parser.parse_args(argv)
    assessment, name = baseline()
    with tempfile.TemporaryDirectory() as tmp:
        report = write_report(assessment, Path(tmp) / "report.html")
        screenshot(report, args.out, full=args.full, width=args.width, height=args.height)
    sys.stdout.write(f"{args.out}: report of {name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
