"""The benchmarks run end to end at tiny sizes (the ``--quick`` path), so they never rot."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from rich.console import Console

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmarks package sits beside src/, not inside it
    sys.path.insert(0, str(ROOT))

from benchmarks import web_load  # noqa: E402
from benchmarks.__main__ import run  # noqa: E402
from benchmarks.allocator import generate  # noqa: E402
from benchmarks.batch_throughput import DISTRIBUTIONS, make_draws  # noqa: E402
from benchmarks.common import QUICK, fmt_pct, fmt_s, fmt_x  # noqa: E402
from benchmarks.report import keep_marked  # noqa: E402
from benchmarks.wta_files import missing_files, read_square, read_typed, wta_dir  # noqa: E402

from detente.engine.allocation import solve_wta  # noqa: E402

KEYS = [
    "assess_latency",
    "batch_throughput",
    "allocator",
    "cold_start",
    "memory",
    "versus",
    "uncertainty",
]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "BENCHMARKS.md"
    sections = run(["--quick", "--out", str(out)], console=Console(file=io.StringIO()))
    return {s.key: s for s in sections}, out.read_text(encoding="utf-8")


def test_every_benchmark_runs_and_fills_its_tables(quick):
    sections, _ = quick
    assert list(sections) == KEYS
    for section in sections.values():
        assert section.tables, section.key
        for table in section.tables:
            assert table.rows, table.title
            assert all(len(row) == len(table.columns) for row in table.rows), table.title


def test_markdown_states_command_machine_and_every_target(quick):
    sections, text = quick
    assert "`.venv/bin/python -m benchmarks --quick`" in text
    assert "## Machine" in text and "| CPU |" in text and "| numpy |" in text
    for section in sections.values():
        assert f"## {section.title}" in text
        for target in section.targets:
            verdict = "met" if target.met else "**not met**"
            assert f"| {target.name} | {target.goal} | {target.measured} | {verdict} |" in text


def test_stage_timings_cover_the_assessment(quick):
    figures = quick[0]["assess_latency"].figures
    # The stages are disjoint parts of one assess call: together they take some of
    # its time and never more than all of it.
    assert 0.0 < figures["stage_sum_s"] <= figures["staged_total_s"] * 1.05


def test_loop_of_single_draws_equals_the_batch(quick):
    figures = quick[0]["batch_throughput"].figures
    assert figures["loop_batch_agreement"] < 1e-12
    assert figures["loop_per_draw_s"] > 0.0


def test_fast_never_worse_than_greedy_and_exact_never_worse_than_fast(quick):
    figures = quick[0]["allocator"].figures
    for n in (5, 10):
        # exact starts from the fast solution; fast starts from greedy's
        assert figures[f"fast_gap_mean.{n}"] >= -1e-12
        assert figures[f"greedy_gap_mean.{n}"] >= figures[f"fast_gap_mean.{n}"] - 1e-12


def test_memory_rows_grow_with_work(quick):
    figures = quick[0]["memory"].figures
    empty, package, loaded, batch = (figures[f"peak_kib.{i}"] for i in range(4))
    # "import detente" adds only tens of KiB to an empty interpreter, within the noise of
    # peak RSS; the loaded modules and the batch add megabytes
    slack = 512
    assert 0 < empty <= package + slack
    assert package + 10 * 1024 < loaded <= batch + slack


def test_cold_start_cli_slower_than_empty_interpreter(quick):
    figures = quick[0]["cold_start"].figures
    assert 0.0 < figures["bare_s"] < figures["cli_s"]


def test_load_test_counts_every_answer_and_error():
    section = web_load.run(QUICK)
    figures = section.figures
    assert figures["errors"] == 0
    assert figures["fresh_answers"] >= 2 and figures["shared_answers"] >= 2
    assert figures["alone_p50_s"] > 0 and 0 < figures["fresh_p50_s"] <= figures["fresh_p95_s"]
    block = web_load.markdown(section, "cmd")
    assert block.startswith(web_load.START) and block.rstrip().endswith(web_load.END)
    # written twice, the section is replaced, not repeated
    once = web_load.insert("# Benchmarks\n", block)
    assert web_load.insert(once, block) == once
    assert once.count(web_load.START) == 1


def test_make_bench_keeps_the_sections_run_on_their_own(quick):
    _, text = quick
    old = (
        "# old\n\n<!-- store benchmark: start -->\n## Results store\nS\n"
        "<!-- store benchmark: end -->\n\ntail\n"
        "<!-- dashboard benchmark: start -->\n## D\n<!-- dashboard benchmark: end -->\n"
    )
    kept = keep_marked(text, old)
    assert kept.startswith(text.rstrip("\n"))
    assert "## Results store\nS\n<!-- store benchmark: end -->" in kept
    assert "## D\n<!-- dashboard benchmark: end -->" in kept
    assert "# old" not in kept and "tail" not in kept
    assert keep_marked(kept, kept) == kept


def test_uncertainty_section_measures_every_run(quick):
    figures = quick[0]["uncertainty"].figures
    # explore per draw on this tree and before its speed-up, the two-process analysis,
    # and the cheap exploration serially and on Dask (checked equal inside the benchmark)
    for key in ("today_s", "before_s", "assess_s", "analysis_s", "serial_s", "dask_s"):
        assert figures[key] > 0.0, key
    assert figures["dask_speedup"] == figures["serial_s"] / figures["dask_s"]


def test_formatting_by_hand():
    assert fmt_s(0.0021) == "2.1 ms"
    assert fmt_s(2.5e-5) == "25 µs"
    assert fmt_s(3.0) == "3 s"
    assert fmt_x(123.4) == "123x"
    assert fmt_x(2345.0) == "2,345x"
    assert fmt_pct(0.0123) == "1.23%"
    assert fmt_pct(0.0) == "0%"


def test_draws_are_seeded_and_inside_documented_ranges():
    a = make_draws(("us", "ru"), 500, seed=7)
    b = make_draws(("us", "ru"), 500, seed=7)
    for actor in ("us", "ru"):
        for name, (low, high) in DISTRIBUTIONS.items():
            assert_array_equal(a[actor][name], b[actor][name])
            assert low <= a[actor][name].min() and a[actor][name].max() <= high
    assert not np.array_equal(a["us"]["cep"], a["ru"]["cep"])


def test_generated_instances_inside_literature_ranges():
    p, v = generate(20, 0, seed=1)
    assert p.shape == (20, 20) and v.shape == (20,)
    assert p.min() >= 0.6 and p.max() <= 0.9
    assert v.min() >= 25.0 and v.max() <= 100.0


def test_readers_on_hand_written_files(tmp_path):
    square = tmp_path / "wta2.txt"
    square.write_text("2\n10 20\n0.1 0.2\n0.3 0.4\n")
    p, v = read_square(square)
    assert_array_equal(v, [10.0, 20.0])
    assert_array_equal(p, [[0.1, 0.2], [0.3, 0.4]])  # row = weapon
    typed = tmp_path / "wta_2x3x2.txt.gz"
    with gzip.open(typed, "wt") as fh:
        fh.write("2 3 2\n5\n6\n7\n0 0 0.5\n0 1 0.6\n0 2 0.7\n1 0 0.1\n1 1 0.2\n1 2 0.3\n")
    p, v = read_typed(typed)
    assert_array_equal(v, [5.0, 6.0, 7.0])
    assert_array_equal(p, [[0.5, 0.6, 0.7], [0.5, 0.6, 0.7], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3]])


@pytest.mark.skipif(
    not (wta_dir() / "sonuc" / "wta5.txt").is_file(), reason=missing_files(wta_dir())
)
def test_reader_orientation_on_public_instance():
    # published optimum of wta5 (48.364) and of its transpose (47.1304), from the folder's README
    p, v = read_square(wta_dir() / "sonuc" / "wta5.txt")
    assert_allclose(solve_wta(p, v, method="exact").surviving_value, 48.364, rtol=1e-5)
    assert_allclose(solve_wta(p.T, v, method="exact").surviving_value, 47.1304, rtol=1e-5)
