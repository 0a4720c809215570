"""Load on the dashboard: concurrent clients asking for assessments over loopback.

``detente serve`` runs as its own process on a free loopback port; the clients
run here, on one event loop (``httpx2``), so that they take little of the
machine from the server. Each client posts ``/api/assess`` in a loop for a fixed
time, waiting for each answer before the next; a separate probe asks
``/api/health`` four times a second throughout, to show whether the server
keeps answering while assessments compute. The reference is one client alone
on the same server in the same run.

Run with ``python -m benchmarks.web_load --write BENCHMARKS.md`` (prints the
section and puts it into the file between its markers; ``make bench`` keeps it).
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.common import Config, Section, Table, Target, fmt_s, fmt_x

BASELINE = {"kind": "builtin", "name": "geneva-2021"}
SHARED_SETTINGS = 8
"""Distinct lever settings the clients of the shared phase choose from."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served() -> Iterator[str]:
    """``detente serve`` on a free loopback port; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "detente", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"detente serve exited: {proc.communicate()[1]}")
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("detente serve did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def fresh_levers() -> Callable[[], dict[str, Any]]:
    """Lever settings never asked for before (every answer is computed)."""
    counter = itertools.count()

    def next_levers() -> dict[str, Any]:
        k = next(counter)
        return {
            "sides": {
                "us": {"missile_defense_interceptors": 100 + k},
                "ru": {"alert": "generated" if k % 2 else "day_to_day"},
            }
        }

    return next_levers


def shared_levers(seed: int) -> Callable[[], dict[str, Any]]:
    """One of a few settings, at random (after the first, most answers come from the cache)."""
    rng = np.random.default_rng(seed)
    pool = [
        {"sides": {"us": {"missile_defense_interceptors": 200 * (i + 1)}}}
        for i in range(SHARED_SETTINGS)
    ]

    def next_levers() -> dict[str, Any]:
        return pool[int(rng.integers(len(pool)))]

    return next_levers


@dataclass
class Phase:
    """What one phase of load measured."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def pct(self, q: float, of: str = "latencies") -> float:
        """The ``q``-th percentile (0-100) of ``latencies`` or ``health``."""
        values = getattr(self, of)
        return float(np.percentile(values, q)) if values else float("nan")


async def _client(
    http: Any, base: str, until: float, levers: Callable[[], dict[str, Any]], phase: Phase
) -> None:
    while True:  # at least one request, then until the time is up
        body = {"source": BASELINE, "levers": levers()}
        started = time.perf_counter()
        try:
            response = await http.post(f"{base}/api/assess", json=body)
            ok = response.status_code == 200 and "assessment" in response.json()
            problem = "" if ok else f"status {response.status_code}"
        except Exception as exc:  # every failure counts as an error, none stops the run
            problem = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        if problem:
            phase.errors.append(problem)
        else:
            phase.latencies.append(elapsed)
        if time.perf_counter() >= until:
            return


async def _probe(http: Any, base: str, until: float, phase: Phase) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await http.get(f"{base}/api/health")
            if response.status_code == 200:
                phase.health.append(time.perf_counter() - started)
            else:
                phase.errors.append(f"health status {response.status_code}")
        except Exception as exc:
            phase.errors.append(f"health {type(exc).__name__}")
        await asyncio.sleep(0.25)


async def _load(
    base: str, clients: int, seconds: float, levers: Callable[[], dict[str, Any]]
) -> Phase:
    import httpx2

    phase = Phase()
    limits = httpx2.Limits(max_connections=clients + 2)
    async with httpx2.AsyncClient(timeout=300.0, limits=limits) as http:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(_client(http, base, until, levers, phase) for _ in range(clients)),
            _probe(http, base, until, phase),
        )
        phase.seconds = time.perf_counter() - started
    return phase


def load(base: str, clients: int, seconds: float, levers: Callable[[], dict[str, Any]]) -> Phase:
    """``clients`` clients posting assessments for ``seconds`` (answers still due are awaited)."""
    return asyncio.run(_load(base, clients, seconds, levers))


def _row(name: str, clients: int, phase: Phase, alone_p50: float) -> tuple[str, ...]:
    n = len(phase.latencies)
    return (
        name,
        str(clients),
        f"{phase.seconds:.0f} s",
        f"{n:,}",
        f"{n / phase.seconds:.1f}/s",
        fmt_s(phase.pct(50)),
        fmt_s(phase.pct(95)),
        fmt_x(phase.pct(50) / alone_p50),
        str(len(phase.errors)),
        fmt_s(phase.pct(95, "health")),
    )


def run(config: Config) -> Section:
    """One client alone, then many with fresh and with shared lever settings."""
    clients, seconds, alone_n = (2, 2.0, 3) if config.quick else (20, 30.0, 20)
    with served() as base:
        load(base, 1, 0.0, fresh_levers())  # warm-up (one request): imports, first figures
        alone = Phase()
        fresh = fresh_levers()
        for _ in range(alone_n):
            alone.latencies += load(base, 1, 0.0, fresh).latencies
        many_fresh = load(base, clients, seconds, fresh)
        many_shared = load(base, clients, seconds, shared_levers(config.seed))
    p50_alone = alone.pct(50)
    errors = len(many_fresh.errors) + len(many_shared.errors)
    columns = (
        "phase",
        "clients",
        "duration",
        "answers",
        "throughput",
        "p50",
        "p95",
        "p50 / alone",
        "errors",
        "health p95",
    )
    table = Table(
        title="`POST /api/assess` over loopback (2021 baseline with levers set)",
        columns=columns,
        rows=(
            (
                "one client alone, every setting new",
                "1",
                "-",
                str(len(alone.latencies)),
                "-",
                fmt_s(p50_alone),
                fmt_s(alone.pct(95)),
                "1x",
                str(len(alone.errors)),
                "-",
            ),
            _row("every request a new setting", clients, many_fresh, p50_alone),
            _row(f"settings from a pool of {SHARED_SETTINGS}", clients, many_shared, p50_alone),
        ),
        note="Latency is from sending a request to reading its whole answer (about 340 kB of "
        "JSON: every definition, reading and case, both charts and the sources of every "
        "number). 'Every request a new setting' is the worst case: no answer comes from the "
        "cache, so the server computes every assessment, two at a time. 'Health p95' is the "
        "95th percentile of `/api/health` asked four times a second during the phase: the "
        "server answers while assessments compute.",
    )
    errors_seen = sorted({e for p in (many_fresh, many_shared) for e in p.errors})[:5]
    return Section(
        key="web_load",
        title="Dashboard under load",
        method=(
            f"`detente serve` on a free loopback port, as its own process. {clients} clients "
            f"on one event loop each post `/api/assess` in a loop for {seconds:g} s, one "
            "request at a time; first with a lever setting no client asked for before, then "
            f"with one of {SHARED_SETTINGS} settings drawn at random. The reference, one "
            f"client alone sending {alone_n} new settings one after the other, runs on the "
            "same server in the same run. Answers still due when the time is up are awaited "
            "and counted."
        ),
        tables=(table,),
        targets=(
            Target(
                name=f"dashboard load test errors ({clients} clients x {seconds:g} s x 2)",
                goal="0",
                measured=str(errors) + (f" ({'; '.join(errors_seen)})" if errors_seen else ""),
                met=errors == 0,
            ),
        ),
        figures={
            "alone_p50_s": p50_alone,
            "fresh_p50_s": many_fresh.pct(50),
            "fresh_p95_s": many_fresh.pct(95),
            "shared_p50_s": many_shared.pct(50),
            "shared_p95_s": many_shared.pct(95),
            "fresh_answers": float(len(many_fresh.latencies)),
            "shared_answers": float(len(many_shared.latencies)),
            "errors": float(errors),
            "health_p95_s": max(many_fresh.pct(95, "health"), many_shared.pct(95, "health")),
        },
    )


START, END = "<!-- dashboard benchmark: start -->", "<!-- dashboard benchmark: end -->"


def markdown(section: Section, command: str) -> str:
    """The section as markdown between its markers, with its target and the machine's load."""
    import datetime as dt
    import os

    from benchmarks.report import table_markdown

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        START,
        f"## {section.title}",
        "",
        f"Generated by `{command}` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC "
        f"(load average at the end {load} on {os.cpu_count()} logical cores). {section.method}",
        "",
    ]
    for table in section.tables:
        lines += table_markdown(table)
    for target in section.targets:
        verdict = "met" if target.met else "**not met**"
        lines.append(f"- {target.name}: {target.measured} (goal {target.goal}, {verdict})")
    lines.append(END)
    return "\n".join(lines) + "\n"


def insert(text: str, block: str) -> str:
    """``text`` with the dashboard section replaced (or appended if it has none)."""
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        return head + block.rstrip("\n") + tail
    return text.rstrip("\n") + "\n\n" + block


def main(argv: list[str] | None = None) -> int:
    """Run the load test, print its section and optionally write it into a markdown file."""
    import argparse
    from pathlib import Path

    from benchmarks.common import FULL, QUICK

    parser = argparse.ArgumentParser(prog="python -m benchmarks.web_load", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument(
        "--write",
        type=Path,
        default=None,
        help="markdown file to put the section into (e.g. BENCHMARKS.md)",
    )
    args = parser.parse_args(argv)
    section = run(QUICK if args.quick else FULL)
    command = ".venv/bin/python -m benchmarks.web_load" + (" --quick" if args.quick else "")
    block = markdown(section, command)
    sys.stdout.write(block)
    if args.write is not None:
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        args.write.write_text(insert(old, block), encoding="utf-8")
    return 0 if all(t.met for t in section.targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
