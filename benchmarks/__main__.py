"""``python -m benchmarks [--quick] [--out PATH]``: run every benchmark, print, write markdown."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from benchmarks import (
    allocator,
    assess_latency,
    batch_throughput,
    cold_start,
    memory,
    uncertainty,
    versus,
)
from benchmarks.common import FULL, QUICK, Config, Section, Table
from benchmarks.machine import facts
from benchmarks.report import keep_marked, render, targets_table

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "BENCHMARKS.md"
QUICK_OUT = ROOT / "build" / "BENCHMARKS-quick.md"

BENCHMARKS: tuple[tuple[str, Callable[[Config], Section]], ...] = (
    ("assessment latency", assess_latency.run),
    ("batch throughput", batch_throughput.run),
    ("allocator", allocator.run),
    ("cold start", cold_start.run),
    ("memory", memory.run),
    ("against the reference revision", versus.run),
    ("uncertainty", uncertainty.run),
)
"""Run by ``make bench``. The results store (``python -m benchmarks.store --write``) and the
dashboard under load (``python -m benchmarks.web_load --write``) run on their own and keep
their marked sections of the file."""


def _rich(table: Table) -> RichTable:
    out = RichTable(title=table.title, caption=table.note or None, title_justify="left")
    for column in table.columns:
        out.add_column(column)
    for row in table.rows:
        out.add_row(*row)
    return out


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes, to check the benchmarks run (default output "
        f"{QUICK_OUT.relative_to(ROOT)}, not BENCHMARKS.md)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"markdown to write (default {DEFAULT_OUT.name} at the repo root)",
    )
    return parser.parse_args(argv)


def run(argv: Sequence[str] | None = None, console: Console | None = None) -> list[Section]:
    """Run every benchmark, print the tables and write the markdown; return the sections."""
    args = parse(argv)
    console = console or Console()
    config = QUICK if args.quick else FULL
    out: Path = args.out or (QUICK_OUT if args.quick else DEFAULT_OUT)
    machine = facts()
    started = time.perf_counter()
    sections: list[Section] = []
    for label, bench in BENCHMARKS:
        console.print(f"[bold]running {label}[/bold]")
        section = bench(config)
        sections.append(section)
        for table in section.tables:
            console.print(_rich(table))
    console.print(_rich(targets_table(sections)))
    flags = " --quick" if args.quick else ""
    text = render(
        sections,
        machine,
        command="make bench" if not args.quick else "python -m benchmarks --quick",
        invocation=f".venv/bin/python -m benchmarks{flags}",
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        total_s=time.perf_counter() - started,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(keep_marked(text, old), encoding="utf-8")
    console.print(f"wrote {out}")
    return sections


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    run(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
