"""``python -m benchmarks.store [--quick] [--write PATH]``: the results store, measured.

Two questions: how many outcome rows per second the store writes (one DuckDB
transaction per chunk), and what storing costs over the same sweep kept in
memory. Both are measured in the same run, against the in-memory reference.
``--write`` puts the section into BENCHMARKS.md between its markers, leaving
the other sections as they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from benchmarks.common import Config, Section, Table, fmt_pct, fmt_s, median
from benchmarks.report import table_markdown
from detente.analysis.evaluate import evaluate
from detente.analysis.sweep import ChunkResult, SweepPlan, iter_chunks, run_sweep
from detente.examples import geneva_2021
from detente.io.changes import with_changes
from detente.model.scenario import Scenario
from detente.model.sweep import SweepSpec
from detente.store import ResultsStore, content_hash, run_into_store

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- store benchmark: start -->", "<!-- store benchmark: end -->"


def _spec(interceptor_steps: int) -> SweepSpec:
    """The worked example's levers on the Geneva baseline, ``interceptor_steps`` wide."""
    return SweepSpec.model_validate(
        {
            "name": "bench",
            "scenario": "geneva_2021",
            "levers": [
                {
                    "name": "us_interceptors",
                    "path": "sides[us].defenses[us_gmd].interceptors",
                    "range": {"low": 0, "high": 1000, "steps": interceptor_steps},
                },
                {
                    "name": "ru_alert",
                    "path": [
                        "sides[ru].systems[ru_yars_mobile].alert.day_to_day",
                        "sides[ru].systems[ru_bulava].alert.day_to_day",
                    ],
                    "values": [0.15, 0.3, 0.45, 0.6],
                },
            ],
            "keep": {
                "definitions": [
                    "first_strike",
                    "second_strike",
                    "damage_limitation",
                    "use_or_lose",
                ],
                "alert_cases": "own",
            },
        }
    )


def _write_times(chunks: list[ChunkResult], plan: SweepPlan, repeats: int) -> list[float]:
    """Seconds to write every chunk into a fresh store, per repeat."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp, ResultsStore(Path(tmp) / "b.duckdb") as st:
            spec = plan.spec.model_dump(mode="json")
            st.create_run("warm-up", plan, "serial", spec)  # first writes pay DuckDB's set-up
            st.write_chunk("warm-up", chunks[0], 0.0)
            run_id = content_hash(plan)
            st.create_run(run_id, plan, "serial", spec)
            started = time.perf_counter()
            for chunk in chunks:
                st.write_chunk(run_id, chunk, 0.0)
            times.append(time.perf_counter() - started)
    return times


def _batching(scenario: Scenario, steps: int, repeats: int) -> tuple[int, float, float]:
    """(points, seconds batched, seconds with one evaluate call per point), medians."""
    plan = SweepPlan.build(_spec(steps), scenario)
    points = [
        plan.point_changes({name: values[k] for name, values in chunk.values.items()})[0]
        for chunk in (plan.chunk(i) for i in range(plan.n_chunks))
        for k in range(chunk.points)
    ]
    batched, single = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        run_sweep(plan, vary=with_changes)
        batched.append(time.perf_counter() - started)
        started = time.perf_counter()
        for changes in points:
            evaluate(with_changes(scenario, changes), outcomes=plan.outcomes)
        single.append(time.perf_counter() - started)
    return len(points), median(batched), median(single)


def run(config: Config) -> Section:
    """Measure write throughput and the overhead of a stored sweep."""
    steps, repeats, pairs = (3, 1, 1) if config.quick else (26, 3, 7)
    scenario = geneva_2021()
    throughput = []
    figures: dict[str, float] = {}
    for chunk_points in (5, 25, 100) if not config.quick else (2,):
        plan = SweepPlan.build(_spec(steps), scenario, chunk_size=chunk_points)
        chunks = list(iter_chunks(plan, vary=with_changes))
        rows = sum(len(c.outcomes) for c in chunks)
        seconds = median(_write_times(chunks, plan, repeats))
        throughput.append(
            (
                f"{chunk_points}",
                f"{len(chunks)}",
                f"{rows // len(chunks):,}",
                fmt_s(seconds / len(chunks)),
                f"{rows / seconds:,.0f}",
            )
        )
        figures[f"rows_per_s_chunk_{chunk_points}"] = rows / seconds
    plan = SweepPlan.build(_spec(steps), scenario)
    memory, stored = [], []
    for _ in range(pairs):
        started = time.perf_counter()
        run_sweep(plan, vary=with_changes)
        memory.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            done = run_into_store(plan, Path(tmp) / "s.duckdb")
            stored.append(time.perf_counter() - started)
    mem, sto = median(memory), median(stored)
    ratio = median([s / m for s, m in zip(stored, memory, strict=True)])
    figures.update({"memory_s": mem, "stored_s": sto, "overhead": ratio - 1})
    overhead = (
        (
            f"{plan.points} points, {plan.n_chunks} chunks, {done.rows_written:,} rows",
            fmt_s(mem),
            fmt_s(sto),
            fmt_pct(ratio - 1),
            fmt_s((sto - mem) / max(1, done.rows_written)),
        ),
    )
    n_points, batched, single = _batching(scenario, steps, repeats)
    figures.update({"batched_s": batched, "one_per_point_s": single})
    return Section(
        key="store",
        title="Results store",
        method=(
            "Sweep: the Geneva 2021 baseline, US GMD interceptors (0 to 1,000) x Russian "
            "day-to-day alert of Yars and Bulava (4 values), four one-case definitions, three "
            f"readings, own alert levels by policy and riding out; {steps * 4} points. "
            "Throughput: the chunks are computed first, then written into a fresh store "
            "(DuckDB, one transaction per chunk: experiments, tidy outcomes, chunk row) after "
            "one untimed warm-up chunk; "
            f"median of {repeats} runs. Overhead: the same sweep run with `run_sweep` (results "
            "kept in memory as pandas tables) and with `run_into_store` (the same, plus "
            f"hashing, the run row and every chunk written), serial, run in {pairs} alternating "
            "pairs; the overhead is the median of the pairs' ratios. Batching: the same "
            "points by `run_sweep` (variants of one structure stacked into one exchange batch) "
            f"and by one `evaluate` call per point on its changed scenario, median of {repeats}."
        ),
        tables=(
            Table(
                title="Store write throughput (one transaction per chunk)",
                columns=(
                    "points per chunk",
                    "chunks",
                    "rows per chunk",
                    "write per chunk",
                    "rows/s",
                ),
                rows=tuple(throughput),
            ),
            Table(
                title="A stored sweep against the same sweep in memory",
                columns=(
                    "sweep",
                    "in memory",
                    "into the store",
                    "overhead",
                    "extra time per stored row",
                ),
                rows=overhead,
                note="Overhead is the median over pairs of (stored / in memory) - 1; the "
                "sweep itself (exchanges, definitions) dominates both, and on a shared machine "
                "one pair's ratio can be off by tens of percent either way.",
            ),
            Table(
                title="Sweep points: variants in one batch against one evaluate call per point",
                columns=("points", "batched (run_sweep)", "one evaluate per point", "speed-up"),
                rows=(
                    (
                        f"{n_points}",
                        fmt_s(batched),
                        fmt_s(single),
                        f"{single / batched:.2f}x",
                    ),
                ),
                note="Both compute the same numbers (tests/test_sweep_plan.py checks them bit "
                "for bit); the batched sweep stacks the points' compiled sides into one "
                "exchange batch per chunk.",
            ),
        ),
        figures=figures,
    )


def markdown(section: Section, command: str) -> str:
    """The section as markdown, between its markers."""
    lines = [
        START,
        f"## {section.title}",
        "",
        f"Generated by `{command}` on {dt.date.today().isoformat()}. {section.method}",
        "",
    ]
    for table in section.tables:
        lines += table_markdown(table)
    lines.append(END)
    return "\n".join(lines) + "\n"


def insert(text: str, block: str) -> str:
    """``text`` with the store section replaced (or appended if it has none)."""
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        return head + block.rstrip("\n") + tail
    return text.rstrip("\n") + "\n\n" + block


def main(argv: Sequence[str] | None = None) -> Section:
    """Run, print and optionally write the section."""
    from benchmarks.common import FULL, QUICK

    parser = argparse.ArgumentParser(prog="python -m benchmarks.store", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument(
        "--write",
        type=Path,
        default=None,
        help="markdown file to put the section into (e.g. BENCHMARKS.md)",
    )
    args = parser.parse_args(argv)
    section = run(QUICK if args.quick else FULL)
    console = Console()
    for table in section.tables:
        out = RichTable(title=table.title, caption=table.note or None, title_justify="left")
        for column in table.columns:
            out.add_column(column)
        for row in table.rows:
            out.add_row(*row)
        console.print(out)
    if args.write is not None:
        command = "python -m benchmarks.store" + (" --quick" if args.quick else "")
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        args.write.write_text(insert(old, markdown(section, command)), encoding="utf-8")
    return section


if __name__ == "__main__":
    main()


__all__ = ["END", "START", "insert", "main", "markdown", "run"]
