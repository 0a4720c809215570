"""The store benchmark runs at tiny sizes and writes its section without touching others."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmarks package sits beside src/, not inside it
    sys.path.insert(0, str(ROOT))

from benchmarks.store import END, START, insert, main  # noqa: E402


def test_quick_run_fills_both_tables_and_keeps_other_sections(tmp_path, capsys):
    target = tmp_path / "BENCHMARKS.md"
    target.write_text("# Benchmarks\n\n## Other\n\nkept\n", encoding="utf-8")
    section = main(["--quick", "--write", str(target)])
    capsys.readouterr()
    assert [len(t.rows) for t in section.tables] == [1, 1, 1]
    assert section.figures["batched_s"] > 0 and section.figures["one_per_point_s"] > 0
    assert section.figures["rows_per_s_chunk_2"] > 0
    assert section.figures["stored_s"] > 0 and section.figures["memory_s"] > 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\n## Other\n\nkept\n")
    assert text.count(START) == text.count(END) == 1
    assert "`python -m benchmarks.store --quick`" in text


def test_insert_replaces_only_its_own_section():
    old = f"a\n{START}\nold\n{END}\nb\n"
    assert insert(old, f"{START}\nnew\n{END}\n") == f"a\n{START}\nnew\n{END}\nb\n"
