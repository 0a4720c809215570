"""Run the worked sweep of docs/sweeps.md into a temporary store and draw its figure.

Usage::

    python docs/gen_sweep_figure.py [--out docs/sweep-first-strike.png]

The sweep is ``examples/bmd-alert-treaty-sweep.yaml``; the figure is first-strike
stability (full reading, each side's own alert level, by policy) over US
interceptors, one line per Russian alert rate, one panel per treaty option.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from detente.io.sweep_yaml import load_sweep
from detente.store import open as open_store
from detente.store import run_into_store
from detente.store.frames import headline_table
from detente.viz.sweep import lines_png

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "bmd-alert-treaty-sweep.yaml"


def main() -> None:
    """Run the sweep and write the PNG."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "sweep-first-strike.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "sweep.duckdb"
        done = run_into_store(load_sweep(SPEC), store)
        with open_store(store, read_only=True) as st:
            table, label = headline_table(st, done.run_id, "first_strike")
            levers = st.run(done.run_id).levers
    fig = lines_png(table, levers, f"First-strike stability ({label})")
    fig.savefig(args.out, format="png")


if __name__ == "__main__":
    main()
