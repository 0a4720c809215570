"""Peak memory of a large batch of draws, against processes that do less."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Config, Section, Table

ROOT = Path(__file__).resolve().parents[1]

_REPORT = (
    "import json, pathlib, resource\n"
    "status = pathlib.Path('/proc/self/status')\n"
    "lines = status.read_text().splitlines() if status.exists() else []\n"
    "hwm = [int(x.split()[1]) for x in lines if x.startswith('VmHWM:')]\n"
    "print(json.dumps(hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
)
_LOADED = (
    "from detente.analysis.batch import assess_draws\n"
    "from detente.examples import geneva_2021\n"
    "from benchmarks.batch_throughput import make_draws\n"
    "scenario = geneva_2021()\n"
)


def scripts(n: int, seed: int) -> dict[str, str]:
    """The child programs, each ending by printing its own peak RSS (KiB)."""
    return {
        "empty interpreter": _REPORT,
        "import detente": "import detente\n" + _REPORT,
        "modules loaded, scenario built, no draws": _LOADED + _REPORT,
        f"assess_draws, {n:,} draws": _LOADED
        + "pair = (scenario.sides[0].actor, scenario.sides[1].actor)\n"
        + f"frame = assess_draws(scenario, make_draws(pair, {n}, {seed}))\n"
        + f"assert len(frame) == {n}\n"
        + _REPORT,
    }


def peak_kib(code: str) -> int:
    """Peak resident set size (KiB, Linux ``ru_maxrss``) of a child running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True
    )
    return int(json.loads(done.stdout.strip().splitlines()[-1]))


def run(config: Config) -> Section:
    """Peak RSS of a child running the large batch, and of children that stop earlier."""
    peaks = {
        name: peak_kib(code) for name, code in scripts(config.memory_draws, config.seed).items()
    }
    names = list(peaks)
    loaded, big = peaks[names[2]], peaks[names[3]]
    increment = big - loaded
    rows = tuple(
        (name, f"{kib / 1024:,.1f} MiB", f"{(kib - peaks[names[0]]) / 1024:,.1f} MiB")
        for name, kib in peaks.items()
    )
    return Section(
        key="memory",
        title="Memory",
        method=(
            "Each row is a fresh child process that reports its own peak resident set size "
            "just before exiting: `VmHWM` from `/proc/self/status` (`ru_maxrss` where there "
            "is no `/proc`). `ru_maxrss`, of the child or of `RUSAGE_CHILDREN`, is not used "
            "on Linux because it keeps the high-water mark of the forked copy of the "
            "benchmark process itself (and, for children, of the largest child so far)."
        ),
        tables=(
            Table(
                title="Peak RSS",
                columns=("child process", "peak RSS", "above empty interpreter"),
                rows=rows,
                note=f"The {config.memory_draws:,}-draw batch needs {increment / 1024:,.1f} MiB "
                f"above a process with everything loaded, about "
                f"{increment * 1024 / config.memory_draws:,.0f} bytes per draw.",
            ),
        ),
        figures={f"peak_kib.{i}": float(kib) for i, kib in enumerate(peaks.values())}
        | {"increment_kib": float(increment)},
    )
