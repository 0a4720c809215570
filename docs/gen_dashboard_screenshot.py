"""Serve the dashboard, move one lever, and screenshot the page for the README.

Usage::

    python docs/gen_dashboard_screenshot.py [--out docs/dashboard.png] [--width 1280]

Starts ``detente serve`` on a free loopback port, opens the page in headless
Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) with every request to
anywhere else refused, switches off Russian launch on warning, waits for the
new assessment and its charts, and saves a PNG of the top of the page.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    """A port nothing listens on, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[str]:
    """``detente serve`` on ``port``, once it answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "detente", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"detente serve exited: {proc.communicate()[1]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                return proc
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("detente serve did not start") from None
            time.sleep(0.2)


def screenshot(base: str, out: Path, *, width: int, height: int) -> str:
    """Open the page, switch off Russian launch on warning, save the PNG; return the value."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.set_default_timeout(120_000)
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(base) else r.abort(),
        )
        page.goto(base + "/")
        page.wait_for_selector("#chart-flows .main-svg")
        before = page.text_content("#value-first_strike")
        page.uncheck("#lever-ru-low")
        deadline = time.monotonic() + 120
        while page.text_content("#value-first_strike") == before:
            if time.monotonic() > deadline:
                raise SystemExit("the assessment did not change")
            time.sleep(0.1)
        page.wait_for_selector("#chart-flows .main-svg")
        page.evaluate("() => window.scrollTo(0, 0)")  # the lever stays in view in its panel
        time.sleep(1.0)  # let plotly finish its transition
        value = str(page.text_content("#value-first_strike"))
        page.screenshot(path=str(out), full_page=False)
        browser.close()
    return value


def main(argv: list[str] | None = None) -> int:
    """Serve, screenshot, stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "dashboard.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args(argv)
    port = free_port()
    proc = start_server(port)
    try:
        value = screenshot(
            f"http://127.0.0.1:{port}", args.out, width=args.width, height=args.height
        )
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    sys.stdout.write(
        f"{args.out}: dashboard, Russian launch on warning off (first strike {value})\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
